/**
 * Turns one assembled Envoy log event (head + continuation lines + thread) into LogEvents:
 * RBAC decisions joined with their `checking ...` request, local replies, mesh-health events.
 */
import { parseIstioRuleRef } from '../model/rule-ref.js';
import type { EnvoyHead } from './envoy-line.js';
import type { EnvoyContext, LogEvent, LogOrigin } from './log-event.js';
import { detectMeshHealth } from './mesh-health.js';
import {
  checkingFilter,
  parseCheckingRequest,
  isExtAuthzRejection,
  parseExtAuthzRejection,
  parseLocalReply,
  parseRbacVerdict,
} from './rbac.js';
import type { RbacJoins } from './rbac-joins.js';
import { sanitizeEvidence } from '../util/redact.js';

export interface EnvoyRecord {
  readonly head: EnvoyHead;
  readonly continuation: readonly string[];
  readonly rawLines: readonly string[];
  readonly lineNo: number;
  readonly origin: LogOrigin | null;
  readonly originKey: string;
}

function contextOf(r: EnvoyRecord, thread: string | null): EnvoyContext {
  const h = r.head;
  return {
    level: h.level,
    logger: h.logger,
    sourceLocation: h.sourceLocation,
    thread,
    connectionId: h.connectionId,
    streamId: h.streamId,
  };
}

function rbacEvents(r: EnvoyRecord, thread: string | null, joins: RbacJoins): LogEvent | null {
  const key = `${r.originKey}|${thread ?? ''}`;
  const filter = checkingFilter(r.head.message);
  if (filter !== null) {
    const request = parseCheckingRequest(filter, r.head.message, r.continuation, r.lineNo);
    joins.put(key, { request, evidence: r.rawLines.map(sanitizeEvidence) });
    return null;
  }
  const verdict = parseRbacVerdict(r.head.message);
  if (verdict === null) return null;
  const joined = joins.get(key);
  if (verdict.enforcement !== 'shadow') joins.delete(key);
  return {
    kind: 'RbacDecision',
    lineNo: r.lineNo,
    time: r.head.time,
    origin: r.origin,
    evidence: [...(joined?.evidence ?? []), ...r.rawLines.map(sanitizeEvidence)],
    enforcement: verdict.enforcement,
    result: verdict.result,
    policyId: verdict.policyId,
    policyReported: verdict.policyReported,
    ruleRef: verdict.policyId === null ? null : parseIstioRuleRef(verdict.policyId),
    request: joined?.request ?? null,
    heuristicJoin: joined !== undefined && thread === null,
    envoy: contextOf(r, thread),
  };
}

/** Interprets one Envoy event; null when it carries nothing meshdbg uses. */
export function envoyRecordToEvent(r: EnvoyRecord, thread: string | null, joins: RbacJoins): LogEvent | null {
  const h = r.head;
  if (h.logger === 'rbac') return rbacEvents(r, thread, joins);
  // older Envoy logged the ext_authz filter under `filter` (envoyproxy/envoy#18964)
  if (h.logger === 'ext_authz' || (h.logger === 'filter' && isExtAuthzRejection(h.message))) {
    const rejected = parseExtAuthzRejection(h.message);
    if (rejected === null) return null;
    return {
      kind: 'ExtAuthzDecision',
      lineNo: r.lineNo,
      time: h.time,
      origin: r.origin,
      evidence: r.rawLines.map(sanitizeEvidence),
      ...rejected,
      envoy: contextOf(r, thread),
    };
  }
  const first = h.message.charCodeAt(0);
  const reply = first === 83 || first === 80 ? parseLocalReply(h.message) : null; // 'Sending' / 'Preparing'
  if (reply !== null) {
    return {
      kind: 'LocalReply',
      lineNo: r.lineNo,
      time: h.time,
      origin: r.origin,
      evidence: r.rawLines.map(sanitizeEvidence),
      ...reply,
      envoy: contextOf(r, thread),
    };
  }
  if (h.level === 'debug' || h.level === 'trace') return null;
  const health = detectMeshHealth(h.message);
  if (health === null) return null;
  return {
    kind: 'MeshHealthEvent',
    lineNo: r.lineNo,
    time: h.time,
    origin: r.origin,
    evidence: r.rawLines.map(sanitizeEvidence),
    ...health,
    level: h.level,
    component: `envoy ${h.logger}`,
    message: sanitizeEvidence(h.message),
  };
}
