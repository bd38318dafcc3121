/** Snapshot findings that concern the objects an explanation mentions. */
import type { Snapshot } from '../../model/snapshot.js';
import type { ExplanationFinding, Step } from '../explanation.js';
import type { Endpoint } from '../flow.js';

interface FindingsIndex {
  /** `kind/namespace/name` -> the findings about that object */
  readonly byObject: ReadonlyMap<string, ExplanationFinding[]>;
  /** the names of the objects with findings: most mentions have none, so no key is built for them */
  readonly names: ReadonlySet<string>;
}

const indexes = new WeakMap<Snapshot, FindingsIndex>();

function findingsIndex(snapshot: Snapshot): FindingsIndex {
  const cached = indexes.get(snapshot);
  if (cached) return cached;
  const byObject = new Map<string, ExplanationFinding[]>();
  const names = new Set<string>();
  for (const f of snapshot.findings) {
    if (!f.object) continue;
    const key = `${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}`;
    names.add(f.object.name);
    byObject.set(key, [
      ...(byObject.get(key) ?? []),
      { severity: f.severity, code: f.code, message: f.message, object: f.object },
    ]);
  }
  const index = { byObject, names };
  indexes.set(snapshot, index);
  return index;
}

export function relevantFindings(
  snapshot: Snapshot,
  steps: readonly Step[],
  endpoints: readonly Endpoint[],
): ExplanationFinding[] {
  const { byObject, names } = findingsIndex(snapshot);
  if (byObject.size === 0) return [];
  // keys in the order the objects are mentioned; an object whose name has no finding adds nothing
  const keys = new Set<string>();
  const mention = (kind: string, namespace: string | null, name: string): void => {
    if (names.has(name)) keys.add(`${kind}/${namespace ?? ''}/${name}`);
  };
  for (const s of steps) for (const p of s.policies) mention(p.kind, p.namespace, p.name);
  for (const e of endpoints) {
    if (e.type !== 'pod') continue;
    mention('Pod', e.pod.namespace, e.pod.name);
    for (const o of e.pod.owners) mention(o.kind, e.pod.namespace, o.name);
  }
  return [...keys].flatMap((k) => byObject.get(k) ?? []);
}
