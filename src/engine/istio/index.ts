/**
 * The Istio layers of explain for a sidecar (or no) mesh: SIDECAR_ISTIO_LAYERS run through the
 * layer pipeline (engine/layer.ts). Every layer is evaluated and reported; the data plane marks
 * `effective` and decides.
 */
import type { Snapshot } from '../../model/snapshot.js';
import type { FlowContext } from '../flow.js';
import { firstDenialResponse, runLayers } from '../layer.js';
import { sidecarContext } from './sidecar-context.js';
import { SIDECAR_ISTIO_LAYERS } from './sidecar-layers.js';
import type { IstioEvaluation, ReachabilityCheck } from './types.js';

export type { IstioEvaluation, ReachabilityCheck } from './types.js';
export { attributes } from './request-attributes.js';

export function evaluateIstioLayers(snapshot: Snapshot, flow: FlowContext, reach: ReachabilityCheck): IstioEvaluation {
  const context = sidecarContext(snapshot, flow, reach);
  const p = runLayers(SIDECAR_ISTIO_LAYERS, context);
  return {
    steps: p.steps,
    clientTls: context.mtls()?.clientTls ?? null,
    jwt: context.jwt()?.echo ?? null,
    nearestMiss: p.nearestMiss,
    conditions: p.conditions,
    findings: p.findings,
    fix: p.fix,
    expectedResponse: firstDenialResponse(p),
    notes: p.notes,
    assumptions: p.assumptions,
  };
}
