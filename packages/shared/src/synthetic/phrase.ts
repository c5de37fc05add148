/**
 * Phrase templates cut once at their `{p}` (protocol) and `{t}` (cashtag) slots, so a post's
 * body is a few concatenations instead of two `replace` scans per post.
 */

/** `head X mid Y tail`, X and Y the protocol and the cashtag in the order the phrase has them. */
export interface PhraseTemplate {
  head: string;
  mid: string;
  tail: string;
  cashtagFirst: boolean;
  hasCashtag: boolean;
}

const P = "{p}";
const T = "{t}";

/** Cuts a phrase that has a `{p}`; only the first `{p}` and `{t}` are slots, as with `replace`. */
export function compilePhrase(phrase: string): PhraseTemplate {
  const p = phrase.indexOf(P);
  if (p < 0) throw new Error(`synthetic phrase without ${P}: ${JSON.stringify(phrase)}`);
  const before = phrase.slice(0, p);
  const after = phrase.slice(p + P.length);
  const tBefore = before.indexOf(T);
  if (tBefore >= 0) {
    return { head: before.slice(0, tBefore), mid: before.slice(tBefore + T.length), tail: after, cashtagFirst: true, hasCashtag: true };
  }
  const tAfter = after.indexOf(T);
  if (tAfter >= 0) {
    return { head: before, mid: after.slice(0, tAfter), tail: after.slice(tAfter + T.length), cashtagFirst: false, hasCashtag: true };
  }
  return { head: before, mid: after, tail: "", cashtagFirst: false, hasCashtag: false };
}

/** `phrase.replace("{p}", protocol).replace("{t}", cashtag)` for the compiled phrase. */
export function fillPhrase(t: PhraseTemplate, protocol: string, cashtag: string): string {
  if (t.cashtagFirst) return t.head + cashtag + t.mid + protocol + t.tail;
  return t.hasCashtag ? t.head + protocol + t.mid + cashtag + t.tail : t.head + protocol + t.mid;
}
