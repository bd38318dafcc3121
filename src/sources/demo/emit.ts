/**
 * One simulated request -> the log events the proxies involved print, as kubectl --prefix shows
 * them (`[pod/NAME/istio-proxy] `), plus a Calico flow for NetworkPolicy drops on Calico.
 */
import type { Explanation, PolicyMention, Step } from '../../engine/index.js';
import type { Cni } from '../../model/snapshot.js';
import { formatRbacDeniedDetails, NO_RULE, parseRuleRef, type RuleRef } from '../../model/rule-ref.js';
import {
  calicoDenyFlowLine,
  type CalicoFlowPolicy,
  checkingRequestLines,
  inboundAccessLine,
  filterChainNotFoundLine,
  localReplyLine,
  outboundAccessLine,
  rbacDecisionLine,
  type Hop,
} from './log-lines.js';
import type { Random } from '../../util/random.js';
import type { DemoPod } from './topology.js';
import { emitAmbient, isAmbientExplanation } from './emit-ambient.js';

export interface RequestInput {
  readonly explanation: Explanation;
  readonly client: DemoPod;
  readonly server: DemoPod;
  readonly method: string;
  readonly path: string;
  /** what the client called: a Service's FQDN, port and ClusterIP, or the pod's IP and port */
  readonly route: { readonly host: string; readonly port: number; readonly clusterIp: string };
  readonly thread: string;
  readonly time: (offsetUs: number) => string;
  readonly rng: Random;
  readonly accessLog: boolean;
  readonly rbacDebug: boolean;
  readonly cni: Cni;
}

export interface Emitted {
  /** each entry is one log event (one or more physical lines) */
  readonly events: readonly (readonly string[])[];
  /** true when some line shows the denial (so the correlator can find it) */
  readonly observable: boolean;
}

const prefix = (pod: DemoPod, lines: readonly string[]): string[] =>
  lines.map((l) => `[pod/${pod.name}/istio-proxy] ${l}`);
const stepOf = (e: Explanation, layer: Step['layer']): Step | undefined => e.steps.find((s) => s.layer === layer);

function hopOf(input: RequestInput, offsetUs: number): Hop {
  const { explanation: e, rng } = input;
  const mtls = e.request.clientTls === 'istio-mutual' && e.destination.sidecar;
  return {
    time: input.time(offsetUs),
    thread: input.thread,
    connectionId: String(100 + rng.int(900)),
    streamId: String(1e17 + rng.int(9e8) * 1e9 + rng.int(1e9)),
    requestId: `${rng.suffix(8)}-${rng.suffix(4)}-${rng.suffix(4)}`,
    method: input.method,
    path: input.path,
    host: input.route.host,
    servicePort: input.route.port,
    targetPort: e.request.port,
    srcIp: input.client.ip,
    srcPort: 40000 + rng.int(20000),
    dstIp: input.server.ip,
    clusterIp: input.route.clusterIp,
    peerUriSan: mtls && e.source.principal ? `spiffe://${e.source.principal}` : '',
  };
}

/** The rule that decided, as the proxy names it (`none` when a policy decided as a whole). */
function decidingRule(e: Explanation): RuleRef {
  const ref = e.decidedBy?.policy?.ruleRef;
  return ref === undefined ? NO_RULE : (parseRuleRef(ref) ?? NO_RULE);
}

/** RBAC debug lines: one `checking request` + decision per action filter (DENY then ALLOW). */
function rbacEvents(e: Explanation, hop: Hop, denied: boolean): string[][] {
  const events: string[][] = [];
  const deny = stepOf(e, 'authz-deny');
  const allow = stepOf(e, 'authz-allow');
  const layer = e.decidedBy?.layer;
  if (deny !== undefined && deny.policies.length > 0) {
    events.push(checkingRequestLines(hop));
    const matched = denied && layer === 'authz-deny';
    events.push([rbacDecisionLine(hop, matched ? 'denied' : 'allowed', matched ? decidingRule(e) : NO_RULE)]);
    if (matched) return events;
  }
  if (allow !== undefined && allow.policies.length > 0) {
    events.push(checkingRequestLines(hop));
    const id = !denied && layer === 'authz-allow' ? decidingRule(e) : NO_RULE;
    events.push([rbacDecisionLine(hop, denied ? 'denied' : 'allowed', id)]);
  }
  return events;
}

function authzDenied(input: RequestInput, hop: Hop): Emitted {
  const e = input.explanation;
  const id = e.decidedBy?.policy?.rule !== null && e.decidedBy?.layer === 'authz-deny' ? decidingRule(e) : NO_RULE;
  const details = formatRbacDeniedDetails(id);
  const events: string[][] = [];
  if (input.rbacDebug) {
    for (const ev of rbacEvents(e, hop, true)) events.push(prefix(input.server, ev));
    events.push(prefix(input.server, [localReplyLine(hop, details)]));
  }
  if (input.accessLog) events.push(prefix(input.server, [inboundAccessLine(hop, 403, details, 19)]));
  if (input.accessLog && e.source.sidecar)
    events.push(prefix(input.client, [outboundAccessLine(hop, 403, '-', 'via_upstream', 19, 2)]));
  return { events, observable: input.rbacDebug || input.accessLog };
}

