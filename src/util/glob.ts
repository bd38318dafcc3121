/**
 * Whether `text` is matched by `pattern`, in which each `*` stands for any run of characters
 * (possibly empty) and every other character for itself: the regular expression `^p1.*p2.*p3$`
 * with literal parts. A JavaScript RegExp of that shape backtracks: with k stars its time grows
 * like n^k (4 stars on 200 characters: 13 s). This walks the text once per star at most, keeping
 * only the last star passed (a later star can absorb whatever an earlier one would), so the time
 * is at most |pattern| x |text| (the usual two-pointer wildcard match).
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1; // index in pattern of the last star passed
  let resume = 0; // where in text that star's run ends
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      // the last star takes one more character and the literals after it start again
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
