/**
 * The header's counters, for the namespace on screen (`:ns`, `0`): pods, policies (cluster-scoped
 * ones count everywhere, as the policies view lists them), recent denials, and all denials kept,
 * so recorded logs (older than five minutes) count too.
 */
import type { AppState, UiData } from './app-state.js';
import { recentDenialTotal } from './select.js';

export interface HeaderCounts {
  readonly pods: number;
  readonly policies: number;
  readonly recentDenials: number;
  readonly allDenials: number;
  /** lint findings worth reading (errors, refusals, warnings) in the namespace */
  readonly findings: number;
}

export function headerCounts(data: UiData, state: AppState): HeaderCounts {
  const ns = state.namespace;
  const denials =
    ns === null
      ? state.denials
      : state.denials.filter((d) => d.destination.startsWith(`${ns}/`) || d.source.startsWith(`${ns}/`));
  return {
    pods: ns === null ? data.rows.length : (data.snapshot.index.podsByNamespace.get(ns)?.length ?? 0),
    policies: data.policies.filter((p) => ns === null || p.namespace === null || p.namespace === ns).length,
    recentDenials: recentDenialTotal(denials, state.now),
    allDenials: denials.reduce((n, d) => n + d.count, 0),
    findings: data.findings.filter(
      (f) => f.severity !== 'info' && (ns === null || f.object?.namespace == null || f.object.namespace === ns),
    ).length,
  };
}
