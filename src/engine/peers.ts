/**
 * Peer syntax -> objects of the Snapshot. Accepted forms (README "Explain one flow", Peers): `NS/NAME`,
 * `NAME.NS` (split at the last dot only when the suffix is a known namespace),
 * `KIND/NAME[.NS]`, `NS/KIND/NAME`, a bare `NAME`, an IP, or a structured spec.
 */
import { cutLongValues } from '../util/cut-text.js';
import Fuse from 'fuse.js';
import type { Pod, Service } from '../model/k8s.js';
import type { PodGroup, Snapshot } from '../model/snapshot.js';
import { selectorMatches } from '../model/selectors.js';
import { canonicalIp, isIp } from '../util/cidr.js';
import type { ExplainError, PeerSpec } from './explanation.js';

export type PeerRole = 'source' | 'destination';

export type ResolvedPeer =
  | {
      readonly type: 'service';
      readonly service: Service;
      readonly groups: readonly PodGroup[];
      readonly note: string | null;
    }
  | { readonly type: 'group'; readonly group: PodGroup; readonly pod: Pod | null; readonly note: string | null }
  | { readonly type: 'ip'; readonly ip: string };

const KIND_ALIASES: Readonly<Record<string, string>> = {
  po: 'Pod',
  pod: 'Pod',
  pods: 'Pod',
  deploy: 'Deployment',
  deployment: 'Deployment',
  deployments: 'Deployment',
  sts: 'StatefulSet',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  ds: 'DaemonSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  rs: 'ReplicaSet',
  replicaset: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  job: 'Job',
  jobs: 'Job',
  cj: 'CronJob',
  cronjob: 'CronJob',
  cronjobs: 'CronJob',
  rc: 'ReplicationController',
  replicationcontroller: 'ReplicationController',
  replicationcontrollers: 'ReplicationController',
  svc: 'Service',
  service: 'Service',
  services: 'Service',
};

export function kindFromAlias(text: string): string | null {
  return KIND_ALIASES[text.toLowerCase()] ?? null;
}

interface Wanted {
  readonly namespace: string | null;
  readonly kind: string | null;
  readonly name: string;
  readonly text: string;
}

function parsePeerText(text: string, snapshot: Snapshot): Wanted {
  const parts = text.split('/');
  if (parts.length === 3) {
    return {
      namespace: parts[0] ?? null,
      kind: kindFromAlias(parts[1] ?? '') ?? parts[1] ?? null,
      name: parts[2] ?? '',
      text,
    };
  }
  let kind: string | null = null;
  let namespace: string | null = null;
  let name = text;
  if (parts.length === 2) {
    const k = kindFromAlias(parts[0] ?? '');
    if (k && !snapshot.namespaces.has(parts[0] ?? '')) {
      kind = k;
      name = parts[1] ?? '';
    } else {
      return { namespace: parts[0] ?? null, kind: null, name: parts[1] ?? '', text };
    }
  }
  const dot = name.lastIndexOf('.');
  if (dot > 0 && snapshot.namespaces.has(name.slice(dot + 1))) {
    namespace = name.slice(dot + 1);
    name = name.slice(0, dot);
  }
  return { namespace, kind, name, text };
}

function serviceSelects(service: Service, group: PodGroup): boolean {
  const selector = service.selector;
  return (
    selector !== null &&
    group.pods.some((p) => selectorMatches({ matchLabels: selector, matchExpressions: [] }, p.labels))
  );
}

export function groupsOfService(snapshot: Snapshot, service: Service): PodGroup[] {
  return (snapshot.index.groupsByNamespace.get(service.namespace) ?? []).filter((g) => serviceSelects(service, g));
}

/** Every name a user could mean, for "did you mean". */
export function peerCandidates(snapshot: Snapshot): string[] {
  const names = new Set<string>();
  for (const g of snapshot.groups) names.add(`${g.namespace}/${g.name}`);
  for (const s of snapshot.services) names.add(`${s.namespace}/${s.name}`);
  return [...names].sort();
}

