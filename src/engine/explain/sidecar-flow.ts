/** The sidecar data plane: a flow through NetworkPolicy and, when present, the sidecars' Istio layers. */
import type { Snapshot } from '../../model/snapshot.js';
import type { Condition, Fix } from '../explanation.js';
import type { Endpoint, FlowContext } from '../flow.js';
import { canConnect, evaluateEgress, evaluateIngress } from '../network-policy/evaluate.js';
import { networkStep } from './network-steps.js';
import { networkPolicyFix } from './network-fix.js';
import { undefinedOrderConditions, unmodelledConditions } from './conditions.js';
import { networkDenialResponse, allowedResponse, routeTimeoutFor } from './responses.js';
import { evaluateIstioLayers } from '../istio/index.js';
import { podHasSidecar as hasSidecar } from '../../model/convert/sidecar.js';
import { decide, markEffective, overallVerdict, type FlowResult } from './decide.js';
import type { DataPlane } from './flow-eval.js';

/** Sidecar (or no) mesh: NetworkPolicy egress and ingress, then the destination sidecar's Istio layers. */
function evaluateSidecarFlow(snapshot: Snapshot, flow: FlowContext): FlowResult {
  const { source, destination, protocol, port, cni } = flow;
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
    const f =
      result && !flow.verdictOnly ? networkPolicyFix(direction, result, source, destination, protocol, port) : null;
    if (f) fix.push(f);
  }
  if (!flow.verdictOnly) fix.push(...istio.fix);

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
    findings: flow.verdictOnly ? [] : istio.findings,
    fix,
    notes: istio.notes,
    clientTls: istio.clientTls,
    jwt: istio.jwt,
    assumptions: istio.assumptions,
  };
}

export const sidecarDataPlane: DataPlane = { name: 'sidecar', carries: () => true, evaluate: evaluateSidecarFlow };
