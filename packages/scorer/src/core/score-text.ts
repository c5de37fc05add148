/**
 * Sentiment of one text: a label and a score in [-1, 1], by lexicon and rules (see README):
 * phrases before words, negation scope, intensifiers/diminishers, all-caps, contrast, questions,
 * exclamation, emoji/emoticons, signed percentages, elongated words.
 */
import type { SentimentLabel } from "@defi-sentiment/shared";
import { BULL_SIDE, CONTRASTS, COUNTERPARTIES, CRYPTO_WORDS, INTENSIFIERS, NEGATORS, PRAISE, TRADER_PAIN } from "./domain-lexicon.ts";
import { EMOJI_VALENCE, EMOTICON_VALENCE } from "./emoji-lexicon.ts";
import { buildSentimentLexicon } from "./sentiment-lexicon.ts";
import { isLowerAscii } from "./ascii.ts";
import { addRun, beginRuns } from "./word-runs.ts";
import { LOWERED_HASH_SEED, LoweredWords, StringTable, loweredHash, loweredHashEnd, loweredHashStep } from "./string-table.ts";

export interface TextSentiment {
  label: SentimentLabel;
  score: number;
}

const LEXICON = buildSentimentLexicon();
// Maps, not object lookups: a post saying "constructor" or "toString" must not hit Object.prototype
const INTENSITY = new Map(Object.entries(INTENSIFIERS));
const EMOJI = new Map(Object.entries(EMOJI_VALENCE));
/**
 * Each emoji of EMOJI by its code point. Every one is a single Extended_Pictographic code point and no
 * letter, so TOKEN's match where one stands is that code point: no regex needs to say so.
 */
const EMOJI_AT = new Map([...EMOJI].map(([e, v]) => [e.codePointAt(0)!, { text: e, valence: v }] as const));
const EMOTICON = new Map(Object.entries(EMOTICON_VALENCE));

