/**
 * Log addresses and identities -> objects of the Snapshot: pod IP, peer principal, SNI,
 * authority, the log's own pod. Says when only an IP tied them (it may have changed owner).
 */
import { GATEWAY_NAME_LABEL } from '../model/ambient.js';
import type { Pod, Service } from '../model/k8s.js';
import type { PodGroup, Snapshot } from '../model/snapshot.js';
import type { LogOrigin } from '../parsers/log-event.js';
import type { DenialPeer, ResolvedBy } from './denial.js';
import { canonicalIp } from '../util/cidr.js';

/** `10.0.0.1:8080` -> `10.0.0.1`; `[fd00::01]:80` -> `fd00::1`; `[::ffff:10.0.0.1]:80` -> `10.0.0.1`. The address part of `ip:port`, `[ip]:port` or a bare address, canonical (util/cidr.ts canonicalIp) when it is one. */
export function ipOf(address: string | null): string | null {
  const text = addressText(address);
  return text === null ? null : (canonicalIp(text) ?? text);
}

function addressText(address: string | null): string | null {
  // `envoy://...`: an Envoy internal address (internal listeners, e.g. a waypoint's), no IP
  if (address === null || address === '-' || address.startsWith('envoy://')) return null;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    return close === -1 ? null : address.slice(1, close);
  }
  const colon = address.lastIndexOf(':');
  if (colon === -1 || address.indexOf(':') !== colon) return address;
  return address.slice(0, colon);
}

export function portOf(address: string | null): number | null {
  if (address === null) return null;
  const colon = address.lastIndexOf(':');
  const port = colon === -1 ? NaN : Number(address.slice(colon + 1));
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
}

/** `spiffe://cluster.local/ns/a/sa/b` -> `{principal: 'cluster.local/ns/a/sa/b', namespace: 'a', serviceAccount: 'b'}`. */
export function parsePrincipal(
  uriSan: string | null,
): { principal: string; namespace: string; serviceAccount: string } | null {
  if (uriSan === null) return null;
  const principal = uriSan.startsWith('spiffe://') ? uriSan.slice(9) : uriSan;
  const m = /^[^/]+\/ns\/([^/]+)\/sa\/([^/,\s]+)$/.exec(principal);
  return m ? { principal, namespace: m[1] as string, serviceAccount: m[2] as string } : null;
}

function groupPeer(
  group: PodGroup,
  ip: string | null,
  principal: string | null,
  resolvedBy: ResolvedBy,
  ipMayHaveChanged: boolean,
): DenialPeer {
  const isPod = group.kind === 'Pod';
  return {
    namespace: group.namespace,
    name: group.name,
    kind: group.kind,
    workload: isPod ? null : `${group.kind}/${group.name}`,
    ip,
    principal,
    resolvedBy,
    ipMayHaveChanged,
  };
}

function podPeer(
  snapshot: Snapshot,
  pod: Pod,
  ip: string | null,
  principal: string | null,
  resolvedBy: ResolvedBy,
  ipMayHaveChanged: boolean,
): DenialPeer {
  const group = snapshot.index.groupOfPod.get(pod);
  const workload = group && group.kind !== 'Pod' ? `${group.kind}/${group.name}` : null;
  return {
    namespace: pod.namespace,
    name: pod.name,
    kind: 'Pod',
    workload,
    ip: ip ?? pod.ip,
    principal,
    resolvedBy,
    ipMayHaveChanged,
  };
}

/** A peer named by its mesh identity: the service account the certificate carries. */
function serviceAccountPeer(p: NonNullable<ReturnType<typeof parsePrincipal>>, ip: string | null): DenialPeer {
  return {
    namespace: p.namespace,
    name: p.serviceAccount,
    kind: 'ServiceAccount',
    workload: null,
    ip,
    principal: p.principal,
    resolvedBy: 'principal',
    ipMayHaveChanged: false,
  };
}

/** A peer only the log line names, as it names it: no object of the Snapshot stands behind it. */
export function namedInLog(p: Pick<DenialPeer, 'namespace' | 'name' | 'kind' | 'ip' | 'principal'>): DenialPeer {
  // the keys in DenialPeer's order: JSON output lists them so
  return {
    namespace: p.namespace,
    name: p.name,
    kind: p.kind,
    workload: null,
    ip: p.ip,
    principal: p.principal,
    resolvedBy: 'log',
    ipMayHaveChanged: false,
  };
}

/** A peer known only from the log: an address and/or a principal. */
export function logPeer(ip: string | null, uriSan: string | null): DenialPeer | 'unknown' {
  const p = parsePrincipal(uriSan);
  if (ip === null && p === null) return 'unknown';
  if (p !== null) return serviceAccountPeer(p, ip);
  return namedInLog({ namespace: null, name: null, kind: 'IP', ip, principal: null });
}

function byPrincipal(snapshot: Snapshot, ip: string | null, uriSan: string | null): DenialPeer | null {
  const p = parsePrincipal(uriSan);
  if (p === null) return null;
  const groups = (snapshot.index.groupsByNamespace.get(p.namespace) ?? []).filter((g) =>
    g.pods.some((pod) => pod.serviceAccount === p.serviceAccount),
  );
  if (groups.length === 1) return groupPeer(groups[0] as PodGroup, ip, p.principal, 'principal', false);
  return serviceAccountPeer(p, ip);
}

