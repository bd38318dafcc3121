/**
 * Stale proxy config: what a pod's Envoy enforces (authz-check table, via istioctl or
 * natively) against what the Snapshot says should apply to that pod. The pod detail shows it
 * for the live table (ui/docs/pod-detail-doc.ts), `meshdbg authz-check --from` prints it.
 */
import { authzCheckRows, ANONYMOUS_MATCH_NOTHING } from '../../engine/index.js';
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { diffAuthzRows, isInSync, splitPolicyName } from '../../parsers/istioctl-authz-check.js';
import type { AuthzDrift, ExpectedPolicy } from '../../parsers/istioctl-authz-check.js';

/** The policies the Snapshot predicts for the pod, in the table's terms. */
export function expectedPolicies(snapshot: Snapshot, pod: Pod): ExpectedPolicy[] {
  return authzCheckRows(snapshot, pod)
    .filter((r) => r.name !== ANONYMOUS_MATCH_NOTHING)
    .map((r) => {
      const { name, namespace } = splitPolicyName(r.name);
      return { action: r.action, name, namespace: namespace ?? pod.namespace, rules: r.rules };
    });
}

export function driftMessages(drift: AuthzDrift): string[] {
  return [
    ...drift.unexpectedOnProxy.map(
      (r) => `proxy still enforces ${r.action} ${r.policy}, which the cluster no longer has (stale config)`,
    ),
    ...drift.missingOnProxy.map(
      (p) => `proxy does not enforce ${p.action} ${p.name}.${p.namespace} yet (not pushed, or rejected by istiod)`,
    ),
    ...drift.rulesDiffer.map(
      (d) =>
        `${d.policy.action} ${d.policy.name}.${d.policy.namespace}: proxy has ${d.onProxy} rules, the cluster ${d.policy.rules ?? '?'}`,
    ),
  ];
}

/**
 * The proxy's rows (`name.namespace`, as istioctl prints them) against what the Snapshot predicts
 * for the pod: rule counts compared, Istio's match-nothing row never counted.
 */
export function proxyRowsDrift(
  snapshot: Snapshot,
  pod: Pod,
  rows: readonly { readonly action: string; readonly policy: string; readonly rules: number }[],
): AuthzDrift & { readonly inSync: boolean; readonly messages: readonly string[] } {
  const onProxy = rows.map((r) => ({ ...r, ...splitPolicyName(r.policy) }));
  const drift = diffAuthzRows(onProxy, expectedPolicies(snapshot, pod));
  return { ...drift, inSync: isInSync(drift), messages: driftMessages(drift) };
}
