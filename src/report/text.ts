/**
 * The text walkthrough of an Explanation: verdict first, then each layer with the policy
 * and rule that decided and that rule's YAML; for isolated sides, which peer or port failed.
 * Shared by `explain -o text` and the TUI.
 */
import type { Snapshot } from '../model/snapshot.js';
import type { Explanation, PeerInfo, PolicyMention, Step } from '../engine/index.js';
import { fixLines, policyLabel, ruleMissLines } from './explanation-parts.js';
import { ruleYaml } from './rule-yaml.js';
import { plainText, styled, styledBlock, type Role, type StyledLine } from './styled-line.js';

const MARK: Readonly<Record<Step['verdict'], string>> = {
  allowed: '✓',
  denied: '✗',
  'not-applicable': '-',
  conditional: '?',
};

const VERDICT_ROLE: Readonly<Record<Explanation['verdict'], Role>> = {
  allowed: 'ok',
  denied: 'error',
  conditional: 'warning',
  unsupported: 'warning',
};

const STEP_ROLE: Readonly<Record<Step['verdict'], Role>> = {
  allowed: 'ok',
  denied: 'error',
  'not-applicable': 'dim',
  conditional: 'warning',
};

function peerLabel(p: PeerInfo): string {
  if (p.kind === 'IP') return p.ip ?? p.name;
  const base =
    p.service && p.resolvedFrom === 'service'
      ? `${p.service} (Service -> pod ${p.name})`
      : `${p.namespace}/${p.workload ? p.workload : p.name}`;
  return `${base}${p.sidecar ? ' [sidecar]' : p.dataplane === 'ambient' ? ' [ambient]' : ''}`;
}

function stepLines(step: Step, snapshot: Snapshot | null, decisive: PolicyMention | null): StyledLine[] {
  const reached = step.effective ? '' : ' (not reached: traffic is already denied)';
  const enforcer = typeof step['enforcer'] === 'string' ? ` [${step['enforcer']}]` : '';
  const lines = [
    styled(
      `  ${MARK[step.verdict]} ${`${step.layer}${enforcer}`.padEnd(22)} ${step.summary}${reached}`,
      STEP_ROLE[step.verdict],
    ),
  ];
  for (const m of step.policies) {
    const decided = snapshot !== null && m === decisive;
    lines.push(
      styled(
        `      ${policyLabel(m)}${m.effect ? ` [${m.effect}]` : ''}  ${m.ruleRef}`,
        decided ? 'highlight' : 'plain',
      ),
    );
    if (decided) {
      const y = ruleYaml(snapshot, m);
      if (y) lines.push(...styledBlock(y, '        | ', 'dim'));
    }
  }
  if (step.verdict === 'denied' && step.misses?.length) {
    lines.push(styled('      rules that did not match:'));
    lines.push(...ruleMissLines(step.misses, '        '));
  } else if (
    step.verdict === 'denied' &&
    step.policies.length > 0 &&
    step.policies.every((p) => p.rule === null) &&
    step.layer.startsWith('networkpolicy')
  ) {
    lines.push(
      styled(
        `      (no ${step.layer.endsWith('egress') ? 'egress' : 'ingress'} rules at all: the policy allows nothing in this direction)`,
      ),
    );
  }
  return lines;
}

function headLines(e: Explanation): StyledLine[] {
  const req = e.request;
  const port =
    req.servicePort !== null && req.servicePort !== req.port
      ? `${req.servicePort} -> pod port ${req.port}`
      : String(req.port);
  const http = req.http ? ` ${req.http.method ?? 'GET'} ${req.http.path ?? '/'}` : '';
  const out = [
    styled(
      `${e.verdict.toUpperCase()}  ${peerLabel(e.source)} -> ${peerLabel(e.destination)}  ${req.protocol} ${port}${http}`,
      VERDICT_ROLE[e.verdict],
    ),
  ];
  if (e.decidedBy) {
    const p = e.decidedBy.policy;
    out.push(styled(`decided by ${e.decidedBy.layer}${p ? `: ${policyLabel(p)} (${p.ruleRef})` : ''}`, 'highlight'));
  } else {
    out.push(styled('decided by: no policy (every layer allows by default)'));
  }
  const r = e.expectedResponse;
  out.push(
    styled(`client sees: ${String(r.status)}${r.body ? ` "${r.body}"` : ''}${r.details ? `  [${r.details}]` : ''}`),
  );
  for (const c of e.conditions) out.push(styled(`condition ${c.code}: ${c.message}`, 'warning'));
  return out;
}

/** The explanation as styled lines: the CLI prints their text, the TUI colours them by role. */
export function explanationLines(e: Explanation, snapshot: Snapshot | null = null): StyledLine[] {
  const out = headLines(e);
  out.push(styled(''));
  // the deciding step's own mention: a mention object may be shared by several steps (the same
  // isolating policies block the flow and the sidecar's istiod connection)
  const decisive = e.decidedBy?.policy ?? null;
  const decidingStep = e.steps.find((s) => s.layer === e.decidedBy?.layer && decisive && s.policies.includes(decisive));
  for (const step of e.steps) out.push(...stepLines(step, snapshot, step === decidingStep ? decisive : null));
  if (e.nearestMiss.length) {
    out.push(styled(''), styled('nearest miss:', 'heading'));
    out.push(...ruleMissLines(e.nearestMiss.slice(0, 3), '  '));
  }
  if (e.fix.length) {
    out.push(styled(''), styled(e.fix.length > 1 ? 'fix (apply together):' : 'fix:', 'heading'));
    out.push(...fixLines(e.fix));
  }
  const notes = [
    ...e.notes,
    ...e.assumptions.map((a) => `assumed: ${a.message}`),
    ...e.findings.map((f) => `${f.severity} ${f.code}: ${f.message}`),
  ];
  if (notes.length) {
    out.push(styled(''), styled('notes:', 'heading'));
    for (const n of notes) out.push(styled(`  - ${n}`, 'dim'));
  }
  return out;
}

export function formatExplanationText(e: Explanation, snapshot: Snapshot | null = null): string {
  return plainText(explanationLines(e, snapshot));
}
