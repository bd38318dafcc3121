/**
 * `--logs FILE`: recorded proxy/CNI logs replayed once through the log pipeline when the TUI
 * subscribes. Lines without a kubectl `--prefix` are attributed to the pod the file's path
 * names (`POD.istio-proxy.log`, as `kubectl logs POD -c istio-proxy > POD.istio-proxy.log`, or a
 * node's /var/log/pods file).
 */
import type { Snapshot } from '../../model/snapshot.js';
import { EMPTY_FEED, type FeedEvent, type LogFeed } from './log-feed.js';
import { createLinePipeline } from './line-pipeline.js';
import { originOfLogPath } from '../../parsers/container-log.js';

export interface RecordedLog {
  /** the file name, used to guess the pod */
  readonly name: string;
  readonly lines: readonly string[];
}

/**
 * `namespace/pod` for a node's file (kubelet's /var/log/pods/NS_POD_UID/CONTAINER/N.log) or a file
 * named after a pod of the Snapshot, else `recorded/<file>`.
 */
export function podForFile(snapshot: Snapshot, file: string): string {
  const kubelet = originOfLogPath(file);
  if (kubelet?.namespace && kubelet.pod) return `${kubelet.namespace}/${kubelet.pod}`;
  const base = file.split('/').pop() ?? file;
  const stem = base.replace(/(\.istio-proxy)?\.(log|txt)$/, '');
  const pod =
    snapshot.pods.find((p) => p.name === stem) ??
    snapshot.pods.find((p) => stem.startsWith(p.name) || p.name.startsWith(stem));
  return pod ? `${pod.namespace}/${pod.name}` : `recorded/${base}`;
}

export function createRecordedFeed(snapshot: Snapshot, logs: readonly RecordedLog[], clock: () => number): LogFeed {
  return {
    ...EMPTY_FEED,
    subscribe(listener) {
      const pipeline = createLinePipeline(snapshot, clock);
      const events: FeedEvent[] = [
        ...logs.flatMap((log) => pipeline.push(log.lines, podForFile(snapshot, log.name))),
        ...pipeline.flush(),
      ];
      const timer = setTimeout(() => listener(events), 0);
      return () => clearTimeout(timer);
    },
  };
}
