/**
 * The one place layer results become an answer: which steps are effective (traffic stops at the
 * first denial), which step and policy decided, what the client sees, and the overall verdict.
 * Every data plane (flow-eval.ts) hands its pipeline's PathEvaluation to `flowResult`.
 */
import type { Snapshot } from '../../model/snapshot.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';
import type { FlowContext } from '../flow.js';
import type { PathEvaluation } from '../layer.js';
import { unmodelledConditions } from './conditions.js';
import { allowedResponse, networkDenialResponse, routeTimeoutFor, serverClosedResponse } from './responses.js';
import type {
  Condition,
  ExpectedResponse,
  Explanation,
  ExplanationFinding,
  Fix,
  PolicyMention,
  RuleMiss,
  Step,
  Verdict,
} from '../explanation.js';

export interface FlowResult {
  readonly verdict: Verdict;
  readonly steps: Step[];
  readonly decidedBy: Explanation['decidedBy'];
  readonly expectedResponse: ExpectedResponse;
  readonly conditions: Condition[];
  readonly nearestMiss: RuleMiss[];
  readonly findings: ExplanationFinding[];
  readonly fix: Fix[];
  readonly notes: string[];
  readonly clientTls: Explanation['request']['clientTls'];
  readonly jwt: Explanation['request']['jwt'];
  readonly assumptions: readonly { code: string; message: string }[];
}

/** Conditions that make the verdict conditional / unsupported; others (e.g. DNS egress) are informational. */
const CONDITIONAL_CODES = new Set([
  'unmodelled-policy',
  'ext-authz-unknown',
  'jwks-unresolved',
  'partial-view',
  'undefined-order',
]);
const UNSUPPORTED_CODES = new Set(['ambient', 'unsupported']);

export function markEffective(steps: Step[]): Step[] {
  let denied = false;
  return steps.map((s) => {
    const step = s.effective === !denied ? s : { ...s, effective: !denied };
    if (s.verdict === 'denied') denied = true;
    return step;
  });
}

function decidingPolicy(step: Step): PolicyMention | null {
  return step.policies.find((p) => p.rule !== null && p.effect !== 'passed') ?? step.policies[0] ?? null;
}

/** The first effective layer that denied; for an allowed flow the last that allowed because a rule matched. */
export function decidingStep(steps: readonly Step[]): { step: Step; policy: PolicyMention | null } | null {
  const denial = steps.find((s) => s.effective && s.verdict === 'denied');
  if (denial) return { step: denial, policy: decidingPolicy(denial) };
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i] as Step;
    const matched = s.verdict === 'allowed' && s.policies.find((p) => p.rule !== null && p.effect === 'allowed');
    if (matched) return { step: s, policy: matched };
  }
  return null;
}

/** Who decided: the deciding step's layer and policy, and its enforcer (and waypoint) when the step names one. */
export function decide(steps: readonly Step[]): Explanation['decidedBy'] {
  const d = decidingStep(steps);
  if (!d) return null;
  const { enforcer, waypoint } = d.step;
  return {
    layer: d.step.layer,
    policy: d.policy,
    ...(enforcer ? { enforcer } : {}),
    ...(waypoint ? { waypoint } : {}),
  };
}

/**
 * The overall verdict: unsupported/conditional conditions win, then the first effective denial.
 * `conditions` are those that could change the answer (PipelineResult.verdictConditions and the
 * flow's own); the explanation still lists every condition.
 */
export function overallVerdict(steps: readonly Step[], conditions: readonly Condition[]): Verdict {
  if (conditions.some((c) => UNSUPPORTED_CODES.has(c.code))) return 'unsupported';
  if (conditions.some((c) => CONDITIONAL_CODES.has(c.code))) return 'conditional';
  if (steps.some((s) => s.effective && s.verdict === 'denied')) return 'denied';
  return steps.some((s) => s.effective && s.verdict === 'conditional') ? 'conditional' : 'allowed';
}

const isNetwork = (s: Step): boolean => s.layer === 'networkpolicy-egress' || s.layer === 'networkpolicy-ingress';

/**
 * A NetworkPolicy drop: an ambient client's ztunnel accepted the connection in the pod, so the
 * client sees it reset when the HBONE connect fails; other clients see the CNI's own answer.
 */
function networkDenied(snapshot: Snapshot, flow: FlowContext, sourceAmbient: boolean): ExpectedResponse {
  if (sourceAmbient)
    return {
      status: 'connection-reset',
      body: null,
      flags: null,
      details: 'ztunnel could not open the HBONE connection (consistent with a NetworkPolicy drop)',
    };
  const srcSidecar = flow.source.type === 'pod' && podHasSidecar(flow.source.pod);
  return networkDenialResponse(flow, srcSidecar, routeTimeoutFor(snapshot, flow));
}

/** Every layer's conditions; those of layers traffic never reaches say so (they leave the verdict alone). */
function listedConditions(e: PathEvaluation, denied: Step | null): Condition[] {
  if (!denied || e.verdictConditions.length === e.conditions.length) return e.conditions;
  const counted = new Set(e.verdictConditions);
  return e.conditions.map((c) =>
    counted.has(c) ? c : { code: c.code, message: `${c.message} (not reached: ${denied.layer} denies first)` },
  );
}

/** What the client sees when step `i` (`denied`) stops the flow, with a note when a proxy on the way answers for it. */
function clientResponse(
  snapshot: Snapshot,
  flow: FlowContext,
  e: PathEvaluation,
  denied: Step | null,
  i: number,
): { response: ExpectedResponse; note: string | null } {
  if (!denied) return { response: allowedResponse(flow), note: null };
  if (isNetwork(denied)) return { response: networkDenied(snapshot, flow, e.sourceAmbient), note: null };
  const answered = e.responses[i] ?? allowedResponse(flow);
  // a sidecar closed it; what a gateway sees of ztunnel's refusal of its HBONE tunnel is not settled (README "Ambient mode")
  return denied.enforcer === undefined ? serverClosedResponse(flow, answered) : { response: answered, note: null };
}

/** A data plane's evaluation -> the explain FlowResult: effective steps, verdict, decidedBy, response. */
export function flowResult(snapshot: Snapshot, flow: FlowContext, e: PathEvaluation): FlowResult {
  const steps = markEffective(e.steps);
  const unmodelled = unmodelledConditions(snapshot, flow.source, flow.destination);
  const i = steps.findIndex((s) => s.effective && s.verdict === 'denied');
  const denied = i >= 0 ? (steps[i] as Step) : null;
  const conditions = [...unmodelled, ...listedConditions(e, denied)];
  const client = clientResponse(snapshot, flow, e, denied, i);
  return {
    verdict: overallVerdict(steps, [...unmodelled, ...e.verdictConditions]),
    steps,
    decidedBy: decide(steps),
    expectedResponse: client.response,
    conditions,
    nearestMiss: e.nearestMiss,
    findings: flow.verdictOnly ? [] : e.findings,
    fix: flow.verdictOnly ? [] : e.fix,
    notes: client.note ? [...e.notes, client.note] : e.notes,
    clientTls: e.clientTls,
    jwt: e.jwt,
    assumptions: e.assumptions,
  };
}
