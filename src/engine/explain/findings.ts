/** Snapshot findings that concern the objects an explanation mentions. */
import type { Snapshot } from '../../model/snapshot.js';
import type { ExplanationFinding, Step } from '../explanation.js';
import type { Endpoint } from '../flow.js';

export function relevantFindings(snapshot: Snapshot, steps: readonly Step[], endpoints: readonly Endpoint[]): ExplanationFinding[] {
  const keys = new Set<string>();
  for (const s of steps) for (const p of s.policies) keys.add(`${p.kind}/${p.namespace ?? ''}/${p.name}`);
  for (const e of endpoints) {
    if (e.type !== 'pod') continue;
    keys.add(`Pod/${e.pod.namespace}/${e.pod.name}`);
    for (const o of e.pod.owners) keys.add(`${o.kind}/${e.pod.namespace}/${o.name}`);
  }
  return snapshot.findings
    .filter((f) => f.object && keys.has(`${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}`))
    .map((f) => ({ severity: f.severity, code: f.code, message: f.message, object: f.object }));
}
