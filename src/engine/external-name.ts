/**
 * A destination Service of `type: ExternalName` is no address of its own: cluster DNS answers its
 * name with a CNAME for spec.externalName and the client connects to what that name resolves to,
 * with no proxying and no port mapping (https://kubernetes.io/docs/concepts/services-networking/service/#externalname).
 * So the flow is explained to that name's target:
 * - a cluster Service name (`NAME.NS.svc.DOMAIN`, `NAME.NS.svc`) resolves to that Service, as the
 *   cluster's DNS resolves it (https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#services);
 * - an IPv4 address is no name: DNS servers do not resolve it ("ExternalNames that resemble IPv4
 *   addresses are not resolved by DNS servers", same page), so the client's lookup fails;
 * - any other name to the addresses `--resolve NAME=IP` gives for it (the first; meshdbg has no DNS);
 * - else the question cannot be answered offline: an error that says how to ask it.
 */
import type { Service } from '../model/k8s.js';
import type { Snapshot } from '../model/snapshot.js';
import type { ExplainError } from './explanation.js';
import { groupsOfService, type ResolvedPeer } from './peers.js';
import { isIp } from '../util/cidr.js';

const CLUSTER_SERVICE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.[a-z0-9.-]+)?$/;
/** CNAME chains are followed this deep, as resolvers bound them; a loop ends here too. */
const MAX_HOPS = 8;

export interface FollowedName {
  readonly peer: ResolvedPeer;
  /** what the user reads on the answer: the name and where it led */
  readonly note: string;
}

function nameError(message: string): ExplainError {
  return { kind: 'Error', id: null, code: 'bad-query', message, candidates: [] };
}

/** The destination `service` (type ExternalName) stands for, or why it cannot be told. */
export function followExternalName(
  snapshot: Snapshot,
  service: Service,
  resolve: Readonly<Record<string, readonly string[]>>,
): FollowedName | ExplainError {
  const hops: string[] = [];
  let current = service;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const host = (current.externalName ?? '').toLowerCase().replace(/\.$/, '');
    const from = `Service ${current.namespace}/${current.name} is type ExternalName`;
    if (host === '') return nameError(`${from} without spec.externalName: it resolves to nothing`);
    if (isIp(host))
      return nameError(
        `${from} for ${host}, an IP address: DNS servers do not resolve it as a name, so the client's lookup fails (explain to ${host} itself to ask about that address)`,
      );
    hops.push(`${current.namespace}/${current.name} -> ${host}`);
    const inCluster = CLUSTER_SERVICE.exec(host);
    const target = inCluster
      ? snapshot.index.servicesByNamespace.get(inCluster[3] ?? '')?.find((s) => s.name === inCluster[1])
      : undefined;
    if (target && target.type === 'ExternalName') {
      current = target;
      continue;
    }
    if (target)
      return {
        peer: { type: 'service', service: target, groups: groupsOfService(snapshot, target), note: null },
        note: `ExternalName ${hops.join(', ')}: the client reaches Service ${target.namespace}/${target.name}`,
      };
    const addresses = resolve[host] ?? [];
    const first = addresses[0];
    if (first !== undefined)
      return {
        peer: { type: 'ip', ip: first },
        note: `ExternalName ${hops.join(', ')}: evaluated to ${first} (--resolve)${addresses.length > 1 ? `; ${addresses.length - 1} more address(es) not evaluated` : ''}`,
      };
    return nameError(
      inCluster
        ? `${from} for ${host}, a Service that is not in the input; add its manifest, or give its address: --resolve ${host}=IP`
        : `${from} for ${host}: the client connects to what DNS answers for that name, which meshdbg cannot look up offline; give it: --resolve ${host}=IP (or explain to that address)`,
    );
  }
  return nameError(
    `Service ${service.namespace}/${service.name}: ExternalName names more than ${MAX_HOPS} Services in a row (${hops.join(', ')}), a loop`,
  );
}
