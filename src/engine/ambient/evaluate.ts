/**
 * One flow with an ambient endpoint, through the layers in the order traffic meets them
 * (README "Ambient mode"): NetworkPolicy per hop, mesh, mtls, the waypoint's authz-custom/jwt/
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
import type { ReachabilityCheck } from '../istio/types.js';
import { principalOf } from '../istio/attributes.js';
import type { Hop } from '../explain/network-layers.js';
import type { ClientTransport } from './mtls.js';
import type { ViaWaypoint } from './ztunnel-steps.js';
import type { ZtunnelConnection } from './ztunnel-authz.js';
import { waypointFor, type WaypointBinding } from './waypoints.js';
import { ambientContext, ambientLayers } from './layers.js';
import { runLayers, type PathEvaluation } from '../layer.js';
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

function clientIdentity(snapshot: Snapshot, flow: FlowContext, transport: ClientTransport) {
  if (transport !== 'hbone' || flow.source.type !== 'pod') return null;
  const p = flow.source.pod;
  return { trustDomain: snapshot.istio.mesh.trustDomain, namespace: p.namespace, serviceAccount: p.serviceAccount };
}

/** The waypoint the traffic came through, and the identity ztunnel then sees (the waypoint's). */
function viaWaypoint(snapshot: Snapshot, binding: WaypointBinding): ViaWaypoint | null {
  if (binding.type !== 'waypoint') return null;
  const principal = principalOf(snapshot.istio.mesh.trustDomain, binding.pod.namespace, binding.pod.serviceAccount);
  return { namespace: binding.waypoint.namespace, name: binding.waypoint.name, principal };
}

/** What ztunnel sees of the connection: the waypoint's identity and address when it forwards, else the client's. */
function ztunnelConnection(
  snapshot: Snapshot,
  flow: FlowContext,
  dst: Pod,
  binding: WaypointBinding,
  transport: ClientTransport,
): ZtunnelConnection {
  const srcPod = flow.source.type === 'pod' ? flow.source.pod : null;
  const td = snapshot.istio.mesh.trustDomain;
  const identity =
    binding.type === 'waypoint'
      ? { trustDomain: td, namespace: binding.pod.namespace, serviceAccount: binding.pod.serviceAccount }
      : clientIdentity(snapshot, flow, transport);
  const sourceIp =
    binding.type === 'waypoint' ? binding.pod.ip : flow.source.type === 'ip' ? flow.source.ip : (srcPod?.ip ?? null);
  return { identity, sourceIp, destinationIp: dst.ip, port: flow.port };
}

/** An ambient destination: the full ztunnel (and waypoint) path, as the AMBIENT_LAYERS pipeline. */
function toAmbient(snapshot: Snapshot, flow: FlowContext, dst: Pod, reach: ReachabilityCheck): PathEvaluation {
  const transport = transportOf(snapshot, flow);
  const binding = bindingFor(snapshot, flow, dst, transport);
  const srcPod = flow.source.type === 'pod' ? flow.source.pod : null;
  const context = ambientContext({
    snapshot,
    flow,
    reach,
    dst,
    transport,
    binding,
    sidecarClient: srcPod && modeOf(snapshot, flow.source) === 'sidecar' ? srcPod : null,
    via: viaWaypoint(snapshot, binding),
    connection: ztunnelConnection(snapshot, flow, dst, binding, transport),
    sourceName: srcPod ? (srcPod.owners[0]?.name ?? srcPod.name) : 'external',
  });
  const p = runLayers(ambientLayers(hopsFor(flow, dst, binding, transport)), context);
  return {
    ...p,
    clientTls: transport === 'hbone' ? 'istio-mutual' : 'plaintext',
    jwt: context.waypoint()?.echo ?? null,
    notes: binding.type === 'unusable' ? [...p.notes, binding.reason] : p.notes,
    sourceAmbient: modeOf(snapshot, flow.source) === 'ambient',
  };
}

export function evaluateAmbient(snapshot: Snapshot, flow: FlowContext, reach: ReachabilityCheck): PathEvaluation {
  const dstMode = modeOf(snapshot, flow.destination);
  if (flow.destination.type === 'pod' && dstMode === 'ambient' && flow.protocol === 'TCP')
    return toAmbient(snapshot, flow, flow.destination.pod, reach);
  if (flow.destination.type === 'pod' && dstMode === 'sidecar' && flow.protocol === 'TCP')
    return interopToSidecar(snapshot, flow, flow.destination.pod, reach);
  return toOutOfMesh(snapshot, flow);
}
