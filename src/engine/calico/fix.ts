/**
 * A Calico-native fix for a denial decided in a Calico tier (pure): an Allow rule in a Calico
 * NetworkPolicy of the subject's namespace, in the tier that denied, ordered just before the policy
 * that denied (policies run by order within a tier, felix/calc/policy_sorter.go). The end of the
 * default tier is left to a Kubernetes NetworkPolicy (network-fix.ts): Calico runs those in that tier.
 */
import { emitYaml } from '../../util/yaml-emit.js';
import type { Pod, Protocol } from '../../model/k8s.js';
import type { Fix } from '../explanation.js';
import type { Endpoint } from '../flow.js';
import { workloadLabels } from '../workload-labels.js';
import type { Member } from './members.js';

function selectorOf(pod: Pod): string {
  return Object.entries(workloadLabels(pod))
    .map(([k, v]) => `${k} == "${v}"`)
    .join(' && ');
}

function peerOf(remote: Endpoint): Record<string, unknown> {
  if (remote.type === 'ip') return { nets: [`${remote.ip}/${remote.ip.includes(':') ? 128 : 32}`] };
  if (remote.pod.hostNetwork && remote.pod.ip) return { nets: [`${remote.pod.ip}/32`] };
  return { selector: selectorOf(remote.pod), namespaceSelector: `projectcalico.org/name == "${remote.pod.namespace}"` };
}

function nameOf(remote: Endpoint): string {
  const raw = remote.type === 'ip' ? remote.ip : (remote.pod.owners[0]?.name ?? remote.pod.name);
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 40);
}

/** Just before the deciding member; after the tier's ordered members when it has no order. */
function orderBefore(decider: Member, ordered: readonly number[]): number {
  if (decider.order !== null) return decider.order - 1;
  // a loop, not Math.max(...ordered): a tier of 150k policies would overflow the stack
  return ordered.length ? ordered.reduce((a, b) => Math.max(a, b)) + 1 : 1000;
}

export function calicoFix(
  direction: 'ingress' | 'egress',
  decider: Member,
  rule: number,
  tierOrders: readonly number[],
  flow: { source: Endpoint; destination: Endpoint; protocol: Protocol; port: number },
): Fix | null {
  const subject = direction === 'ingress' ? flow.destination : flow.source;
  const remote = direction === 'ingress' ? flow.source : flow.destination;
  if (subject.type !== 'pod' || (decider.tier === 'default' && rule === -1)) return null;
  if (decider.type === 'admin')
    return {
      why: `${decider.policy.kind} ${decider.policy.name} (tier ${decider.tier}) denies this ${direction}`,
      action: 'manual',
      target: { kind: decider.policy.kind, namespace: null, name: decider.policy.name },
      yaml: `# ask the cluster admin to add an Allow (or Pass) rule before rule ${rule} of ${decider.policy.kind} ${decider.policy.name}\n`,
    };
  const tierPrefix = decider.tier === 'default' ? '' : `${decider.tier}.`;
  const name = `${tierPrefix}allow-${direction === 'ingress' ? 'from' : 'to'}-${nameOf(remote)}-${flow.port}`;
  const ports = { ports: [flow.port] };
  const allow =
    direction === 'ingress'
      ? { action: 'Allow', protocol: flow.protocol, source: peerOf(remote), destination: ports }
      : { action: 'Allow', protocol: flow.protocol, destination: { ...peerOf(remote), ...ports } };
  const policy = {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: subject.pod.namespace },
    spec: {
      tier: decider.tier,
      order: orderBefore(decider, tierOrders),
      selector: selectorOf(subject.pod),
      types: [direction === 'ingress' ? 'Ingress' : 'Egress'],
      [direction]: [allow],
    },
  };
  const what = rule === -1 ? `the end of tier ${decider.tier}` : `${decider.policy.name} ${direction}[${rule}]`;
  return {
    why: `${what} denies it; an Allow in tier ${decider.tier} ordered before ${decider.policy.name} lets ${flow.protocol}/${flow.port} ${direction === 'ingress' ? 'in from' : 'out to'} ${nameOf(remote)}`,
    action: 'create',
    target: { kind: 'CalicoNetworkPolicy', namespace: subject.pod.namespace, name },
    yaml: emitYaml(policy),
  };
}
