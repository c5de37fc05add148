/**
 * Case tests that let a caller skip `toLowerCase`/`toUpperCase`: both always copy the string, even
 * when nothing changes, and the scorer calls them on nearly every word.
 */

/** No A-Z and nothing beyond ASCII: `s.toLowerCase()` would be `s`. */
export function isLowerAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c >= 128) return false;
  }
  return true;
}

/** No a-z and nothing beyond ASCII: `s.toUpperCase()` would be `s`. */
export function isUpperAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || c >= 128) return false;
  }
  return true;
}
