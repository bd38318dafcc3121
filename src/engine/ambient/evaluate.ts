/**
 * One flow with an ambient endpoint, through the layers in the order traffic meets them
 * (DESIGN "Ambient mode"): NetworkPolicy per hop, mesh, mtls, the waypoint's authz-custom/jwt/
 * authz-deny/authz-allow, then the destination ztunnel's authz-deny/authz-allow.
 * Interop (https://istio.io/latest/docs/ambient/usage/add-workloads/, "Communicating between pods in
 * different modes"; https://istio.io/latest/docs/ambient/architecture/data-plane/): a sidecar client
 * speaks HBONE to an ambient pod and, per the data-plane doc, does not go through its waypoint; an
 * ambient client reaches a sidecar server over HBONE on 15008; out-of-mesh clients send plaintext
 * with no identity, straight to the pod.
 */
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import {
  dataplaneMode,
  GATEWAY_NAME_LABEL,
  HBONE_PORT,
  PROBE_SOURCE_IP,
  type DataplaneMode,
} from '../../model/ambient.js';
import type { Endpoint, FlowContext } from '../flow.js';
import type { Enforcer, ExpectedResponse, Step } from '../explanation.js';
import type { ReachabilityCheck } from '../istio/types.js';
import { principalOf } from '../istio/attributes.js';
import { trafficKind } from '../istio/protocol.js';
import { evaluateHops, type Hop } from './hops.js';
import { evaluateAmbientMesh } from './mesh.js';
import { evaluateAmbientMtls, type ClientTransport } from './mtls.js';
import { evaluateWaypointAuthz, noWaypointSteps } from './waypoint-authz.js';
import { evaluateZtunnelAuthz, type ViaWaypoint } from './ztunnel-steps.js';
import { ztunnelAuthzPolicies } from './binding.js';
import { waypointFor, type WaypointBinding } from './waypoints.js';
import type { AmbientEvaluation } from './result.js';
import { interopToSidecar, toOutOfMesh } from './interop.js';

export function modeOf(snapshot: Snapshot, e: Endpoint): DataplaneMode | 'ip' {
  return e.type === 'pod' ? dataplaneMode(e.pod, snapshot.namespaces.get(e.pod.namespace)) : 'ip';
}

/** Flows meshdbg evaluates with the ambient data plane: either end is an ambient pod. */
export function isAmbientFlow(snapshot: Snapshot, flow: FlowContext): boolean {
  return modeOf(snapshot, flow.source) === 'ambient' || modeOf(snapshot, flow.destination) === 'ambient';
}

/** A waypoint's own pod: it speaks HBONE with its identity (it is how ztunnel sees traffic it forwards). */
function isWaypointPod(snapshot: Snapshot, e: Endpoint): boolean {
  const gw = e.type === 'pod' ? e.pod.labels[GATEWAY_NAME_LABEL] : undefined;
  return (
    e.type === 'pod' &&
    gw !== undefined &&
    (snapshot.waypoints ?? []).some((w) => w.namespace === e.pod.namespace && w.name === gw)
  );
}

function transportOf(snapshot: Snapshot, flow: FlowContext): ClientTransport {
  if (flow.source.type === 'ip') return flow.source.ip === PROBE_SOURCE_IP ? 'probe' : 'plaintext';
  const m = modeOf(snapshot, flow.source);
  return m === 'ambient' || m === 'sidecar' || isWaypointPod(snapshot, flow.source) ? 'hbone' : 'plaintext';
}

function bindingFor(snapshot: Snapshot, flow: FlowContext, dst: Pod, transport: ClientTransport): WaypointBinding {
  if (transport !== 'hbone') return { type: 'none', reason: 'a client outside the mesh sends straight to the pod' };
  if (modeOf(snapshot, flow.source) === 'sidecar')
    return { type: 'none', reason: 'sidecar clients send HBONE straight to the destination, not through its waypoint' };
  if (isWaypointPod(snapshot, flow.source))
    return { type: 'none', reason: 'the source is the waypoint itself, forwarding to the destination' };
  return waypointFor(snapshot, dst, flow.service);
}

function hopsFor(flow: FlowContext, dst: Pod, binding: WaypointBinding, transport: ClientTransport): Hop[] {
  const to: Endpoint = { type: 'pod', pod: dst };
  if (transport !== 'hbone')
    return [{ name: 'source -> destination', from: flow.source, to, protocol: flow.protocol, port: flow.port }];
  if (binding.type !== 'waypoint')
    return [{ name: 'source -> destination', from: flow.source, to, protocol: 'TCP', port: HBONE_PORT }];
  const wp: Endpoint = { type: 'pod', pod: binding.pod };
  return [
    { name: 'source -> waypoint', from: flow.source, to: wp, protocol: 'TCP', port: HBONE_PORT },
    { name: 'waypoint -> destination', from: wp, to, protocol: 'TCP', port: HBONE_PORT },
  ];
}

function notApplicable(layer: Step['layer'], summary: string, enforcer: Enforcer): Step {
  return { layer, verdict: 'not-applicable', effective: true, summary, policies: [], enforcer };
}

