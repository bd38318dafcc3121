/**
 * Pods and addresses as Calico sees them (pure). A pod's workload endpoint carries the pod's labels
 * plus projectcalico.org/namespace, /orchestrator (k8s) and /serviceaccount
 * (projectcalico/calico:libcalico-go/lib/backend/k8s/conversion/workload_endpoint_default.go), and
 * inherits its profiles' labels: the namespace's labels prefixed `pcns.` (and
 * `pcns.projectcalico.org/name`), the service account's prefixed `pcsa.`
 * (conversion.go NamespaceToProfile / ServiceAccountToProfile, constants.go). A rule's
 * namespaceSelector matches the namespace labels with `projectcalico.org/name`. An address matches a
 * rule selector through the NetworkSets / GlobalNetworkSets whose nets contain it
 * (https://docs.tigera.io/calico/latest/reference/resources/networkset).
 */
import { boundedMemo } from '../../util/bounded-memo.js';
import type { Labels, Pod, Protocol } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { CalicoNetworkSet } from '../../model/calico/policy.js';
import type { Endpoint } from '../flow.js';
import { namespaceLabels } from '../network-policy/endpoint.js';
import { cidrContainsIp, parseIp, parseIpOrCidr } from '../../util/cidr.js';
import type { CalicoPeer, CalicoServiceBacking } from './rule-match.js';
import { servicesSelecting } from '../../model/service-selection.js';
import { targetPortOn } from '../explain/ports.js';

const NAME_LABEL = 'projectcalico.org/name';

export function calicoNamespaceLabels(snapshot: Snapshot, namespace: string): Labels {
  return { ...namespaceLabels(snapshot, namespace), [NAME_LABEL]: namespace };
}

/**
 * The labels of a pod's ServiceAccount as its `ksa.NS.NAME` profile carries them: the object's
 * labels and projectcalico.org/name (conversion.go ServiceAccountToProfile). `complete` is false
 * when the ServiceAccount is not in the input: then only the name is known.
 */
export function serviceAccountLabels(snapshot: Snapshot, pod: Pod): { labels: Labels; complete: boolean } {
  const sa = snapshot.serviceAccounts?.get(`${pod.namespace}/${pod.serviceAccount}`);
  return { labels: { ...sa?.labels, [NAME_LABEL]: pod.serviceAccount }, complete: sa !== undefined };
}

/** Is the pod's ServiceAccount object in the input (so all its labels are known)? */
export function serviceAccountKnown(snapshot: Snapshot, pod: Pod): boolean {
  return snapshot.serviceAccounts?.has(`${pod.namespace}/${pod.serviceAccount}`) ?? false;
}

const endpointLabelCache = new WeakMap<Snapshot, WeakMap<Pod, Labels>>();

/** The labels policy and rule selectors see on a pod's workload endpoint. */
export function workloadEndpointLabels(snapshot: Snapshot, pod: Pod): Labels {
  let perPod = endpointLabelCache.get(snapshot);
  if (!perPod) endpointLabelCache.set(snapshot, (perPod = new WeakMap()));
  const cached = perPod.get(pod);
  if (cached) return cached;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(calicoNamespaceLabels(snapshot, pod.namespace))) labels[`pcns.${k}`] = v;
  for (const [k, v] of Object.entries(serviceAccountLabels(snapshot, pod).labels)) labels[`pcsa.${k}`] = v;
  Object.assign(labels, pod.labels, {
    'projectcalico.org/namespace': pod.namespace,
    'projectcalico.org/orchestrator': 'k8s',
    'projectcalico.org/serviceaccount': pod.serviceAccount,
  });
  perPod.set(pod, labels);
  return labels;
}

/** A pod's named ports with their protocols (names are unique in a pod: the API server refuses repeats). */
function namedPorts(pod: Pod): CalicoPeer['namedPorts'] {
  const out: Record<string, { port: number; protocol: Protocol }> = {};
  for (const c of [...pod.containers, ...pod.initContainers])
    for (const p of c.ports) if (p.name !== null) out[p.name] = { port: p.containerPort, protocol: p.protocol };
  return out;
}

function containsIp(set: CalicoNetworkSet, ip: string): boolean {
  const addr = parseIp(ip);
  return (
    addr !== null &&
    set.nets.some((n) => {
      const cidr = parseIpOrCidr(n);
      return cidr !== null && cidrContainsIp(cidr, addr);
    })
  );
}

const PLAIN = {
  namespaceLabels: null,
  serviceAccount: null,
  serviceAccountLabels: null,
  serviceAccountLabelsComplete: true,
} as const;

/**
 * The candidates a rule's entity fields are matched against: a pod's workload endpoint, or an
 * address alone, and as each network set that contains the address (any candidate matching is a
 * match). Felix matches a selector by IP set membership, and a set for a selector holds the nets
 * of the network sets it selects (felix/labelindex/named_port_index.go), so a pod whose address
 * lies in a selected network set matches too. A notSelector is "not in that IP set" (felix/rules
 * policy.go NotSrcIpSetIds, iptables/match_builder.go NotSourceIPSet), so every candidate carries
 * the labels of all the endpoints and sets that hold its address (`ipSetLabels`).
 */
