/**
 * The identity of each row of the lists whose selected row a key acts on (the pod, policy,
 * denial or map edge under the cursor). The views' descriptors use these same functions as
 * their `rows`, so a list and the row read from its selection agree on one definition.
 */
import { policyItemKey } from '../data/policy-items.js';
import type { AppState, UiData } from './app-state.js';
import { visibleDenials, visibleMapRows, visiblePods, visiblePolicies } from './select.js';

const keyCache = new WeakMap<readonly object[], readonly string[]>();

/** The identities of `rows`, computed once per rows array (memoized selectors return the same array). */
export function cachedKeys<T extends object>(rows: readonly T[], key: (row: T) => string): readonly string[] {
  const hit = keyCache.get(rows);
  if (hit) return hit;
  const keys = rows.map(key);
  keyCache.set(rows, keys);
  return keys;
}

export function podRowKeys(data: UiData, state: AppState): readonly string[] {
  return cachedKeys(visiblePods(data, state), (r) => r.key);
}

export function policyRowKeys(data: UiData, state: AppState): readonly string[] {
  return cachedKeys(visiblePolicies(data, state), policyItemKey);
}

export function denialRowKeys(_data: UiData, state: AppState): readonly string[] {
  return visibleDenials(state).map((d) => d.id);
}

export function mapRowKeys(data: UiData, state: AppState): readonly string[] {
  return cachedKeys(visibleMapRows(data, state), (r) => r.key);
}