function networkDenied(input: RequestInput, hop: Hop): Emitted {
  const e = input.explanation;
  const events: string[][] = [];
  const refused = input.cni === 'kube-router';
  if (input.accessLog && e.source.sidecar) {
    const details = refused
      ? 'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}'
      : 'upstream_reset_before_response_started{connection_timeout}';
    events.push(
      prefix(input.client, [outboundAccessLine(hop, 503, 'URX,UF', details, refused ? 145 : 114, refused ? 3 : 30066)]),
    );
  }
  const policy = e.decidedBy?.policy;
  const flowPolicy = policy ? calicoFlowPolicy(policy) : null;
  if (input.cni === 'calico' && flowPolicy) {
    const ingress = e.decidedBy?.layer === 'networkpolicy-ingress';
    const end = (p: DemoPod) => ({ namespace: p.namespace, name: `${p.name.slice(0, p.name.lastIndexOf('-'))}-*` });
    events.push([
      calicoDenyFlowLine(
        hop.time,
        end(input.client),
        end(input.server),
        hop.targetPort,
        ingress ? 'Dst' : 'Src',
        flowPolicy,
      ),
    ]);
  }
  return { events, observable: events.length > 0 };
}

function mtlsDenied(input: RequestInput, hop: Hop): Emitted {
  if (!input.accessLog) return { events: [], observable: false };
  const e = input.explanation;
  // a plaintext client: the server's inbound listener has no chain for it (istio.io docs
  // ops/common-problems/security-issues); a meshed client sees its TLS connection terminated
  if (!e.source.sidecar)
    return { events: [prefix(input.server, [filterChainNotFoundLine(hop)])], observable: e.destination.sidecar };
  const line = outboundAccessLine(
    hop,
    503,
    'UC',
    'upstream_reset_before_response_started{connection_termination}',
    95,
    1,
  );
  return { events: [prefix(input.client, [line])], observable: true };
}

/** RequestAuthentication rejected the token: the server's jwt_authn filter answers 401 with its reason. */
function jwtDenied(input: RequestInput, hop: Hop): Emitted {
  const details = input.explanation.expectedResponse.details;
  if (!input.accessLog || details === null) return { events: [], observable: false };
  const events = [prefix(input.server, [inboundAccessLine(hop, 401, details, 14)])];
  if (input.explanation.source.sidecar)
    events.push(prefix(input.client, [outboundAccessLine(hop, 401, '-', 'via_upstream', 14, 2)]));
  return { events, observable: true };
}

function allowed(input: RequestInput, hop: Hop): Emitted {
  const events: string[][] = [];
  if (input.rbacDebug && input.explanation.destination.sidecar)
    for (const ev of rbacEvents(input.explanation, hop, false)) events.push(prefix(input.server, ev));
  if (input.accessLog && input.explanation.destination.sidecar)
    events.push(prefix(input.server, [inboundAccessLine(hop, 200, 'via_upstream', 612)]));
  if (input.accessLog && input.explanation.source.sidecar)
    events.push(prefix(input.client, [outboundAccessLine(hop, 200, '-', 'via_upstream', 612, 3)]));
  return { events, observable: false };
}

export function emitRequest(input: RequestInput): Emitted {
  const hop = hopOf(input, 0);
  const e = input.explanation;
  if (isAmbientExplanation(e)) return emitAmbient(input, hop);
  if (e.verdict === 'allowed') return allowed(input, hop);
  switch (e.decidedBy?.layer) {
    case 'authz-deny':
    case 'authz-allow':
      return authzDenied(input, hop);
    case 'networkpolicy-ingress':
    case 'networkpolicy-egress':
      return networkDenied(input, hop);
    case 'mtls':
      return mtlsDenied(input, hop);
    case 'jwt':
      return jwtDenied(input, hop);
    default:
      return { events: [], observable: false };
  }
}

/**
 * The policy a Calico flow record names for a drop: a Kubernetes NetworkPolicy (at the end of the
 * default tier), or a Calico (Global)NetworkPolicy with its tier and the rule that denied (-1: the
 * end of its tier). Other deciders (ANP, BANP) leave no flow in the demo.
 */
function calicoFlowPolicy(policy: PolicyMention): CalicoFlowPolicy | null {
  if (policy.kind === 'NetworkPolicy' && policy.namespace !== null)
    return { kind: 'NetworkPolicy', namespace: policy.namespace, name: policy.name, tier: 'default', rule: -1 };
  if (policy.kind !== 'GlobalNetworkPolicy' && policy.kind !== 'CalicoNetworkPolicy') return null;
  const tier = policy.tier ?? 'default';
  return { kind: policy.kind, namespace: policy.namespace, name: policy.name, tier, rule: policy.rule ?? -1 };
}
