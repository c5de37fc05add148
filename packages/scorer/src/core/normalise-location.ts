/**
 * Free-text profile location → ISO 3166-1 alpha-2, or null for unknown. Never guesses: a string
 * is answered only when every place it names agrees on one country.
 */
import { AMBIGUOUS, buildGazetteer, foldName, type PlaceCandidates } from "./location-gazetteer.ts";

const GAZETTEER = buildGazetteer();
const CACHE = new Map<string, string | null>();
const CACHE_LIMIT = 100_000;

/** Words that decorate a place without naming one ("based in", "greater", "area"). */
const FILLER = new Set([
  "based", "in", "from", "living", "live", "lives", "the", "city", "area", "greater", "metro", "region", "of", "and",
  "near", "around", "currently", "now", "originally", "born", "raised", "via", "home", "hq", "downtown", "state", "uptown",
]);

/** A city must outweigh the next country bearing its name this many times to be answered alone. */
const DOMINANCE = 3;

const FLAG = /([\u{1F1E6}-\u{1F1FF}])([\u{1F1E6}-\u{1F1FF}])/gu;
const flagCode = (a: string, b: string) =>
  String.fromCharCode(a.codePointAt(0)! - 0x1f1e6 + 65) + String.fromCharCode(b.codePointAt(0)! - 0x1f1e6 + 65);

function dominant(c: PlaceCandidates): string | null {
  if (c.ambiguous) return null;
  const ranked = [...c.countries.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 1) return ranked[0]![0];
  return ranked[0]![1] >= DOMINANCE * ranked[1]![1] ? ranked[0]![0] : null;
}

/** Candidates named by one comma-separated part, or null when it names no known place. */
function candidatesOfPart(part: string, index: number): PlaceCandidates[] | null {
  const folded = foldName(part);
  if (!folded) return [];
  // "Austin, TX": a two-letter part after the first is a US state code or a country code
  if (index > 0 && /^[a-z]{2}$/.test(folded)) {
    const state = GAZETTEER.names.get(`state:${folded}`);
    const country = GAZETTEER.names.get(folded);
    const merged: PlaceCandidates = { level: "region", countries: new Map() };
    for (const c of [state, country]) if (c) for (const [k, v] of c.countries) merged.countries.set(k, v);
    if (merged.countries.size) return [merged];
  }
  const whole = GAZETTEER.names.get(folded);
  if (whole) return [AMBIGUOUS.has(folded) ? { ...whole, ambiguous: true } : whole];
  // free text: longest known names, left to right; every other word must be filler
  const words = folded.split(/[\s\-–—]+/).filter(Boolean);
  const found: PlaceCandidates[] = [];
  let unknown = 0;
  for (let i = 0; i < words.length; ) {
    let matched = 0;
    for (let n = Math.min(GAZETTEER.maxWords, words.length - i); n >= 1; n--) {
      const hit = GAZETTEER.names.get(words.slice(i, i + n).join(" "));
      const phrase = words.slice(i, i + n).join(" ");
      if (hit && (n > 1 || !/^[a-z]{1,2}$/.test(phrase)) && (n > 1 || hit.level !== "city" || words.length <= 3)) {
        found.push(AMBIGUOUS.has(phrase) ? { ...hit, ambiguous: true } : hit);
        matched = n;
        break;
      }
    }
    if (matched) i += matched;
    else {
      if (!FILLER.has(words[i]!)) unknown++;
      i++;
    }
  }
  if (!found.length) return null;
  return unknown > found.length + 1 ? null : found;
}

function resolve(raw: string): string | null {
  const flags = new Set<string>();
  for (const m of raw.matchAll(FLAG)) flags.add(flagCode(m[1]!, m[2]!));
  const text = raw.replace(FLAG, " ").replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu, " ");
  const parts = text.split(/\s*(?:[,;|/·•()\[\]]|\s&\s|\s+-\s+|\s+\bx\b\s+)\s*/u).filter((p) => foldName(p));
  const all: PlaceCandidates[] = [];
  for (const [i, p] of parts.entries()) {
    const c = candidatesOfPart(p, i);
    if (c === null) continue; // unknown words ("Web3", "Metaverse") neither add nor veto
    all.push(...c);
  }
  if (flags.size > 1) return null;
  const flag = flags.size === 1 ? [...flags][0]! : null;
  if (!all.length) return flag;
  let common = new Set<string>(all[0]!.countries.keys());
  for (const c of all.slice(1)) common = new Set([...common].filter((k: string) => c.countries.has(k)));
  if (flag) return common.has(flag) ? flag : null;
  if (all.every((c) => c.ambiguous)) return null;
  if (common.size === 0) {
    // "Paris, Texas", "Lagos, Portugal": the last country- or state-level part is authoritative
    const general = all.filter((c) => c.level !== "city");
    if (general.length === 0 || general.length === all.length) return null;
    let agreed = new Set<string>(general[0]!.countries.keys());
    for (const c of general.slice(1)) agreed = new Set([...agreed].filter((k: string) => c.countries.has(k)));
    return agreed.size === 1 ? [...agreed][0]! : null;
  }
  if (common.size === 1) return [...common][0]!;
  // several countries fit every part: answer only if each part's dominant reading agrees
  const picks = new Set(all.map(dominant));
  if (picks.size === 1) {
    const pick = [...picks][0];
    return pick && common.has(pick) ? pick : null;
  }
  return null;
}

/**
 * @example normaliseLocation("Austin, TX") // "US"
 * @example normaliseLocation("Metaverse") // null
 */
export function normaliseLocation(raw: string | null): string | null {
  if (raw === null || raw === undefined) return null;
  const key = raw.trim();
  if (!key) return null;
  const cached = CACHE.get(key);
  if (cached !== undefined) return cached;
  const answer = resolve(key);
  if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
  CACHE.set(key, answer);
  return answer;
}
