/**
 * The table `istioctl x authz check POD` prints (Istio >= 1.8):
 *
 *   ACTION   AuthorizationPolicy         RULES
 *   ALLOW    httpbin.default             1
 *
 * Rows are grouped DENY, ALLOW, LOG, CUSTOM and sorted by name inside a group; the
 * columns are laid out as Go's tabwriter does with padding 3. Pure.
 */
import { cutText, MAX_VALUE_CHARS } from '../util/cut-text.js';
import { ANONYMOUS_MATCH_NOTHING, AUTHZ_ACTION_ORDER, type AuthzCheckAction } from '../engine/index.js';

export type { AuthzCheckAction };
export { AUTHZ_ACTION_ORDER };
export const ANONYMOUS_POLICY = ANONYMOUS_MATCH_NOTHING;

/** A row of the table as read from istioctl or the proxy's config_dump (the offline prediction is the engine's PredictedAuthzRow). */
export interface AuthzTableRow {
  readonly action: AuthzCheckAction;
  /** `name.namespace` as istioctl prints it, or `_anonymous_match_nothing_`. */
  readonly policy: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly rules: number;
}

export interface ParseIssue {
  readonly line: number;
  readonly message: string;
}

export interface AuthzCheckTable {
  readonly rows: readonly AuthzTableRow[];
  readonly issues: readonly ParseIssue[];
}

const HEADER = ['ACTION', 'AuthorizationPolicy', 'RULES'] as const;

function isAction(value: string): value is AuthzCheckAction {
  return (AUTHZ_ACTION_ORDER as readonly string[]).includes(value);
}

/** Splits istioctl's `name.namespace` (namespace after the last dot). */
export function splitPolicyName(policy: string): { name: string; namespace: string | null } {
  if (policy === ANONYMOUS_POLICY) return { name: policy, namespace: null };
  const dot = policy.lastIndexOf('.');
  if (dot <= 0) return { name: policy, namespace: null };
  return { name: policy.slice(0, dot), namespace: policy.slice(dot + 1) };
}

export function authzRow(action: AuthzCheckAction, policy: string, rules: number): AuthzTableRow {
  const { name, namespace } = splitPolicyName(policy);
  return { action, policy, namespace, name, rules };
}

function parseRow(cells: readonly string[], line: number): AuthzTableRow | ParseIssue {
  const [action, policy, rules] = cells;
  if (cells.length !== 3 || action === undefined || policy === undefined || rules === undefined) {
    return { line, message: `expected 3 columns (ACTION, AuthorizationPolicy, RULES), got ${cells.length}` };
  }
  if (!isAction(action)) return { line, message: `unknown action ${JSON.stringify(cutText(action, MAX_VALUE_CHARS))}` };
  if (!/^\d+$/.test(rules))
    return { line, message: `RULES is not a number: ${JSON.stringify(cutText(rules, MAX_VALUE_CHARS))}` };
  return authzRow(action, policy, Number(rules));
}

/** Parses istioctl's table; lines before the header (e.g. warnings) are reported as issues. */
export function parseAuthzCheckTable(text: string): AuthzCheckTable {
  const rows: AuthzTableRow[] = [];
  const issues: ParseIssue[] = [];
  let sawHeader = false;
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const cells = raw
      .trim()
      .split(/\s+/)
      .filter((c) => c !== '');
    if (cells.length === 0) return;
    if (!sawHeader) {
      if (cells.join(' ') === HEADER.join(' ')) sawHeader = true;
      else
        issues.push({
          line,
          message: `unexpected text before the table header: ${cutText(raw.trim(), MAX_VALUE_CHARS)}`,
        });
      return;
    }
    const parsed = parseRow(cells, line);
    if ('message' in parsed) issues.push(parsed);
    else rows.push(parsed);
  });
  if (!sawHeader) issues.push({ line: 1, message: 'no "ACTION AuthorizationPolicy RULES" header found' });
  return { rows, issues };
}

/** Orders rows as istioctl does: by action group, then by policy name (byte order). */
export function sortAuthzRows(rows: readonly AuthzTableRow[]): AuthzTableRow[] {
  const rank = (a: AuthzCheckAction): number => AUTHZ_ACTION_ORDER.indexOf(a);
  return [...rows].sort(
    (a, b) => rank(a.action) - rank(b.action) || (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0),
  );
}

/** Lays out cells like Go's tabwriter (minwidth 0, padding 3, the last cell unpadded). */
export function layoutColumns(lines: readonly (readonly string[])[], padding = 3): string {
  const widths: number[] = [];
  for (const cells of lines) {
    cells.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length + padding);
    });
  }
  return lines
    .map((cells) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join(''))
    .map((line) => `${line}\n`)
    .join('');
}

/** Prints rows exactly as `istioctl x authz check` does. */
export function formatAuthzCheckTable(rows: readonly AuthzTableRow[]): string {
  const lines = [[...HEADER], ...sortAuthzRows(rows).map((r) => [r.action, r.policy, String(r.rules)])];
  return layoutColumns(lines);
}

export interface ExpectedPolicy {
  readonly action: AuthzCheckAction;
  readonly namespace: string;
  readonly name: string;
  /** RULES the Snapshot predicts; omitted when unknown. */
  readonly rules?: number;
}

/** A row of the proxy's table as compared: the action as read (ztunnel's and the TUI's rows keep it a string). */
export type ProxyTableRow = Omit<AuthzTableRow, 'action'> & { readonly action: string };

export interface AuthzDrift {
  /** Policies the Snapshot says apply but the proxy does not enforce (config not pushed yet, or rejected). */
  readonly missingOnProxy: readonly ExpectedPolicy[];
  /** Policies the proxy enforces that the Snapshot does not have (stale config: deleted or changed). */
  readonly unexpectedOnProxy: readonly ProxyTableRow[];
  /** Policies on both sides whose rule counts differ (edited, not yet pushed). */
  readonly rulesDiffer: readonly { readonly policy: ExpectedPolicy; readonly onProxy: number }[];
}

function key(action: string, namespace: string | null, name: string): string {
  return `${action}/${namespace ?? ''}/${name}`;
}

/**
 * Compares what a proxy enforces with what the Snapshot says should apply to it.
 * Anonymous match-nothing rows are Istio plumbing and never count as drift.
 */
export function diffAuthzRows(actual: readonly ProxyTableRow[], expected: readonly ExpectedPolicy[]): AuthzDrift {
  const enforced = actual.filter((r) => r.policy !== ANONYMOUS_POLICY);
  const byKey = new Map(enforced.map((r) => [key(r.action, r.namespace, r.name), r]));
  const expectedKeys = new Set(expected.map((p) => key(p.action, p.namespace, p.name)));
  const rulesDiffer: { policy: ExpectedPolicy; onProxy: number }[] = [];
  for (const p of expected) {
    const row = byKey.get(key(p.action, p.namespace, p.name));
    if (row && p.rules !== undefined && row.rules !== p.rules) rulesDiffer.push({ policy: p, onProxy: row.rules });
  }
  return {
    missingOnProxy: expected.filter((p) => !byKey.has(key(p.action, p.namespace, p.name))),
    unexpectedOnProxy: enforced.filter((r) => !expectedKeys.has(key(r.action, r.namespace, r.name))),
    rulesDiffer,
  };
}

/** True when the proxy enforces exactly what the Snapshot predicts. */
export function isInSync(drift: AuthzDrift): boolean {
  return drift.missingOnProxy.length === 0 && drift.unexpectedOnProxy.length === 0 && drift.rulesDiffer.length === 0;
}
