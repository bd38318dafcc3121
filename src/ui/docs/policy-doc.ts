/**
 * A policy as YAML, each rule dumped on its own so the rule a denial names
 * (by `ruleRef`) can be highlighted.
 */
import { dump } from 'js-yaml';
import { parseRuleRef, ruleSection } from '../../model/rule-ref.js';
import type { PolicyItem } from '../data/policy-items.js';
import { stripControl } from '../sanitize.js';
import { line, type DocLine } from './doc.js';

export interface RuleHighlight {
  readonly section: string;
  readonly index: number;
}

/** Which rule of a policy a ruleRef points at, or null (isolation, default, none). */
export function highlightFromRuleRef(ruleRef: string | null): RuleHighlight | null {
  const ref = ruleRef === null ? null : parseRuleRef(ruleRef);
  return ref === null ? null : ruleSection(ref);
}

const SECTIONS_BY_KIND: Readonly<Record<string, readonly string[]>> = {
  AuthorizationPolicy: ['rules'],
  NetworkPolicy: ['ingress', 'egress'],
  AdminNetworkPolicy: ['ingress', 'egress'],
  BaselineAdminNetworkPolicy: ['ingress', 'egress'],
  RequestAuthentication: ['jwtRules'],
};

function yamlLines(value: unknown): string[] {
  return stripControl(dump(value, { lineWidth: 120, noRefs: true }), true).replace(/\n$/, '').split('\n');
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** `mark` names why the rule is highlighted: the rule that decided, or the nearest miss. */
export function policyDoc(item: PolicyItem, ruleRef: string | null, mark = 'decided'): DocLine[] {
  const title = line(`${item.kind} ${item.namespace ? `${item.namespace}/` : ''}${item.name}  ${item.summary}`, 'heading');
  const raw = asRecord(item.raw);
  if (!raw) return [title, line('not evaluated by meshdbg; no YAML to show', 'dim')];
  const spec = asRecord(raw['spec']) ?? {};
  const sections = (SECTIONS_BY_KIND[item.kind] ?? []).filter((s) => Array.isArray(spec[s]));
  const rest = Object.fromEntries(Object.entries(spec).filter(([k]) => !sections.includes(k)));
  const out: DocLine[] = [title, ...yamlLines({ ...raw, spec: rest }).map((t) => line(t))];
  const highlight = highlightFromRuleRef(ruleRef);
  for (const section of sections) {
    out.push(line(`  ${section}:`));
    (spec[section] as unknown[]).forEach((rule, index) => {
      const hit = highlight !== null && highlight.section === section && highlight.index === index;
      const marker = hit ? `▶ ${section}[${index}] (${mark})` : `# ${section}[${index}]`;
      out.push(line(`  ${marker}`, hit ? 'highlight' : 'dim'));
      for (const t of yamlLines([rule])) out.push(line(`  ${t}`, hit ? 'highlight' : 'plain'));
    });
  }
  if (ruleRef !== null && highlight === null) out.push(line(wholePolicyNote(item.kind, stripControl(ruleRef)), 'warning'));
  return out;
}

/** Why no rule is highlighted: the decision came from the policy as a whole. */
export function wholePolicyNote(kind: string, ruleRef: string): string {
  if (kind === 'PeerAuthentication') return `decided by the policy's mTLS mode (${ruleRef}), not by a rule`;
  if (kind === 'NetworkPolicy' || kind.endsWith('AdminNetworkPolicy')) return `decided by isolation (${ruleRef}): the policy selects the pod and none of its rules allows this`;
  return `decided by the policy as a whole (${ruleRef}): no rule matched`;
}