function unknownPeer(snapshot: Snapshot, role: PeerRole, text: string, wanted?: Wanted): ExplainError {
  const fuse = new Fuse(peerCandidates(snapshot), { threshold: 0.4, ignoreLocation: true });
  // search what the user meant (`deploy/fronted.shop` means shop/fronted), not the raw syntax
  const query = wanted ? `${wanted.namespace ? `${wanted.namespace}/` : ''}${wanted.name}` : text;
  const candidates = fuse.search(query, { limit: 5 }).map((r) => r.item);
  const hint = candidates.length ? `; did you mean ${candidates.join(', ')}?` : '';
  return {
    kind: 'Error',
    id: null,
    code: 'unknown-peer',
    message: cutLongValues(`unknown ${role} "${text}": no workload, pod or Service by that name${hint}`),
    candidates,
  };
}

/** A pod IP resolves to its pod, a ClusterIP to its Service; any other IP is out of the cluster. */
function resolveIp(snapshot: Snapshot, ip: string): ResolvedPeer {
  const pod = snapshot.index.podByIp.get(ip) ?? null;
  const group = pod ? snapshot.index.groupOfPod.get(pod) : undefined;
  if (pod && group) return { type: 'group', group, pod, note: `${ip} is the IP of pod ${pod.namespace}/${pod.name}` };
  const service = snapshot.index.serviceByIp.get(ip) ?? null;
  if (service)
    return {
      type: 'service',
      service,
      groups: groupsOfService(snapshot, service),
      note: `${ip} is the ClusterIP of Service ${service.namespace}/${service.name}`,
    };
  return { type: 'ip', ip };
}

interface NameIndex {
  readonly services: ReadonlyMap<string, readonly Service[]>;
  readonly groups: ReadonlyMap<string, readonly PodGroup[]>;
}

const nameIndexes = new WeakMap<Snapshot, NameIndex>();

/** Services and pod groups by every name they answer to, built once per Snapshot. */
function nameIndex(snapshot: Snapshot): NameIndex {
  const cached = nameIndexes.get(snapshot);
  if (cached) return cached;
  const services = new Map<string, Service[]>();
  for (const s of snapshot.services) services.set(s.name, [...(services.get(s.name) ?? []), s]);
  const groups = new Map<string, PodGroup[]>();
  for (const g of snapshot.groups) {
    for (const name of new Set([g.name, ...g.aliases.map((a) => a.name)])) {
      const list = groups.get(name);
      if (list) list.push(g);
      else groups.set(name, [g]);
    }
  }
  const index = { services, groups };
  nameIndexes.set(snapshot, index);
  return index;
}

interface Matches {
  services: Service[];
  groups: PodGroup[];
  pods: Map<PodGroup, Pod>;
}

function findMatches(snapshot: Snapshot, wanted: Wanted, defaultNamespace: string | null): Matches {
  const ns = wanted.namespace ?? defaultNamespace;
  const inNs = <T extends { namespace: string }>(x: T): boolean => ns === null || x.namespace === ns;
  const index = nameIndex(snapshot);
  const services =
    wanted.kind === null || wanted.kind === 'Service' ? (index.services.get(wanted.name) ?? []).filter(inNs) : [];
  const groups: PodGroup[] = [];
  const pods = new Map<PodGroup, Pod>();
  if (wanted.kind !== 'Service') {
    for (const g of index.groups.get(wanted.name) ?? []) {
      if (!inNs(g)) continue;
      const alias = g.aliases.find((a) => a.name === wanted.name && (wanted.kind === null || a.kind === wanted.kind));
      const isGroup = g.name === wanted.name && (wanted.kind === null || g.kind === wanted.kind);
      if (!alias && !isGroup) continue;
      groups.push(g);
      if (alias?.kind === 'Pod') {
        const pod = g.pods.find((p) => p.name === wanted.name);
        if (pod) pods.set(g, pod);
      }
    }
  }
  return { services, groups, pods };
}

function ambiguous(text: string, role: PeerRole, names: string[]): ExplainError {
  return {
    kind: 'Error',
    id: null,
    code: 'ambiguous-peer',
    message: cutLongValues(`ambiguous ${role} "${text}": it names ${names.join(', ')}; write NAMESPACE/KIND/NAME`),
    candidates: names,
  };
}

/**
 * Per Snapshot: peers already resolved from text (a batch names the same peers again and again),
 * by role, then default namespace, then the text as given: no key is built per lookup.
 */
