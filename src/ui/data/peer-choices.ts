/** Destinations the explain picker offers: Services (port mapping applies) first, then pods. */
import type { Snapshot } from '../../model/snapshot.js';
import { canonicalIp, isIp } from '../../util/cidr.js';
import { stripControl } from '../sanitize.js';
import { filterPods, type PodSearch } from './pod-rows.js';

export interface PeerChoice {
  /** what the explain query names: `namespace/name` */
  readonly key: string;
  readonly kind: 'Service' | 'Pod' | 'IP';
  readonly namespace: string;
  readonly name: string;
  /** ports of a Service, workload of a pod */
  readonly detail: string;
}

export function serviceChoices(snapshot: Snapshot): PeerChoice[] {
  return snapshot.services.map((s) => ({
    key: `${s.namespace}/${s.name}`,
    kind: 'Service',
    namespace: stripControl(s.namespace),
    name: stripControl(s.name),
    detail: stripControl(s.ports.map((p) => `${p.port}${p.name ? `/${p.name}` : ''}`).join(',')),
  }));
}

/** A typed IP as explain resolves it (a pod IP, a ClusterIP, else outside the cluster), offered first. */
export function ipChoice(snapshot: Snapshot, text: string): PeerChoice | null {
  const ip = text.trim();
  if (!isIp(ip)) return null;
  const key = canonicalIp(ip) ?? ip;
  const pod = snapshot.index.podByIp.get(key);
  const service = snapshot.index.serviceByIp.get(key);
  const detail = pod
    ? `pod ${pod.namespace}/${pod.name}`
    : service
      ? `Service ${service.namespace}/${service.name}`
      : 'outside the cluster';
  return { key: ip, kind: 'IP', namespace: '-', name: ip, detail: stripControl(detail) };
}

/** Services containing what was typed, then pods as the pods filter finds them. */
export function filterPeerChoices(services: readonly PeerChoice[], pods: PodSearch, query: string): PeerChoice[] {
  const q = query.trim().toLowerCase();
  const svc = services.filter((s) => q === '' || `${s.namespace}/${s.name}`.toLowerCase().includes(q));
  const podChoices = filterPods(pods, query, null).map((r): PeerChoice => ({
    key: r.key,
    kind: 'Pod',
    namespace: r.namespace,
    name: r.name,
    detail: r.workload,
  }));
  return [...svc, ...podChoices];
}
