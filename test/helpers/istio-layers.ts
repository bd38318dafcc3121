/**
 * The Istio layers of explain for a sidecar (or no) mesh run alone, for the tests of those
 * layers: SIDECAR_ISTIO_LAYERS through the layer pipeline (src/engine/layer.ts), without the
 * network hops that src/engine/explain/sidecar-flow.ts puts before them in the product.
 * Every layer is evaluated and reported; the data plane marks `effective` and decides.
 */
import type { Snapshot } from '../../src/model/snapshot.js';
import type { FlowContext } from '../../src/engine/flow.js';
import { firstDenialResponse, runLayers } from '../../src/engine/layer.js';
import { sidecarContext } from '../../src/engine/istio/sidecar-context.js';
import { SIDECAR_ISTIO_LAYERS } from '../../src/engine/istio/sidecar-layers.js';
import type { ReachabilityCheck } from '../../src/engine/istio/types.js';
import type {
  Condition,
  ExpectedResponse,
  ExplanationFinding,
  Fix,
  RequestInfo,
  RuleMiss,
  Step,
} from '../../src/engine/explanation.js';

export interface IstioEvaluation {
  /** exactly the layers mesh, mtls, authz-custom, jwt, authz-deny, authz-allow, in that order */
  steps: Step[];
  clientTls: RequestInfo['clientTls'];
  /** iss/sub/aud/exp + signature: 'not-verified'; never the raw token */
  jwt: Record<string, unknown> | null;
  nearestMiss: RuleMiss[];
  conditions: Condition[];
  findings: ExplanationFinding[];
  /** Istio-side fixes (ALLOW additions, manual DENY narrowing, istiod 15012 NetworkPolicies) */
  fix: Fix[];
  /** the response for the first Istio step that denies, null if none denies */
  expectedResponse: ExpectedResponse | null;
  notes: string[];
  /** defaults assumed (e.g. a standard istiod when none is in the input): never change the verdict */
  assumptions: { code: string; message: string }[];
}

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
