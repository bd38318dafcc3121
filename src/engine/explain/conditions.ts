/** Conditions from policies meshdbg detects but does not evaluate. */
import type { Snapshot } from '../../model/snapshot.js';
import type { Condition } from '../explanation.js';
import type { Endpoint } from '../flow.js';

export function unmodelledConditions(snapshot: Snapshot, source: Endpoint, destination: Endpoint): Condition[] {
  const namespaces = new Set([source, destination].flatMap((e) => (e.type === 'pod' ? [e.pod.namespace] : [])));
  return snapshot.unmodelled
    .filter((u) => u.namespace === null || namespaces.has(u.namespace))
    .map((u) => ({
      code: 'unmodelled-policy',
      message: `${u.kind} ${u.namespace ? `${u.namespace}/` : ''}${u.name} (${u.apiVersion}) may apply and is not evaluated by meshdbg`,
    }));
}
