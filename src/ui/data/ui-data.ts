/** Builds the TUI's static data from a Snapshot once, at start. */
import type { Snapshot } from '../../model/snapshot.js';
import type { Availability, UiData } from '../state/app-state.js';
import type { EnginePort, LiveAuthzCheck } from './engine-port.js';
import { buildPodRows, indexPods } from './pod-rows.js';
import { buildPolicyItems } from './policy-items.js';
import { serviceChoices } from './peer-choices.js';
import { buildServiceItems } from './service-items.js';
import { SEVERITY_RANK, type Finding } from '../../model/findings.js';

export interface UiDataOptions {
  readonly engine: EnginePort;
  readonly sourceLabel: string;
  readonly readonly: boolean;
  readonly availability: Availability;
  readonly canSetLogLevel: boolean;
  readonly logLevelTtlMs?: number;
  readonly logLevelPodCap?: number;
  readonly liveAuthzCheck?: LiveAuthzCheck | null;
  /** lint findings (commands/lint.ts lintFindings); default: the Snapshot's own */
  readonly findings?: readonly Finding[];
}

export const DEFAULT_LOG_LEVEL_TTL_MS = 10 * 60 * 1000;
export const DEFAULT_LOG_LEVEL_POD_CAP = 10;

export function buildUiData(snapshot: Snapshot, options: UiDataOptions): UiData {
  const rows = buildPodRows(snapshot, (pod) => options.engine.hasSidecar(pod));
  return {
    snapshot,
    rows,
    rowsByKey: new Map(rows.map((r) => [r.key, r])),
    podSearch: indexPods(rows),
    policies: buildPolicyItems(snapshot),
    services: buildServiceItems(snapshot),
    findings: [...(options.findings ?? snapshot.findings)].sort(
      (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity],
    ),
    serviceChoices: serviceChoices(snapshot),
    engine: options.engine,
    readonly: options.readonly,
    logLevelTtlMs: options.logLevelTtlMs ?? DEFAULT_LOG_LEVEL_TTL_MS,
    logLevelPodCap: options.logLevelPodCap ?? DEFAULT_LOG_LEVEL_POD_CAP,
    sourceLabel: options.sourceLabel,
    availability: options.availability,
    canSetLogLevel: options.canSetLogLevel && !options.readonly,
    liveAuthzCheck: options.liveAuthzCheck ?? null,
  };
}
