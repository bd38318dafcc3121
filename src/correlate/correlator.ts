/**
 * The streaming correlator: LogEvents in, Denials out. The RBAC debug lines, the local reply and
 * the access-log line of one request make one Denial; repeats of the same denial are counted.
 * Pure: the engine runs once per distinct denial (nearest miss, NetworkPolicy relation).
 */
import type { Snapshot } from '../model/snapshot.js';
import type {
  AccessLogEntry,
  ExtAuthzDecision,
  KubeRouterPacketLog,
  LogEvent,
  LocalReply,
  RbacDecision,
  ZtunnelRecord,
} from '../parsers/log-event.js';
import { assertNever } from '../util/assert-never.js';
import type { Denial, DenialPeer } from './denial.js';
import { denialKey, originKey, type CorrelationContext, type DraftResult } from './draft.js';
import { enrichDraft } from './enrich.js';
import { mergeCopy, mergeZtunnelRecord, viewOf, type Group, type Recent } from './group.js';
import { fastKey } from './fast-key.js';
import { draftFromAccessLog, isUnexplainedAuthStatus } from './from-access-log.js';
import { bpfDraft, flowDraft, packetLogDraft, policyLogDraft } from './from-calico.js';
import { draftFromExtAuthz, draftFromLocalReply, draftFromRbac, EXT_AUTHZ_KEY } from './from-rbac.js';
import { draftFromZtunnel, ztunnelConnectionKeys } from './from-ztunnel.js';
import { draftFromMixer } from './from-mixer.js';
import { kubeRouterPacketDraft, pairedWithPodChain } from './from-kube-router.js';
import { packetKey } from '../parsers/kube-router-nflog.js';
import { ipOf, portOf, resolveAddress } from './resolve-peer.js';

export interface CorrelatorOptions {
  /** evidence lines kept per denial; default 50 */
  readonly maxEvidence?: number;
  /** recent requests remembered for merging their local reply / access-log line; default 256 */
  readonly maxRecent?: number;
  /** distinct denials kept (a live tail runs for hours); the oldest is dropped beyond this; default 10000 */
  readonly maxDenials?: number;
}

/** What push() touched: the key of the Denial (see get()) and whether it is new. */
export interface DenialUpdate {
  readonly key: string;
  readonly isNew: boolean;
}

export interface Correlator {
  /** the Denial this event created or updated, or null when the event is not a denial */
  push(event: LogEvent): DenialUpdate | null;
  get(key: string): Denial | undefined;
  /** distinct denials in order of first occurrence */
  denials(): readonly Denial[];
  /** distinct denials dropped because of maxDenials */
  dropped(): number;
}

