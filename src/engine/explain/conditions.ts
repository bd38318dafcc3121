/** Conditions from policies meshdbg detects but does not evaluate. */
import type { Snapshot } from '../../model/snapshot.js';
import type { Condition } from '../explanation.js';
import type { Endpoint } from '../flow.js';
import type { TierResult } from '../network-policy/types.js';

/** Istio kinds whose conditions the Istio layer states itself, only where they select the flow. */
const ISTIO_SCOPED = new Set(['Sidecar', 'ServiceEntry', 'EnvoyFilter', 'WorkloadEntry']);

export function unmodelledConditions(snapshot: Snapshot, source: Endpoint, destination: Endpoint): Condition[] {
  if (snapshot.unmodelled.length === 0) return [];
  const namespaces = new Set([source, destination].flatMap((e) => (e.type === 'pod' ? [e.pod.namespace] : [])));
  return snapshot.unmodelled
    .filter((u) => !ISTIO_SCOPED.has(u.kind) && (u.namespace === null || namespaces.has(u.namespace)))
    .map((u) => ({
      code: 'unmodelled-policy',
      message: `${u.kind} ${u.namespace ? `${u.namespace}/` : ''}${u.name} (${u.apiVersion}) may apply and is not evaluated by meshdbg`,
    }));
}

/** Same-priority AdminNetworkPolicies that disagree: the spec leaves their order undefined. */
export function undefinedOrderConditions(...results: readonly (TierResult | null)[]): Condition[] {
  if (results.every((r) => !r?.undefinedOrder)) return [];
  return results.flatMap((r) =>
    r?.undefinedOrder
      ? [
          {
            code: 'undefined-order',
            message: `AdminNetworkPolicies ${r.undefinedOrder.join(', ')} share a priority and act differently on this flow; the spec leaves their order undefined`,
          },
        ]
      : [],
  );
}
