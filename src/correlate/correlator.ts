/**
 * The streaming correlator: LogEvents in, Denials out. The RBAC debug lines, the local reply and
 * the access-log line of one request make one Denial; repeats of the same denial are counted.
 * Pure: the engine runs once per distinct denial (nearest miss, NetworkPolicy relation).
 */
import type { Snapshot } from '../model/snapshot.js';
import type { AccessLogEntry, LogEvent, LocalReply, RbacDecision } from '../parsers/log-event.js';
import { assertNever } from '../util/assert-never.js';
import { attributeFlow, flowEndpoint } from './calico-denial.js';
import type { Denial, DenialPeer } from './denial.js';
import { denialKey, originKey, type CorrelationContext, type Draft, type DraftResult, type Enrichment } from './draft.js';
import { explainLoggedRequest } from './explain-request.js';
import { draftFromAccessLog } from './from-access-log.js';
import { draftFromLocalReply, draftFromRbac } from './from-rbac.js';
import { ipOf, portOf, resolveAddress } from './resolve-peer.js';
import { relateUpstreamFailure } from './upstream.js';

export interface CorrelatorOptions {
  /** evidence lines kept per denial; default 50 */
  readonly maxEvidence?: number;
  /** recent requests remembered for merging their local reply / access-log line; default 256 */
  readonly maxRecent?: number;
}

export interface Correlator {
  /** the Denial this event created or updated (null when the event is not a denial) */
  push(event: LogEvent): Denial | null;
  /** distinct denials in order of first occurrence */
  denials(): readonly Denial[];
}

interface Group {
  denial: Denial;
}

/** One observed request, kept briefly so its other lines merge into it. */
interface Recent {
  readonly group: Group;
  readonly originKey: string;
  readonly thread: string | null;
  readonly policyId: string | null;
  readonly sourceIp: string | null;
  readonly path: string | null;
  readonly first: boolean;
  hasReply: boolean;
  hasAccessLog: boolean;
}

function enrich(snapshot: Snapshot | null, d: Draft, e: Enrichment): Draft {
  if (snapshot === null || e.type === 'none') return d;
  const explanation = explainLoggedRequest(snapshot, d.source, d.destination, d.request, e.type === 'allow-miss' ? e.mtls : null);
  if (e.type === 'allow-miss') {
    if (explanation === null) return d;
    return { ...d, nearestMiss: explanation.nearestMiss, explanation };
  }
  const rel = relateUpstreamFailure(e.reason, explanation);
  const reason = `${d.reason.split(':')[0] ?? ''}: ${rel.reason}`;
  return { ...d, layer: rel.layer, policy: rel.policy, ruleRef: rel.policy?.ruleRef ?? null, nearestMiss: rel.nearestMiss, reason, ...(explanation ? { explanation } : {}) };
}

function flowDraft(ctx: CorrelationContext, event: Extract<LogEvent, { kind: 'CalicoFlow' }>): DraftResult | null {
  if (event.action.toLowerCase() !== 'deny') return null;
  const a = attributeFlow(ctx.snapshot, event);
  const request = { protocol: null, method: null, path: null, host: null, port: event.destPort, sni: null, status: null };
  const draft: Draft = {
    kind: 'Denial', time: event.startTime ?? event.time, cause: 'calico-flow',
    source: flowEndpoint(ctx.snapshot, event.source.namespace, event.source.name),
    destination: flowEndpoint(ctx.snapshot, event.destination.namespace, event.destination.name),
    request, layer: a.layer, policy: a.policy, ruleRef: a.policy?.ruleRef ?? null, policyId: null, policyInSnapshot: a.inSnapshot,
    enforcement: 'enforced', reason: a.reason, nearestMiss: [], heuristicJoin: false, evidence: event.evidence,
  };
  return { draft, enrich: { type: 'none' } };
}

