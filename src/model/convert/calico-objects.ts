/**
 * Picks the Calico objects out of the input (projectcalico.org/v3, the Calico API server's group,
 * and crd.projectcalico.org/v1, the CRDs it stores them in: same spec,
 * projectcalico/calico:api/pkg/apis/projectcalico/v3) and converts them.
 */
import type { Finding } from '../findings.js';
import type { RawObject } from '../raw.js';
import type { CalicoPolicyKind, CalicoResources, CalicoStagedKubernetesPolicy } from '../calico/policy.js';
import { convertCalicoNetworkSet, convertCalicoPolicy, convertCalicoTier, stagedActionOf } from './calico-policy.js';
import { convertNetworkPolicy } from './network-policy.js';
import { apiGroup } from './kinds.js';
import { nameOf } from './core.js';
import { ConvertContext, recordAt, stringAt } from './context.js';

const CALICO_GROUPS = new Set(['projectcalico.org', 'crd.projectcalico.org']);

const POLICY_KINDS = new Set<string>([
  'NetworkPolicy',
  'GlobalNetworkPolicy',
  'StagedNetworkPolicy',
  'StagedGlobalNetworkPolicy',
]);

const STAGED_KUBERNETES = 'StagedKubernetesNetworkPolicy';

/** The Calico kinds meshdbg converts. */
export const CALICO_KINDS: readonly string[] = [
  ...POLICY_KINDS,
  STAGED_KUBERNETES,
  'Tier',
  'NetworkSet',
  'GlobalNetworkSet',
  'HostEndpoint',
];

export function isCalicoObject(apiVersion: string, kind: string): boolean {
  return CALICO_GROUPS.has(apiGroup(apiVersion)) && CALICO_KINDS.includes(kind);
}

function byName<T extends { readonly name: string; readonly namespace?: string | null }>(a: T, b: T): number {
  const [x, y] = [`${a.namespace ?? ''}/${a.name}`, `${b.namespace ?? ''}/${b.name}`];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A StagedKubernetesNetworkPolicy: its spec is a Kubernetes NetworkPolicy's plus stagedAction
 * (projectcalico/calico:api/pkg/apis/projectcalico/v3/stagedkubernetesnetworkpolicy.go), converted
 * as the NetworkPolicy it would become (ConvertStagedKubernetesPolicyToK8SEnforced copies metadata
 * and spec).
 */
function convertStagedKubernetesPolicy(
  raw: RawObject,
  defaultNamespace: string,
  findings: Finding[],
): CalicoStagedKubernetesPolicy {
  const policy = convertNetworkPolicy(raw, defaultNamespace, findings, STAGED_KUBERNETES);
  const ctx = new ConvertContext(
    raw,
    { kind: STAGED_KUBERNETES, namespace: policy.namespace, name: policy.name },
    findings,
  );
  const stagedAction = stagedActionOf(recordAt(raw.object['spec']) ?? {}, STAGED_KUBERNETES, ctx) ?? 'Set';
  return { policy, stagedAction };
}

/** Converts the Calico objects among `objects` (others are left alone), sorted as the API server lists them. */
export function convertCalicoObjects(
  objects: readonly RawObject[],
  defaultNamespace: string,
  findings: Finding[],
): CalicoResources {
  const out = { tiers: [], policies: [], staged: [], stagedKubernetes: [], networkSets: [], hostEndpoints: [] } as {
    -readonly [K in keyof CalicoResources]: CalicoResources[K][number][];
  };
  for (const raw of objects) {
    const kind = raw.object['kind'] as string;
    if (!isCalicoObject(raw.object['apiVersion'] as string, kind)) continue;
    if (POLICY_KINDS.has(kind)) {
      const policy = convertCalicoPolicy(raw, kind as CalicoPolicyKind, defaultNamespace, findings);
      (policy.stagedAction === null ? out.policies : out.staged).push(policy);
    } else if (kind === STAGED_KUBERNETES)
      out.stagedKubernetes.push(convertStagedKubernetesPolicy(raw, defaultNamespace, findings));
    else if (kind === 'Tier') out.tiers.push(convertCalicoTier(raw, findings));
    else if (kind === 'NetworkSet' || kind === 'GlobalNetworkSet')
      out.networkSets.push(convertCalicoNetworkSet(raw, kind === 'GlobalNetworkSet', defaultNamespace, findings));
    else
      out.hostEndpoints.push({
        name: nameOf(raw.object),
        node: stringAt(recordAt(raw.object['spec'])?.['node']) ?? null,
        loc: raw.loc,
      });
  }
  return {
    tiers: out.tiers.sort(byName),
    policies: out.policies.sort(byName),
    staged: out.staged.sort(byName),
    stagedKubernetes: out.stagedKubernetes.sort((a, b) => byName(a.policy, b.policy)),
    networkSets: out.networkSets.sort(byName),
    hostEndpoints: out.hostEndpoints.sort(byName),
  };
}
