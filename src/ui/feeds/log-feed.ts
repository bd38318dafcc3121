/**
 * The TUI's view of everything that streams: proxy log lines, correlated denials and
 * CNI health. Sources (a cluster log follow, recorded files, the demo simulator) are
 * adapted to this one small interface; tests use a fake.
 */
import type { Explanation, PolicyMention, RuleMiss } from '../../engine/index.js';

export interface LogLine {
  readonly type: 'log';
  /** epoch ms */
  readonly time: number;
  /** `namespace/pod` */
  readonly pod: string;
  readonly container: string;
  readonly text: string;
}

/**
 * One correlated Denial as the correlator counts it: `id` is the correlator's key
 * (src/correlate/draft.ts `denialKey`) and `count` its repeat count. A later event with the
 * same id replaces the earlier one; the TUI never counts repeats itself.
 */
export interface DenialEvent {
  readonly type: 'denial';
  /** the correlator's key of this denial */
  readonly id: string;
  /** repeats so far, as the correlator counted them */
  readonly count: number;
  /** time of the first occurrence (epoch ms) */
  readonly firstTime: number;
  /** time of the latest occurrence (epoch ms) */
  readonly time: number;
  /** `namespace/pod` or `unknown` */
  readonly source: string;
  readonly destination: string;
  /** e.g. `GET /api/orders :8080` */
  readonly request: string;
  /** the same request as fields, for explain (`x` prefills its form from them); absent in old recordings */
  readonly query?: { readonly port: number | null; readonly method: string | null; readonly path: string | null };
  readonly layer: string;
  readonly policy: PolicyMention | null;
  readonly ruleRef: string | null;
  readonly enforcement: 'enforced' | 'shadow';
  /** raw log lines the denial was read from */
  readonly evidence: readonly string[];
  /** why the nearest rules missed (`matched policy none`) */
  readonly nearestMiss?: readonly RuleMiss[];
  /** the explanation of the same request, for the nearest miss and the fix */
  readonly explanation?: Explanation;
}

export interface CniEvent {
  readonly type: 'cni';
  readonly time: number;
  /** e.g. `kube-router/node-1`, `calico flows` */
  readonly source: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly text: string;
}

/**
 * Lines that carry a denial marker (a 403, `denied`, `policy rejection`...) but that no parser
 * understood, newly seen in this batch: the header shows their running total, so nothing that
 * looks like a denial is dropped without a word (issue "never a silent drop").
 */
export interface UnrecognizedEvent {
  readonly type: 'unrecognized';
  /** lines added since the previous event of this source */
  readonly added: number;
}

export type FeedEvent = LogLine | DenialEvent | CniEvent | UnrecognizedEvent;

export type LogLevel = 'debug' | 'info' | 'warning';

export interface LogLevelRequest {
  readonly namespace: string;
  /** `Deployment/backend` */
  readonly workload: string;
  /** pod names (already capped) */
  readonly pods: readonly string[];
  readonly loggers: readonly string[];
  readonly level: LogLevel;
  /** the pods are ztunnel pods in this namespace (an ambient workload's node proxies), not the workload's sidecars */
  readonly ztunnel?: { readonly namespace: string };
}

export interface LogLevelResult {
  /** pods changed */
  readonly changed: number;
  /** per-pod failures, one line each */
  readonly errors: readonly string[];
}

export interface LogFeed {
  /** Events arrive in batches; returns the unsubscribe function. */
  subscribe(listener: (events: readonly FeedEvent[]) => void): () => void;
  setLogLevel(request: LogLevelRequest): Promise<LogLevelResult>;
  /** true when setLogLevel can work (a cluster with rights, or the simulator) */
  readonly canSetLogLevel: boolean;
}

/** A feed with nothing in it: manifests without recorded logs. */
export const EMPTY_FEED: LogFeed = {
  subscribe: () => () => undefined,
  setLogLevel: () =>
    Promise.resolve({ changed: 0, errors: ['no log source: log levels can only change on a cluster or in demo mode'] }),
  canSetLogLevel: false,
};