export function createCorrelator(snapshot: Snapshot | null, options: CorrelatorOptions = {}): Correlator {
  const maxEvidence = options.maxEvidence ?? 50;
  const maxRecent = options.maxRecent ?? 256;
  const ctx: CorrelationContext = { snapshot };
  const groups = new Map<string, Group>();
  const recent: Recent[] = [];
  const lastByThread = new Map<string, Recent>();

  const addEvidence = (r: Recent, lines: readonly string[]): void => {
    if (!r.first) return;
    const d = r.group.denial;
    const room = maxEvidence - d.evidence.length;
    if (room > 0) r.group.denial = { ...d, evidence: [...d.evidence, ...lines.slice(0, room)] };
  };

  const record = (result: DraftResult): { group: Group; first: boolean } => {
    const key = denialKey(result.draft);
    const existing = groups.get(key);
    if (existing !== undefined) {
      existing.denial = { ...existing.denial, count: existing.denial.count + 1, lastTime: result.draft.time ?? existing.denial.lastTime };
      return { group: existing, first: false };
    }
    const draft = enrich(snapshot, result.draft, result.enrich);
    const group: Group = { denial: { ...draft, count: 1, lastTime: draft.time, evidence: draft.evidence.slice(0, maxEvidence) } };
    groups.set(key, group);
    return { group, first: true };
  };

  /** The access-log line completes what the RBAC lines lacked (source, method, path, status). */
  const fillFromAccessLog = (g: Group, e: AccessLogEntry): void => {
    const d = g.denial;
    const q = d.request;
    const source = d.source === 'unknown' ? resolveAddress(snapshot, e.downstreamRemoteAddress, null) : d.source;
    const request = { ...q, method: q.method ?? e.method, path: q.path ?? e.path, host: q.host ?? e.authority, port: q.port ?? portOf(e.downstreamLocalAddress), sni: q.sni ?? e.requestedServerName, status: q.status ?? e.status };
    g.denial = { ...d, source, request };
  };

  const remember = (r: Recent): void => {
    recent.push(r);
    if (recent.length > maxRecent) recent.shift();
    lastByThread.set(`${r.originKey}|${r.thread ?? ''}`, r);
    if (lastByThread.size > maxRecent) lastByThread.delete(lastByThread.keys().next().value as string);
  };

  const onRbac = (e: RbacDecision): Denial | null => {
    const result = draftFromRbac(ctx, e);
    if (result === null) return null;
    const { group, first } = record(result);
    const req = e.request;
    remember({ group, first, originKey: originKey(e.origin), thread: e.envoy.thread, policyId: e.policyId, sourceIp: ipOf(req?.sourceAddress ?? null), path: req?.path ?? null, hasReply: false, hasAccessLog: false });
    return group.denial;
  };

  const onReply = (e: LocalReply): Denial | null => {
    if (!e.rbacDenied) return null;
    const r = lastByThread.get(`${originKey(e.origin)}|${e.envoy.thread ?? ''}`);
    if (r !== undefined && !r.hasReply && r.policyId === e.rbacPolicyId) {
      r.hasReply = true;
      addEvidence(r, e.evidence);
      return r.group.denial;
    }
    const result = draftFromLocalReply(ctx, e);
    if (result === null) return null;
    const { group, first } = record(result);
    remember({ group, first, originKey: originKey(e.origin), thread: e.envoy.thread, policyId: e.rbacPolicyId, sourceIp: null, path: null, hasReply: true, hasAccessLog: false });
    return group.denial;
  };

  const sameRequest = (r: Recent, e: AccessLogEntry, key: string): boolean => {
    if (r.hasAccessLog || r.originKey !== key || r.policyId !== (e.rbac?.policyId ?? null)) return false;
    const ip = ipOf(e.downstreamRemoteAddress);
    if (r.sourceIp !== null && ip !== null && r.sourceIp !== ip) return false;
    return r.path === null || e.path === null || r.path === e.path;
  };

  const onAccessLog = (e: AccessLogEntry): Denial | null => {
    if (e.rbac !== null) {
      const key = originKey(e.origin);
      for (let i = recent.length - 1; i >= 0; i--) {
        const r = recent[i] as Recent;
        if (!sameRequest(r, e, key)) continue;
        r.hasAccessLog = true;
        addEvidence(r, e.evidence);
        if (r.first) fillFromAccessLog(r.group, e);
        return r.group.denial;
      }
    }
    const result = draftFromAccessLog(ctx, e);
    if (result === null) return null;
    const { group, first } = record(result);
    if (e.rbac !== null) remember({ group, first, originKey: originKey(e.origin), thread: null, policyId: e.rbac.policyId, sourceIp: ipOf(e.downstreamRemoteAddress), path: e.path, hasReply: true, hasAccessLog: true });
    return group.denial;
  };

  return {
    push(event: LogEvent): Denial | null {
      switch (event.kind) {
        case 'RbacDecision':
          return onRbac(event);
        case 'LocalReply':
          return onReply(event);
        case 'AccessLogEntry':
          return onAccessLog(event);
        case 'CalicoFlow': {
          const result = flowDraft(ctx, event);
          return result === null ? null : record(result).group.denial;
        }
        case 'MeshHealthEvent':
        case 'CalicoPacketLog':
        case 'CniHealthEvent':
          return null;
        default:
          return assertNever(event, 'log event');
      }
    },
    denials: () => [...groups.values()].map((g) => g.denial),
  };
}

/** Correlates a finished stream of events. */
export function correlate(events: Iterable<LogEvent>, snapshot: Snapshot | null, options?: CorrelatorOptions): Denial[] {
  const c = createCorrelator(snapshot, options);
  for (const e of events) c.push(e);
  return [...c.denials()];
}

export type { Denial, DenialPeer };
