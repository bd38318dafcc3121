/**
 * The Istio layers as the explain orchestrator sees them.
 * (Wired to src/engine/istio once that lands; until then no Istio step is produced.)
 */
import type { Pod, Protocol } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';
import type { Condition, ExpectedResponse, ExplanationFinding, Fix, PolicyMention, RequestInfo, RuleMiss, Step } from '../explanation.js';
import type { Endpoint, FlowContext } from '../flow.js';

export type ReachabilityCheck = (from: Endpoint, to: Endpoint, protocol: Protocol, port: number) => { allowed: boolean; policies: readonly PolicyMention[]; summary: string };

export interface IstioEvaluation {
  steps: Step[];
  clientTls: RequestInfo['clientTls'];
  jwt: Record<string, unknown> | null;
  nearestMiss: RuleMiss[];
  conditions: Condition[];
  findings: ExplanationFinding[];
  fix: Fix[];
  expectedResponse: ExpectedResponse | null;
  notes: string[];
}

export function evaluateIstioLayers(_snapshot: Snapshot, _flow: FlowContext, _reach: ReachabilityCheck): IstioEvaluation {
  return { steps: [], clientTls: null, jwt: null, nearestMiss: [], conditions: [], findings: [], fix: [], expectedResponse: null, notes: [] };
}

export function hasSidecar(pod: Pod): boolean {
  return podHasSidecar(pod);
}