// keys are lower-case; ":D" and ":P" are written in capitals at least as often
const EMOTICON_SOURCE_LIST = [...new Set(Object.keys(EMOTICON_VALENCE).flatMap((e) => [e, e.toUpperCase()]))];
const EMOTICON_SOURCE = [...EMOTICON_SOURCE_LIST]
  .sort((a, b) => b.length - a.length)
  .map((e) => e.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
  .join("|");

// One pass; group order = token kind.
// One pass, no capture groups (each match allocates less); a token's kind is read from its first
// character. Words come early (most tokens are words), so the costlier emoticon and emoji
// alternatives are only tried at punctuation and symbols.
export const TOKEN = new RegExp(
  [
    "https?:\\/\\/\\S+|www\\.\\S+", // url
    "\\p{L}[\\p{L}\\p{M}'’]*", // word
    "\\$[A-Za-z][A-Za-z0-9]*(?:\\.[A-Za-z]+)?", // cashtag
    "@\\w+", // mention
    "#\\w+", // hashtag
    `(?:${EMOTICON_SOURCE})(?![\\p{L}\\p{N}])`, // emoticon
    "[+\\-−]\\s?\\d+(?:[.,]\\d+)?\\s?%", // signed percentage
    "\\$?\\d+(?:[.,]\\d+)*(?:[kK](?![\\p{L}\\p{N}]))?(?![\\p{L}\\p{N}%])", // price level ("1300", "$2.5k")
    "\\p{Extended_Pictographic}", // emoji
    "[!?]+|[.;:,]+", // punctuation
    '["“”«»]', // quotation mark
  ].join("|"),
  "gu",
);
/**
 * TOKEN anchored at lastIndex. Inside a surrogate pair V8 matches from the pair's start; tokenize
 * reaches a pair's second half only after nothing matched at its first, so it then fails again.
 */
const TOKEN_AT = new RegExp(TOKEN.source, "uy");
const STARTS_WITH_LETTER = /^\p{L}/u;
const CURLY_APOSTROPHE = /’/g;

/**
 * ASCII fast path of TOKEN: most tokens are ASCII words, tags and punctuation, which a char-code
 * scan delimits without a regex exec and its match array. tokenEndAt(text, i) is where the token
 * TOKEN would match at i ends, NO_TOKEN if no alternative of TOKEN matches at i, or ASK_REGEX
 * wherever that is not certain (non-ASCII, digits, urls, possible emoticons and signed
 * percentages): then TOKEN itself runs from i, so the token stream is exactly TOKEN's.
 */
export const NO_TOKEN = -1;
export const ASK_REGEX = -2;

/** What an ASCII char can start, per char code. */
const enum Starts {
  Nothing,
  Word,
  Cashtag,
  Tag, // @mention, #hashtag
  Bang, // [!?]+
  Punct, // [.;:,]+ (":" and ";" may also start an emoticon)
  Sign, // + or -: a signed percentage (or "-_-")
  Quote,
  Emoticon, // chars that start only emoticons
  Ask, // digits: a price level or not, TOKEN decides
}
const STARTS = new Uint8Array(128);
for (let c = 65; c <= 90; c++) STARTS[c] = STARTS[c + 32] = Starts.Word;
for (let c = 48; c <= 57; c++) STARTS[c] = Starts.Ask;
STARTS[36] = Starts.Cashtag;
STARTS[64] = STARTS[35] = Starts.Tag;
STARTS[33] = STARTS[63] = Starts.Bang;
for (const c of ".;:,") STARTS[c.charCodeAt(0)] = Starts.Punct;
STARTS[43] = STARTS[45] = Starts.Sign;
STARTS[34] = Starts.Quote;
/** Emoticon (first, second) char pairs, from the list TOKEN is built from; only such a pair makes TOKEN decide. */
const EMOTICON_PAIR = new Uint8Array(128 * 128);
for (const e of EMOTICON_SOURCE_LIST) {
  const [c, d] = [e.charCodeAt(0), e.charCodeAt(1)];
  EMOTICON_PAIR[c * 128 + d] = 1;
  if (STARTS[c] === Starts.Nothing) STARTS[c] = Starts.Emoticon;
}

const isAsciiLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isDigit = (c: number) => c >= 48 && c <= 57;
/** `\w` of TOKEN (no /i flag, so ASCII only). */
const isWordChar = (c: number) => isAsciiLetter(c) || isDigit(c) || c === 95;

/**
 * plainWordHash of the word tokenEndAt last delimited (when it returned its end, not ASK_REGEX),
 * hashed in the same scan: the tokenizer need not read the word's chars again.
 */
let scannedWordHash = -1;
/** That word's hash state before loweredHashEnd, and whether it is ASCII letters only (no ' or ’): a run for word-runs.ts. */
let scannedRun = 0;
let scannedRunOk = false;
/** plainWordHash of the word the last tokenEndAt call delimited. Exported for its test. */
export const lastWordHash = () => scannedWordHash;

/** Exported for its test: wherever it decides, it must decide as TOKEN does. */
export function tokenEndAt(text: string, i: number, c: number): number {
  if (c >= 128) return ASK_REGEX;
  const next = text.charCodeAt(i + 1); // NaN past the end: every test below is false
  let j = i + 1;
  switch (STARTS[c]) {
    case Starts.Nothing:
      return NO_TOKEN;
    case Starts.Word: {
      if ((c === 104 /* h */ && text.startsWith("http", i)) || (c === 119 /* w */ && text.startsWith("www.", i))) return ASK_REGEX;
      // plainWordHash alongside: letters and ' lower by | 32, a char beyond ASCII or a letter thrice makes it -1
      let h = loweredHashStep(LOWERED_HASH_SEED, c);
      let last = c | 32;
      let beforeLast = -1;
      let plain = true;
      let lettersOnly = true;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (isAsciiLetter(d) || d === 39 /* ' */) {
          if (d === 39) lettersOnly = false;
          const lower = d | 32;
          if (lower === last && lower === beforeLast) plain = false;
          beforeLast = last;
          last = lower;
          h = loweredHashStep(h, d);
          continue;
        }
        if (d === 0x2019 /* ’ */) {
          plain = false;
          lettersOnly = false;
          continue;
        }
        if (d >= 128) return ASK_REGEX; // a letter or mark beyond ASCII would continue the word
        break;
      }
      scannedWordHash = plain ? loweredHashEnd(h) : -1;
      scannedRun = h;
      scannedRunOk = lettersOnly;
      return j;
    }
    case Starts.Cashtag:
      if (isDigit(next)) return ASK_REGEX; // a price level
      if (!isAsciiLetter(next)) return NO_TOKEN;
      j = i + 2;
      while (isAsciiLetter(text.charCodeAt(j)) || isDigit(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === 46 /* . */ && isAsciiLetter(text.charCodeAt(j + 1))) {
        j += 2;
        while (isAsciiLetter(text.charCodeAt(j))) j++;
      }
      return j;
    case Starts.Tag:
      while (isWordChar(text.charCodeAt(j))) j++;
      return j > i + 1 ? j : NO_TOKEN;
    case Starts.Bang:
      while (text.charCodeAt(j) === 33 || text.charCodeAt(j) === 63) j++;
      return j;
    case Starts.Punct:
      if (next < 128 && EMOTICON_PAIR[c * 128 + next]) return ASK_REGEX;
      while (STARTS[text.charCodeAt(j)] === Starts.Punct) j++;
      return j;
    case Starts.Sign:
      // a signed percentage needs a digit, maybe after one (possibly non-ASCII) space
      if (next > 32 && next < 127 && !isDigit(next) && !EMOTICON_PAIR[c * 128 + next]) return NO_TOKEN;
      return j < text.length ? ASK_REGEX : NO_TOKEN;
    case Starts.Quote:
      return j;
    case Starts.Emoticon:
      return next < 128 && EMOTICON_PAIR[c * 128 + next] ? ASK_REGEX : NO_TOKEN;
    default:
      return ASK_REGEX;
  }
}

const NEGATION_SCOPE = 3;
const CAPS_BOOST = 1.4;
const CONTRAST_BEFORE = 0.5;
const CONTRAST_AFTER = 1.5;
const QUESTION_DAMP = 0.55;
const QUOTED = 0.3;
/**
 * Scare quotes around one to three words in a crypto post ('the “dip”', '“investments”', 'funds are
 * “safu”') hold the believers' words at arm's length: mostly skeptics writing, so a small bearish lean.
 */
const SCARE_QUOTE = -1;
/** "Knicks vs Heat tonight!": an exclamation with no sentiment word is mostly excitement, weakly positive. */
const EXCLAIMED = 0.3;
/** Crypto talk leans bullish (self-tagged crypto posts are ~2:1 bullish); a small prior, not a verdict. */
const CRYPTO_LEAN = 0.25;
/** Cashtag-led crypto posts ("$A $B $C moon") are mostly promotion: a further small bullish prior. */
const CASHTAG_SPAM_LEAN = 0.3;
/**
 * Laughter in crypto talk ("lol", "lmao", 😂, 🤣) mostly mocks the other side ("500 incoming 🤣",
 * "still above 1000? haha"), so there it counts slightly bearish instead of as joy.
 */
const MOCKING_LAUGH = -0.5;
const TRIPLED = /(.)\1{2,}/g;
const HAHA = /^(?:ha){2,}h?$/;
const LAUGHTER = new Set(["lol", "lool", "lmao", "lmfao", "rofl", "rotfl", "rotflmao", "haha", "hahaha", "hehe", "xd", "😂", "🤣"]);
function isLaughter(w: string): boolean {
  if (LAUGHTER.has(w)) return true;
  if (hasTripleLetter(w)) return LAUGHTER.has(w.replace(TRIPLED, "$1$1")) || LAUGHTER.has(w.replace(TRIPLED, "$1"));
  return HAHA.test(w);
}
/** The writer's own buying in a crypto post ("adding here", "I buy") outweighs the dip talk around it. */
const ACCUMULATING = new Set(["buy", "buying", "bought", "adding", "accumulate", "accumulating", "accumulated", "reload", "reloading", "loading", "hodl", "hodling", "holding", "dca"]);
const ACCUMULATE_BONUS = 1;
/**
 * Naming a side in crypto talk: on a ticker board the side that is named is the side being taunted
 * ("bears still waiting for 500", "hey bulls, how is that bag"), so "bears"/"shorts" read bullish
 * and "bulls" bearish, whatever the words' general valence.
 */
const NAMED_SIDE = 1;
/** word → the valence of naming it in crypto talk: +1 for the bear side, -1 for the bull side. */
const SIDE = new Map<string, number>([...[...COUNTERPARTIES].map((w) => [w, NAMED_SIDE] as const), ...[...BULL_SIDE].map((w) => [w, -NAMED_SIDE] as const)]);
/** Scores inside ±NEUTRAL_BAND are neutral: a small band, since most posts carry some lean. */
export const NEUTRAL_BAND = 0.05;

function hasTripleLetter(word: string): boolean {
  for (let i = 2; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c === word.charCodeAt(i - 1) && c === word.charCodeAt(i - 2)) return true;
  }
  return false;
}