export function createCorrelator(snapshot: Snapshot | null, options: CorrelatorOptions = {}): Correlator {
  const maxEvidence = options.maxEvidence ?? 50;
  const maxRecent = options.maxRecent ?? 256;
  const maxDenials = options.maxDenials ?? 10_000;
  let droppedDenials = 0;
  const ctx: CorrelationContext = { snapshot };
  const groups = new Map<string, Group>();
  const byFastKey = new Map<string, Group>();
  const recent: Recent[] = [];
  const lastByThread = new Map<string, Recent>();

  const addEvidence = (r: Recent, lines: readonly string[]): void => {
    if (!r.first) return;
    const g = r.group;
    for (const line of lines) if (g.evidence.length < maxEvidence) g.evidence.push(line);
    g.view = null;
  };

  const repeat = (g: Group, time: string | null): Group => {
    g.count++;
    if (time !== null) g.lastTime = time;
    g.view = null;
    return g;
  };

  const record = (event: LogEvent, build: () => DraftResult | null): { group: Group; first: boolean } | null => {
    const fk = fastKey(event);
    const known = fk === null ? undefined : byFastKey.get(fk);
    if (known !== undefined) return { group: repeat(known, event.time), first: false };
    const result = build();
    if (result === null) return null;
    const key = denialKey(result.draft);
    const existing = groups.get(key);
    const remember = (g: Group): void => {
      if (fk === null) return;
      if (byFastKey.size >= 4096) byFastKey.clear();
      byFastKey.set(fk, g);
    };
    if (existing !== undefined) {
      remember(existing);
      return { group: repeat(existing, result.draft.time), first: false };
    }
    const base = enrichDraft(snapshot, result.draft, result.enrich);
    const group: Group = {
      key,
      base,
      count: 1,
      lastTime: base.time,
      evidence: base.evidence.slice(0, maxEvidence),
      view: null,
    };
    groups.set(key, group);
    remember(group);
    if (groups.size > maxDenials) {
      const oldest = groups.keys().next().value as string;
      groups.delete(oldest);
      byFastKey.clear();
      droppedDenials++;
    }
    return { group, first: true };
  };

  /** The access-log line completes what the RBAC lines lacked (source, method, path, status). */
  const fillFromAccessLog = (g: Group, e: AccessLogEntry): void => {
    const d = g.base;
    const q = d.request;
    const source = d.source === 'unknown' ? resolveAddress(snapshot, e.downstreamRemoteAddress, null) : d.source;
    const request = {
      ...q,
      method: q.method ?? e.method,
      path: q.path ?? e.path,
      host: q.host ?? e.authority,
      port: q.port ?? portOf(e.downstreamLocalAddress),
      sni: q.sni ?? e.requestedServerName,
      status: q.status ?? e.status,
    };
    g.base = { ...d, source, request };
    g.view = null;
  };

  const remember = (r: Recent): void => {
    recent.push(r);
    if (recent.length > maxRecent) recent.shift();
    lastByThread.set(`${r.originKey}|${r.thread ?? ''}`, r);
    if (lastByThread.size > maxRecent) lastByThread.delete(lastByThread.keys().next().value as string);
  };

  const update = (g: Group, first: boolean): DenialUpdate => ({ key: g.key, isNew: first });
  const simple = (event: LogEvent, build: () => DraftResult | null): DenialUpdate | null => {
    const hit = record(event, build);
    return hit === null ? null : update(hit.group, hit.first);
  };

  const onRbac = (e: RbacDecision): DenialUpdate | null => {
    if (e.result !== 'denied') return null;
    const hit = record(e, () => draftFromRbac(ctx, e));
    if (hit === null) return null;
    const req = e.request;
    remember({
      group: hit.group,
      first: hit.first,
      originKey: originKey(e.origin),
      thread: e.envoy.thread,
      policyId: e.policyId,
      sourceIp: ipOf(req?.sourceAddress ?? null),
      path: req?.path ?? null,
      hasReply: false,
      hasAccessLog: false,
    });
    return update(hit.group, hit.first);
  };

  const onReply = (e: LocalReply): DenialUpdate | null => {
    if (!e.rbacDenied && e.extAuthz === null) return null;
    const r = lastByThread.get(`${originKey(e.origin)}|${e.envoy.thread ?? ''}`);
    const policyId = e.extAuthz !== null ? EXT_AUTHZ_KEY : e.rbacPolicyId;
    if (r !== undefined && !r.hasReply && r.policyId === policyId) {
      r.hasReply = true;
      addEvidence(r, e.evidence);
      return update(r.group, false);
    }
    const hit = record(e, () => draftFromLocalReply(ctx, e));
    if (hit === null) return null;
    remember({
      group: hit.group,
      first: hit.first,
      originKey: originKey(e.origin),
      thread: e.envoy.thread,
      policyId,
      sourceIp: null,
      path: null,
      hasReply: true,
      hasAccessLog: false,
    });
    return update(hit.group, hit.first);
  };

  const onExtAuthz = (e: ExtAuthzDecision): DenialUpdate | null => {
    const hit = record(e, () => draftFromExtAuthz(ctx, e));
    if (hit === null) return null;
    remember({
      group: hit.group,
      first: hit.first,
      originKey: originKey(e.origin),
      thread: e.envoy.thread,
      policyId: EXT_AUTHZ_KEY,
      sourceIp: null,
      path: null,
      hasReply: false,
      hasAccessLog: false,
    });
    return update(hit.group, hit.first);
  };

  /** One refused connection is one Denial, however many ztunnel records (both ztunnels, policy trace) show it. */
  const ztConns = new Map<string, Group>();
  const onZtunnel = (e: ZtunnelRecord): DenialUpdate | null => {
    if (e.verdict === null) return null;
    const shadow = e.verdict.startsWith('dry-run') ? 's' : 'e';
    const keys = ztunnelConnectionKeys(e).map((k) => `${shadow}|${k}`);
    const known = keys.map((k) => ztConns.get(k)).find((g) => g !== undefined);
    if (known !== undefined) {
      const better = known.base.policy === null && e.policy !== null ? draftFromZtunnel(ctx, e) : null;
      mergeZtunnelRecord(known, e.evidence, maxEvidence, better?.draft ?? null);
      for (const k of keys) ztConns.set(k, known);
      return update(known, false);
    }
    const hit = record(e, () => draftFromZtunnel(ctx, e));
    if (hit === null) return null;
    if (ztConns.size > 4096) ztConns.clear();
    for (const k of keys) ztConns.set(k, hit.group);
    return update(hit.group, hit.first);
  };

  /** k3s logs a rejected packet twice (its policy's chain, then the pod chain): one packet, one occurrence. */
  const nflogPackets = new Map<string, Group>();
  const onKubeRouterPacket = (e: KubeRouterPacketLog): DenialUpdate | null => {
    const pk = packetKey(e);
    const known = pk === null || e.policy !== null ? undefined : nflogPackets.get(pk);
    if (pk !== null && known !== undefined) {
      nflogPackets.delete(pk);
      mergeCopy(known, e.evidence, maxEvidence, pairedWithPodChain(known.base));
      return update(known, false);
    }
    const hit = record(e, () => kubeRouterPacketDraft(ctx, e));
    if (hit === null) return null;
    if (pk !== null && e.policy !== null) {
      if (nflogPackets.size > 4096) nflogPackets.clear();
      nflogPackets.set(pk, hit.group);
    }
    return update(hit.group, hit.first);
  };

  const sameRequest = (r: Recent, e: AccessLogEntry, key: string): boolean => {
    if (r.hasAccessLog || r.originKey !== key || r.policyId !== (e.rbac?.policyId ?? null)) return false;
    const ip = ipOf(e.downstreamRemoteAddress);
    if (r.sourceIp !== null && ip !== null && r.sourceIp !== ip) return false;
    return r.path === null || e.path === null || r.path === e.path;
  };

  const onAccessLog = (e: AccessLogEntry): DenialUpdate | null => {
    if (e.rbac !== null) {
      const key = originKey(e.origin);
      for (let i = recent.length - 1; i >= 0; i--) {
        const r = recent[i] as Recent;
        if (!sameRequest(r, e, key)) continue;
        r.hasAccessLog = true;
        addEvidence(r, e.evidence);
        if (r.first) fillFromAccessLog(r.group, e);
        return update(r.group, false);
      }
    } else if (e.extAuthz !== null || isUnexplainedAuthStatus(e)) {
      // the access-log line of a request whose ext_authz / RBAC debug lines were seen (same pod, no
      // access log yet): a 401/403 without details takes the reason those lines gave
      const key = originKey(e.origin);
      const ip = ipOf(e.downstreamRemoteAddress);
      const r = [...recent]
        .reverse()
        .find(
          (x) =>
            x.originKey === key &&
            !x.hasAccessLog &&
            (e.extAuthz === null || x.policyId === EXT_AUTHZ_KEY) &&
            (x.sourceIp === null || ip === null || x.sourceIp === ip),
        );
      if (r !== undefined) {
        r.hasAccessLog = true;
        addEvidence(r, e.evidence);
        if (r.first) fillFromAccessLog(r.group, e);
        return update(r.group, false);
      }
    } else if (
      e.jwt === null &&
      (e.upstreamFailure === null || e.direction === 'inbound') &&
      !isUnexplainedAuthStatus(e) &&
      e.responseCodeDetails !== 'filter_chain_not_found'
    )
      return null;
    const hit = record(e, () => draftFromAccessLog(ctx, e));
    if (hit === null) return null;
    if (e.rbac !== null)
      remember({
        group: hit.group,
        first: hit.first,
        originKey: originKey(e.origin),
        thread: null,
        policyId: e.rbac.policyId,
        sourceIp: ipOf(e.downstreamRemoteAddress),
        path: e.path,
        hasReply: true,
        hasAccessLog: true,
      });
    return update(hit.group, hit.first);
  };

  return {
    push(event: LogEvent): DenialUpdate | null {
      switch (event.kind) {
        case 'RbacDecision':
          return onRbac(event);
        case 'LocalReply':
          return onReply(event);
        case 'AccessLogEntry':
          return onAccessLog(event);
        case 'CalicoFlow':
          return simple(event, () => flowDraft(ctx, event));
        case 'CalicoBpfVerdict':
          return simple(event, () => bpfDraft(ctx, event));
        case 'CalicoPolicyLog':
          return simple(event, () => policyLogDraft(ctx, event));
        case 'CalicoPacketLog':
          return simple(event, () => packetLogDraft(ctx, event));
        case 'KubeRouterPacketLog':
          return onKubeRouterPacket(event);
        case 'ExtAuthzDecision':
          return onExtAuthz(event);
        case 'ZtunnelRecord':
          return onZtunnel(event);
        case 'MixerLogEntry':
          return simple(event, () => draftFromMixer(ctx, event));
        case 'MeshHealthEvent':
        case 'CniHealthEvent':
          return null;
        default:
          return assertNever(event, 'log event');
      }
    },
    get: (key: string) => {
      const g = groups.get(key);
      return g === undefined ? undefined : viewOf(g);
    },
    denials: () => [...groups.values()].map(viewOf),
    dropped: () => droppedDenials,
  };
}

/** Correlates a finished stream of events. */
export function correlate(
  events: Iterable<LogEvent>,
  snapshot: Snapshot | null,
  options?: CorrelatorOptions,
): Denial[] {
  const c = createCorrelator(snapshot, options);
  for (const e of events) c.push(e);
  return [...c.denials()];
}

export type { Denial, DenialPeer };
