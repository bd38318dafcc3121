/** Fixes for NetworkPolicy denials: a NetworkPolicy per blocked side, or manual text for admin tiers. */
import { createFix, fixObjectName } from '../fix-manifest.js';
import type { Protocol } from '../../model/k8s.js';
import { workloadLabels } from '../workload-labels.js';
import type { Endpoint } from '../flow.js';
import type { Fix } from '../explanation.js';
import type { TierResult } from '../network-policy/types.js';

function hostCidr(ip: string): string {
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}

/** The peer that admits an endpoint: pods by labels, host-network pods and IPs by address. */
function peerFor(endpoint: Endpoint): Record<string, unknown> | null {
  if (endpoint.type === 'ip') return { ipBlock: { cidr: hostCidr(endpoint.ip) } };
  if (endpoint.pod.hostNetwork) return endpoint.pod.ip ? { ipBlock: { cidr: hostCidr(endpoint.pod.ip) } } : null;
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': endpoint.pod.namespace } },
    podSelector: { matchLabels: { ...workloadLabels(endpoint.pod) } },
  };
}

const slug = (text: string): string => fixObjectName(text, 40);

function endpointName(endpoint: Endpoint): string {
  if (endpoint.type === 'ip') return endpoint.ip;
  return endpoint.pod.owners[0]?.name ?? endpoint.pod.name;
}

export function networkPolicyFix(
  direction: 'egress' | 'ingress',
  result: TierResult,
  source: Endpoint,
  destination: Endpoint,
  protocol: Protocol,
  port: number,
): Fix | null {
  if (result.verdict !== 'denied') return null;
  if (result.fix) return result.fix;
  const subject = direction === 'egress' ? source : destination;
  if (subject.type !== 'pod') return null;
  if (result.tier === 'admin') {
    const p = result.policies[0];
    return {
      why: `${p?.kind ?? 'an admin policy'} ${p?.name ?? ''} rule ${p?.rule ?? ''} denies this ${direction} before any NetworkPolicy is consulted`,
      action: 'manual',
      target: { kind: p?.kind ?? 'AdminNetworkPolicy', namespace: null, name: p?.name ?? '' },
      yaml: `# ask the cluster admin to add an Allow (or Pass) rule above rule ${p?.rule ?? ''} of ${p?.kind ?? ''} ${p?.name ?? ''}\n`,
    };
  }
  const remote = direction === 'egress' ? destination : source;
  const peer = peerFor(remote);
  if (!peer) {
    return {
      why: `${endpointName(remote)} is a host-network pod with no known IP; allow its node address with an ipBlock`,
      action: 'manual',
      target: { kind: 'NetworkPolicy', namespace: subject.pod.namespace, name: endpointName(subject) },
      yaml: `# add an ingress/egress rule with ipBlock <node IP of ${endpointName(remote)}>/32 on ${protocol}/${port}\n`,
    };
  }
  // a NetworkPolicy that selects the pod replaces the baseline tier for this direction
  const baselineNote =
    result.tier === 'baseline'
      ? ` (this NetworkPolicy takes over from BaselineAdminNetworkPolicy ${result.policies[0]?.name ?? 'default'}: other ${direction} of this pod is then denied unless a NetworkPolicy allows it)`
      : '';
  const name = slug(`allow-${direction === 'egress' ? 'to' : 'from'}-${endpointName(remote)}-${port}`);
  const rule = { [direction === 'egress' ? 'to' : 'from']: [peer], ports: [{ protocol, port }] };
  const policy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `${slug(endpointName(subject))}-${name}`, namespace: subject.pod.namespace },
    spec: {
      podSelector: { matchLabels: { ...workloadLabels(subject.pod) } },
      policyTypes: [direction === 'egress' ? 'Egress' : 'Ingress'],
      [direction]: [rule],
    },
  };
  return createFix(
    `${subject.pod.namespace}/${endpointName(subject)} is ${result.tier === 'baseline' ? 'denied by the baseline policy' : 'isolated'} for ${direction}; allow ${protocol}/${port} ${direction === 'egress' ? 'to' : 'from'} ${endpointName(remote)}${baselineNote}`,
    { kind: 'NetworkPolicy', namespace: subject.pod.namespace, name: policy.metadata.name },
    policy,
  );
}
