/**
 * The one place layer results become an answer: which steps are effective (traffic stops at the
 * first denial), which step and policy decided, and the overall verdict. Every data plane
 * (flow-eval.ts) returns its steps through these.
 */
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

/** The overall verdict: unsupported/conditional conditions win, then the first effective denial. */
export function overallVerdict(steps: readonly Step[], conditions: readonly Condition[]): Verdict {
  if (conditions.some((c) => UNSUPPORTED_CODES.has(c.code))) return 'unsupported';
  if (conditions.some((c) => CONDITIONAL_CODES.has(c.code))) return 'conditional';
  if (steps.some((s) => s.effective && s.verdict === 'denied')) return 'denied';
  return steps.some((s) => s.effective && s.verdict === 'conditional') ? 'conditional' : 'allowed';
}
