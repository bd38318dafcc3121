/**
 * Ambient flows whose destination is not an ambient pod, as ordered layer lists on the one
 * pipeline (engine/layer.ts), like the flow to an ambient pod (layers.ts).
 *
 * - To a sidecar: "If the destination is also added in the mesh, or otherwise has Istio proxy
 *   capabilities (such as a sidecar), the request will be upgraded to an encrypted HBONE tunnel"
 *   (https://istio.io/latest/docs/ambient/architecture/data-plane/, "Outbound"), on TCP 15008
 *   ("Sidecar workloads receiving traffic will also need to allow inbound traffic on port 15008",
 *   https://istio.io/latest/docs/ambient/usage/networkpolicy/); the sidecar then enforces its own
 *   layers with the client's identity. Layers: the hop's NetworkPolicy on 15008, then the sidecar's
 *   Istio layers (istio/sidecar-layers.ts), each step naming the sidecar.
 * - To a pod outside the mesh, or UDP/SCTP (ztunnel proxies TCP only,
 *   https://istio.io/latest/docs/ambient/architecture/data-plane/): ztunnel sends plaintext on the
 *   app port and no mesh layer applies. Layers: the hop's NetworkPolicy, then every mesh layer as
 *   not applicable.
 */
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { Endpoint, FlowContext } from '../flow.js';
import type { Layer } from '../explanation.js';
import { enforcedBy, notApplicable, runLayers, type PathEvaluation, type PipelineLayer } from '../layer.js';
import type { ReachabilityCheck } from '../istio/types.js';
import { sidecarContext, type SidecarContext } from '../istio/sidecar-context.js';
import { SIDECAR_ISTIO_LAYERS } from '../istio/sidecar-layers.js';
import { hopLayers, type Hop, type HopContext } from '../explain/network-layers.js';
import { dataplaneMode, HBONE_PORT } from '../../model/ambient.js';
import { noWaypoint } from './waypoint-authz.js';
import { ztunnelAssumption } from './ztunnel.js';

const INTEROP_NOTE = 'ambient client: its ztunnel sends HBONE to the sidecar on TCP 15008 with the client identity';

/**
 * The sidecar's layer as an ambient client meets it: its step names the sidecar. The mtls layer's
 * only note states the client TLS the flow was given (`mtlsOverride`); here that is ztunnel's HBONE,
 * which INTEROP_NOTE states.
 */
function asMetByZtunnel(layer: PipelineLayer<SidecarContext>): PipelineLayer<SidecarContext> {
  const named = enforcedBy(layer);
  if (layer.name !== 'mtls') return named;
  return { ...named, evaluate: (c) => ({ ...named.evaluate(c), notes: [] }) };
}

const SIDECAR_LAYERS_FOR_AMBIENT_CLIENT = SIDECAR_ISTIO_LAYERS.map(asMetByZtunnel);

/** The layers of an ambient client's flow to a sidecar: the HBONE hop's NetworkPolicy, then the sidecar's. */
export function interopLayers(hop: Hop): PipelineLayer<SidecarContext & HopContext>[] {
  return [...hopLayers([hop]), ...SIDECAR_LAYERS_FOR_AMBIENT_CLIENT];
}

export function interopToSidecar(
  snapshot: Snapshot,
  flow: FlowContext,
  dst: Pod,
  reach: ReachabilityCheck,
): PathEvaluation {
  const to: Endpoint = { type: 'pod', pod: dst };
  const hop: Hop = { name: 'source -> destination', from: flow.source, to, protocol: 'TCP', port: HBONE_PORT };
  // the ambient client presents its own identity over HBONE: mTLS as seen by the sidecar
  const asSeen = { ...flow, mtlsOverride: flow.mtlsOverride ?? true };
  const context = Object.assign(sidecarContext(snapshot, asSeen, reach), {
    cni: flow.cni,
    verdictOnly: flow.verdictOnly === true,
  });
  const p = runLayers(interopLayers(hop), context);
  const z = ztunnelAssumption(snapshot);
  return {
    ...p,
    notes: [INTEROP_NOTE, ...p.notes],
    assumptions: z ? [...p.assumptions, z] : p.assumptions,
    clientTls: 'istio-mutual',
    jwt: context.jwt()?.echo ?? null,
    sourceAmbient: true,
  };
}

const NO_MESH_LAYERS: readonly [Layer, 'ztunnel' | 'waypoint'][] = [
  ['mesh', 'ztunnel'],
  ['mtls', 'ztunnel'],
  ['authz-custom', 'waypoint'],
  ['jwt', 'waypoint'],
  ['authz-deny', 'waypoint'],
  ['authz-allow', 'waypoint'],
  ['authz-deny', 'ztunnel'],
  ['authz-allow', 'ztunnel'],
];

/** The layers of a flow ztunnel does not carry into the mesh: the hop's NetworkPolicy, then every mesh layer, not applicable. */
export function outOfMeshLayers(hop: Hop, why: string): PipelineLayer<HopContext>[] {
  const none = NO_MESH_LAYERS.map(([name, enforcer]): PipelineLayer<HopContext> => ({
    name,
    enforcer,
    evaluate: () => (enforcer === 'waypoint' ? noWaypoint(name, why) : notApplicable(name, why, enforcer)),
  }));
  return [...hopLayers([hop]), ...none];
}

function sourceIsAmbient(snapshot: Snapshot, e: Endpoint): boolean {
  return e.type === 'pod' && dataplaneMode(e.pod, snapshot.namespaces.get(e.pod.namespace)) === 'ambient';
}

export function toOutOfMesh(snapshot: Snapshot, flow: FlowContext): PathEvaluation {
  const { source: from, destination: to, protocol, port } = flow;
  const why =
    protocol !== 'TCP'
      ? `${protocol} is not captured by ztunnel (TCP only): no mTLS, no authorization`
      : 'the destination is outside the mesh: ztunnel sends plaintext, no authorization';
  const hop: Hop = { name: 'source -> destination', from, to, protocol, port };
  const p = runLayers(outOfMeshLayers(hop, why), { snapshot, cni: flow.cni, verdictOnly: flow.verdictOnly === true });
  const z = ztunnelAssumption(snapshot);
  return {
    ...p,
    assumptions: z ? [...p.assumptions, z] : p.assumptions,
    clientTls: 'plaintext',
    jwt: null,
    sourceAmbient: sourceIsAmbient(snapshot, flow.source),
  };
}