interface ResolvedMemo {
  readonly byScope: Map<string, Map<string | null, Map<string, ResolvedPeer | ExplainError>>>;
  size: number;
}
const resolvedByText = new WeakMap<Snapshot, ResolvedMemo>();
/** Past this many names the memo starts over, so a batch of ever new names keeps bounded memory. */
const MAX_REMEMBERED = 50_000;

/** Resolves a peer; a destination name that is both a workload and its Service resolves to the Service. */
export function resolvePeer(
  snapshot: Snapshot,
  spec: PeerSpec,
  role: PeerRole,
  defaultNamespace: string | null,
): ResolvedPeer | ExplainError {
  if (typeof spec !== 'string') return resolveUncached(snapshot, spec, role, defaultNamespace);
  let memo = resolvedByText.get(snapshot);
  if (!memo) resolvedByText.set(snapshot, (memo = { byScope: new Map(), size: 0 }));
  if (memo.size >= MAX_REMEMBERED) {
    memo.byScope.clear();
    memo.size = 0;
  }
  let byNamespace = memo.byScope.get(role);
  if (!byNamespace) memo.byScope.set(role, (byNamespace = new Map()));
  let byText = byNamespace.get(defaultNamespace);
  if (!byText) byNamespace.set(defaultNamespace, (byText = new Map()));
  let peer = byText.get(spec);
  if (!peer) {
    byText.set(spec, (peer = resolveUncached(snapshot, spec, role, defaultNamespace)));
    memo.size++;
  }
  return peer;
}

function resolveUncached(
  snapshot: Snapshot,
  spec: PeerSpec,
  role: PeerRole,
  defaultNamespace: string | null,
): ResolvedPeer | ExplainError {
  // an address is asked by its canonical text: `::ffff:10.1.2.3` is the IPv4 peer 10.1.2.3 (util/cidr.ts)
  if (typeof spec !== 'string' && 'ip' in spec) return resolveIp(snapshot, canonicalIp(spec.ip) ?? spec.ip);
  if (typeof spec === 'string' && isIp(spec)) return resolveIp(snapshot, canonicalIp(spec) ?? spec);
  const wanted: Wanted =
    typeof spec === 'string'
      ? parsePeerText(spec.trim(), snapshot)
      : {
          namespace: spec.namespace ?? null,
          kind: spec.kind ? (kindFromAlias(spec.kind) ?? spec.kind) : null,
          name: spec.name,
          text: `${spec.namespace ? `${spec.namespace}/` : ''}${spec.kind ? `${spec.kind}/` : ''}${spec.name}`,
        };
  const m = findMatches(snapshot, wanted, defaultNamespace);
  const namespaces = new Set<string>();
  for (const s of m.services) namespaces.add(s.namespace);
  for (const g of m.groups) namespaces.add(g.namespace);
  if (namespaces.size === 0) return unknownPeer(snapshot, role, wanted.text, wanted);
  if (namespaces.size > 1) {
    return ambiguous(wanted.text, role, [
      ...m.groups.map((g) => `${g.namespace}/${g.kind}/${g.name}`),
      ...m.services.map((s) => `${s.namespace}/Service/${s.name}`),
    ]);
  }
  const service = m.services[0] ?? null;
  if (m.groups.length > 1)
    return ambiguous(
      wanted.text,
      role,
      m.groups.map((g) => `${g.namespace}/${g.kind}/${g.name}`),
    );
  const group = m.groups[0] ?? null;
  if (group && service) {
    if (!serviceSelects(service, group))
      return ambiguous(wanted.text, role, [
        `${group.namespace}/${group.kind}/${group.name}`,
        `${service.namespace}/Service/${service.name}`,
      ]);
    if (role === 'destination') {
      return {
        type: 'service',
        service,
        groups: groupsOfService(snapshot, service),
        note: `"${wanted.text}" is both ${group.kind}/${group.name} and the Service selecting it; the destination resolves to the Service`,
      };
    }
    return {
      type: 'group',
      group,
      pod: m.pods.get(group) ?? null,
      note: `"${wanted.text}" is both ${group.kind}/${group.name} and its Service; the source resolves to the workload`,
    };
  }
  if (group) return { type: 'group', group, pod: m.pods.get(group) ?? null, note: null };
  if (service) return { type: 'service', service, groups: groupsOfService(snapshot, service), note: null };
  return unknownPeer(snapshot, role, wanted.text);
}
