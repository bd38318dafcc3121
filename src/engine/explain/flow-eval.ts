/**
 * One resolved flow (pod or IP to pod or IP, one port) through every layer, in the order
 * traffic meets them. Every layer is evaluated and reported, also after the first denial.
 */
import type { Snapshot } from '../../model/snapshot.js';
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
import type { Endpoint, FlowContext } from '../flow.js';
import { canConnect, evaluateEgress, evaluateIngress } from '../network-policy/evaluate.js';
import { networkStep } from './network-steps.js';
import { networkPolicyFix } from './network-fix.js';
import { undefinedOrderConditions, unmodelledConditions } from './conditions.js';
import { networkDenialResponse, allowedResponse, routeTimeoutFor } from './responses.js';
import { evaluateIstioLayers } from '../istio/index.js';
import { podHasSidecar as hasSidecar } from '../../model/convert/sidecar.js';
import { evaluateAmbient, isAmbientFlow } from '../ambient/evaluate.js';
import { ambientFlowResult } from './ambient-flow.js';

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
    const step = { ...s, effective: !denied };
    if (s.verdict === 'denied') denied = true;
    return step;
  });
}

function decidingPolicy(step: Step): PolicyMention | null {
  return (
    step.policies.find((p) => p.rule !== null && p.effect !== 'passed' && p.effect !== 'pass') ??
    step.policies[0] ??
    null
  );
}

/** The first effective layer that denied; for an allowed flow the last that allowed because a rule matched. */
export function decidingStep(steps: readonly Step[]): { step: Step; policy: PolicyMention | null } | null {
  const denial = steps.find((s) => s.effective && s.verdict === 'denied');
  if (denial) return { step: denial, policy: decidingPolicy(denial) };
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i] as Step;
    const matched =
      s.verdict === 'allowed' &&
      s.policies.find((p) => p.rule !== null && (p.effect === 'allowed' || p.effect === 'allow'));
    if (matched) return { step: s, policy: matched };
  }
  return null;
}

export function decide(steps: readonly Step[]): Explanation['decidedBy'] {
  const d = decidingStep(steps);
  return d ? { layer: d.step.layer, policy: d.policy } : null;
}

/** The overall verdict: unsupported/conditional conditions win, then the first effective denial. */
export function overallVerdict(steps: readonly Step[], conditions: readonly Condition[]): Verdict {
  if (conditions.some((c) => UNSUPPORTED_CODES.has(c.code))) return 'unsupported';
  if (conditions.some((c) => CONDITIONAL_CODES.has(c.code))) return 'conditional';
  if (steps.some((s) => s.effective && s.verdict === 'denied')) return 'denied';
  return steps.some((s) => s.effective && s.verdict === 'conditional') ? 'conditional' : 'allowed';
}

export function evaluateFlow(snapshot: Snapshot, flow: FlowContext): FlowResult {
  const { source, destination, protocol, port, cni } = flow;
  if (isAmbientFlow(snapshot, flow)) {
    const reachAmbient = (from: Endpoint, to: Endpoint, proto: typeof protocol, p: number) =>
      canConnect(snapshot, from, to, proto, p, cni);
    return ambientFlowResult(snapshot, flow, evaluateAmbient(snapshot, flow, reachAmbient));
  }
  const egress = source.type === 'pod' ? evaluateEgress(snapshot, source, destination, protocol, port, cni) : null;
  const ingress =
    destination.type === 'pod' ? evaluateIngress(snapshot, source, destination, protocol, port, cni) : null;
  const reach = (from: Endpoint, to: Endpoint, proto: typeof protocol, p: number) =>
    canConnect(snapshot, from, to, proto, p, cni);
  const istio = evaluateIstioLayers(snapshot, flow, reach);
  const steps = markEffective([
    networkStep('networkpolicy-egress', egress, source),
    networkStep('networkpolicy-ingress', ingress, destination),
    ...istio.steps,
  ]);

  const conditions: Condition[] = [
    ...unmodelledConditions(snapshot, source, destination),
    ...undefinedOrderConditions(egress, ingress),
    ...[egress, ingress].flatMap((r) => r?.uncertain ?? []),
    ...istio.conditions,
  ];
  const firstDenial = steps.find((s) => s.effective && s.verdict === 'denied');
  const verdict = overallVerdict(steps, conditions);

  const fix: Fix[] = [];
  for (const [direction, result] of [
    ['egress', egress],
    ['ingress', ingress],
  ] as const) {
    const f = result ? networkPolicyFix(direction, result, source, destination, protocol, port) : null;
    if (f) fix.push(f);
  }
  fix.push(...istio.fix);

  const networkDenied = firstDenial?.layer === 'networkpolicy-egress' || firstDenial?.layer === 'networkpolicy-ingress';
  const srcSidecar = source.type === 'pod' && hasSidecar(source.pod);
  const expectedResponse = networkDenied
    ? networkDenialResponse(flow, srcSidecar, routeTimeoutFor(snapshot, flow))
    : firstDenial
      ? (istio.expectedResponse ?? allowedResponse(flow))
      : allowedResponse(flow);

  return {
    verdict,
    steps,
    decidedBy: decide(steps),
    expectedResponse,
    conditions,
    nearestMiss: istio.nearestMiss,
    findings: istio.findings,
    fix,
    notes: istio.notes,
    clientTls: istio.clientTls,
    jwt: istio.jwt,
    assumptions: istio.assumptions,
  };
}
