/**
 * Demo traffic: replays a list of requests against the Snapshot through the engine, one
 * every `intervalMs`, and emits what a cluster would show: access log lines, denials with
 * their policy and rule, and RBAC debug lines only while the rbac logger is raised.
 * Used until the log pipeline's simulator is wired in; it honours the same LogFeed contract.
 */
import type { ExplainQuery, Explanation } from '../../engine/explanation.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { EnginePort } from '../data/engine-port.js';
import type { FeedEvent, LogFeed, LogLevelRequest } from '../feeds/log-feed.js';
import { accessLogLine, rbacDebugLines, requestText } from './envoy-lines.js';

export interface TrafficFeedOptions {
  readonly snapshot: Snapshot;
  readonly engine: Pick<EnginePort, 'explain'>;
  readonly queries: readonly ExplainQuery[];
  readonly intervalMs: number;
  readonly clock: () => number;
}

function podKeyFor(snapshot: Snapshot, peer: Explanation['source']): string {
  const group = snapshot.groups.find((g) => g.namespace === peer.namespace && `${g.kind}/${g.name}` === peer.workload);
  const pod = group?.pods[0];
  return pod ? `${pod.namespace}/${pod.name}` : `${peer.namespace ?? 'unknown'}/${peer.name}`;
}

function denialOf(snapshot: Snapshot, e: Explanation, time: number, evidence: readonly string[]): FeedEvent | null {
  if (e.verdict !== 'denied' || e.decidedBy === null) return null;
  const mention = e.decidedBy.policy;
  const decidingRule = mention !== null && (mention.rule !== null || !e.decidedBy.layer.startsWith('authz')) ? mention : null;
  return {
    type: 'denial',
    time,
    source: podKeyFor(snapshot, e.source),
    destination: podKeyFor(snapshot, e.destination),
    request: requestText(e),
    layer: e.decidedBy.layer,
    policy: decidingRule,
    ruleRef: decidingRule?.ruleRef ?? null,
    enforcement: 'enforced',
    evidence,
    explanation: e,
  };
}

export function createTrafficFeed(options: TrafficFeedOptions): LogFeed {
  const raised = new Set<string>();
  const listeners = new Set<(events: readonly FeedEvent[]) => void>();
  let next = 0;
  let thread = 20;
  let timer: ReturnType<typeof setInterval> | null = null;
  let burst: ReturnType<typeof setTimeout> | null = null;

  const step = (): void => {
    const query = options.queries[next % options.queries.length];
    next++;
    if (query === undefined) return;
    const result = options.engine.explain(options.snapshot, query);
    if (result.kind === 'Error') return;
    const time = options.clock();
    const destination = podKeyFor(options.snapshot, result.destination);
    const access = accessLogLine(result, time);
    const debug = raised.has(`${result.destination.namespace ?? ''}/${result.destination.workload ?? ''}`) ? rbacDebugLines(result, time, thread++) : [];
    const lines = [...debug, access].map((text): FeedEvent => ({ type: 'log', time, pod: destination, container: 'istio-proxy', text }));
    const denial = denialOf(options.snapshot, result, time, [...debug, access]);
    const events = denial ? [...lines, denial] : lines;
    for (const l of listeners) l(events);
  };

  return {
    canSetLogLevel: true,
    subscribe(listener) {
      listeners.add(listener);
      if (timer === null && options.queries.length > 0) {
        timer = setInterval(step, options.intervalMs);
        // a first burst right after the first frame, so the demo has denials at once
        burst = setTimeout(() => {
          for (let i = 0; i < Math.min(options.queries.length, 8); i++) step();
        }, 0);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== null) {
          clearInterval(timer);
          if (burst !== null) clearTimeout(burst);
          timer = null;
          burst = null;
        }
      };
    },
    setLogLevel(request: LogLevelRequest) {
      const key = `${request.namespace}/${request.workload}`;
      if (request.level === 'debug') raised.add(key);
      else raised.delete(key);
      return Promise.resolve({ changed: request.pods.length, errors: [] });
    },
  };
}