/** Source or destination by IP, confirmed (or replaced) by the peer principal when printed. */
export function resolveAddress(
  snapshot: Snapshot | null,
  address: string | null,
  uriSan: string | null,
): DenialPeer | 'unknown' {
  const ip = ipOf(address);
  if (snapshot === null) return logPeer(ip, uriSan);
  const principal = parsePrincipal(uriSan);
  const pod = ip === null ? undefined : snapshot.index.podByIp.get(ip);
  if (pod !== undefined) {
    const confirmed =
      principal !== null && principal.namespace === pod.namespace && principal.serviceAccount === pod.serviceAccount;
    if (principal === null || confirmed)
      return podPeer(snapshot, pod, ip, principal?.principal ?? null, 'ip', !confirmed);
  }
  const byId = byPrincipal(snapshot, ip, uriSan);
  if (byId !== null) return byId;
  const service = ip === null ? undefined : snapshot.index.serviceByIp.get(ip);
  if (service !== undefined) return servicePeer(snapshot, service, ip, 'ip');
  return logPeer(ip, uriSan);
}

function servicePeer(snapshot: Snapshot, service: Service, ip: string | null, resolvedBy: ResolvedBy): DenialPeer {
  const groups = snapshot.groups.filter(
    (g) =>
      g.namespace === service.namespace &&
      service.selector !== null &&
      g.pods.some((p) => matches(service.selector ?? {}, p.labels)),
  );
  if (groups.length === 1) return groupPeer(groups[0] as PodGroup, ip, null, resolvedBy, false);
  return {
    namespace: service.namespace,
    name: service.name,
    kind: 'Service',
    workload: null,
    ip,
    principal: null,
    resolvedBy,
    ipMayHaveChanged: false,
  };
}

function matches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

/** `outbound_.80_._.svc.ns.svc.cluster.local` or an authority `svc.ns[.svc...][:port]` / `svc[:port]`. */
export function resolveHost(
  snapshot: Snapshot | null,
  host: string | null,
  resolvedBy: 'sni' | 'authority',
  defaultNamespace: string | null,
): DenialPeer | null {
  if (snapshot === null || host === null) return null;
  let h = host;
  if (h.startsWith('outbound_.')) h = h.split('_.').slice(2).join('_.').replace(/^\./, '');
  h = h.replace(/:\d+$/, '');
  const parts = h.split('.');
  const name = parts[0] ?? '';
  const ns = parts.length > 1 ? (parts[1] ?? null) : defaultNamespace;
  const candidates = snapshot.services.filter((s) => s.name === name && (ns === null || s.namespace === ns));
  if (candidates.length !== 1) return null;
  return servicePeer(snapshot, candidates[0] as Service, null, resolvedBy);
}

/** The pod whose log this is (kubectl --prefix, the log follower): by pod name or its workload prefix. */
export function resolveOrigin(snapshot: Snapshot | null, origin: LogOrigin | null): DenialPeer | null {
  if (origin === null || origin.pod === null) return null;
  const podName = origin.pod;
  if (snapshot !== null) {
    const pod = snapshot.pods.find(
      (p) => p.name === podName && (origin.namespace === null || p.namespace === origin.namespace),
    );
    if (pod !== undefined) return podPeer(snapshot, pod, null, null, 'log-origin', false);
    const group = snapshot.groups.find(
      (g) =>
        g.kind !== 'Pod' &&
        podName.startsWith(`${g.name}-`) &&
        (origin.namespace === null || g.namespace === origin.namespace),
    );
    if (group !== undefined)
      return { ...groupPeer(group, null, null, 'log-origin', false), kind: 'Pod', name: podName };
  }
  return {
    namespace: origin.namespace,
    name: podName,
    kind: 'Pod',
    workload: null,
    ip: null,
    principal: null,
    resolvedBy: 'log-origin',
    ipMayHaveChanged: false,
  };
}

/**
 * The log's own pod runs one of the Snapshot's waypoints: its Deployment's pods carry the Gateway's
 * name in gateway.networking.k8s.io/gateway-name (istio/istio
 * manifests/charts/istio-control/istio-discovery/files/waypoint.yaml).
 */
export function isWaypointOrigin(snapshot: Snapshot | null, origin: LogOrigin | null): boolean {
  if (snapshot === null || origin === null || origin.pod === null) return false;
  const name = origin.pod;
  const inNamespace = (ns: string): boolean => origin.namespace === null || origin.namespace === ns;
  const pod = snapshot.pods.find((p) => p.name === name && inNamespace(p.namespace));
  const waypoints = (snapshot.waypoints ?? []).filter((w) => inNamespace(w.namespace));
  // a pod the Snapshot lacks: its Deployment is named after the Gateway (same chart)
  if (pod === undefined || pod.fromTemplate) return waypoints.some((w) => name.startsWith(`${w.name}-`));
  const gateway = pod.labels[GATEWAY_NAME_LABEL];
  return waypoints.some((w) => w.namespace === pod.namespace && w.name === gateway);
}

/**
 * The log's own pod as the destination of what it refused; null for a waypoint, which enforces for
 * the Services it fronts (https://istio.io/latest/docs/ambient/usage/waypoint/): the request's
 * address or host names the destination there.
 */
export function resolveOriginAsDestination(snapshot: Snapshot | null, origin: LogOrigin | null): DenialPeer | null {
  return isWaypointOrigin(snapshot, origin) ? null : resolveOrigin(snapshot, origin);
}
