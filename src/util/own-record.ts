/**
 * A map from names the input chooses (HTTP header names) to values, with no prototype. In a
 * plain `{}`, `m['__proto__'] = v` sets no property (it is the prototype setter), so a header of
 * that name (a valid HTTP token) was dropped and a rule on it never matched.
 */
export function ownRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}
