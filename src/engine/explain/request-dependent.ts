/**
 * `explain A B --port P` on a port Istio treats as HTTP, without a method or path: the answer
 * depends on the request. When the ALLOW rules deny only because the request lacks HTTP
 * attributes they ask for, the verdict is `conditional` and the condition lists what those rules
 * admit (the connectivity map's own summary of the same evaluation, engine/map/http-summary.ts).
 * Protocol selection: https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
import type { Condition } from '../explanation.js';
import { portAsAsked, type FlowContext } from '../flow.js';
import type { FlowResult } from './decide.js';
import { trafficKind } from '../istio/protocol.js';
import { httpSummaryOf, type HttpRule } from '../map/http-summary.js';

export const REQUEST_DEPENDENT = 'http-request-unspecified';

function ruleText(rule: HttpRule): string {
  const parts = Object.entries(rule.match)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join('|') : typeof v === 'string' ? v : JSON.stringify(v)}`);
  return `${parts.join(', ')} (${rule.ruleRef})`;
}

/** The condition that makes a request-less query on an HTTP port `conditional`, or null. */
export function requestDependentCondition(flow: FlowContext, result: FlowResult): Condition | null {
  if (flow.http !== null || result.verdict !== 'denied' || result.decidedBy?.layer !== 'authz-allow') return null;
  if (trafficKind(flow).kind !== 'http') return null;
  const summary = httpSummaryOf(result.steps);
  if (summary === null) return null;
  return {
    code: REQUEST_DEPENDENT,
    message: `${portAsAsked(flow)} is HTTP and no request was given: allowed only for ${summary.rules.map(ruleText).join('; ')}; give --method/--path for a definite answer`,
  };
}
