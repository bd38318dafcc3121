/**
 * The parts of an explanation that other reports reuse: policy labels, why a rule missed
 * (the nearest miss), and the fix. `explain`, `denials` and the TUI's denial view all format
 * them here.
 */
import type { Fix, PolicyMention, RuleMiss } from '../engine/index.js';
import { styled, styledBlock, type StyledLine } from './styled-line.js';

/** `AuthorizationPolicy poc-mesh/backend-allow rule 0` */
export function policyLabel(m: Pick<PolicyMention, 'kind' | 'namespace' | 'name' | 'rule'>): string {
  const where = m.namespace ? `${m.namespace}/${m.name}` : m.name;
  const rule = m.rule === null ? '' : ` rule ${m.rule}`;
  return `${m.kind} ${where}${rule}`;
}

function formatValue(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join(' | ');
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** `AuthorizationPolicy ns/name rule 0: to[0].operation.methods wants GET, got POST` */
export function missSummary(miss: RuleMiss): string {
  const failed = miss.clauses.filter((c) => !c.ok);
  return `${policyLabel(miss.policy)}: ${failed.map((c) => `${c.field} wants ${formatValue(c.expected)}, got ${formatValue(c.actual)}`).join('; ')}`;
}

/** One line per rule that came closest, at most `limit`, then how many more. */
export function ruleMissLines(misses: readonly RuleMiss[], prefix: string, limit = 8): StyledLine[] {
  const lines = misses.slice(0, limit).map((m) => styled(`${prefix}${missSummary(m)}`, 'warning'));
  if (misses.length > limit) lines.push(styled(`${prefix}... and ${misses.length - limit} more rules`, 'dim'));
  return lines;
}

/** What to change, then its YAML indented under it. */
export function fixLines(fixes: readonly Fix[], prefix = '  '): StyledLine[] {
  const out: StyledLine[] = [];
  for (const f of fixes) {
    const target = `${f.target.kind} ${f.target.namespace ? `${f.target.namespace}/` : ''}${f.target.name}`;
    out.push(styled(`${prefix}${f.action} ${target}: ${f.why}`, 'ok'));
    out.push(...styledBlock(f.yaml, `${prefix}  `));
  }
  return out;
}

/** The fix's YAML alone, as `kubectl apply -f` takes it (several fixes as one multi-document stream). */
export function fixYaml(fixes: readonly Fix[]): string {
  return fixes.map((f) => f.yaml.trimEnd()).join('\n---\n') + (fixes.length > 0 ? '\n' : '');
}
