/** Conditions for things detected but not modelled that can touch this flow (README "Explain one flow": exit 4 conditional or unsupported). */
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { AuthorizationPolicy } from '../../model/istio.js';
import type { Condition } from '../explanation.js';
import type { FlowContext } from '../flow.js';
import { selectorMatches } from './labels.js';
import { authzPoliciesIn } from './policy-index.js';

/** Per Snapshot and namespace: its AuthorizationPolicies that target a Service or ServiceEntry (usually none). */
const serviceTargeting = new WeakMap<Snapshot, Map<string, readonly AuthorizationPolicy[]>>();

function serviceTargetingPolicies(snapshot: Snapshot, namespace: string): readonly AuthorizationPolicy[] {
  let byNamespace = serviceTargeting.get(snapshot);
  if (!byNamespace) serviceTargeting.set(snapshot, (byNamespace = new Map()));
  let list = byNamespace.get(namespace);
  if (!list) {
    const targeting = (p: AuthorizationPolicy): boolean =>
      p.targetRefs.some((r) => r.kind === 'Service' || r.kind === 'ServiceEntry');
    byNamespace.set(namespace, (list = authzPoliciesIn(snapshot, namespace).filter(targeting)));
  }
  return list;
}

function waypointPolicies(snapshot: Snapshot, flow: FlowContext, dst: Pod): Condition[] {
  return serviceTargetingPolicies(snapshot, dst.namespace)
    .filter((p) =>
      p.targetRefs.some(
        (r) =>
          (r.kind === 'Service' && flow.service?.name === r.name && flow.service.namespace === p.namespace) ||
          r.kind === 'ServiceEntry',
      ),
    )
    .map((p) => ({
      // informational: waypoints only, never sidecars (istio/istio pilot/pkg/model/policyattachment.go)
      code: 'waypoint-only-policy',
      message: `AuthorizationPolicy ${p.namespace}/${p.name} targets a Service/ServiceEntry: only a waypoint enforces it, and this traffic goes through none`,
    }));
}

function detectedConditions(snapshot: Snapshot, flow: FlowContext, src: Pod | null, dst: Pod | null): Condition[] {
  const out: Condition[] = [];
  const root = snapshot.istio.mesh.rootNamespace;
  for (const d of snapshot.istio.detected ?? []) {
    const selects = (pod: Pod | null): boolean =>
      pod !== null &&
      (d.namespace === pod.namespace || d.namespace === root) &&
      (d.selector === null || selectorMatches(d.selector, pod.labels));
    if (d.kind === 'Sidecar' && selects(src))
      out.push({
        code: 'unmodelled-policy',
        message: `Sidecar resource ${d.namespace}/${d.name} may limit the source's egress scope`,
      });
    if (d.kind === 'EnvoyFilter' && (selects(src) || selects(dst)))
      out.push({
        code: 'unmodelled-policy',
        message: `EnvoyFilter ${d.namespace}/${d.name} may change the proxy's behaviour`,
      });
    if (d.kind === 'ServiceEntry' && flow.destination.type === 'ip')
      out.push({
        code: 'unmodelled-policy',
        message: `ServiceEntry ${d.namespace}/${d.name} may define this out-of-cluster destination`,
      });
  }
  if (flow.destination.type === 'ip' && snapshot.istio.mesh.outboundTrafficPolicy === 'REGISTRY_ONLY' && src !== null) {
    out.push({
      code: 'unmodelled-policy',
      message: 'outboundTrafficPolicy REGISTRY_ONLY: out-of-mesh destinations need a ServiceEntry',
    });
  }
  return out;
}

export function flowConditions(snapshot: Snapshot, flow: FlowContext): Condition[] {
  const src = flow.source.type === 'pod' ? flow.source.pod : null;
  const dst = flow.destination.type === 'pod' ? flow.destination.pod : null;
  const waypoint = dst ? waypointPolicies(snapshot, flow, dst) : [];
  const detected = detectedConditions(snapshot, flow, src, dst);
  return detected.length === 0 ? waypoint : [...waypoint, ...detected];
}
