/** Types shared by the Istio layers and the explain orchestrator. */
import type { Protocol } from '../../model/k8s.js';
import type {
  Condition,
  ExpectedResponse,
  ExplanationFinding,
  Fix,
  PolicyMention,
  RequestInfo,
  RuleMiss,
  Step,
} from '../explanation.js';
import type { Endpoint } from '../flow.js';

/** Provided by the lead's NetworkPolicy engine: can `from` open a connection to `to`? */
export type ReachabilityCheck = (
  from: Endpoint,
  to: Endpoint,
  protocol: Protocol,
  port: number,
) => { allowed: boolean; policies: readonly PolicyMention[]; summary: string };

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
