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

/** Where group 1 of `re`'s match at the marker at i ends (it starts right after the marker), or -1. */
function groupEndAt(re: RegExp, text: string, i: number): number {
  re.lastIndex = i;
  const m = re.exec(text);
  return m ? i + 1 + m[1]!.length : -1;
}

/** The tag [i + 1, end) as a string, or null for no tag (end -1). */
const tagOf = (text: string, i: number, end: number) => (end < 0 ? null : text.slice(i + 1, end));

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
export const cashtagAt = (text: string, i: number) => tagOf(text, i, cashtagEndAt(text, i));
/** The group of HASHTAG's match at the `#` at i, or null. */
export const hashtagAt = (text: string, i: number) => tagOf(text, i, hashtagEndAt(text, i));
/** The group of MENTION's match at the `@` at i, or null. */
export const mentionAt = (text: string, i: number) => tagOf(text, i, mentionEndAt(text, i));

/** Where the group of CASHTAG's match at the `$` at i ends, or -1 for no match. */
export function cashtagEndAt(text: string, i: number): number {
  const p = text.charCodeAt(i - 1);
  if (p >= 128) return groupEndAt(CASHTAG_AT, text, i);
  if (classOf(p) & (LETTER | DIGIT) || p === 36 /* $ */) return -1;
  if (!(classOf(text.charCodeAt(i + 1)) & LETTER)) return -1;
  let e = i + 2;
  while (classOf(text.charCodeAt(e)) & (LETTER | DIGIT)) e++;
  if (e - i - 1 > 12) return -1; // no shorter ticker is followed by a non-alphanumeric
  if (text.charCodeAt(e) >= 128) return groupEndAt(CASHTAG_AT, text, i); // a letter beyond ASCII would end no ticker
  return e; // followed by ".X" or anything else not alphanumeric: the whole run is the ticker
}

/** Where the group of HASHTAG's match at the `#` at i ends, or -1. */
export function hashtagEndAt(text: string, i: number): number {
  const p = text.charCodeAt(i - 1);
  if (p >= 128) return groupEndAt(HASHTAG_AT, text, i);
  if (classOf(p) & (LETTER | DIGIT) || p === 38 /* & */ || p === 35 /* # */) return -1;
  let e = i + 1;
  while (classOf(text.charCodeAt(e))) e++;
  if (text.charCodeAt(e) >= 128) return groupEndAt(HASHTAG_AT, text, i); // a letter beyond ASCII would continue it
  return e > i + 1 ? e : -1;
}

/** Where the group of MENTION's match at the `@` at i ends, or -1. */
export function mentionEndAt(text: string, i: number): number {
  const p = text.charCodeAt(i - 1);
  if (p >= 128) return groupEndAt(MENTION_AT, text, i);
  if (classOf(p) || p === 64 /* @ */) return -1;
  let e = i + 1;
  while (e - i <= 15 && classOf(text.charCodeAt(e))) e++;
  return e > i + 1 ? e : -1;
}
