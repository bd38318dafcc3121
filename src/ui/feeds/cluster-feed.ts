/**
 * The live cluster's LogFeed: follows the istio-proxy logs of the Snapshot's sidecar pods
 * (capped) through the line pipeline, and changes log levels through the log-level manager
 * (which reads the levels first, journals them and restores them). The follow function is
 * injected so this file needs no Kubernetes client.
 */
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { LoggerLevels } from '../../parsers/envoy-logging.js';
import type { PodRef } from '../../sources/envoy-admin/proxy-control.js';
import type { FollowItem, FollowTarget } from '../../sources/kube/follow-pods.js';
import type { LevelChangeResult } from '../../sources/log-level/manager.js';
import type { CniEvent, FeedEvent, LogFeed, LogLevelRequest, LogLevelResult } from './log-feed.js';
import { createLinePipeline } from './line-pipeline.js';

/** The two LogLevelManager calls the feed uses. */
export interface LevelChanger {
  raise(pods: readonly PodRef[], levels: LoggerLevels, confirm: (summary: string) => Promise<boolean>): Promise<LevelChangeResult>;
  restore(pods?: readonly PodRef[]): Promise<LevelChangeResult>;
}

export interface ClusterFeedOptions {
  readonly snapshot: Snapshot;
  readonly hasSidecar: (pod: Pod) => boolean;
  readonly follow: (targets: readonly FollowTarget[], signal: AbortSignal) => AsyncIterable<FollowItem>;
  /** null: log levels cannot change (read-only) */
  readonly levels: LevelChanger | null;
  readonly clock: () => number;
  /** at most this many pods are followed */
  readonly maxPods: number;
}

export function followTargets(snapshot: Snapshot, hasSidecar: (pod: Pod) => boolean, maxPods: number): FollowTarget[] {
  return snapshot.pods
    .filter((p) => !p.fromTemplate && hasSidecar(p))
    .slice(0, maxPods)
    .map((p) => ({ pod: { namespace: p.namespace, name: p.name }, container: 'istio-proxy' }));
}

function notice(time: number, text: string): CniEvent {
  return { type: 'cni', time, source: 'meshdbg log follow', severity: 'warning', text };
}

function toResult(r: LevelChangeResult): LogLevelResult {
  return { changed: r.changed.length, errors: [...r.errors, ...r.skipped.map((s) => `${s.pod.namespace}/${s.pod.name}: ${s.reason}`)] };
}

async function pump(options: ClusterFeedOptions, signal: AbortSignal, emit: (events: readonly FeedEvent[]) => void): Promise<void> {
  const pipeline = createLinePipeline(options.snapshot, options.clock);
  const targets = followTargets(options.snapshot, options.hasSidecar, options.maxPods);
  for await (const item of options.follow(targets, signal)) {
    if (item.kind === 'line') emit(pipeline.push([item.line.text], `${item.line.pod.namespace}/${item.line.pod.name}`));
    else if (item.kind === 'dropped') emit([notice(options.clock(), `${item.count} log lines dropped: the view fell behind`)]);
    else if (!item.connected) emit([notice(options.clock(), `${item.pod.namespace}/${item.pod.name}: ${item.message}`)]);
  }
}

export function createClusterFeed(options: ClusterFeedOptions): LogFeed {
  return {
    canSetLogLevel: options.levels !== null,
    subscribe(listener) {
      const controller = new AbortController();
      pump(options, controller.signal, listener).catch((err: unknown) => {
        if (!controller.signal.aborted) listener([notice(options.clock(), `log follow stopped: ${err instanceof Error ? err.message : String(err)}`)]);
      });
      return () => controller.abort();
    },
    async setLogLevel(request: LogLevelRequest): Promise<LogLevelResult> {
      if (options.levels === null) return { changed: 0, errors: ['log levels are not changed in --readonly mode'] };
      const pods = request.pods.map((name) => ({ namespace: request.namespace, name }));
      if (request.level !== 'debug') return toResult(await options.levels.restore(pods));
      const levels = Object.fromEntries(request.loggers.map((l) => [l, 'debug'])) as LoggerLevels;
      // the TUI asked for confirmation before calling
      return toResult(await options.levels.raise(pods, levels, () => Promise.resolve(true)));
    },
  };
}
