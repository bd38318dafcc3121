/**
 * The layer pipeline: a data plane is an ordered list of layers, each `{name, enforcer,
 * evaluate}`. A layer evaluates one enforcement point of a flow into one `LayerResult` (its
 * step, what the client sees when that step is the first denial, and what it adds to the
 * explanation); `runLayers` evaluates every layer in order (also after the first denial, which
 * `markEffective` in decide.ts accounts for) and concatenates their contributions in layer order.
 */
import type {
  Condition,
  Enforcer,
  ExpectedResponse,
  ExplanationFinding,
  Fix,
  Layer,
  RequestInfo,
  RuleMiss,
  Step,
} from './explanation.js';

export interface Assumption {
  readonly code: string;
  readonly message: string;
}

/** What one layer reports for one flow. */
export interface LayerResult {
  readonly step: Step;
  /** what the client sees when this step is the first that denies; null: the data plane's default */
  readonly response: ExpectedResponse | null;
  readonly conditions?: readonly Condition[];
  readonly findings?: readonly ExplanationFinding[];
  readonly fix?: readonly Fix[];
  readonly notes?: readonly string[];
  readonly nearestMiss?: readonly RuleMiss[];
  readonly assumptions?: readonly Assumption[];
}

/** One enforcement point: `evaluate` reads the data plane's per-flow context `C`. */
export interface PipelineLayer<C> {
  readonly name: Layer;
  /** the proxy that applies the layer; null for the CNI (NetworkPolicy) */
  readonly enforcer: Enforcer | null;
  readonly evaluate: (context: C) => LayerResult;
}

/** Every layer's contributions, concatenated in layer order. */
export interface PipelineResult {
  readonly steps: Step[];
  /** `responses[i]` belongs to `steps[i]` */
  readonly responses: (ExpectedResponse | null)[];
  readonly conditions: Condition[];
  /**
   * The conditions that could change the verdict (DESIGN "Scope": conditional only when a thing
   * "could change the answer"): every layer's up to and including the first that denies, and the
   * mesh layer's (source-side routing: Sidecar scope, ServiceEntry, EnvoyFilter). Traffic never
   * reaches a layer after the first denial, so what is unknown about it cannot change the answer.
   */
  readonly verdictConditions: Condition[];
  readonly findings: ExplanationFinding[];
  readonly fix: Fix[];
  readonly notes: string[];
  readonly nearestMiss: RuleMiss[];
  readonly assumptions: Assumption[];
}

/**
 * A data plane's evaluation of one flow, before decide.ts marks the effective steps and decides:
 * its pipeline result, with the flow-level conditions and notes the data plane states itself
 * (not a layer's), and what the request carried.
 */
export interface PathEvaluation extends PipelineResult {
  readonly clientTls: RequestInfo['clientTls'];
  /** iss/sub/aud/exp + signature: 'not-verified'; never the raw token */
  readonly jwt: Record<string, unknown> | null;
  /** the client is ambient: its ztunnel accepts the connection locally, so a blocked hop resets it */
  readonly sourceAmbient: boolean;
}

export function collectLayers(results: readonly LayerResult[]): PipelineResult {
  // one pass with pushes: this runs for every flow, and `map` evaluates many
  const p: PipelineResult = {
    steps: [],
    responses: [],
    conditions: [],
    verdictConditions: [],
    findings: [],
    fix: [],
    notes: [],
    nearestMiss: [],
    assumptions: [],
  };
  let denied = false;
  for (const r of results) {
    p.steps.push(r.step);
    p.responses.push(r.response);
    // most lists are empty: skip them rather than spread nothing
    if (r.conditions?.length) {
      p.conditions.push(...r.conditions);
      if (!denied || r.step.layer === 'mesh') p.verdictConditions.push(...r.conditions);
    }
    if (r.step.verdict === 'denied') denied = true;
    if (r.findings?.length) p.findings.push(...r.findings);
    if (r.fix?.length) p.fix.push(...r.fix);
    if (r.notes?.length) p.notes.push(...r.notes);
    if (r.nearestMiss?.length) p.nearestMiss.push(...r.nearestMiss);
    if (r.assumptions?.length) p.assumptions.push(...r.assumptions);
  }
  return p;
}

export function runLayers<C>(layers: readonly PipelineLayer<C>[], context: C): PipelineResult {
  return collectLayers(layers.map((layer) => layer.evaluate(context)));
}

/** The response of the first step that denies, or null when none denies. */
export function firstDenialResponse(p: Pick<PipelineResult, 'steps' | 'responses'>): ExpectedResponse | null {
  const i = p.steps.findIndex((s) => s.verdict === 'denied');
  return i < 0 ? null : (p.responses[i] ?? null);
}

/** A layer that does not apply to this flow, and why; its step names the enforcer when one is given. */
export function notApplicable(layer: Layer, summary: string, enforcer: Enforcer | null = null): LayerResult {
  const step: Step = enforcer
    ? { layer, verdict: 'not-applicable', effective: true, summary, policies: [], enforcer }
    : { layer, verdict: 'not-applicable', effective: true, summary, policies: [] };
  return { step, response: null };
}

/** The layer with its enforcer named on its step (data planes that mix enforcers name each one). */
export function enforcedBy<C>(layer: PipelineLayer<C>): PipelineLayer<C> {
  const { enforcer } = layer;
  if (enforcer === null) return layer;
  return { ...layer, evaluate: (c) => withEnforcer(layer.evaluate(c), enforcer) };
}

function withEnforcer(r: LayerResult, enforcer: Enforcer): LayerResult {
  return { ...r, step: { ...r.step, enforcer } };
}

/** Evaluates `compute` once, on first use: layers that read another layer's outcome share it. */
export function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}