/**
 * The Services a pod is an endpoint of, with the ports its EndpointSlice lists (each Service port's
 * targetPort resolved on the pod; a name the pod does not declare gives no port). Only Services
 * with a selector: the EndpointSlices of one without are not read.
 */
function servicesBacked(snapshot: Snapshot, pod: Pod): CalicoServiceBacking[] {
  return servicesSelecting(snapshot, pod).map((s) => ({
    namespace: s.namespace,
    name: s.name,
    ports: s.ports.flatMap((sp) => {
      const port = targetPortOn(pod, sp);
      return port === null ? [] : [{ port, protocol: sp.protocol }];
    }),
  }));
}

const setsByAddress = new WeakMap<Snapshot, (ip: string) => readonly CalicoNetworkSet[]>();
/** Addresses remembered per Snapshot: a batch of ever new addresses starts the memo over. */
const ADDRESSES_REMEMBERED = 50_000;

/** The network sets whose nets hold an address, kept per Snapshot. */
function setsHolding(snapshot: Snapshot, ip: string): readonly CalicoNetworkSet[] {
  const all = snapshot.calico?.networkSets ?? [];
  if (all.length === 0) return all;
  let holding = setsByAddress.get(snapshot);
  if (!holding)
    setsByAddress.set(
      snapshot,
      (holding = boundedMemo(ADDRESSES_REMEMBERED, (a) => all.filter((s) => containsIp(s, a)))),
    );
  return holding(ip);
}

/**
 * What a rule's serviceAccounts.selector reads on a network set: nothing. felix turns that selector
 * into the same selector on `pcsa.`-prefixed labels, ANDed with the rule's selector and namespace
 * (projectcalico/calico libcalico-go/lib/backend/syncersv1/updateprocessors/rules.go
 * parseServiceAccounts, getEndpointSelector), and only a pod's profile carries `pcsa.` labels, so
 * on a network set `!has(k)` and `all()` hold and any label test fails, as on a pod whose
 * ServiceAccount has no labels. A `names` list reads projectcalico.org/serviceaccount, which no
 * network set has (`serviceAccount` stays null).
 */
const NETWORK_SET_ACCOUNT_LABELS: Labels = Object.freeze({});

/** The address alone, with no endpoint's labels. */
function addressPeer(ip: string | null, port: number | null): CalicoPeer {
  return { ...PLAIN, labels: null, namespace: null, ip, port, namedPorts: {} };
}

export function calicoPeers(snapshot: Snapshot, endpoint: Endpoint, port: number | null): CalicoPeer[] {
  const pod = endpoint.type === 'pod' && !endpoint.pod.hostNetwork ? endpoint.pod : null;
  const ip = endpoint.type === 'ip' ? endpoint.ip : endpoint.pod.ip;
  const sets = ip === null ? [] : setsHolding(snapshot, ip);
  const own = pod ? { ...podPeer(snapshot, pod), port } : addressPeer(ip, port);
  if (sets.length === 0) return [own];
  const bare = pod ? addressPeer(ip, port) : own;
  const ipSetLabels = [...(own.labels ? [own.labels] : []), ...sets.map((s) => s.labels)];
  return [
    { ...own, ipSetLabels },
    ...sets.map((s) => ({
      ...bare,
      ...(own.services ? { services: own.services } : {}),
      ipSetLabels,
      labels: s.labels,
      namespace: s.namespace,
      namespaceLabels: s.namespace === null ? null : calicoNamespaceLabels(snapshot, s.namespace),
      serviceAccountLabels: NETWORK_SET_ACCOUNT_LABELS,
    })),
  ];
}

const podPeers = new WeakMap<Snapshot, WeakMap<Pod, CalicoPeer>>();

/** A pod's workload endpoint as a peer (the port is the query's), kept per Snapshot. */
function podPeer(snapshot: Snapshot, pod: Pod): CalicoPeer {
  let perPod = podPeers.get(snapshot);
  if (!perPod) podPeers.set(snapshot, (perPod = new WeakMap()));
  const cached = perPod.get(pod);
  if (cached) return cached;
  const account = serviceAccountLabels(snapshot, pod);
  const peer: CalicoPeer = {
    labels: workloadEndpointLabels(snapshot, pod),
    namespace: pod.namespace,
    namespaceLabels: calicoNamespaceLabels(snapshot, pod.namespace),
    serviceAccount: pod.serviceAccount,
    serviceAccountLabels: account.labels,
    serviceAccountLabelsComplete: account.complete,
    ip: pod.ip,
    port: null,
    namedPorts: namedPorts(pod),
    services: servicesBacked(snapshot, pod),
  };
  perPod.set(pod, peer);
  return peer;
}
