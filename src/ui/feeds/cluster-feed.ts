/**
 * The live cluster's LogFeed: follows the istio-proxy logs of the Snapshot's sidecar pods, ztunnel
 * pods and waypoint pods (capped) through the line pipeline, and changes log levels through the log-level manager
 * (which reads the levels first, journals them and restores them). The follow function is
 * injected so this file needs no Kubernetes client.
 */
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { LoggerLevels } from '../../parsers/envoy-logging.js';
import { ZTUNNEL_TARGET_FOR_LOGGER } from '../../parsers/ztunnel-logging.js';
import type { PodRef } from '../../sources/envoy-admin/proxy-control.js';
import type { FollowItem, FollowTarget } from '../../sources/kube/follow-pods.js';
import type { LevelChangeResult } from '../../sources/log-level/manager.js';
import type { CniEvent, FeedEvent, LogFeed, LogLevelRequest, LogLevelResult } from './log-feed.js';
import { createLinePipeline, type LinePipeline } from './line-pipeline.js';
import { waypointTargets, ztunnelTargets } from './ambient-targets.js';

/** The two LogLevelManager calls the feed uses. */
export interface LevelChanger {
  raise(
    pods: readonly PodRef[],
    levels: LoggerLevels,
    confirm: (summary: string) => Promise<boolean>,
  ): Promise<LevelChangeResult>;
  restore(pods?: readonly PodRef[]): Promise<LevelChangeResult>;
}

/** The live Snapshot: the current one and its rebuilds. */
export interface SnapshotStream {
  current(): Snapshot;
  subscribe(onSnapshot: (snapshot: Snapshot) => void): () => void;
}

export interface ClusterFeedOptions {
  readonly snapshots: SnapshotStream;
  readonly hasSidecar: (pod: Pod) => boolean;
  readonly follow: (targets: readonly FollowTarget[], signal: AbortSignal) => AsyncIterable<FollowItem>;
  /** null: log levels cannot change (read-only) */
  readonly levels: LevelChanger | null;
  readonly clock: () => number;
  /** at most this many pods are followed */
  readonly maxPods: number;
}

const podKeyOf = (t: FollowTarget): string => `${t.pod.namespace}/${t.pod.name}`;

/** The ambient proxies first (ztunnel per node, then waypoints: few, and they enforce for many pods), then sidecars; capped. */
export function followTargets(snapshot: Snapshot, hasSidecar: (pod: Pod) => boolean, maxPods: number): FollowTarget[] {
  const sidecars = snapshot.pods
    .filter((p) => !p.fromTemplate && hasSidecar(p))
    .map((p) => ({ pod: { namespace: p.namespace, name: p.name }, container: 'istio-proxy' }));
  const seen = new Set<string>();
  return [...ztunnelTargets(snapshot), ...waypointTargets(snapshot), ...sidecars]
    .filter((t) => !seen.has(podKeyOf(t)) && seen.add(podKeyOf(t)))
    .slice(0, maxPods);
}

function notice(time: number, text: string): CniEvent {
  return { type: 'cni', time, source: 'meshdbg log follow', severity: 'warning', text };
}

function toResult(r: LevelChangeResult): LogLevelResult {
  return {
    changed: r.changed.length,
    errors: [...r.errors, ...r.skipped.map((s) => `${s.pod.namespace}/${s.pod.name}: ${s.reason}`)],
  };
}

/** Lines go through the pipeline of the latest Snapshot (new pods and policies resolve). */
interface Correlation {
  pipeline: LinePipeline;
  /** clock() of the last line seen, for the idle flush */
  lastLine: number;
}

/** A multi-line Envoy event completes when its next line arrives; on a quiet stream, after this long. */
const IDLE_FLUSH_MS = 750;

async function pump(
  options: ClusterFeedOptions,
  targets: readonly FollowTarget[],
  correlation: Correlation,
  signal: AbortSignal,
  emit: (events: readonly FeedEvent[]) => void,
): Promise<void> {
  for await (const item of options.follow(targets, signal)) {
    if (item.kind === 'line') {
      correlation.lastLine = options.clock();
      emit(correlation.pipeline.push([item.line.text], `${item.line.pod.namespace}/${item.line.pod.name}`));
    } else if (item.kind === 'dropped')
      emit([notice(options.clock(), `${item.count} log lines dropped: the view fell behind`)]);
    else if (!item.connected)
      emit([notice(options.clock(), `${item.pod.namespace}/${item.pod.name}: ${item.message}`)]);
  }
}

export function createClusterFeed(options: ClusterFeedOptions): LogFeed {
  return {
    canSetLogLevel: options.levels !== null,
    subscribe(listener) {
      const controller = new AbortController();
      const followed = new Set<string>();
      const correlation: Correlation = {
        pipeline: createLinePipeline(options.snapshots.current(), options.clock),
        lastLine: Number.POSITIVE_INFINITY,
      };
      const idle = setInterval(() => {
        if (options.clock() - correlation.lastLine < IDLE_FLUSH_MS) return;
        correlation.lastLine = Number.POSITIVE_INFINITY;
        const events = correlation.pipeline.flush();
        if (events.length) listener(events);
      }, IDLE_FLUSH_MS);
      idle.unref();
      /** follows the sidecar pods not followed yet (the cap counts every pod followed) */
      const followNew = (snapshot: Snapshot): void => {
        const room = Math.max(0, options.maxPods - followed.size);
        const targets = followTargets(snapshot, options.hasSidecar, options.maxPods)
          .filter((t) => !followed.has(podKeyOf(t)))
          .slice(0, room);
        if (targets.length === 0) return;
        for (const t of targets) followed.add(podKeyOf(t));
        pump(options, targets, correlation, controller.signal, listener).catch((err: unknown) => {
          if (!controller.signal.aborted)
            listener([
              notice(options.clock(), `log follow stopped: ${err instanceof Error ? err.message : String(err)}`),
            ]);
        });
      };
      followNew(options.snapshots.current());
      const unsubscribe = options.snapshots.subscribe((snapshot) => {
        correlation.pipeline = createLinePipeline(snapshot, options.clock, correlation.pipeline.counts());
        followNew(snapshot);
      });
      return () => {
        clearInterval(idle);
        unsubscribe();
        controller.abort();
      };
    },
    async setLogLevel(request: LogLevelRequest): Promise<LogLevelResult> {
      if (options.levels === null) return { changed: 0, errors: ['log levels are not changed in --readonly mode'] };
      const pods = request.pods.map((name) => ({ namespace: request.ztunnel?.namespace ?? request.namespace, name }));
      if (request.level !== 'debug') return toResult(await options.levels.restore(pods));
      // ztunnel pods: Envoy's loggers as ztunnel's targets (rbac -> ztunnel::state); the others have none
      const loggers = request.ztunnel
        ? request.loggers.flatMap((l) => ZTUNNEL_TARGET_FOR_LOGGER[l] ?? [])
        : request.loggers;
      const levels = Object.fromEntries(loggers.map((l) => [l, 'debug'])) as LoggerLevels;
      // the TUI asked for confirmation before calling
      return toResult(await options.levels.raise(pods, levels, () => Promise.resolve(true)));
    },
  };
}
