/**
 * The offline gazetteer behind `normaliseLocation`, built once at start-up from npm data:
 * country names in many languages (i18n-iso-countries), cities with population and their
 * province (city-timezones), US states (us-state-codes), plus our short list of nicknames and
 * abbreviations the packages lack (NYC, SF, UAE, "Bay Area").
 */
import cityMap from "city-timezones/data/cityMap.json" with { type: "json" };
import ar from "i18n-iso-countries/langs/ar.json" with { type: "json" };
import de from "i18n-iso-countries/langs/de.json" with { type: "json" };
import en from "i18n-iso-countries/langs/en.json" with { type: "json" };
import es from "i18n-iso-countries/langs/es.json" with { type: "json" };
import fr from "i18n-iso-countries/langs/fr.json" with { type: "json" };
import hi from "i18n-iso-countries/langs/hi.json" with { type: "json" };
import id from "i18n-iso-countries/langs/id.json" with { type: "json" };
import it from "i18n-iso-countries/langs/it.json" with { type: "json" };
import ja from "i18n-iso-countries/langs/ja.json" with { type: "json" };
import ko from "i18n-iso-countries/langs/ko.json" with { type: "json" };
import nl from "i18n-iso-countries/langs/nl.json" with { type: "json" };
import pl from "i18n-iso-countries/langs/pl.json" with { type: "json" };
import pt from "i18n-iso-countries/langs/pt.json" with { type: "json" };
import ru from "i18n-iso-countries/langs/ru.json" with { type: "json" };
import th from "i18n-iso-countries/langs/th.json" with { type: "json" };
import tr from "i18n-iso-countries/langs/tr.json" with { type: "json" };
import uk from "i18n-iso-countries/langs/uk.json" with { type: "json" };
import vi from "i18n-iso-countries/langs/vi.json" with { type: "json" };
import zh from "i18n-iso-countries/langs/zh.json" with { type: "json" };
import states from "us-state-codes/states.json" with { type: "json" };

export type PlaceLevel = "country" | "region" | "city";

/** Everything a name can mean: each country it may point to, with a weight (population for cities). */
export interface PlaceCandidates {
  level: PlaceLevel;
  /** Set when the name is famous in more than one country; then it never decides alone. */
  ambiguous?: boolean;
  countries: Map<string, number>;
}

