/**
 * Ambient flows whose destination is not an ambient pod. An ambient client reaches a sidecar over
 * HBONE on TCP 15008 ("Sidecar workloads receiving traffic will also need to allow inbound traffic on
 * port 15008", https://istio.io/latest/docs/ambient/usage/networkpolicy/), and the sidecar enforces its
 * policies with the client's identity; to a pod outside the mesh ztunnel sends plaintext on the app
 * port; UDP and SCTP are never captured by ztunnel (it proxies TCP only).
 */
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { Endpoint, FlowContext } from '../flow.js';
import type { Enforcer, Step } from '../explanation.js';
import type { ReachabilityCheck } from '../istio/types.js';
import { HBONE_PORT } from '../../model/ambient.js';
import { dataplaneMode } from '../../model/ambient.js';
import { evaluateIstioLayers } from '../istio/index.js';
import { evaluateHops } from './hops.js';
import { noWaypointSteps } from './waypoint-authz.js';
import { ztunnelAssumption } from './ztunnel.js';
import type { AmbientEvaluation } from './result.js';

function notApplicable(layer: Step['layer'], summary: string, enforcer: Enforcer): Step {
  return { layer, verdict: 'not-applicable', effective: true, summary, policies: [], enforcer };
}

function sourceIsAmbient(snapshot: Snapshot, e: Endpoint): boolean {
  return e.type === 'pod' && dataplaneMode(e.pod, snapshot.namespaces.get(e.pod.namespace)) === 'ambient';
}

export function interopToSidecar(
  snapshot: Snapshot,
  flow: FlowContext,
  dst: Pod,
  reach: ReachabilityCheck,
): AmbientEvaluation {
  const to: Endpoint = { type: 'pod', pod: dst };
  const hops = evaluateHops(
    snapshot,
    [{ name: 'source -> destination', from: flow.source, to, protocol: 'TCP', port: HBONE_PORT }],
    flow.cni,
  );
  // the ambient client presents its own identity over HBONE: mTLS as seen by the sidecar
  const istio = evaluateIstioLayers(snapshot, { ...flow, mtlsOverride: flow.mtlsOverride ?? true }, reach);
  const steps = istio.steps.map((s): Step => ({ ...s, enforcer: 'sidecar' }));
  const first = steps.findIndex((s) => s.verdict === 'denied');
  const z = ztunnelAssumption(snapshot);
  return {
    steps: [...hops.steps, ...steps],
    responses: [...hops.steps.map(() => null), ...steps.map((_, i) => (i === first ? istio.expectedResponse : null))],
    clientTls: 'istio-mutual',
    jwt: istio.jwt,
    nearestMiss: istio.nearestMiss,
    conditions: [...hops.conditions, ...istio.conditions],
    findings: istio.findings,
    fix: [...hops.fix, ...istio.fix],
    notes: [
      'ambient client: its ztunnel sends HBONE to the sidecar on TCP 15008 with the client identity',
      ...istio.notes.filter((n) => !n.startsWith('client TLS')),
    ],
    assumptions: [...istio.assumptions, ...(z ? [z] : [])],
    sourceAmbient: true,
  };
}

export function toOutOfMesh(snapshot: Snapshot, flow: FlowContext): AmbientEvaluation {
  const hops = evaluateHops(
    snapshot,
    [
      {
        name: 'source -> destination',
        from: flow.source,
        to: flow.destination,
        protocol: flow.protocol,
        port: flow.port,
      },
    ],
    flow.cni,
  );
  const why =
    flow.protocol !== 'TCP'
      ? `${flow.protocol} is not captured by ztunnel (TCP only): no mTLS, no authorization`
      : 'the destination is outside the mesh: ztunnel sends plaintext, no authorization';
  const z = ztunnelAssumption(snapshot);
  const steps = [
    ...hops.steps,
    notApplicable('mesh', why, 'ztunnel'),
    notApplicable('mtls', why, 'ztunnel'),
    ...noWaypointSteps(why),
    notApplicable('authz-deny', why, 'ztunnel'),
    notApplicable('authz-allow', why, 'ztunnel'),
  ];
  return {
    steps,
    responses: steps.map(() => null),
    clientTls: 'plaintext',
    jwt: null,
    nearestMiss: [],
    conditions: hops.conditions,
    findings: [],
    fix: hops.fix,
    notes: [],
    assumptions: z ? [z] : [],
    sourceAmbient: sourceIsAmbient(snapshot, flow.source),
  };
}
