/** Facts about an endpoint that policy matching needs. */
import type { Labels, Pod, Protocol } from '../../model/k8s.js';
import type { Cni, Snapshot } from '../../model/snapshot.js';
import type { Endpoint } from '../flow.js';
import type { Match } from './types.js';
import { ipInCidr } from '../../util/cidr.js';

const EMPTY: Labels = {};

export function namespaceLabels(snapshot: Snapshot, namespace: string): Labels {
  return snapshot.namespaces.get(namespace)?.labels ?? { 'kubernetes.io/metadata.name': namespace };
}

/** Whether the CNI matches ipBlock/networks against pod IPs (generic, Calico, kube-router: yes; Cilium: no). */
export function ipBlocksMatchPods(cni: Cni): boolean {
  return cni !== 'cilium';
}

/**
 * The address an ipBlock sees for an endpoint: the IP itself, a host-network pod's (node) IP,
 * or a pod IP when the CNI matches ipBlocks against pods; null otherwise.
 */
export function addressForIpBlock(endpoint: Endpoint, cni: Cni): string | null {
  if (endpoint.type === 'ip') return endpoint.ip;
  if (endpoint.pod.hostNetwork) return endpoint.pod.ip;
  return ipBlocksMatchPods(cni) ? endpoint.pod.ip : null;
}

/** A pod that label selectors can select (host-network pods never are). */
export function selectablePod(endpoint: Endpoint): Pod | null {
  return endpoint.type === 'pod' && !endpoint.pod.hostNetwork ? endpoint.pod : null;
}

export function podLabels(endpoint: Endpoint): Labels {
  return endpoint.type === 'pod' ? endpoint.pod.labels : EMPTY;
}

/** Resolves a named port on a pod: the containerPort with that name and protocol. */
export function resolveNamedPort(pod: Pod | null, name: string, protocol: Protocol): number | null {
  if (!pod) return null;
  return namedPortIn(pod.containers, name, protocol) ?? namedPortIn(pod.initContainers, name, protocol);
}

function namedPortIn(containers: Pod['containers'], name: string, protocol: Protocol): number | null {
  for (const c of containers) {
    for (const p of c.ports) if (p.name === name && p.protocol === protocol) return p.containerPort;
  }
  return null;
}

export function describeEndpoint(endpoint: Endpoint): string {
  return endpoint.type === 'ip' ? endpoint.ip : `${endpoint.pod.namespace}/${endpoint.pod.name}`;
}

/**
 * Does an ipBlock (cidr minus excepts) contain the endpoint's address? Unknown when the CNI
 * matches pod IPs but the pod has none yet (built from a workload template).
 */
export function ipBlockMatch(endpoint: Endpoint, cni: Cni, cidr: string, except: readonly string[]): Match {
  const address = addressForIpBlock(endpoint, cni);
  if (address !== null) return ipInCidr(address, cidr) && !except.some((e) => ipInCidr(address, e));
  const podWithoutIp =
    endpoint.type === 'pod' && endpoint.pod.ip === null && (endpoint.pod.hostNetwork || ipBlocksMatchPods(cni));
  if (!podWithoutIp) return false;
  if ((cidr === '0.0.0.0/0' || cidr === '::/0') && except.length === 0) return true;
  return {
    code: 'pod-ip-unknown',
    message: `${describeEndpoint(endpoint)} has no IP in the input, so whether ipBlock ${cidr}${except.length ? ` (except ${except.join(', ')})` : ''} covers it is unknown`,
  };
}

/** OR over matches: any yes wins, else the first unknown, else no. */
export function anyMatch(matches: readonly Match[]): Match {
  if (matches.some((m) => m === true)) return true;
  return matches.find((m) => m !== false) ?? false;
}
