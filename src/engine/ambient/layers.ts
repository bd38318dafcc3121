/**
 * The ambient data plane's layers for a flow to an ambient pod, in the order traffic meets them
 * (https://istio.io/latest/docs/ambient/architecture/data-plane/): NetworkPolicy per hop (CNI),
 * mesh and mtls (ztunnel), the waypoint's L7 layers authz-custom/jwt/authz-deny/authz-allow
 * (https://istio.io/latest/docs/ambient/usage/l7-features/), then the destination ztunnel's L4
 * authz-deny/authz-allow (https://istio.io/latest/docs/ambient/usage/l4-policy/).
 */
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { FlowContext } from '../flow.js';
import { notApplicable, once, type PipelineLayer } from '../layer.js';
import type { ReachabilityCheck } from '../istio/types.js';
import { trafficKind } from '../istio/protocol.js';
import { ztunnelAuthzPolicies } from './binding.js';
import { hopLayers, type Hop, type HopContext } from '../explain/network-layers.js';
import { evaluateAmbientMesh } from './mesh.js';
import { ambientPlaintextFix, evaluateAmbientMtls, type AmbientMtlsOutcome, type ClientTransport } from './mtls.js';
import { evaluateWaypointAuthz, noWaypoint, type WaypointAuthzOutcome } from './waypoint-authz.js';
import type { WaypointBinding } from './waypoints.js';
import type { ZtunnelConnection } from './ztunnel-authz.js';
import { evaluateZtunnelAuthz, type ViaWaypoint, type ZtunnelAuthzOutcome } from './ztunnel-steps.js';

export interface AmbientPath {
  readonly snapshot: Snapshot;
  readonly flow: FlowContext;
  readonly reach: ReachabilityCheck;
  readonly dst: Pod;
  readonly transport: ClientTransport;
  readonly binding: WaypointBinding;
  /** a sidecar client (its proxy needs istiod too) */
  readonly sidecarClient: Pod | null;
  readonly via: ViaWaypoint | null;
  /** what the destination ztunnel sees */
  readonly connection: ZtunnelConnection;
  /** the client's workload name, for fix names */
  readonly sourceName: string;
}

/** The path plus the outcomes several layers read, each computed once. */
export interface AmbientContext extends AmbientPath, HopContext {
  readonly mtls: () => AmbientMtlsOutcome;
  /** null without a waypoint in the path */
  readonly waypoint: () => WaypointAuthzOutcome | null;
  /** null for kubelet probes, which ztunnel exempts from policy */
  readonly ztunnel: () => ZtunnelAuthzOutcome | null;
}

export function ambientContext(path: AmbientPath): AmbientContext {
  const { snapshot, flow, reach, dst, binding, transport } = path;
  const mtls = once(() => evaluateAmbientMtls(snapshot, dst, flow.port, transport));
  const waypoint = once(() => {
    if (binding.type !== 'waypoint') return null;
    const http = trafficKind(flow).kind === 'http';
    const { waypoint: w, pod } = binding;
    return evaluateWaypointAuthz(snapshot, flow, w, pod, flow.service, mtls().mtls, http, reach);
  });
  const ztunnel = once(() => {
    if (transport === 'probe') return null;
    const bound = ztunnelAuthzPolicies(snapshot, dst);
    return evaluateZtunnelAuthz(dst, bound, path.connection, path.via, path.sourceName);
  });
  return { ...path, cni: flow.cni, verdictOnly: flow.verdictOnly === true, mtls, waypoint, ztunnel };
}

const meshLayer: PipelineLayer<AmbientContext> = {
  name: 'mesh',
  enforcer: 'ztunnel',
  evaluate: (c) => {
    const proxies = c.sidecarClient ? [{ role: 'sidecar client', pod: c.sidecarClient }] : [];
    return evaluateAmbientMesh(c.snapshot, proxies, c.binding, c.reach);
  },
};

const mtlsLayer: PipelineLayer<AmbientContext> = {
  name: 'mtls',
  enforcer: 'ztunnel',
  evaluate: (c) => {
    const m = c.mtls();
    if (m.step.verdict !== 'denied' || c.verdictOnly) return m;
    return { ...m, fix: ambientPlaintextFix(c.snapshot, c.dst, c.flow.port, m.step.summary) };
  },
};

const WAYPOINT_LAYERS = ['authz-custom', 'jwt', 'authz-deny', 'authz-allow'] as const;
type WaypointLayer = (typeof WAYPOINT_LAYERS)[number];
const WAYPOINT_RESULT = { 'authz-custom': 'custom', jwt: 'jwt', 'authz-deny': 'deny', 'authz-allow': 'allow' } as const;

function waypointLayer(name: WaypointLayer): PipelineLayer<AmbientContext> {
  return {
    name,
    enforcer: 'waypoint',
    evaluate: (c) => {
      const wp = c.waypoint();
      if (wp) return wp[WAYPOINT_RESULT[name]];
      const reason = c.binding.type === 'waypoint' ? '' : c.binding.reason;
      return noWaypoint(name, reason);
    },
  };
}

const WAYPOINT_PIPELINE = WAYPOINT_LAYERS.map((name) => waypointLayer(name));

const PROBE = 'kubelet probes (169.254.7.127) are exempt from Istio policy at ztunnel';

const ztunnelDenyLayer: PipelineLayer<AmbientContext> = {
  name: 'authz-deny',
  enforcer: 'ztunnel',
  evaluate: (c) => {
    const z = c.ztunnel();
    if (!z) return notApplicable('authz-deny', PROBE, 'ztunnel');
    return { step: z.deny, response: z.deny.verdict === 'denied' ? z.response : null };
  },
};

const ztunnelAllowLayer: PipelineLayer<AmbientContext> = {
  name: 'authz-allow',
  enforcer: 'ztunnel',
  evaluate: (c) => {
    const z = c.ztunnel();
    if (!z) return notApplicable('authz-allow', PROBE, 'ztunnel');
    const { nearestMiss, notes, findings, fix } = z;
    return {
      step: z.allow,
      response: z.allow.verdict === 'denied' ? z.response : null,
      nearestMiss,
      notes,
      findings,
      fix,
    };
  },
};

/** The layers of one flow to an ambient pod: its hops' NetworkPolicy, then the mesh's. */
export function ambientLayers(hops: readonly Hop[]): PipelineLayer<AmbientContext>[] {
  return [...hopLayers(hops), meshLayer, mtlsLayer, ...WAYPOINT_PIPELINE, ztunnelDenyLayer, ztunnelAllowLayer];
}