/**
 * "soooo", "ZEROOOO", "TRAPPPP": an elongated word becomes the folded form the lexicon or a phrase
 * knows ("zero" so that "going to zerooo" still matches "going to zero"), else stays as written.
 */
function foldElongated(word: string): string {
  const two = word.replace(TRIPLED, "$1$1");
  if (knownFold(two)) return two;
  const one = word.replace(TRIPLED, "$1");
  return knownFold(one) ? one : word;
}
// "noooo" is a cry, not a negation
const knownFold = (w: string) => LEXICON.words.has(w) || (LEXICON.phraseWords.has(w) && !NEGATORS.has(w));

/** What the word lists say about one word, gathered so scoring looks each word up once. */
interface WordInfo {
  crypto: boolean;
  contrast: boolean;
  negator: boolean;
  side: number | undefined;
  phrases: { words: string[]; valence: number }[] | undefined;
  intensity: number | undefined;
  valence: number | undefined;
  /** isLaughter of the word, worked out once here instead of per post. */
  laughter: boolean;
  /** ACCUMULATING.has of the word. */
  accumulating: boolean;
}
const WORD_INFO = new Map<string, WordInfo>();
function infoOf(w: string): WordInfo {
  let info = WORD_INFO.get(w);
  if (!info) {
    info = { crypto: false, contrast: false, negator: false, side: undefined, phrases: undefined, intensity: undefined, valence: undefined, laughter: false, accumulating: false };
    WORD_INFO.set(w, info);
  }
  return info;
}
for (const w of CRYPTO_WORDS) infoOf(w).crypto = true;
for (const w of CONTRASTS) infoOf(w).contrast = true;
for (const w of NEGATORS) infoOf(w).negator = true;
for (const [w, side] of SIDE) infoOf(w).side = side;
for (const [w, list] of LEXICON.phrases) infoOf(w).phrases = list;
for (const [w, intensity] of INTENSITY) infoOf(w).intensity = intensity;
for (const [w, valence] of LEXICON.words) infoOf(w).valence = valence;
// an entry with no other fact scores as an unknown word does
for (const w of ACCUMULATING) infoOf(w).accumulating = true;
for (const [w, info] of WORD_INFO) info.laughter = isLaughter(w);
/** WORD_INFO for the tokenizer, which looks words up where they stand in the text (see StringTable). */
const WORDS = new StringTable(WORD_INFO);
const UNKNOWN_WORDS = new LoweredWords();

const enum Kind {
  Word,
  Valence,
  Punct,
  Quote,
  Other,
}
/** A token's end when it has none (a hashtag word). */
const NO_END = -1;

/**
 * The tokens of the text last tokenized, one column per field, reused from text to text: an object
 * per token cost more in allocation and GC than the scoring that reads it. Token i is kinds[i] …
 * infos[i], for i < tokenCount.
 */
let tokenCount = 0;
let kinds = new Uint8Array(64);
/**
 * The word as the word lists spell it, or undefined for a plain ASCII word they do not know: that one
 * is lowered only when a rule reads it (textAt), and most never are. For other tokens their text (a
 * cashtag's is "$").
 */
