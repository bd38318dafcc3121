/**
 * Raw proxy log lines -> FeedEvents through the log pipeline: each line is shown in its pod's
 * tail (kubectl `--prefix` form `[pod/NAME/CONTAINER] ...`), parsed by the log parser, and
 * correlated to a policy rule by the correlator. Shared by recorded files and the simulator.
 */
import { createCorrelator, type Denial, type DenialPeer } from '../../correlate/correlator.js';
import type { Explanation, PolicyMention } from '../../engine/index.js';
import { parseIstioRuleRef } from '../../model/rule-ref.js';
import type { Snapshot } from '../../model/snapshot.js';
import { createLogParser } from '../../parsers/log-parser.js';
import type { LogEvent } from '../../parsers/log-event.js';
import type { CniEvent, DenialEvent, FeedEvent } from './log-feed.js';

const PREFIX = /^\[pod\/([^/\]]+)\/([^\]]+)\] /;
const LEADING_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)/;
const BRACKET_TIME = /^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\]/;

export interface LinePipeline {
  /** `origin` names the pod when the lines carry no kubectl prefix (`namespace/pod`) */
  push(lines: readonly string[], origin?: string): FeedEvent[];
  /** completes the events still waiting for their next line (end of a file, or a quiet live stream) */
  flush(): FeedEvent[];
  /** every denial counted so far by id (with what was carried in), to hand to a rebuilt pipeline */
  counts(): CarriedCounts;
  /** lines that look like denials but no parser understood ("never a silent drop"), for the view to show */
  unrecognizedDenials(): number;
}

function timeOf(text: string, fallback: number): number {
  const m = LEADING_TIME.exec(text) ?? BRACKET_TIME.exec(text);
  const t = m?.[1] === undefined ? Number.NaN : Date.parse(m[1]);
  return Number.isNaN(t) ? fallback : t;
}

function podKeyByName(snapshot: Snapshot, name: string): string {
  const pod = snapshot.pods.find((p) => p.name === name);
  return pod ? `${pod.namespace}/${pod.name}` : `unknown/${name}`;
}

function peerKey(snapshot: Snapshot, peer: DenialPeer | 'unknown'): string {
  if (peer === 'unknown') return 'unknown';
  if (peer.kind === 'Pod' && peer.name !== null) return `${peer.namespace ?? 'unknown'}/${peer.name}`;
  const group = snapshot.groups.find((g) => g.namespace === peer.namespace && `${g.kind}/${g.name}` === peer.workload);
  const pod = group?.pods[0];
  if (pod) return `${pod.namespace}/${pod.name}`;
  return `${peer.namespace ?? 'unknown'}/${peer.name ?? peer.ip ?? 'unknown'}`;
}

function requestText(d: Denial): string {
  const r = d.request;
  const port = r.port === null ? '' : ` :${r.port}`;
  if (r.method !== null || r.path !== null) return `${r.method ?? ''} ${r.path ?? ''}${port}`.trim();
  return `${r.protocol ?? 'TCP'}${port}`;
}

/** The policy the proxy named; for an id the Snapshot lacks, rebuilt from the id so the view can say it is stale. */
function policyOf(d: Denial): PolicyMention | null {
  if (d.policy !== null) return d.policy;
  const id = d.policyId === null ? null : parseIstioRuleRef(d.policyId);
  if (id === null || d.policyInSnapshot !== false) return null;
  return {
    kind: 'AuthorizationPolicy',
    namespace: id.namespace,
    name: id.name,
    rule: id.rule,
    ruleRef: d.policyId ?? '',
  };
}

function epochOr(text: string | null, fallback: number): number {
  const t = Date.parse(text ?? '');
  return Number.isNaN(t) ? fallback : t;
}

/** The correlator's Denial as the TUI shows it; `id` and `count` are the correlator's. */
export function denialEvent(snapshot: Snapshot, id: string, d: Denial, fallbackTime: number): DenialEvent {
  const policy = policyOf(d);
  const time = epochOr(d.lastTime ?? d.time, fallbackTime);
  return {
    type: 'denial',
    id,
    count: d.count,
    firstTime: Math.min(time, epochOr(d.time, time)),
    time,
    source: peerKey(snapshot, d.source),
    destination: peerKey(snapshot, d.destination),
    request: requestText(d),
    query: { port: d.request.port, method: d.request.method, path: d.request.path },
    layer: d.layer ?? d.cause,
    policy,
    ruleRef: d.ruleRef ?? policy?.ruleRef ?? null,
    enforcement: d.enforcement,
    evidence: d.evidence,
    nearestMiss: d.nearestMiss,
    ...(d.explanation === undefined ? {} : { explanation: d.explanation as Explanation }),
  };
}

