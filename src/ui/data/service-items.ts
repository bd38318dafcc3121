/** Services for `:svc` and their describe document, derived once per Snapshot. */
import { groupsOfService } from '../../engine/index.js';
import type { Snapshot } from '../../model/snapshot.js';
import { podKey } from './pod-facts.js';
import { stripControl } from '../sanitize.js';

export interface ServiceItem {
  /** `namespace/name` */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  readonly clusterIP: string;
  /** `80/http->8080 TCP`, one per port */
  readonly ports: readonly string[];
  readonly selector: string;
  /** keys of the pods the selector picks (as explain resolves a Service to its workloads) */
  readonly pods: readonly string[];
}

export function buildServiceItems(snapshot: Snapshot): ServiceItem[] {
  return snapshot.services.map((s) => ({
    key: `${s.namespace}/${s.name}`,
    namespace: stripControl(s.namespace),
    name: stripControl(s.name),
    type: stripControl(s.type),
    clusterIP: stripControl(s.clusterIP ?? '-'),
    ports: s.ports.map((p) =>
      stripControl(
        `${p.port}${p.name ? `/${p.name}` : ''}->${p.targetPort} ${p.protocol}${p.appProtocol ? ` (${p.appProtocol})` : ''}`,
      ),
    ),
    selector: stripControl(
      s.selector === null
        ? '<none>'
        : Object.entries(s.selector)
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
    ),
    pods: groupsOfService(snapshot, s).flatMap((g) => g.pods.map(podKey)),
  }));
}

/** A namespace row of the `:ns` picker. */
export interface NamespaceItem {
  readonly name: string;
  readonly pods: number;
  readonly policies: number;
}

export function namespaceItems(snapshot: Snapshot, policies: readonly { namespace: string | null }[]): NamespaceItem[] {
  return [...snapshot.namespaces.keys()].map((name) => ({
    name: stripControl(name),
    pods: snapshot.index.podsByNamespace.get(name)?.length ?? 0,
    policies: policies.filter((p) => p.namespace === name).length,
  }));
}