const texts: (string | undefined)[] = new Array<string | undefined>(64).fill(undefined);
/** An unknown plain word's lowered hash, for textAt. */
let wordHashes = new Int32Array(64);
/** The text the offsets refer to. */
let tokenizedText = "";
/** Each token's sentence number, so a counterparty only affects its own sentence. */
let sentenceOf = new Int32Array(64);
/** What the scoring rules need to know of all tokens before they read the first, gathered as tokens are added. */
let sentenceNow = 0;
let firstQuote = -1;
/** Tokens that name the bear side ("bears", "shorts"), and whether the bull side is named. */
let counterpartyAt = new Int32Array(16);
let counterparties = 0;
let bullsNamed = false;
/** Where the word is written in the (entity-decoded) text, as written (a hashtag without its #): read for case, not sliced. */
let froms = new Int32Array(64);
let tos = new Int32Array(64);
/** Offset just after a word in the (entity-decoded) text, NO_END for a hashtag. */
let ends = new Int32Array(64);
let valences = new Float64Array(64);
/** Word tokens: what the word lists know of the word. */
const infos: (WordInfo | undefined)[] = new Array<WordInfo | undefined>(64).fill(undefined);

function grown<T extends Uint8Array | Int32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

function pushToken(kind: Kind, text: string | undefined, from: number, to: number, end: number, valence: number, info: WordInfo | undefined): number {
  const i = tokenCount++;
  if (i === kinds.length) {
    kinds = grown(kinds);
    wordHashes = grown(wordHashes);
    sentenceOf = grown(sentenceOf);
    froms = grown(froms);
    tos = grown(tos);
    ends = grown(ends);
    valences = grown(valences);
  }
  kinds[i] = kind;
  texts[i] = text;
  froms[i] = from;
  tos[i] = to;
  ends[i] = end;
  valences[i] = valence;
  infos[i] = info;
  sentenceOf[i] = sentenceNow;
  if (kind === Kind.Punct) {
    if (endsSentence(text!, false)) sentenceNow++;
  } else if (kind === Kind.Quote) {
    if (firstQuote < 0) firstQuote = i;
  } else if (info?.side !== undefined) {
    if (info.side > 0) {
      if (counterparties === counterpartyAt.length) counterpartyAt = grown(counterpartyAt);
      counterpartyAt[counterparties++] = i;
    } else bullsNamed = true;
  }
  return i;
}

/** Token i's text (lowering an unknown plain word now, see texts). */
function textAt(i: number): string {
  const t = texts[i];
  return t !== undefined ? t : (texts[i] = UNKNOWN_WORDS.lowered(tokenizedText, froms[i]!, tos[i]!, wordHashes[i]!));
}

/** Whether token i's text is `w` (a lower-case word); an unknown plain word is compared in place, not lowered. */
function wordIs(i: number, w: string): boolean {
  const t = texts[i];
  if (t !== undefined) return t === w;
  const from = froms[i]!;
  if (tos[i]! - from !== w.length) return false;
  for (let k = 0; k < w.length; k++) {
    const c = tokenizedText.charCodeAt(from + k);
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== w.charCodeAt(k)) return false;
  }
  return true;
}

/** Whether the lowered word text[from, to) ends in "n't" (an ASCII range). */
function endsInNt(text: string, from: number, to: number): boolean {
  const t = text.charCodeAt(to - 1);
  const n = text.charCodeAt(to - 3);
  return to - from >= 3 && (t === 116 || t === 84) && text.charCodeAt(to - 2) === 39 && (n === 110 || n === 78);
}

/** One-char strings of ASCII punctuation, so a one-char punctuation token needs no slice. */
const ASCII_CHAR = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));

const ENTITY = /&(amp|lt|gt|quot|#39|#x27);/g;
const ENTITY_CHAR: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" };

/** Crypto tickers whose cashtag alone marks crypto talk (StockTwits marks crypto as `$XXX.X`). */
const CRYPTO_TICKER_LIST = [
  "BTC", "ETH", "SOL", "DOGE", "SHIB", "XRP", "ADA", "AVAX", "DOT", "LINK", "MATIC", "POL", "ARB", "OP", "UNI", "AAVE",
  "CRV", "LDO", "MKR", "SKY", "COMP", "PENDLE", "EIGEN", "GMX", "DYDX", "JUP", "RAY", "MORPHO", "ENA", "USDE", "USDT",
  "USDC", "DAI", "BNB", "TRX", "TON", "SUI", "APT", "PEPE", "BONK", "WIF", "LTC", "ATOM", "NEAR", "FTM", "INJ", "TIA",
  "SEI", "STX", "RUNE", "SNX", "CVX", "BAL", "SUSHI", "YFI", "1INCH", "APE", "MANA", "SAND", "HYPE", "ONDO", "ETHFI",
];
/** Lowered, so a cashtag is looked up in place (getLowered) without slicing and upper-casing it. */
const CRYPTO_TICKERS = new StringTable(CRYPTO_TICKER_LIST.map((t) => [t.toLowerCase(), true] as const));

/** Price levels named in a post ("1300 then 1400", "$2k"): number, and the word just before it. */
interface Level {
  value: number;
  after: string;
}

const THOUSANDS = /[.,]\d{3}(?!\d)/;
const DECIMALS = /[.,]\d{1,2}$/;
const SEPARATORS = /[.,]/g;

function levelValue(raw: string): number {
  let s = raw.startsWith("$") ? raw.slice(1) : raw;
  let scale = 1;
  if (s.endsWith("k") || s.endsWith("K")) {
    scale = 1000;
    s = s.slice(0, -1);
  }
  // "1,300" and "1.300" are thousands separators when 3 digits follow; otherwise a decimal point
  s = THOUSANDS.test(s) && !DECIMALS.test(s) ? s.replace(SEPARATORS, "") : s.replace(",", ".");
  return Number.parseFloat(s) * scale;
}

/**
 * The string tables' lowered hash of text[start, end) when that word is all ASCII (no ’ to replace)
 * and has no letter three times in a row in any case (nothing to fold): then normalisedWord is
 * lowering, and a known word's table key is the lowered word. Else -1. One pass. Exported for its test.
 */
export function plainWordHash(text: string, start: number, end: number): number {
  let h = LOWERED_HASH_SEED;
  let last = -1;
  let beforeLast = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) return -1;
    const lower = c >= 65 && c <= 90 ? c + 32 : c;
    if (lower === last && lower === beforeLast) return -1;
    beforeLast = last;
    last = lower;
    h = loweredHashStep(h, c);
  }
  return loweredHashEnd(h);
}

