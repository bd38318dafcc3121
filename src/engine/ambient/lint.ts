/**
 * Ambient-mode lint: the classic mistakes of https://istio.io/latest/docs/ambient/usage/l4-policy/,
 * waypoint/ and networkpolicy/, checked over the whole Snapshot.
 */
import type { NetworkPolicy, Pod, Service } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { finding, type Finding } from '../../model/findings.js';
import { selectorMatches } from '../../model/selectors.js';
import {
  ambientRequested,
  dataplaneMode,
  HBONE_PORT,
  PROBE_SOURCE_IP,
  USE_WAYPOINT_LABEL,
} from '../../model/ambient.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';
import { ipInCidr } from '../../util/cidr.js';
import { principalOf } from '../istio/attributes.js';
import { ztunnelAuthzPolicies } from './binding.js';
import { l7Findings, evaluateZtunnelAuthz } from './ztunnel-steps.js';
import { findWaypoint, waypointFor } from './waypoints.js';

const isAmbient = (s: Snapshot, p: Pod): boolean => dataplaneMode(p, s.namespaces.get(p.namespace)) === 'ambient';

function servicePods(s: Snapshot, svc: Service): Pod[] {
  const sel = svc.selector;
  if (!sel) return [];
  return (s.index.podsByNamespace.get(svc.namespace) ?? []).filter((p) =>
    Object.entries(sel).every(([k, v]) => p.labels[k] === v),
  );
}

/** Both modes requested: sidecar injection takes precedence (add-workloads, "Pod selection logic"). */
function bothModes(s: Snapshot): Finding[] {
  return s.pods
    .filter((p) => podHasSidecar(p) && ambientRequested(p, s.namespaces.get(p.namespace)?.labels))
    .map((p) =>
      finding(
        'ambient-and-sidecar',
        `Pod ${p.namespace}/${p.name} is asked to join the ambient mesh and has a sidecar: the sidecar wins, ztunnel does not capture it. Use one mode per namespace`,
        {
          object: { kind: 'Pod', namespace: p.namespace, name: p.name },
          loc: p.loc,
        },
      ),
    );
}

/** Policies ztunnel enforces on ambient pods: L7 fields, and actions it never receives. */
function ztunnelBound(s: Snapshot): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const pod of s.pods.filter((p) => isAmbient(s, p))) {
    const bound = ztunnelAuthzPolicies(s, pod);
    for (const f of l7Findings(bound.enforced)) {
      const key = `l7|${f.object?.namespace ?? ''}/${f.object?.name ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(finding('ambient-l7-on-ztunnel', f.message, { object: f.object }));
    }
    for (const i of bound.ignored) {
      const key = `ign|${i.policy.namespace}/${i.policy.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(
        finding(
          'ztunnel-unsupported-action',
          `AuthorizationPolicy ${i.policy.namespace}/${i.policy.name} selects ambient pod ${pod.namespace}/${pod.name}, but ${i.reason}: bind it to a waypoint with targetRefs`,
          {
            object: { kind: 'AuthorizationPolicy', namespace: i.policy.namespace, name: i.policy.name },
            loc: i.policy.loc,
          },
        ),
      );
    }
  }
  return out;
}

/** istio.io/use-waypoint naming a waypoint that is missing or cannot take the traffic. */
function useWaypoint(s: Snapshot): Finding[] {
  const out: Finding[] = [];
  for (const [name, ns] of s.namespaces) {
    const value = ns.labels[USE_WAYPOINT_LABEL];
    if (value === undefined || value === 'none') continue;
    const target = { namespace: ns.labels['istio.io/use-waypoint-namespace'] ?? name, name: value };
    if (!findWaypoint(s, target))
      out.push(
        finding(
          'waypoint-missing',
          `Namespace ${name} uses waypoint ${target.namespace}/${target.name} (istio.io/use-waypoint), which is not in the input: istiod reports it not ready and traffic goes straight to ztunnel, without L7 policy`,
          {
            object: { kind: 'Namespace', namespace: null, name },
            loc: ns.loc,
          },
        ),
      );
  }
  for (const svc of s.services.filter((x) => x.labels?.[USE_WAYPOINT_LABEL] !== undefined)) {
    const pod = servicePods(s, svc).find((p) => isAmbient(s, p));
    const b = pod ? waypointFor(s, pod, svc) : null;
    if (b?.type === 'unusable')
      out.push(
        finding('waypoint-missing', `Service ${svc.namespace}/${svc.name}: ${b.reason}`, {
          object: { kind: 'Service', namespace: svc.namespace, name: svc.name },
          loc: svc.loc,
        }),
      );
  }
  for (const pod of s.pods.filter((p) => p.labels[USE_WAYPOINT_LABEL] !== undefined && isAmbient(s, p))) {
    const b = waypointFor(s, pod, null);
    if (b.type === 'unusable')
      out.push(
        finding('waypoint-missing', `Pod ${pod.namespace}/${pod.name}: ${b.reason}`, {
          object: { kind: 'Pod', namespace: pod.namespace, name: pod.name },
          loc: pod.loc,
        }),
      );
  }
  return out;
}

