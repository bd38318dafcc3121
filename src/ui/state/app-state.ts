/**
 * The TUI's whole state (one reducer), and the static data it is computed over.
 */
import type { Snapshot } from '../../model/snapshot.js';
import type { EnginePort, LiveAuthz, LiveAuthzCheck } from '../data/engine-port.js';
import type { PodRow, PodSearch, PodSortKey } from '../data/pod-rows.js';
import type { PolicyItem } from '../data/policy-items.js';
import type { PeerChoice } from '../data/peer-choices.js';
import type { CniEvent, DenialEvent, LogLevelRequest, LogLine } from '../feeds/log-feed.js';
import type { Finding } from '../../model/findings.js';
import type { ServiceItem } from '../data/service-items.js';
import type { TableSort } from './table-sort.js';
import { ROOT_STACK, type NavStack, type ViewName } from './navigation.js';

export interface Availability {
  readonly istioctl: boolean;
  /** detected CNI, or null when unknown */
  readonly cni: string | null;
}

/** Computed once when the TUI starts. */
export interface UiData {
  readonly snapshot: Snapshot;
  readonly rows: readonly PodRow[];
  readonly rowsByKey: ReadonlyMap<string, PodRow>;
  readonly podSearch: PodSearch;
  readonly policies: readonly PolicyItem[];
  readonly services: readonly ServiceItem[];
  /** what `meshdbg lint` reports on this Snapshot, worst first */
  readonly findings: readonly Finding[];
  /** Services the explain picker offers before pods */
  readonly serviceChoices: readonly PeerChoice[];
  readonly engine: EnginePort;
  readonly readonly: boolean;
  /** how long a raised log level lasts */
  readonly logLevelTtlMs: number;
  /** at most this many pods get their log level changed */
  readonly logLevelPodCap: number;
  /** `demo poc-mesh`, `manifests: ./dir`, a kube context */
  readonly sourceLabel: string;
  readonly availability: Availability;
  /** true when the feed can change log levels */
  readonly canSetLogLevel: boolean;
  /** the running proxies' authz-check table, on live sources */
  readonly liveAuthzCheck: LiveAuthzCheck | null;
}

export type Mode =
  | { readonly kind: 'normal' }
  | { readonly kind: 'filter'; readonly text: string; readonly previous: string }
  | { readonly kind: 'command'; readonly text: string }
  | {
      readonly kind: 'confirm';
      readonly request: LogLevelRequest;
      readonly message: string;
      readonly totalPods: number;
    };

export interface Flash {
  readonly level: 'info' | 'error';
  readonly text: string;
  readonly until: number;
}

/** A correlated denial as shown: the correlator's event plus when it first reached the screen. */
export interface ShownDenial extends DenialEvent {
  /** app clock when this id first arrived: rows that arrived recently are marked new */
  readonly arrived: number;
}

/** A log line with its arrival number: the identity the logs view's selection follows. */
export interface StoredLogLine extends LogLine {
  readonly seq: number;
}

/** Feed events held while the screen is frozen; applied in order when it thaws. */
export interface Held {
  readonly logs: readonly LogLine[];
  readonly cni: readonly CniEvent[];
  /** the latest event per denial id */
  readonly denials: ReadonlyMap<string, DenialEvent>;
  /** events held in all (shown in the footer) */
  readonly count: number;
}

export interface RaisedLevel {
  readonly request: LogLevelRequest;
  readonly until: number;
}

export type Effect =
  | { readonly kind: 'quit' }
  | { readonly kind: 'set-log-level'; readonly request: LogLevelRequest; readonly purpose: 'raise' | 'restore' }
  | { readonly kind: 'write-file'; readonly path: string; readonly text: string }
  | { readonly kind: 'copy'; readonly text: string };

export interface AppState {
  readonly stack: NavStack;
  readonly mode: Mode;
  readonly filters: Readonly<Partial<Record<ViewName, string>>>;
  readonly namespace: string | null;
  readonly sort: { readonly key: PodSortKey; readonly descending: boolean };
  /** Shift+letter sorts of the other tables (none: their natural order) */
  readonly tableSorts: Readonly<Partial<Record<ViewName, TableSort>>>;
  readonly flash: Flash | null;
  /** newest first */
  readonly denials: readonly ShownDenial[];
  readonly logs: readonly StoredLogLine[];
  readonly nextLogSeq: number;
  /** lines that looked like denials but were not understood, over every source */
  readonly unrecognizedDenials: number;
  /** non-null while the freeze key holds live updates back */
  readonly frozen: Held | null;
  readonly cni: readonly CniEvent[];
  readonly raised: readonly RaisedLevel[];
  /** live authz-check tables by pod key */
  readonly liveAuthz: Readonly<Record<string, LiveAuthz>>;
  readonly effects: readonly Effect[];
  readonly now: number;
  /** visible rows of the main area; paging and virtualization use it */
  readonly pageSize: number;
  /** terminal columns: documents wrap to it */
  readonly width: number;
  readonly quitting: boolean;
}

export const LOG_CAPACITY = 5000;
export const CNI_CAPACITY = 500;
export const DENIAL_CAPACITY = 1000;
export const FLASH_MS = 4000;

export function initialState(now: number, namespace: string | null = null): AppState {
  return {
    stack: ROOT_STACK,
    mode: { kind: 'normal' },
    filters: {},
    namespace,
    sort: { key: 'namespace', descending: false },
    tableSorts: {},
    flash: null,
    denials: [],
    logs: [],
    nextLogSeq: 0,
    unrecognizedDenials: 0,
    frozen: null,
    cni: [],
    raised: [],
    liveAuthz: {},
    effects: [],
    now,
    pageSize: 10,
    width: 80,
    quitting: false,
  };
}
