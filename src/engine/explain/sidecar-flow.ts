/**
 * The sidecar (or no) mesh data plane: the flow's NetworkPolicy egress and ingress layers, then the
 * destination sidecar's Istio layers (istio/sidecar-layers.ts), through the one layer pipeline.
 */
import type { Snapshot } from '../../model/snapshot.js';
import type { Endpoint, FlowContext } from '../flow.js';
import { runLayers, type PipelineLayer } from '../layer.js';
import { canConnect } from '../network-policy/evaluate.js';
import { sidecarContext, type SidecarContext } from '../istio/sidecar-context.js';
import { SIDECAR_ISTIO_LAYERS } from '../istio/sidecar-layers.js';
import { hopLayers, type HopContext } from './network-layers.js';
import { flowResult, type FlowResult } from './decide.js';
import type { DataPlane } from './flow-eval.js';

type SidecarFlowContext = SidecarContext & HopContext;

/** The flow's layers: its one hop's NetworkPolicy (unlabelled, on the app port), then the sidecar's. */
function sidecarFlowLayers(flow: FlowContext): PipelineLayer<SidecarFlowContext>[] {
  const { source: from, destination: to, protocol, port } = flow;
  return [...hopLayers([{ name: null, from, to, protocol, port }]), ...SIDECAR_ISTIO_LAYERS];
}

function evaluateSidecarFlow(snapshot: Snapshot, flow: FlowContext): FlowResult {
  const reach = (from: Endpoint, to: Endpoint, proto: FlowContext['protocol'], p: number) =>
    canConnect(snapshot, from, to, proto, p, flow.cni);
  const context: SidecarFlowContext = Object.assign(sidecarContext(snapshot, flow, reach), {
    cni: flow.cni,
    verdictOnly: flow.verdictOnly === true,
  });
  const p = runLayers(sidecarFlowLayers(flow), context);
  return flowResult(snapshot, flow, {
    ...p,
    clientTls: context.mtls()?.clientTls ?? null,
    jwt: context.jwt()?.echo ?? null,
    sourceAmbient: false,
  });
}

export const sidecarDataPlane: DataPlane = { name: 'sidecar', carries: () => true, evaluate: evaluateSidecarFlow };
