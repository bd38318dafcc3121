/** The pod detail (Enter on a pod): its workload, policies, live authz table, recent logs and denials. */
import { podDetailDoc } from '../docs/pod-detail-doc.js';
import type { ViewDescriptor } from './descriptor.js';
import { explainFromHereKey, logLevelKey, openLogsKey, showYamlKey } from './pod-keys.js';

/** The navigation entry of this view. */
export interface PodEntry {
  readonly view: 'pod';
  readonly cursor: number;
  readonly pod: string;
}

export const podDetailView: ViewDescriptor<'pod'> = {
  id: 'pod',
  title: 'Pod detail',
  crumb: (entry) => entry.pod,
  aliases: [],
  document: (data, state, entry) => {
    const row = data.rowsByKey.get(entry.pod);
    if (!row) return [];
    const live = data.liveAuthzCheck
      ? { via: data.liveAuthzCheck.via, table: state.liveAuthz[row.key] ?? { status: 'loading' as const } }
      : null;
    return podDetailDoc({
      snapshot: data.snapshot,
      engine: data.engine,
      row,
      logs: state.logs,
      denials: state.denials,
      live,
    });
  },
  keys: [
    openLogsKey('Tail the istio-proxy log of this pod'),
    logLevelKey('Raise the rbac logger to debug on the pods of this workload'),
    explainFromHereKey(),
    showYamlKey(),
  ],
};
