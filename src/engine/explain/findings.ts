/** Snapshot findings that concern the objects an explanation mentions. */
import type { Snapshot } from '../../model/snapshot.js';
import type { ExplanationFinding, Step } from '../explanation.js';
import type { Endpoint } from '../flow.js';

const byObject = new WeakMap<Snapshot, Map<string, ExplanationFinding[]>>();

function findingsByObject(snapshot: Snapshot): Map<string, ExplanationFinding[]> {
  const cached = byObject.get(snapshot);
  if (cached) return cached;
  const map = new Map<string, ExplanationFinding[]>();
  for (const f of snapshot.findings) {
    if (!f.object) continue;
    const key = `${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}`;
    map.set(key, [
      ...(map.get(key) ?? []),
      { severity: f.severity, code: f.code, message: f.message, object: f.object },
    ]);
  }
  byObject.set(snapshot, map);
  return map;
}

export function relevantFindings(
  snapshot: Snapshot,
  steps: readonly Step[],
  endpoints: readonly Endpoint[],
): ExplanationFinding[] {
  const index = findingsByObject(snapshot);
  if (index.size === 0) return [];
  const keys = new Set<string>();
  for (const s of steps) for (const p of s.policies) keys.add(`${p.kind}/${p.namespace ?? ''}/${p.name}`);
  for (const e of endpoints) {
    if (e.type !== 'pod') continue;
    keys.add(`Pod/${e.pod.namespace}/${e.pod.name}`);
    for (const o of e.pod.owners) keys.add(`${o.kind}/${e.pod.namespace}/${o.name}`);
  }
  return [...keys].flatMap((k) => index.get(k) ?? []);
}
