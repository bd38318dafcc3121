/**
 * The correlator's bookkeeping: one Group per distinct denial (the Denial view is built lazily),
 * and the recent requests whose other lines (local reply, access log) merge into them.
 */
import type { Denial } from './denial.js';
import type { Draft } from './draft.js';

/** One distinct denial; the Denial object is built only when asked for. */
export interface Group {
  readonly key: string;
  base: Draft;
  count: number;
  lastTime: string | null;
  readonly evidence: string[];
  view: Denial | null;
}

export function viewOf(g: Group): Denial {
  if (g.view === null) g.view = { ...g.base, count: g.count, lastTime: g.lastTime, evidence: [...g.evidence] };
  return g.view;
}

/** One observed request, kept briefly so its other lines merge into it. */
export interface Recent {
  readonly group: Group;
  readonly originKey: string;
  readonly thread: string | null;
  readonly policyId: string | null;
  readonly sourceIp: string | null;
  readonly path: string | null;
  readonly first: boolean;
  hasReply: boolean;
  hasAccessLog: boolean;
}

/** The policy fields of a draft (a later record of the same connection named the policy). */
export function pickPolicy(d: Draft): Partial<Draft> {
  return {
    policy: d.policy,
    ruleRef: d.ruleRef,
    policyId: d.policyId,
    policyInSnapshot: d.policyInSnapshot,
    layer: d.layer,
    attribution: d.attribution,
    reason: d.reason,
  };
}

/** Adds a ztunnel record of an already-known connection; a record that names the policy fills it in. */
export function mergeZtunnelRecord(
  known: Group,
  evidence: readonly string[],
  maxEvidence: number,
  better: Draft | null,
): void {
  for (const line of evidence) if (known.evidence.length < maxEvidence) known.evidence.push(line);
  if (known.base.policy === null && better !== null && better.policy !== null)
    known.base = { ...known.base, ...pickPolicy(better) };
  known.view = null;
}

/** Adds another line of an already-counted occurrence (first occurrence only keeps evidence) and patches the draft. */
export function mergeCopy(known: Group, evidence: readonly string[], maxEvidence: number, patch: Partial<Draft>): void {
  if (known.count === 1)
    for (const line of evidence) if (known.evidence.length < maxEvidence) known.evidence.push(line);
  known.base = { ...known.base, ...patch };
  known.view = null;
}
