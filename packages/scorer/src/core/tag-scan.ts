/**
 * The $cashtags, #hashtags and @mentions a text shows, as the regexes below find them, without
 * running a lookbehind/Unicode-class regex over every post. A match starts at its marker and holds
 * no other marker, so each marker is decided on its own: by char codes when the chars that decide
 * it are ASCII, else by the regex anchored at the marker.
 */
export const CASHTAG = /(?<![\p{L}\p{N}$])\$([A-Za-z][A-Za-z0-9]{0,11})(?:\.X)?(?![\p{L}\p{N}])/gu;
export const HASHTAG = /(?<![\p{L}\p{N}&#])#([\p{L}\p{N}_]+)/gu;
export const MENTION = /(?<![\p{L}\p{N}_@])@([A-Za-z0-9_]{1,15})/gu;

const CASHTAG_AT = new RegExp(CASHTAG.source, "uy");
const HASHTAG_AT = new RegExp(HASHTAG.source, "uy");
const MENTION_AT = new RegExp(MENTION.source, "uy");

function groupAt(re: RegExp, text: string, i: number): string | null {
  re.lastIndex = i;
  return re.exec(text)?.[1] ?? null;
}

const LETTER = 1;
const DIGIT = 2;
const UNDERSCORE = 4;
const ASCII = new Uint8Array(128);
for (let c = 65; c <= 90; c++) ASCII[c] = ASCII[c + 32] = LETTER;
for (let c = 48; c <= 57; c++) ASCII[c] = DIGIT;
ASCII[95] = UNDERSCORE;
/** Class bits of an ASCII char code; NaN (past either end) has none. */
const classOf = (c: number) => (c < 128 ? ASCII[c]! : 0);

/** The group of CASHTAG's match at the `$` at i, or null. */
export function cashtagAt(text: string, i: number): string | null {
  const p = text.charCodeAt(i - 1);
  if (p >= 128) return groupAt(CASHTAG_AT, text, i);
  if (classOf(p) & (LETTER | DIGIT) || p === 36 /* $ */) return null;
  if (!(classOf(text.charCodeAt(i + 1)) & LETTER)) return null;
  let e = i + 2;
  while (classOf(text.charCodeAt(e)) & (LETTER | DIGIT)) e++;
  if (e - i - 1 > 12) return null; // no shorter ticker is followed by a non-alphanumeric
  if (text.charCodeAt(e) >= 128) return groupAt(CASHTAG_AT, text, i); // a letter beyond ASCII would end no ticker
  return text.slice(i + 1, e); // followed by ".X" or anything else not alphanumeric: the whole run is the ticker
}

/** The group of HASHTAG's match at the `#` at i, or null. */
export function hashtagAt(text: string, i: number): string | null {
  const p = text.charCodeAt(i - 1);
  if (p >= 128) return groupAt(HASHTAG_AT, text, i);
  if (classOf(p) & (LETTER | DIGIT) || p === 38 /* & */ || p === 35 /* # */) return null;
  let e = i + 1;
  while (classOf(text.charCodeAt(e))) e++;
  if (text.charCodeAt(e) >= 128) return groupAt(HASHTAG_AT, text, i); // a letter beyond ASCII would continue it
  return e > i + 1 ? text.slice(i + 1, e) : null;
}

/** The group of MENTION's match at the `@` at i, or null. */
export function mentionAt(text: string, i: number): string | null {
  const p = text.charCodeAt(i - 1);
  if (p >= 128) return groupAt(MENTION_AT, text, i);
  if (classOf(p) || p === 64 /* @ */) return null;
  let e = i + 1;
  while (e - i <= 15 && classOf(text.charCodeAt(e))) e++;
  return e > i + 1 ? text.slice(i + 1, e) : null;
}