/** Lower-case, no diacritics, single spaces, dots dropped ("U.S.A." → "usa"). */
export function foldName(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\./g, "")
    .replace(/[’']/g, "")
    .replace(/[\s_]+/g, " ")
    .trim();
}

/** Cities below this population are not answered (too many collide with ordinary words). */
export const MIN_CITY_POPULATION = 50_000;

/** Nicknames, abbreviations and sub-national names our packages lack; hand-written. */
const ALIASES: Record<string, [string, PlaceLevel]> = {
  usa: ["US", "country"], "u s a": ["US", "country"], "united states": ["US", "country"], america: ["US", "country"],
  "united states of america": ["US", "country"], murica: ["US", "country"],
  uk: ["GB", "country"], gb: ["GB", "country"], britain: ["GB", "country"], "great britain": ["GB", "country"],
  england: ["GB", "region"], scotland: ["GB", "region"], wales: ["GB", "region"], "northern ireland": ["GB", "region"],
  uae: ["AE", "country"], emirates: ["AE", "country"], ksa: ["SA", "country"], rsa: ["ZA", "country"],
  holland: ["NL", "country"], korea: ["KR", "country"], "south korea": ["KR", "country"], hk: ["HK", "country"],
  nz: ["NZ", "country"], aus: ["AU", "country"], deutschland: ["DE", "country"], espana: ["ES", "country"],
  turkiye: ["TR", "country"], "czech republic": ["CZ", "country"], russia: ["RU", "country"], vietnam: ["VN", "country"],
  nyc: ["US", "city"], "new york city": ["US", "city"], sf: ["US", "city"], "bay area": ["US", "region"],
  "silicon valley": ["US", "region"], "los angeles": ["US", "city"], la: ["US", "city"], socal: ["US", "region"],
  norcal: ["US", "region"], philly: ["US", "city"], atl: ["US", "city"], dc: ["US", "city"], "washington dc": ["US", "city"],
  "washington d c": ["US", "city"], brooklyn: ["US", "city"], manhattan: ["US", "city"], queens: ["US", "city"],
  "santa monica": ["US", "city"], "palo alto": ["US", "city"], "miami beach": ["US", "city"], "the bronx": ["US", "city"],
  bangalore: ["IN", "city"], bombay: ["IN", "city"], kiev: ["UA", "city"], saigon: ["VN", "city"], "hcmc": ["VN", "city"],
  munchen: ["DE", "city"], lisboa: ["PT", "city"], roma: ["IT", "city"], "sao paulo": ["BR", "city"], cdmx: ["MX", "city"],
  bsas: ["AR", "city"], milano: ["IT", "city"], firenze: ["IT", "city"], napoli: ["IT", "city"], torino: ["IT", "city"],
  koln: ["DE", "city"], wien: ["AT", "city"], praha: ["CZ", "city"], warszawa: ["PL", "city"], moskva: ["RU", "city"],
  geneve: ["CH", "city"], bruxelles: ["BE", "city"], "den haag": ["NL", "city"], "the hague": ["NL", "city"], "abu dhabi": ["AE", "city"], "tel aviv": ["IL", "city"], "zug": ["CH", "city"],
  "crypto valley": ["CH", "region"], "cayman islands": ["KY", "country"], bali: ["ID", "region"], "puerto rico": ["PR", "country"],
  "hong kong sar": ["HK", "country"], taiwan: ["TW", "country"], "dubai uae": ["AE", "city"], lagos: ["NG", "city"],
  "new england": ["US", "region"], "midwest": ["US", "region"], "texas usa": ["US", "region"],
};

/** Names that must never resolve on their own (ordinary words, or a person/food/planet). */
const NEVER = new Set([
  "home", "earth", "moon", "mars", "metaverse", "web3", "internet", "online", "global", "worldwide", "world", "everywhere",
  "nowhere", "somewhere", "cloud", "blockchain", "onchain", "on chain", "crypto", "defi", "nice", "reading", "mobile", "split",
  "sale", "bath", "of", "the", "in", "on", "at", "by", "chad", "jordan", "turkey", "orange", "victoria", "florence",
  "eth", "sol", "base", "heaven", "hell", "mind", "space", "universe", "solana", "ethereum", "bitcoin", "usa today",
]);

/** Names famous for more than one country (a country and a US state, or twin cities): never answered alone. */
export const AMBIGUOUS = new Set([
  "georgia", "cambridge", "birmingham", "san jose", "valencia", "santiago", "hamilton", "richmond", "perth",
  "victoria", "cordoba", "san fernando", "trinidad", "la paz", "santa cruz", "plymouth", "alexandria", "tripoli",
]);

export interface Gazetteer {
  names: Map<string, PlaceCandidates>;
  maxWords: number;
}

function add(names: Map<string, PlaceCandidates>, rawName: string, code: string, level: PlaceLevel, weight: number): void {
  const key = foldName(rawName);
  if (!key || NEVER.has(key) || (/^[a-z]{1,2}$/.test(key) && !(key in ALIASES))) return;
  const entry = names.get(key);
  if (!entry) {
    names.set(key, { level, countries: new Map([[code, weight]]) });
    return;
  }
  const rank = { country: 3, region: 2, city: 1 };
  if (rank[level] > rank[entry.level]) entry.level = level;
  entry.countries.set(code, Math.max(entry.countries.get(code) ?? 0, weight));
}

const COUNTRY_WEIGHT = 1e10;
const REGION_WEIGHT = 1e9;

export function buildGazetteer(): Gazetteer {
  const names = new Map<string, PlaceCandidates>();
  for (const lang of [en, es, fr, de, pt, it, nl, ru, tr, ja, zh, ko, ar, id, vi, pl, uk, hi, th]) {
    for (const [code, value] of Object.entries(lang.countries as Record<string, string | string[]>)) {
      for (const name of Array.isArray(value) ? value : [value]) add(names, name, code, "country", COUNTRY_WEIGHT);
    }
  }
  for (const [code, name] of Object.entries(states as Record<string, string>)) {
    add(names, name, "US", "region", REGION_WEIGHT);
    // state codes only as a part after a city ("Austin, TX"); stored under a prefixed key
    names.set(`state:${code.toLowerCase()}`, { level: "region", countries: new Map([["US", REGION_WEIGHT]]) });
  }
  for (const c of cityMap as { city: string; city_ascii: string; pop: number; iso2: string; province: string }[]) {
    if (c.pop < MIN_CITY_POPULATION || !/^[A-Z]{2}$/.test(c.iso2)) continue;
    add(names, c.city, c.iso2, "city", c.pop);
    if (c.city_ascii !== c.city) add(names, c.city_ascii, c.iso2, "city", c.pop);
  }
  for (const [name, [code, level]] of Object.entries(ALIASES)) {
    add(names, name, code, level, level === "country" ? COUNTRY_WEIGHT : level === "region" ? REGION_WEIGHT : 5e6);
  }
  let maxWords = 1;
  for (const k of names.keys()) maxWords = Math.max(maxWords, k.split(" ").length);
  return { names, maxWords: Math.min(maxWords, 4) };
}
