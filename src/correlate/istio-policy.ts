/**
 * Envoy RBAC policy ids -> AuthorizationPolicy rules of the Snapshot: the mention, the layer,
 * whether the Snapshot has the policy at all (if not, the proxy enforces stale config), and the
 * destination when the policy applies to exactly one workload.
 */
import { appliesToPod } from '../engine/index.js';
import type { Layer, PolicyMention } from '../engine/index.js';
import { authorizationPolicyOfRef } from '../model/policy-index.js';
import { formatRuleRef, isBadCustomActionId, parseIstioRuleRef, type IstioRuleRef } from '../model/rule-ref.js';
import type { AuthorizationPolicy } from '../model/istio.js';
import type { PodGroup, Snapshot } from '../model/snapshot.js';
import type { DenialPeer } from './denial.js';

export interface IstioPolicyMatch {
  readonly ref: IstioRuleRef | null;
  readonly policy: AuthorizationPolicy | null;
  readonly mention: PolicyMention | null;
  /** null without a Snapshot or without a policy id */
  readonly inSnapshot: boolean | null;
  readonly layer: Layer;
}

export function isBadCustomId(id: string | null): boolean {
  return id !== null && isBadCustomActionId(id);
}

export const STALE_POLICY = "the proxy enforces a policy your manifests don't have (stale or deleted)";

function layerOf(ref: IstioRuleRef | null, policy: AuthorizationPolicy | null, id: string | null): Layer {
  if (ref?.extAuthz || policy?.action === 'CUSTOM' || isBadCustomId(id)) return 'authz-custom';
  if (policy?.action === 'ALLOW') return 'authz-allow';
  // a denied decision that names a policy comes from the DENY filter; `none` from the ALLOW filter
  return ref !== null ? 'authz-deny' : 'authz-allow';
}

/** Looks up a printed policy id (`null` for `none`). */
export function matchIstioPolicy(snapshot: Snapshot | null, policyId: string | null): IstioPolicyMatch {
  const ref = policyId === null ? null : parseIstioRuleRef(policyId);
  const policy = snapshot !== null && ref !== null ? authorizationPolicyOfRef(snapshot, ref) : null;
  const ruleExists =
    policy !== null &&
    ref !== null &&
    (ref.rule < policy.rules.length || (policy.rules.length === 0 && ref.rule === 0));
  const mention: PolicyMention | null =
    ref === null
      ? null
      : {
          kind: 'AuthorizationPolicy',
          namespace: ref.namespace,
          name: ref.name,
          rule: ref.rule,
          // named as explain names the rule: a CUSTOM rule without provider segment or DENY suffix
          ruleRef: formatRuleRef({ ...ref, extAuthz: ref.extAuthz && { provider: null, badAction: false } }),
        };
  return {
    ref,
    policy,
    mention,
    inSnapshot: snapshot === null || policyId === null || isBadCustomId(policyId) ? null : ruleExists,
    layer: layerOf(ref, policy, policyId),
  };
}

/** The one workload a policy applies to, when there is exactly one (destination of a denial with no address). */
export function destinationByPolicyScope(
  snapshot: Snapshot | null,
  policy: AuthorizationPolicy | null,
): DenialPeer | null {
  if (snapshot === null || policy === null) return null;
  const root = snapshot.istio.mesh.rootNamespace;
  const groups = snapshot.groups.filter((g: PodGroup) => g.pods.some((pod) => appliesToPod(policy, pod, root)));
  if (groups.length !== 1) return null;
  const g = groups[0] as PodGroup;
  return {
    namespace: g.namespace,
    name: g.name,
    kind: g.kind,
    workload: g.kind === 'Pod' ? null : `${g.kind}/${g.name}`,
    ip: null,
    principal: null,
    resolvedBy: 'policy-scope',
    ipMayHaveChanged: false,
  };
}
