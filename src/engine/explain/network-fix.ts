/** Fixes for NetworkPolicy denials: a NetworkPolicy per blocked side, or manual text for admin tiers. */
import { emitYaml } from '../../util/yaml-emit.js';
import type { Labels, Pod, Protocol } from '../../model/k8s.js';
import type { Endpoint } from '../flow.js';
import type { Fix } from '../explanation.js';
import type { TierResult } from '../network-policy/types.js';

const NOISE = /^(pod-template-hash|controller-revision-hash|statefulset\.kubernetes\.io\/pod-name|security\.istio\.io\/tlsMode|service\.istio\.io\/.*|batch\.kubernetes\.io\/.*|job-name|controller-uid)$/;

/** Labels that identify a pod's workload, for a podSelector in a generated policy. */
export function identifyingLabels(pod: Pod): Labels {
  for (const key of ['app.kubernetes.io/name', 'app', 'k8s-app']) {
    const value = pod.labels[key];
    if (value !== undefined) return { [key]: value };
  }
  return Object.fromEntries(Object.entries(pod.labels).filter(([k]) => !NOISE.test(k)));
}

function peerFor(endpoint: Endpoint): Record<string, unknown> {
  if (endpoint.type === 'ip') return { ipBlock: { cidr: endpoint.ip.includes(':') ? `${endpoint.ip}/128` : `${endpoint.ip}/32` } };
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': endpoint.pod.namespace } },
    podSelector: { matchLabels: { ...identifyingLabels(endpoint.pod) } },
  };
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
}

function endpointName(endpoint: Endpoint): string {
  if (endpoint.type === 'ip') return endpoint.ip;
  return endpoint.pod.owners[0]?.name ?? endpoint.pod.name;
}

export function networkPolicyFix(direction: 'egress' | 'ingress', result: TierResult, source: Endpoint, destination: Endpoint, protocol: Protocol, port: number): Fix | null {
  if (result.verdict !== 'denied') return null;
  const subject = direction === 'egress' ? source : destination;
  if (subject.type !== 'pod') return null;
  if (result.tier !== 'networkpolicy') {
    const p = result.policies[0];
    return {
      why: `${p?.kind ?? 'an admin policy'} ${p?.name ?? ''} rule ${p?.rule ?? ''} denies this ${direction} before any NetworkPolicy is consulted`,
      action: 'manual',
      target: { kind: p?.kind ?? 'AdminNetworkPolicy', namespace: null, name: p?.name ?? '' },
      yaml: `# ask the cluster admin to add an Allow (or Pass) rule above rule ${p?.rule ?? ''} of ${p?.kind ?? ''} ${p?.name ?? ''}\n`,
    };
  }
  const remote = direction === 'egress' ? destination : source;
  const name = slug(`allow-${direction === 'egress' ? 'to' : 'from'}-${endpointName(remote)}-${port}`);
  const rule = { [direction === 'egress' ? 'to' : 'from']: [peerFor(remote)], ports: [{ protocol, port }] };
  const policy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `${slug(endpointName(subject))}-${name}`, namespace: subject.pod.namespace },
    spec: {
      podSelector: { matchLabels: { ...identifyingLabels(subject.pod) } },
      policyTypes: [direction === 'egress' ? 'Egress' : 'Ingress'],
      [direction]: [rule],
    },
  };
  return {
    why: `${subject.pod.namespace}/${endpointName(subject)} is isolated for ${direction}; allow ${protocol}/${port} ${direction === 'egress' ? 'to' : 'from'} ${endpointName(remote)}`,
    action: 'create',
    target: { kind: 'NetworkPolicy', namespace: subject.pod.namespace, name: policy.metadata.name },
    yaml: emitYaml(policy),
  };
}