/** A word as the word lists spell it: lowered, ’ read as ', elongation folded. Exported for its test. */
export function normalisedWord(raw: string): string {
  const lowered = isLowerAscii(raw) ? raw : raw.toLowerCase();
  const w = lowered.includes("’") ? lowered.replace(CURLY_APOSTROPHE, "'") : lowered;
  return hasTripleLetter(w) ? foldElongated(w) : w;
}

const NO_LEVELS: readonly Level[] = [];

/** What tokenize found besides the tokens; read right after it. */
let levelsFound: Level[] | undefined;
let cashtagsFound = 0;
let wordsFound = 0;
let cryptoFound = false;

/** Fills the token columns from `input`; returns the entity-decoded text the offsets refer to. */
function tokenize(input: string): string {
  const text = input.includes("&") ? input.replace(ENTITY, (_, e: string) => ENTITY_CHAR[e] ?? "") : input;
  tokenCount = 0;
  tokenizedText = text;
  sentenceNow = 0;
  firstQuote = -1;
  counterparties = 0;
  bullsNamed = false;
  beginRuns(text);
  let levels: Level[] | undefined; // most posts name no number
  let cashtags = 0;
  let words = 0;
  let crypto = false;
  const n = text.length;
  let pos = 0;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    // most positions that start no token are spaces
    if (c === 32) {
      pos++;
      continue;
    }
    if (c >= 128) {
      const emoji = EMOJI_AT.get(text.codePointAt(pos)!);
      if (emoji !== undefined) {
        pushToken(Kind.Valence, emoji.text, pos, pos + emoji.text.length, NO_END, emoji.valence, undefined);
        pos += emoji.text.length;
        continue;
      }
    }
    let end = tokenEndAt(text, pos, c);
    if (end === NO_TOKEN) {
      pos++;
      continue;
    }
    const asked = end === ASK_REGEX;
    if (asked) {
      // anchored test, no match array; where nothing matches, the next position is asked in turn
      TOKEN_AT.lastIndex = pos;
      if (!TOKEN_AT.test(text)) {
        pos++;
        continue;
      }
      end = TOKEN_AT.lastIndex;
    }
    const start = pos;
    pos = end;
    if (c === 64 /* @ */) continue; // mentions carry no sentiment
    // punctuation runs the fast path delimited are no emoticon (scorer-shortcuts.test.ts checks the list)
    if (!asked && (STARTS[c] === Starts.Bang || STARTS[c] === Starts.Punct)) {
      pushToken(Kind.Punct, end - start === 1 ? ASCII_CHAR[c]! : text.slice(start, end), start, end, NO_END, 0, undefined);
      continue;
    }
    // the fast path asks TOKEN at every "http" and "www.", so only an asked token can be a url
    if (asked && (c === 104 /* h */ || c === 119 /* w */) && isUrlAt(text, start, end)) continue;
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c > 127 && STARTS_WITH_LETTER.test(text.slice(start, end)))) {
      words++;
      let w: string;
      let info: WordInfo | undefined;
      const hash = asked || c > 127 ? plainWordHash(text, start, end) : scannedWordHash;
      if (!asked && c < 128 && scannedRunOk) addRun(start, end, scannedRun);
      if (hash >= 0) {
        // what follows reduces to lowering: a known word's table key is the lowered word, and no slice is needed
        const slot = WORDS.slotOfLoweredHashed(text, start, end, hash);
        if (slot >= 0) {
          w = WORDS.keyAt(slot);
          info = WORDS.valueAt(slot);
        } else {
          wordHashes[pushToken(Kind.Word, undefined, start, end, end, 0, undefined)] = hash;
          continue;
        }
      } else {
        w = normalisedWord(text.slice(start, end));
        info = WORDS.get(w);
      }
      if (!crypto && info?.crypto) crypto = true;
      pushToken(Kind.Word, w, start, end, end, 0, info);
      continue;
    }
    if ((c >= 48 && c <= 57) || (c === 36 && isDigit(text.charCodeAt(start + 1)))) {
      const prev = tokenCount - 1;
      (levels ??= []).push({ value: levelValue(text.slice(start, end)), after: prev >= 0 && kinds[prev] === Kind.Word ? textAt(prev) : "" });
    } else if (c === 36 /* $ */) {
      cashtags++;
      // a cashtag is ASCII: upper-cased it is a ticker when lowered it is a lowered one
      if (!crypto) crypto = (text.charCodeAt(end - 2) === 46 && (text.charCodeAt(end - 1) | 32) === 120) || CRYPTO_TICKERS.getLowered(text, start + 1, end) !== undefined;
      // scoring reads a cashtag's text only to see it is no word ("my", a praise), so it is not sliced
      pushToken(Kind.Other, "$", start, end, NO_END, 0, undefined);
    } else if (c === 35 /* # */) {
      // a hashtag is ASCII (#\w+): looked up lowered in place
      const hash = loweredHash(text, start + 1, end);
      const slot = WORDS.slotOfLoweredHashed(text, start + 1, end, hash);
      if (slot >= 0) pushToken(Kind.Word, WORDS.keyAt(slot), start + 1, end, NO_END, 0, WORDS.valueAt(slot));
      else wordHashes[pushToken(Kind.Word, undefined, start + 1, end, NO_END, 0, undefined)] = hash;
    } else {
      const raw = end - start === 1 && c < 128 ? ASCII_CHAR[c]! : text.slice(start, end);
      let emoticon: number | undefined;
      if (c < 128 && (emoticon = EMOTICON.get(isLowerAscii(raw) ? raw : raw.toLowerCase())) !== undefined) {
        // every emoticon starts with an ASCII symbol, which no char beyond ASCII lowers to (emoji need no lowering)
        pushToken(Kind.Valence, raw, start, end, NO_END, emoticon, undefined);
      } else if (raw.endsWith("%") && (c === 43 || c === 45 || c === 0x2212)) {
        pushToken(Kind.Valence, raw, start, end, NO_END, c === 43 ? 1.5 : -1.5, undefined);
      } else if (c === 33 || c === 63 || c === 46 || c === 59 || c === 58 || c === 44) {
        pushToken(Kind.Punct, raw, start, end, NO_END, 0, undefined);
      } else if (raw === '"' || raw === "“" || raw === "”" || raw === "«" || raw === "»") {
        pushToken(Kind.Quote, raw, start, end, NO_END, 0, undefined);
      } else {
        const v = EMOJI.get(raw);
        if (v !== undefined) pushToken(Kind.Valence, raw, start, end, NO_END, v, undefined);
      }
    }
  }
  levelsFound = levels;
  cashtagsFound = cashtags;
  wordsFound = words;
  cryptoFound = crypto;
  return text;
}

