/**
 * The one write: raising the proxy loggers of a workload's pods to debug, after
 * confirmation, capped, restored on a time limit and on quit.
 */
import { isZtunnelPod } from '../../model/convert/sidecar.js';
import type { Pod } from '../../model/k8s.js';
import type { LogLevelRequest } from '../feeds/log-feed.js';
import type { PodRow } from '../data/pod-rows.js';
import type { AppState, UiData } from './app-state.js';

export const RAISED_LOGGERS = ['rbac'] as const;

export function workloadPods(data: UiData, row: PodRow): readonly Pod[] {
  return data.snapshot.index.groupOfPod.get(row.pod)?.pods ?? [row.pod];
}

/** Why `L` cannot act on this pod, or null when it can. */
export function logLevelDisabledReason(data: UiData, row: PodRow): string | null {
  if (data.readonly) return 'read-only mode: log levels are not changed';
  if (!data.canSetLogLevel) {
    return data.snapshot.source.type === 'cluster'
      ? 'changing proxy log levels on a live cluster is not wired into the TUI yet'
      : 'manifests have no running proxies: log levels change in `meshdbg demo` (or on a cluster)';
  }
  if (row.dataplane === 'ambient' && ztunnelPodsOf(data, row).length === 0)
    return `no running ztunnel pod on the nodes of ${row.key} in the Snapshot`;
  if (!row.sidecar && row.dataplane !== 'ambient') return `${row.key} has no istio-proxy sidecar`;
  return null;
}

/** An ambient workload's policy decisions are logged by the ztunnel of each of its pods' nodes. */
function ztunnelPodsOf(data: UiData, row: PodRow): readonly Pod[] {
  const nodes = new Set(workloadPods(data, row).map((p) => p.nodeName));
  return data.snapshot.pods.filter(
    (p) => !p.fromTemplate && isZtunnelPod(p) && p.nodeName !== null && nodes.has(p.nodeName),
  );
}

export function raiseRequest(data: UiData, row: PodRow): { request: LogLevelRequest; total: number } {
  const ztunnels = row.dataplane === 'ambient' ? ztunnelPodsOf(data, row) : [];
  const pods = ztunnels.length > 0 ? ztunnels : workloadPods(data, row).filter((p) => data.engine.hasSidecar(p));
  const ztunnel = ztunnels[0] === undefined ? {} : { ztunnel: { namespace: ztunnels[0].namespace } };
  const capped = pods.slice(0, data.logLevelPodCap).map((p) => p.name);
  return {
    request: {
      namespace: row.namespace,
      workload: row.workload,
      pods: capped,
      loggers: [...RAISED_LOGGERS],
      level: 'debug',
      ...ztunnel,
    },
    total: pods.length,
  };
}

export function isRaised(state: AppState, namespace: string, workload: string): boolean {
  return state.raised.some((r) => r.request.namespace === namespace && r.request.workload === workload);
}

/** Adds or removes an optional logger (`jwt`, `ext_authz`); `rbac` always stays. */
export function toggleLogger(request: LogLevelRequest, logger: string): LogLevelRequest {
  const has = request.loggers.includes(logger);
  return { ...request, loggers: has ? request.loggers.filter((l) => l !== logger) : [...request.loggers, logger] };
}

export function restoreRequest(request: LogLevelRequest): LogLevelRequest {
  return { ...request, level: 'info' };
}

export function confirmMessage(request: LogLevelRequest, total: number, ttlMs: number): string {
  const capNote = total > request.pods.length ? ` (capped from ${total})` : '';
  const minutes = Math.round(ttlMs / 60000);
  if (request.level !== 'debug')
    return `Restore ${request.loggers.join(',')} to info on ${request.pods.length} pods of ${request.namespace}/${request.workload}? [y/n]`;
  return `Raise ${request.loggers.join(',')} to debug on ${request.pods.length} pods${capNote} of ${request.namespace}/${request.workload} for ${minutes}m? [y/n]`;
}
