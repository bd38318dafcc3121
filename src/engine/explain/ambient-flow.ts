/** An ambient evaluation -> the explain FlowResult: effective steps, verdict, decidedBy, response. */
import type { Snapshot } from '../../model/snapshot.js';
import type { FlowContext } from '../flow.js';
import type { ExpectedResponse, Step } from '../explanation.js';
import type { AmbientEvaluation } from '../ambient/result.js';
import { decide, markEffective, overallVerdict, type FlowResult } from './decide.js';
import type { DataPlane } from './flow-eval.js';
import type { Endpoint } from '../flow.js';
import { canConnect } from '../network-policy/evaluate.js';
import { evaluateAmbient, isAmbientFlow } from '../ambient/evaluate.js';
import { allowedResponse, networkDenialResponse, routeTimeoutFor } from './responses.js';
import { unmodelledConditions } from './conditions.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';

const isNetwork = (s: Step): boolean => s.layer === 'networkpolicy-egress' || s.layer === 'networkpolicy-ingress';

/**
 * A blocked hop: an ambient client's ztunnel accepted the connection in the pod, so the client sees
 * it reset when the HBONE connect fails; other clients see the CNI's own answer.
 */
function hopDenied(snapshot: Snapshot, flow: FlowContext, a: AmbientEvaluation): ExpectedResponse {
  if (a.sourceAmbient)
    return {
      status: 'connection-reset',
      body: null,
      flags: null,
      details: 'ztunnel could not open the HBONE connection (consistent with a NetworkPolicy drop)',
    };
  const srcSidecar = flow.source.type === 'pod' && podHasSidecar(flow.source.pod);
  return networkDenialResponse(flow, srcSidecar, routeTimeoutFor(snapshot, flow));
}

export function ambientFlowResult(snapshot: Snapshot, flow: FlowContext, a: AmbientEvaluation): FlowResult {
  const steps = markEffective(a.steps);
  const conditions = [...unmodelledConditions(snapshot, flow.source, flow.destination), ...a.conditions];
  const i = steps.findIndex((s) => s.effective && s.verdict === 'denied');
  const denied = i >= 0 ? (steps[i] as Step) : null;
  const expectedResponse = !denied
    ? allowedResponse(flow)
    : isNetwork(denied)
      ? hopDenied(snapshot, flow, a)
      : (a.responses[i] ?? allowedResponse(flow));
  return {
    verdict: overallVerdict(steps, conditions),
    steps,
    decidedBy: decide(steps),
    expectedResponse,
    conditions,
    nearestMiss: a.nearestMiss,
    findings: flow.verdictOnly ? [] : a.findings,
    fix: flow.verdictOnly ? [] : a.fix,
    notes: a.notes,
    clientTls: a.clientTls,
    jwt: a.jwt,
    assumptions: a.assumptions,
  };
}

export const ambientDataPlane: DataPlane = {
  name: 'ambient',
  carries: isAmbientFlow,
  evaluate: (snapshot, flow) => {
    const reach = (from: Endpoint, to: Endpoint, proto: FlowContext['protocol'], port: number) =>
      canConnect(snapshot, from, to, proto, port, flow.cni);
    return ambientFlowResult(snapshot, flow, evaluateAmbient(snapshot, flow, reach));
  },
};