const TITLE = /^\p{Lu}\p{Ll}/u;
/** `TITLE.test(text.slice(from, to))`, decided by char codes when the first two chars are ASCII. Exported for its test. */
export function isTitle(text: string, from: number, to: number): boolean {
  const a = text.charCodeAt(from);
  const b = to - from > 1 ? text.charCodeAt(from + 1) : NaN; // one char: the regex decides
  if (a < 128 && b < 128) return a >= 65 && a <= 90 && b >= 97 && b <= 122;
  return TITLE.test(text.slice(from, to));
}
const NAME_PART = 0.4;
const isTitleWord = (i: number, text: string) => i >= 0 && i < tokenCount && kinds[i] === Kind.Word && isTitle(text, froms[i]!, tos[i]!);
function isNamePart(i: number, text: string): boolean {
  if (!isTitle(text, froms[i]!, tos[i]!)) return false;
  const atStart = i === 0 || kinds[i - 1] === Kind.Punct || kinds[i - 1] === Kind.Quote;
  const prevTitle = isTitleWord(i - 1, text);
  const nextTitle = isTitleWord(i + 1, text);
  return atStart ? nextTitle && isTitleWord(i + 2, text) : prevTitle || nextTitle;
}

const HAS_LOWER = /\p{Ll}/u;
/** `to - from >= 3 && !HAS_LOWER.test(text.slice(from, to))`; the regex runs only on words beyond ASCII. Exported for its test. */
export function isShouting(text: string, from: number, to: number): boolean {
  if (to - from < 3) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
    if (c >= 128) return !HAS_LOWER.test(text.slice(from, to));
  }
  return true;
}

/** The tokenizer's url test of a token, read in place: "www.", or http with "://". Exported for its test. */
export function isUrlAt(text: string, start: number, end: number): boolean {
  if (end - start < 4) return false;
  if (text.startsWith("www.", start)) return true;
  if (!text.startsWith("http", start)) return false;
  const k = text.indexOf("://", start);
  return k !== -1 && k + 3 <= end;
}

/** Title Case Headlines capitalise every word, so capitals say nothing about names there. */
function isHeadline(words: number, text: string): boolean {
  let title = 0;
  for (let i = 0; i < tokenCount; i++) if (kinds[i] === Kind.Word && isTitle(text, froms[i]!, tos[i]!)) title++;
  return words > 0 && title / words > 0.6;
}

/** A post mostly in capitals shouts throughout, so single capitalised words are not emphasis. */
function isMostlyCaps(words: number, text: string): boolean {
  let capsWords = 0;
  for (let i = 0; i < tokenCount; i++) if (kinds[i] === Kind.Word && isShouting(text, froms[i]!, tos[i]!)) capsWords++;
  return words > 0 && capsWords / words > 0.6;
}

// regexes hoisted: a regex literal in a function body is a new RegExp object each time it runs
const NUMBER_AHEAD = /^\s*\$?\d/;
const MOVE_AHEAD = /^\s*[$+\-]?\d/;
/** A punctuation run holding . ! or ? (and ; when `semicolon`): a char loop, the runs are short. */
function endsSentence(punct: string, semicolon: boolean): boolean {
  for (let i = 0; i < punct.length; i++) {
    const c = punct.charCodeAt(i);
    if (c === 46 || c === 33 || c === 63 || (semicolon && c === 59)) return true;
  }
  return false;
}

