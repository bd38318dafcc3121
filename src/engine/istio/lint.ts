/**
 * Snapshot-wide Istio findings: unknown annotations, selectors/targetRefs matching nothing,
 * identity rules on plaintext-accepting workloads, HTTP-only fields on TCP ports, unknown
 * `when` keys and rule identities, root-namespace PeerAuthentication selectors, NetworkPolicy
 * ports written as Service ports, ports bypassing the sidecar.
 */
import type { Pod, Service } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { istioFinding, type IstioFinding } from '../../model/convert/istio-findings.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';
import { isWorkloadSelector, selectorMatches } from './labels.js';
import { lintIdentities, lintRules, lintSelectors } from './lint-policies.js';
import { analyzeAuthorizationPolicies, analyzeDestinationRules } from './analyzers.js';
import { analyzeInjection } from './analyzers-injection.js';

const CAPTURE_EXCLUSIONS = [
  'traffic.sidecar.istio.io/excludeInboundPorts',
  'traffic.sidecar.istio.io/includeInboundPorts',
  'traffic.sidecar.istio.io/excludeOutboundPorts',
  'traffic.sidecar.istio.io/excludeOutboundIPRanges',
  'traffic.sidecar.istio.io/includeOutboundIPRanges',
];

function lintPods(snapshot: Snapshot): IstioFinding[] {
  const out: IstioFinding[] = [];
  for (const pod of snapshot.pods) {
    const object = {
      kind: pod.owners[0]?.kind ?? 'Pod',
      namespace: pod.namespace,
      name: pod.owners[0]?.name ?? pod.name,
    };
    if (pod.annotations['sidecar.istio.io/proxyLogLevel'] !== undefined) {
      out.push(
        istioFinding(
          'unknown-istio-annotation',
          `${pod.namespace}/${object.name}: sidecar.istio.io/proxyLogLevel is not an Istio annotation; use sidecar.istio.io/logLevel or componentLogLevel (e.g. rbac:debug)`,
          { object, field: 'metadata.annotations', loc: pod.loc },
        ),
      );
    }
    if (!podHasSidecar(pod)) continue;
    for (const key of CAPTURE_EXCLUSIONS) {
      const v = pod.annotations[key];
      if (v === undefined || v === '*' || (key.startsWith('traffic.sidecar.istio.io/exclude') && v.trim() === ''))
        continue;
      const effect = key.includes('Inbound')
        ? 'inbound traffic it leaves out skips mTLS and AuthorizationPolicy'
        : 'outbound traffic it leaves out goes without mesh identity (plaintext)';
      out.push(
        istioFinding('port-bypasses-sidecar', `${pod.namespace}/${object.name}: ${key}=${v}: ${effect}`, {
          object,
          field: 'metadata.annotations',
          loc: pod.loc,
        }),
      );
    }
    if (pod.annotations['sidecar.istio.io/interceptionMode'] === 'NONE') {
      out.push(
        istioFinding(
          'port-bypasses-sidecar',
          `${pod.namespace}/${object.name}: interceptionMode NONE: no traffic is captured by the sidecar`,
          { object, field: 'metadata.annotations', loc: pod.loc },
        ),
      );
    }
  }
  return out;
}

function lintRootPeerAuthentication(snapshot: Snapshot): IstioFinding[] {
  const root = snapshot.istio.mesh.rootNamespace;
  return snapshot.istio.peerAuthentications
    .filter((p) => p.namespace === root && isWorkloadSelector(p.selector))
    .map((p) =>
      istioFinding(
        'root-peerauthentication-selector',
        `PeerAuthentication ${p.namespace}/${p.name} is in the root namespace with a selector: it is not mesh-wide and only applies to ${root} workloads`,
        {
          object: { kind: 'PeerAuthentication', namespace: p.namespace, name: p.name },
          field: 'spec.selector',
          loc: p.loc,
        },
      ),
    );
}

function targetPortOf(svc: Service, port: number, pod: Pod): number | null {
  const sp = svc.ports.find((p) => p.port === port);
  if (!sp) return null;
  if (typeof sp.targetPort === 'number') return sp.targetPort;
  return pod.containers.flatMap((c) => c.ports).find((c) => c.name === sp.targetPort)?.containerPort ?? null;
}

/** seed 003: a NetworkPolicy written with the Service port (8000) instead of the targetPort (8080). */
function lintNetworkPolicyPorts(snapshot: Snapshot): IstioFinding[] {
  const out: IstioFinding[] = [];
  for (const np of snapshot.networkPolicies) {
    const pods = (snapshot.index.podsByNamespace.get(np.namespace) ?? []).filter((p) =>
      selectorMatches(np.podSelector, p.labels),
    );
    const services = (snapshot.index.servicesByNamespace.get(np.namespace) ?? []).filter(
      (s) => s.selector && pods.some((p) => Object.entries(s.selector ?? {}).every(([k, v]) => p.labels[k] === v)),
    );
    np.ingress.forEach((rule, i) => {
      for (const port of rule.ports ?? []) {
        if (typeof port.port !== 'number') continue;
        for (const svc of services) {
          const pod = pods.find((p) => Object.entries(svc.selector ?? {}).every(([k, v]) => p.labels[k] === v));
          const target: number | null = pod ? targetPortOf(svc, port.port, pod) : null;
          const listens = pod?.containers.some((c) => c.ports.some((cp) => cp.containerPort === port.port)) ?? false;
          if (target !== null && target !== port.port && !listens) {
            out.push(
              istioFinding(
                'netpol-service-port',
                `NetworkPolicy ${np.namespace}/${np.name} ingress[${i}] allows port ${port.port}, the port of Service ${svc.name}; pods receive its targetPort ${target} (NetworkPolicy sees the pod port after DNAT)`,
                {
                  object: { kind: 'NetworkPolicy', namespace: np.namespace, name: np.name },
                  field: `spec.ingress[${i}].ports`,
                  loc: np.loc,
                },
              ),
            );
          }
        }
      }
    });
  }
  return out;
}

export function lintIstio(snapshot: Snapshot): IstioFinding[] {
  const { authorizationPolicies, peerAuthentications, requestAuthentications } = snapshot.istio;
  return [
    ...lintPods(snapshot),
    ...lintSelectors(snapshot, 'AuthorizationPolicy', authorizationPolicies),
    ...lintSelectors(
      snapshot,
      'PeerAuthentication',
      peerAuthentications.filter((p) => p.namespace !== snapshot.istio.mesh.rootNamespace),
    ),
    ...lintSelectors(snapshot, 'RequestAuthentication', requestAuthentications),
    ...lintRootPeerAuthentication(snapshot),
    ...authorizationPolicies.flatMap((p) => [...lintRules(snapshot, p), ...lintIdentities(snapshot, p)]),
    ...lintNetworkPolicyPorts(snapshot),
    ...analyzeAuthorizationPolicies(snapshot),
    ...analyzeInjection(snapshot),
    ...analyzeDestinationRules(snapshot),
  ];
}
