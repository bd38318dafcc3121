/**
 * The sidecar (or no) mesh data plane: the flow's NetworkPolicy egress and ingress layers, then the
 * destination sidecar's Istio layers (istio/sidecar-layers.ts), through the one layer pipeline.
 */
import type { Snapshot } from '../../model/snapshot.js';
import type { FlowContext } from '../flow.js';
import { collectLayers, type LayerResult, type PipelineLayer } from '../layer.js';
import { networkReach } from '../network-policy/evaluate.js';
import { sidecarContext, type SidecarContext } from '../istio/sidecar-context.js';
import { SIDECAR_ISTIO_LAYERS } from '../istio/sidecar-layers.js';
import { FLOW_HOP_LAYERS, type HopContext } from './network-layers.js';
import { flowResult, type FlowResult } from './decide.js';
import type { DataPlane } from './flow-eval.js';

export type SidecarFlowContext = SidecarContext & HopContext;

/** The flow's layers: its one hop's NetworkPolicy (unlabelled, on the app port), then the sidecar's. */
export const SIDECAR_FLOW_LAYERS: readonly PipelineLayer<SidecarFlowContext>[] = [
  ...FLOW_HOP_LAYERS,
  ...SIDECAR_ISTIO_LAYERS,
];

/** The per-flow context the sidecar layers read; its outcomes are computed on first use. */
export function sidecarFlowContext(snapshot: Snapshot, flow: FlowContext): SidecarFlowContext {
  const reach = networkReach(snapshot, flow.cni);
  return Object.assign(sidecarContext(snapshot, flow, reach), {
    cni: flow.cni,
    verdictOnly: flow.verdictOnly === true,
  });
}

/**
 * The sidecar data plane's answer for a flow and its context. A caller that has already evaluated
 * the first layers of SIDECAR_FLOW_LAYERS on this very context (the map's early exit,
 * network-first.ts) passes their results in order in `evaluated`: a layer is a function of its
 * context, so its result is the same, and every later layer runs here as usual, in layer order.
 */
export function sidecarFlowResult(
  snapshot: Snapshot,
  flow: FlowContext,
  context: SidecarFlowContext,
  evaluated: readonly LayerResult[] = [],
): FlowResult {
  const p = collectLayers(SIDECAR_FLOW_LAYERS.map((l, i) => evaluated[i] ?? l.evaluate(context)));
  return flowResult(snapshot, flow, {
    ...p,
    clientTls: context.mtls()?.clientTls ?? null,
    jwt: context.jwt()?.echo ?? null,
    sourceAmbient: false,
  });
}

function evaluateSidecarFlow(snapshot: Snapshot, flow: FlowContext): FlowResult {
  return sidecarFlowResult(snapshot, flow, sidecarFlowContext(snapshot, flow));
}

export const sidecarDataPlane: DataPlane = { name: 'sidecar', carries: () => true, evaluate: evaluateSidecarFlow };