/** "is over", "are done" at token i: the thing just named has ended ("highs are over 20x" has not). */
function isOver(i: number, text: string): boolean {
  if (i >= tokenCount || kinds[i] !== Kind.Word) return false;
  if (!(wordIs(i, "is") || wordIs(i, "are") || wordIs(i, "was"))) return false;
  if (i + 1 >= tokenCount || kinds[i + 1] !== Kind.Word) return false;
  if (!(wordIs(i + 1, "over") || wordIs(i + 1, "done") || wordIs(i + 1, "finished"))) return false;
  const end = ends[i + 1]!;
  return end === NO_END || !NUMBER_AHEAD.test(text.slice(end, end + 4));
}

/** Per-token scratch arrays, reused across texts: allocating typed arrays per post costs more than scoring short ones. */
let scratchArrays = { quotedAt: new Uint8Array(64), contributions: new Float64Array(64) };
function scratch(tokens: number): typeof scratchArrays {
  if (scratchArrays.quotedAt.length < tokens) scratchArrays = { quotedAt: new Uint8Array(tokens * 2), contributions: new Float64Array(tokens * 2) };
  return scratchArrays;
}

/** Raw (unbounded) valence sum of a text; exported for evaluation of the continuous score. */
export function rawValence(text: string): number {
  const decoded = tokenize(text);
  const count = tokenCount;
  if (count === 0) return 0;
  const crypto = cryptoFound;
  const words = wordsFound;
  const { quotedAt, contributions } = scratch(count);
  // laughter in a crypto post mocks the other side: the bears when they are named (and bulls are not)
  const laugh = counterparties > 0 && !bullsNamed ? -MOCKING_LAUGH : MOCKING_LAUGH;
  const namesSide = crypto && (counterparties > 0 || bullsNamed);
  // short quoted spans (≤ 8 tokens) are reported or mocked speech; long ones are the post itself
  const quoted = firstQuote >= 0; // quotedAt is read only then
  if (quoted) quotedAt.fill(0, 0, count);
  let scareQuotes = 0;
  for (let i = quoted ? firstQuote : count; i < count; i++) {
    if (kinds[i] !== Kind.Quote) continue;
    let j = i + 1;
    while (j < count && kinds[j] !== Kind.Quote) j++;
    if (j < count && j - i <= 9 && i > 0) {
      quotedAt.fill(1, i + 1, j);
      if (crypto && j - i <= 4 && j > i + 1) scareQuotes++;
    }
    i = j;
  }
  let headline: boolean | undefined;
  let mostlyCaps: boolean | undefined;

  // at most one contribution per token
  let contributed = 0;
  let sentenceStart = 0;
  let negationLeft = 0;
  let multiplier = 1;
  let exclamations = 0;
  let lastWordAt = -2; // token index of the word behind the last contribution
  for (let i = 0; i < count; i++) {
    const kind = kinds[i]!;
    if (kind === Kind.Punct) {
      const punct = textAt(i);
      negationLeft = 0;
      multiplier = 1;
      if (punct.length === 1) {
        // most punctuation is one char: the tests below, by char code
        const p = punct.charCodeAt(0);
        if (p === 63 /* ? */) for (let k = sentenceStart; k < contributed; k++) contributions[k]! *= QUESTION_DAMP;
        else if (p === 33 /* ! */) exclamations++;
        if (p === 63 || p === 33 || p === 46 || p === 59) sentenceStart = contributed;
        continue;
      }
      if (punct.includes("?") && !punct.includes("!")) {
        for (let k = sentenceStart; k < contributed; k++) contributions[k]! *= QUESTION_DAMP;
      }
      if (punct.includes("!")) exclamations += punct.length;
      if (endsSentence(punct, true)) sentenceStart = contributed;
      continue;
    }
    if (kind === Kind.Valence) {
      contributions[contributed++] = crypto && LAUGHTER.has(textAt(i)) ? laugh : valences[i]!;
      continue;
    }
    if (kind !== Kind.Word) continue;
    const known = texts[i];
    if (known === undefined) {
      // a plain word the lists do not know: of all the rules only negation by "…n't" reads it
      if (endsInNt(decoded, froms[i]!, tos[i]!)) negationLeft = NEGATION_SCOPE;
      else if (negationLeft > 0) negationLeft--;
      continue;
    }
    const w = known;
    const info = infos[i];
    if (info?.contrast && (w === "but" || w === "however" || w === "nevertheless" || w === "nonetheless")) {
      for (let k = 0; k < contributed; k++) contributions[k]! *= CONTRAST_BEFORE;
      contributions[contributed++] = 0;
      negationLeft = 0;
      multiplier = CONTRAST_AFTER;
      continue;
    }
    // phrases first
    const candidates = info?.phrases;
    let valence: number | undefined;
    let consumed = 1;
    if (candidates) {
      for (const c of candidates) {
        let ok = true;
        for (let k = 1; k < c.words.length; k++) {
          if (i + k >= count || kinds[i + k] !== Kind.Word || !wordIs(i + k, c.words[k]!)) {
            ok = false;
            break;
          }
        }
        if (ok) {
          valence = c.valence;
          consumed = c.words.length;
          break;
        }
      }
    }
    if (valence === undefined) {
      if (info?.negator || (w.charCodeAt(w.length - 1) === 116 /* t */ && w.endsWith("n't"))) {
        negationLeft = NEGATION_SCOPE;
        continue;
      }
      const intensity = info?.intensity;
      if (intensity !== undefined) {
        multiplier *= intensity;
        continue;
      }
      valence = info?.valence;
      if (crypto && valence !== undefined && valence > 0 && info!.laughter) {
        contributions[contributed++] = laugh; // not a word negation or intensity applies to
        continue;
      }
      // the side a crypto post names is the side it taunts; not a word negation or intensity applies to
      const side = namesSide ? info?.side : undefined;
      if (side !== undefined && (i === 0 || !wordIs(i - 1, "my"))) {
        contributions[contributed++] = side;
        if (negationLeft > 0) negationLeft--;
        continue;
      }
      // "up 40%", "down 3.2" move prices; "line up", "sat down" do not
      const end = ends[i]!;
      if ((w === "up" || w === "down") && end !== NO_END && MOVE_AHEAD.test(decoded.slice(end, end + 4))) {
        valence = w === "up" ? 1.5 : -1.5;
      }
      // a Titlecase word inside a run of Titlecase words is part of a name ("Red Sox", "Walking Dead")
      if (valence !== undefined && isNamePart(i, decoded) && !(headline ??= isHeadline(words, decoded))) valence *= NAME_PART;
    }
    if (valence === undefined || valence === 0) {
      if (negationLeft > 0) negationLeft--;
      i += consumed - 1;
      continue;
    }
    if (crypto && info?.accumulating === true && valence > 0) valence += ACCUMULATE_BONUS;
    let v = valence * multiplier;
    if (isShouting(decoded, froms[i]!, tos[i]!) && !(mostlyCaps ??= isMostlyCaps(words, decoded))) v *= CAPS_BOOST;
    if (negationLeft > 0) {
      v *= v > 0 ? -0.74 : -0.5;
      negationLeft = 0;
    }
    if (v < 0 && counterpartyNear(counterpartyAt, counterparties, i, sentenceOf)) v = -v * 0.8;
    // trader pain (liquidations, margin calls, rekt) in a crypto post that names only the bears befalls the bears
    else if (v < 0 && crypto && TRADER_PAIN.has(w) && counterparties > 0 && !bullsNamed) v = -v * 0.8;
    // "the bear market is over", "the rally is done": what is over flips
    if (isOver(i + consumed, decoded)) v = -v * 0.8;
    if (quoted && quotedAt[i]) v *= QUOTED; // reported or mocked speech ("“bottom is in” they said")
    // "nice bull trap", "perfect bear flag": praise grades the bearish pattern, it is not the writer's mood
    if (v <= -1.5 && lastWordAt === i - 1 && PRAISE.has(textAt(i - 1)) && contributions[contributed - 1]! > 0) {
      contributions[contributed - 1] = 0;
    }
    contributions[contributed++] = v;
    lastWordAt = i;
    multiplier = multiplier > 1.45 ? CONTRAST_AFTER : 1; // contrast weight persists for the clause
    i += consumed - 1;
  }
  let sum = 0;
  for (let k = 0; k < contributed; k++) sum += contributions[k]!;
  const cashtags = cashtagsFound;
  if (sum !== 0 && exclamations > 0) sum *= 1 + 0.08 * Math.min(exclamations, 4);
  else if (sum === 0 && exclamations > 0 && cashtags === 0) sum = EXCLAIMED;
  if (!crypto) return sum;
  sum += SCARE_QUOTE * scareQuotes;
  return sum + CRYPTO_LEAN + (cashtags >= 3 ? CASHTAG_SPAM_LEAN : 0) + pricePath(levelsFound ?? NO_LEVELS);
}