function originLabel(e: LogEvent): string {
  const o = e.origin;
  return o === null ? 'log' : (o.label ?? [o.namespace, o.pod].filter((x) => x !== null).join('/')) || 'log';
}

/** CNI health for the logs view's pane: kube-router sync problems and Calico flows. */
export function cniEvent(e: LogEvent, fallbackTime: number): CniEvent | null {
  const parsed = Date.parse(e.time ?? '');
  const time = Number.isNaN(parsed) ? fallbackTime : parsed;
  if (e.kind === 'CniHealthEvent') {
    const severity = e.enforcing === false ? 'error' : 'info';
    return {
      type: 'cni',
      time,
      source: `kube-router ${originLabel(e)}`,
      severity,
      text: `${e.summary} (${e.message})`,
    };
  }
  if (e.kind === 'CalicoFlow') {
    const peer = (p: { namespace: string | null; name: string | null }): string =>
      `${p.namespace ?? '-'}/${p.name ?? '-'}`;
    const policies = e.enforced
      .map(
        (h) => `${h.kind} ${h.namespace === null ? '' : `${h.namespace}/`}${h.name}${h.action ? ` ${h.action}` : ''}`,
      )
      .join(', ');
    const text = `${e.action} ${peer(e.source)} -> ${peer(e.destination)} ${e.protocol ?? ''}:${e.destPort ?? '-'}${policies ? ` ${policies}` : ''}`;
    return { type: 'cni', time, source: 'calico flows', severity: e.action === 'Deny' ? 'warning' : 'info', text };
  }
  return null;
}

/** What a previous pipeline counted, so a pipeline rebuilt for a new Snapshot goes on counting. */
export type CarriedCounts = ReadonlyMap<string, { readonly count: number; readonly firstTime: number }>;

export function createLinePipeline(
  snapshot: Snapshot,
  clock: () => number,
  carried: CarriedCounts = new Map(),
): LinePipeline {
  const parser = createLogParser();
  const correlator = createCorrelator(snapshot);
  const counts = new Map(carried);
  let lineNo = 0;
  let unrecognizedReported = 0;
  /** the lines that look like denials but were not understood since the last call, as one event */
  const unrecognized = (out: FeedEvent[]): void => {
    const total = parser.stats().unrecognizedDenials;
    if (total > unrecognizedReported) out.push({ type: 'unrecognized', added: total - unrecognizedReported });
    unrecognizedReported = total;
  };
  const correlate = (events: readonly LogEvent[], now: number, out: FeedEvent[]): void => {
    for (const event of events) {
      const cni = cniEvent(event, now);
      if (cni) out.push(cni);
      const update = correlator.push(event);
      const denial = update === null ? undefined : correlator.get(update.key);
      if (update === null || denial === undefined) continue;
      const e = denialEvent(snapshot, update.key, denial, now);
      const before = carried.get(update.key);
      const total = before ? { count: before.count + e.count, firstTime: Math.min(before.firstTime, e.firstTime) } : e;
      counts.set(update.key, { count: total.count, firstTime: total.firstTime });
      out.push({ ...e, count: total.count, firstTime: total.firstTime });
    }
  };
  return {
    counts: () => counts,
    unrecognizedDenials: () => parser.stats().unrecognizedDenials,
    flush() {
      const out: FeedEvent[] = [];
      correlate(parser.end(), clock(), out);
      unrecognized(out);
      return out;
    },
    push(lines, origin) {
      const now = clock();
      const out: FeedEvent[] = [];
      for (const line of lines) {
        const prefix = PREFIX.exec(line);
        const text = prefix ? line.slice(prefix[0].length) : line;
        const pod = prefix?.[1] !== undefined ? podKeyByName(snapshot, prefix[1]) : (origin ?? 'unknown/recorded');
        out.push({ type: 'log', time: timeOf(text, now), pod, container: prefix?.[2] ?? 'istio-proxy', text });
        const [namespace, podName] = pod.split('/');
        correlate(
          parser.push(
            line,
            ++lineNo,
            prefix
              ? undefined
              : { namespace: namespace ?? null, pod: podName ?? null, container: 'istio-proxy', label: null },
          ),
          now,
          out,
        );
      }
      unrecognized(out);
      return out;
    },
  };
}