function clientIdentity(snapshot: Snapshot, flow: FlowContext, transport: ClientTransport) {
  if (transport !== 'hbone' || flow.source.type !== 'pod') return null;
  const p = flow.source.pod;
  return { trustDomain: snapshot.istio.mesh.trustDomain, namespace: p.namespace, serviceAccount: p.serviceAccount };
}

/** An ambient destination: the full ztunnel (and waypoint) path. */
function toAmbient(snapshot: Snapshot, flow: FlowContext, dst: Pod, reach: ReachabilityCheck): AmbientEvaluation {
  const transport = transportOf(snapshot, flow);
  const binding = bindingFor(snapshot, flow, dst, transport);
  const hops = evaluateHops(snapshot, hopsFor(flow, dst, binding, transport), flow.cni);
  const srcPod = flow.source.type === 'pod' ? flow.source.pod : null;
  const proxies =
    srcPod && modeOf(snapshot, flow.source) === 'sidecar' ? [{ role: 'sidecar client', pod: srcPod }] : [];
  const mesh = evaluateAmbientMesh(snapshot, proxies, binding, reach);
  const mtls = evaluateAmbientMtls(snapshot, dst, flow.port, transport);
  const http = trafficKind(flow).kind === 'http';
  const wp =
    binding.type === 'waypoint'
      ? evaluateWaypointAuthz(snapshot, flow, binding.waypoint, binding.pod, flow.service, mtls.mtls, http, reach)
      : null;
  const wpSteps = wp?.steps ?? noWaypointSteps(binding.type === 'waypoint' ? '' : binding.reason);
  const td = snapshot.istio.mesh.trustDomain;
  const via: ViaWaypoint | null =
    binding.type === 'waypoint'
      ? {
          namespace: binding.waypoint.namespace,
          name: binding.waypoint.name,
          principal: principalOf(td, binding.pod.namespace, binding.pod.serviceAccount),
        }
      : null;
  const identity =
    via && binding.type === 'waypoint'
      ? { trustDomain: td, namespace: binding.pod.namespace, serviceAccount: binding.pod.serviceAccount }
      : clientIdentity(snapshot, flow, transport);
  const sourceIp =
    binding.type === 'waypoint' ? binding.pod.ip : flow.source.type === 'ip' ? flow.source.ip : (srcPod?.ip ?? null);
  const bound = ztunnelAuthzPolicies(snapshot, dst);
  const srcName = srcPod ? (srcPod.owners[0]?.name ?? srcPod.name) : 'external';
  const z =
    transport === 'probe'
      ? null
      : evaluateZtunnelAuthz(dst, bound, { identity, sourceIp, destinationIp: dst.ip, port: flow.port }, via, srcName);
  const probe = 'kubelet probes (169.254.7.127) are exempt from Istio policy at ztunnel';
  const zSteps = z
    ? [z.deny, z.allow]
    : [notApplicable('authz-deny', probe, 'ztunnel'), notApplicable('authz-allow', probe, 'ztunnel')];
  const steps = [...hops.steps, mesh.step, mtls.step, ...wpSteps, ...zSteps];
  const responses: (ExpectedResponse | null)[] = [
    ...hops.steps.map(() => null),
    mesh.response,
    mtls.response,
    ...wpSteps.map((s) => (s.verdict === 'denied' ? (wp?.response ?? null) : null)),
    z?.deny.verdict === 'denied' ? z.response : null,
    z?.allow.verdict === 'denied' ? z.response : null,
  ];
  const notes = [...mesh.notes, ...(wp?.notes ?? []), ...(z?.notes ?? [])];
  if (binding.type === 'unusable') notes.push(binding.reason);
  return {
    steps,
    responses,
    clientTls: transport === 'hbone' ? 'istio-mutual' : 'plaintext',
    jwt: wp?.jwt ?? null,
    nearestMiss: [...(wp?.nearestMiss ?? []), ...(z?.nearestMiss ?? [])],
    conditions: [...hops.conditions, ...(wp?.conditions ?? [])],
    findings: [...mesh.findings, ...mtls.findings, ...(z?.findings ?? [])],
    fix: [...hops.fix, ...mesh.fix, ...(wp?.fix ?? []), ...(z?.fix ?? [])],
    notes,
    assumptions: mesh.assumptions,
    sourceAmbient: modeOf(snapshot, flow.source) === 'ambient',
  };
}

export function evaluateAmbient(snapshot: Snapshot, flow: FlowContext, reach: ReachabilityCheck): AmbientEvaluation {
  const dstMode = modeOf(snapshot, flow.destination);
  if (flow.destination.type === 'pod' && dstMode === 'ambient' && flow.protocol === 'TCP')
    return toAmbient(snapshot, flow, flow.destination.pod, reach);
  if (flow.destination.type === 'pod' && dstMode === 'sidecar' && flow.protocol === 'TCP')
    return interopToSidecar(snapshot, flow, flow.destination.pod, reach);
  return toOutOfMesh(snapshot, flow);
}