/** A counterparty (bears, shorts) within 3 tokens of token i, in its sentence. */
function counterpartyNear(at: Int32Array, n: number, i: number, sentenceOf: Int32Array): boolean {
  for (let j = 0; j < n; j++) {
    const k = at[j]!;
    if (k !== i && Math.abs(k - i) <= 3 && sentenceOf[k] === sentenceOf[i]) return true;
  }
  return false;
}

/** Words before a number that make it a time, a count or a size rather than a price level. */
const NOT_A_LEVEL = new Set(["in", "for", "of", "x", "the", "last", "next", "every", "top", "since", "year", "day", "days", "hours", "minutes", "weeks", "months"]);
const PATH_LEAN = 0.8;
const TO_ZERO = 2.5;

/**
 * Price path of a crypto post: levels named in order say where the writer sees the price going.
 * "1300 then 1400", "from 1.2k to 1.5k" lean bullish; "1000 - 900 area", "back under 20k from 25k"
 * lean bearish; "to $0" is bearish. A single bare level says nothing (we do not know the price).
 */
function pricePath(levels: readonly Level[]): number {
  let first: number | undefined;
  let last: number | undefined;
  let toZero = false;
  for (const l of levels) {
    if (NOT_A_LEVEL.has(l.after)) continue;
    if (l.value === 0 && (l.after === "to" || l.after === "at" || l.after === "under")) toZero = true;
    if (!(l.value >= 10)) continue; // "3x", "2 weeks", "1h": not price levels
    if (first === undefined) first = l.value;
    last = l.value;
  }
  if (toZero) return -TO_ZERO;
  if (first === undefined || last === undefined || last === first) return 0;
  const ratio = last / first;
  if (ratio > 5 || ratio < 0.2) return 0; // different scales: a date, a count, two assets
  return ratio > 1 ? PATH_LEAN : -PATH_LEAN;
}

/** Maps a raw valence sum into (-1, 1), as VADER does. */
export function normaliseValence(sum: number): number {
  return sum / Math.sqrt(sum * sum + 15);
}

export function labelOf(score: number): SentimentLabel {
  return score >= NEUTRAL_BAND ? "positive" : score <= -NEUTRAL_BAND ? "negative" : "neutral";
}

/**
 * @example scoreText("not bullish on $ETH 📉") // { label: "negative", score: -0.6… }
 */
export function scoreText(text: string): TextSentiment {
  const score = normaliseValence(rawValence(text));
  return { label: labelOf(score), score };
}
