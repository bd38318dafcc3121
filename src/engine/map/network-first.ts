/**
 * The map's early exit: most class pairs of a large mesh are closed by NetworkPolicy. Traffic a
 * NetworkPolicy step drops never reaches the destination's Envoy, so (decide.ts flowResult, layer.ts
 * verdictConditions) the conditions of the Istio layers after it cannot change the answer; only
 * the flow's own conditions, those of the layers up to the denial, and the source-side mesh
 * layer's can. This runs exactly those layers of the sidecar data plane (the same layer objects
 * and context `explain` runs, never a copy of their semantics) and finishes them with the same
 * `flowResult`. When that answer is a NetworkPolicy denial it is the full pipeline's answer too:
 * same first effective denial, same deciding policy, same counted conditions, hence same verdict.
 * Anything else (an allowed or conditional answer, a denial elsewhere) continues in the full
 * sidecar pipeline on the same context, with the layers already evaluated passed in rather than run
 * again (sidecar-flow.ts sidecarFlowResult). An ambient flow, whose hops and layers differ, goes to
 * its own data plane.
 */
import type { Snapshot } from '../../model/snapshot.js';
import type { FlowContext } from '../flow.js';
import { collectLayers, type LayerResult } from '../layer.js';
import { FLOW_HOP_LAYERS } from '../explain/network-layers.js';
import { flowResult, type FlowResult } from '../explain/decide.js';
import { dataPlaneFor } from '../explain/flow-eval.js';
import {
  SIDECAR_FLOW_LAYERS,
  sidecarDataPlane,
  sidecarFlowContext,
  sidecarFlowResult,
  type SidecarFlowContext,
} from '../explain/sidecar-flow.js';

/**
 * The sidecar pipeline's first layers, up to its mesh layer: its NetworkPolicy layers, then the
 * mesh layer, the one later layer whose conditions count after a denial (layer.ts collectLayers).
 */
const DENIAL_DECIDING_LAYERS = SIDECAR_FLOW_LAYERS.slice(
  0,
  SIDECAR_FLOW_LAYERS.findIndex((l) => l.name === 'mesh') + 1,
);

const NETWORK_LAYERS = new Set<string>(FLOW_HOP_LAYERS.map((l) => l.name));

/** What the early exit found: the answer when it is a NetworkPolicy denial, else what it evaluated on the way. */
type EarlyExit =
  | { readonly denial: FlowResult }
  | { readonly denial: null; readonly context: SidecarFlowContext; readonly evaluated: readonly LayerResult[] };

function earlyExit(snapshot: Snapshot, flow: FlowContext): EarlyExit {
  const context = sidecarFlowContext(snapshot, flow);
  const evaluated = DENIAL_DECIDING_LAYERS.map((l) => l.evaluate(context));
  const p = collectLayers(evaluated);
  const first = p.steps.find((s) => s.verdict === 'denied');
  if (!first || !NETWORK_LAYERS.has(first.layer)) return { denial: null, context, evaluated };
  const result = flowResult(snapshot, flow, { ...p, clientTls: null, jwt: null, sourceAmbient: false });
  return result.verdict === 'denied' ? { denial: result } : { denial: null, context, evaluated };
}

/** The full pipeline's answer when it is a NetworkPolicy denial of a sidecar (or no) mesh flow; else null. */
export function networkPolicyDenial(snapshot: Snapshot, flow: FlowContext): FlowResult | null {
  if (dataPlaneFor(snapshot, flow) !== sidecarDataPlane) return null;
  return earlyExit(snapshot, flow).denial;
}

/**
 * `evaluateFlow`'s answer (what `explain` runs), through the early exit: a NetworkPolicy denial
 * stops after the layers that decide it; any other sidecar flow runs the remaining layers only.
 */
export function evaluateNetworkFirst(snapshot: Snapshot, flow: FlowContext): FlowResult {
  const plane = dataPlaneFor(snapshot, flow);
  if (plane !== sidecarDataPlane) return plane.evaluate(snapshot, flow);
  const e = earlyExit(snapshot, flow);
  return e.denial ?? sidecarFlowResult(snapshot, flow, e.context, e.evaluated);
}
