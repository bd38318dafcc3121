/**
 * The text walkthrough of an Explanation: verdict first, then each layer with the policy
 * and rule that decided and that rule's YAML; for isolated sides, which peer or port failed.
 * Shared by `explain -o text` and the TUI.
 */
import type { Snapshot } from '../model/snapshot.js';
import type { Explanation, ExplainError, PeerInfo, PolicyMention, RuleMiss, Step } from '../engine/explanation.js';
import { ruleYaml } from './rule-yaml.js';

const MARK: Readonly<Record<Step['verdict'], string>> = {
  allowed: '✓',
  denied: '✗',
  'not-applicable': '-',
  conditional: '?',
};

function peerLabel(p: PeerInfo): string {
  if (p.kind === 'IP') return p.ip ?? p.name;
  const base =
    p.service && p.resolvedFrom === 'service'
      ? `${p.service} (Service -> pod ${p.name})`
      : `${p.namespace}/${p.workload ? p.workload : p.name}`;
  return `${base}${p.sidecar ? ' [sidecar]' : p.dataplane === 'ambient' ? ' [ambient]' : ''}`;
}

function policyLabel(m: PolicyMention): string {
  const where = m.namespace ? `${m.namespace}/${m.name}` : m.name;
  const rule = m.rule === null ? '' : ` rule ${m.rule}`;
  return `${m.kind} ${where}${rule}`;
}

function indent(text: string, prefix: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

function formatValue(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join(' | ');
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function missLines(misses: readonly RuleMiss[], prefix: string): string[] {
  const lines: string[] = [];
  for (const miss of misses.slice(0, 8)) {
    const failed = miss.clauses.filter((c) => !c.ok);
    lines.push(
      `${prefix}${policyLabel(miss.policy)}: ${failed.map((c) => `${c.field} wants ${formatValue(c.expected)}, got ${formatValue(c.actual)}`).join('; ')}`,
    );
  }
  if (misses.length > 8) lines.push(`${prefix}... and ${misses.length - 8} more rules`);
  return lines;
}

function stepLines(step: Step, snapshot: Snapshot | null, decisive: PolicyMention | null): string[] {
  const reached = step.effective ? '' : ' (not reached: traffic is already denied)';
  const enforcer = typeof step['enforcer'] === 'string' ? ` [${step['enforcer']}]` : '';
  const lines = [`  ${MARK[step.verdict]} ${`${step.layer}${enforcer}`.padEnd(22)} ${step.summary}${reached}`];
  for (const m of step.policies) {
    lines.push(`      ${policyLabel(m)}${m.effect ? ` [${m.effect}]` : ''}  ${m.ruleRef}`);
    if (snapshot && m === decisive) {
      const y = ruleYaml(snapshot, m);
      if (y) lines.push(indent(y, '        | '));
    }
  }
  if (step.verdict === 'denied' && step.misses?.length) {
    lines.push('      rules that did not match:');
    lines.push(...missLines(step.misses, '        '));
  } else if (
    step.verdict === 'denied' &&
    step.policies.length > 0 &&
    step.policies.every((p) => p.rule === null) &&
    step.layer.startsWith('networkpolicy')
  ) {
    lines.push(
      `      (no ${step.layer.endsWith('egress') ? 'egress' : 'ingress'} rules at all: the policy allows nothing in this direction)`,
    );
  }
  return lines;
}

export function formatExplanationText(e: Explanation, snapshot: Snapshot | null = null): string {
  const req = e.request;
  const port =
    req.servicePort !== null && req.servicePort !== req.port
      ? `${req.servicePort} -> pod port ${req.port}`
      : String(req.port);
  const http = req.http ? ` ${req.http.method ?? 'GET'} ${req.http.path ?? '/'}` : '';
  const out: string[] = [];
  out.push(
    `${e.verdict.toUpperCase()}  ${peerLabel(e.source)} -> ${peerLabel(e.destination)}  ${req.protocol} ${port}${http}`,
  );
  if (e.decidedBy) {
    const p = e.decidedBy.policy;
    out.push(`decided by ${e.decidedBy.layer}${p ? `: ${policyLabel(p)} (${p.ruleRef})` : ''}`);
  } else {
    out.push('decided by: no policy (every layer allows by default)');
  }
  const r = e.expectedResponse;
  out.push(`client sees: ${String(r.status)}${r.body ? ` "${r.body}"` : ''}${r.details ? `  [${r.details}]` : ''}`);
  for (const c of e.conditions) out.push(`condition ${c.code}: ${c.message}`);
  out.push('');
  const decisive = e.decidedBy?.policy ?? null;
  for (const step of e.steps) out.push(...stepLines(step, snapshot, decisive));
  if (e.nearestMiss.length) {
    out.push('', 'nearest miss:');
    out.push(...missLines(e.nearestMiss.slice(0, 3), '  '));
  }
  if (e.fix.length) {
    out.push('', e.fix.length > 1 ? 'fix (apply together):' : 'fix:');
    for (const f of e.fix) {
      out.push(
        `  ${f.action} ${f.target.kind} ${f.target.namespace ? `${f.target.namespace}/` : ''}${f.target.name}: ${f.why}`,
      );
      out.push(indent(f.yaml, '    '));
    }
  }
  const notes = [
    ...e.notes,
    ...e.assumptions.map((a) => `assumed: ${a.message}`),
    ...e.findings.map((f) => `${f.severity} ${f.code}: ${f.message}`),
  ];
  if (notes.length) {
    out.push('', 'notes:');
    for (const n of notes) out.push(`  - ${n}`);
  }
  return `${out.join('\n')}\n`;
}

export function formatErrorText(err: ExplainError): string {
  return `${err.message}\n`;
}
