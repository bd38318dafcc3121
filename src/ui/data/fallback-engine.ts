/**
 * The EnginePort parts that need nothing beyond the model: sidecar presence and the
 * offline authz-check table. `explain` reports that the engine is not wired in.
 */
import type { ExplainError, Explanation } from '../../engine/explanation.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';
import type { AuthzCheckRow, EnginePort } from './engine-port.js';
import { authorizationPoliciesFor } from './pod-facts.js';

const ACTION_ORDER = ['CUSTOM', 'DENY', 'ALLOW', 'AUDIT'];

/** The rows `istioctl x authz check` prints: ACTION, `name.namespace`, rule count; CUSTOM, DENY, ALLOW order. */
export const offlineAuthzCheckRows: EnginePort['authzCheckRows'] = (snapshot, pod) =>
  authorizationPoliciesFor(snapshot, pod)
    .map((ap): AuthzCheckRow => ({ action: ap.action, policy: `${ap.name}.${ap.namespace}`, rules: ap.rules.length }))
    .sort((a, b) => ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) || a.policy.localeCompare(b.policy));

function explainUnavailable(): ExplainError {
  return { kind: 'Error', id: null, code: 'engine-unavailable', message: 'explain is not available in this build', candidates: [] };
}

function plainFormat(e: Explanation): string {
  return [`${e.verdict}: ${e.source.name} -> ${e.destination.name}`, ...e.steps.map((s) => `  ${s.layer}: ${s.verdict} ${s.summary}`)].join('\n');
}

export const FALLBACK_ENGINE: EnginePort = {
  explain: explainUnavailable,
  formatExplanation: plainFormat,
  authzCheckRows: offlineAuthzCheckRows,
  hasSidecar: podHasSidecar,
};