/** A waypointed Service whose pods' L4 ALLOW policies do not admit the waypoint's identity (l4-policy doc). */
function waypointAdmitted(s: Snapshot): Finding[] {
  const out: Finding[] = [];
  const td = s.istio.mesh.trustDomain;
  for (const svc of s.services) {
    const pod = servicePods(s, svc).find((p) => isAmbient(s, p));
    const b = pod ? waypointFor(s, pod, svc) : null;
    if (!pod || b?.type !== 'waypoint') continue;
    const identity = { trustDomain: td, namespace: b.pod.namespace, serviceAccount: b.pod.serviceAccount };
    const port = typeof svc.ports[0]?.targetPort === 'number' ? svc.ports[0].targetPort : (svc.ports[0]?.port ?? 80);
    const via = {
      namespace: b.waypoint.namespace,
      name: b.waypoint.name,
      principal: principalOf(td, identity.namespace, identity.serviceAccount),
    };
    const z = evaluateZtunnelAuthz(
      pod,
      ztunnelAuthzPolicies(s, pod),
      { identity, sourceIp: b.pod.ip, destinationIp: pod.ip, port },
      via,
      b.waypoint.name,
    );
    const blocking = z.allow.verdict === 'denied' ? z.allow : z.deny.verdict === 'denied' ? z.deny : null;
    if (blocking)
      out.push(
        finding(
          'waypoint-not-admitted',
          `Service ${svc.namespace}/${svc.name} uses waypoint ${b.waypoint.namespace}/${b.waypoint.name}, but ztunnel on ${pod.namespace}/${pod.name} refuses the waypoint's identity ${via.principal} (${blocking.summary}): add the waypoint's service account to the L4 ALLOW, or bind the policy to the waypoint with targetRefs`,
          {
            object: { kind: 'Service', namespace: svc.namespace, name: svc.name },
            loc: svc.loc,
          },
        ),
      );
  }
  return out;
}

function portsCover(ports: NonNullable<NetworkPolicy['ingress'][number]['ports']>, port: number): boolean {
  return ports.some(
    (p) =>
      p.protocol === 'TCP' &&
      (p.port === null || (typeof p.port === 'number' && p.port <= port && port <= (p.endPort ?? p.port))),
  );
}

/** NetworkPolicies on ambient pods that block HBONE 15008 or the probe address (networkpolicy doc). */
function networkPolicies(s: Snapshot): Finding[] {
  const out: Finding[] = [];
  for (const np of s.networkPolicies) {
    const ambient = (s.index.podsByNamespace.get(np.namespace) ?? []).filter(
      (p) => !p.hostNetwork && selectorMatches(np.podSelector, p.labels) && isAmbient(s, p),
    );
    if (ambient.length === 0) continue;
    const object = { kind: 'NetworkPolicy', namespace: np.namespace, name: np.name };
    const names = ambient.map((p) => p.name).join(', ');
    const ingressPorts = np.ingress.map((r) => r.ports);
    if (
      np.affectsIngress &&
      np.ingress.length > 0 &&
      ingressPorts.every((p) => p !== null && !portsCover(p, HBONE_PORT))
    )
      out.push(
        finding(
          'hbone-port-blocked',
          `NetworkPolicy ${np.namespace}/${np.name} selects ambient pods (${names}) and admits only ${ingressPorts
            .flat()
            .map((p) => String(p?.port))
            .join(', ')}: HBONE arrives on TCP ${HBONE_PORT}, so allow TCP ${HBONE_PORT} in this NetworkPolicy`,
          { object, field: 'spec.ingress', loc: np.loc },
        ),
      );
    const egressPorts = np.egress.map((r) => r.ports);
    if (
      np.affectsEgress &&
      np.egress.length > 0 &&
      egressPorts.every((p) => p !== null && !portsCover(p, HBONE_PORT)) &&
      egressPorts.flat().some((p) => p?.port !== 53)
    )
      out.push(
        finding(
          'hbone-port-blocked',
          `NetworkPolicy ${np.namespace}/${np.name} limits egress of ambient pods (${names}) to ports that exclude ${HBONE_PORT}: their ztunnel sends HBONE to TCP ${HBONE_PORT}, so allow TCP ${HBONE_PORT} in this NetworkPolicy`,
          { object, field: 'spec.egress', loc: np.loc },
        ),
      );
    const probeAdmitted = np.ingress.some(
      (r) =>
        r.peers === null ||
        r.peers.some(
          (p) =>
            p.type === 'ipBlock' &&
            ipInCidr(PROBE_SOURCE_IP, p.cidr) &&
            !p.except.some((e) => ipInCidr(PROBE_SOURCE_IP, e)),
        ),
    );
    if (np.affectsIngress && !probeAdmitted)
      out.push(
        finding(
          'probe-source-blocked',
          `NetworkPolicy ${np.namespace}/${np.name} isolates ambient pods (${names}) and admits nothing from ${PROBE_SOURCE_IP}: in ambient mode kubelet probes are SNATed to that address and, depending on the CNI, are blocked; add an ingress rule with ipBlock ${PROBE_SOURCE_IP}/32`,
          { object, field: 'spec.ingress', loc: np.loc },
        ),
      );
  }
  return out;
}

export function lintAmbient(snapshot: Snapshot): Finding[] {
  return [
    ...bothModes(snapshot),
    ...ztunnelBound(snapshot),
    ...useWaypoint(snapshot),
    ...waypointAdmitted(snapshot),
    ...networkPolicies(snapshot),
  ];
}
