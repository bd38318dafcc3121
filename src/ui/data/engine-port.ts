/**
 * What the TUI needs from the engine and the report layer, as one small interface
 * so views are tested with fakes and the real modules are wired in `commands/tui.tsx`.
 */
import type {
  ExplainError,
  ExplainQuery,
  Explanation,
  MapEdge,
  MapWorkload,
  ResolvedPeer,
} from '../../engine/index.js';
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { StyledLine } from '../../report/styled-line.js';

/** The connectivity map's allowed edges into and out of a namespace (all namespaces: null). */
export interface NamespaceMap {
  readonly workloads: readonly MapWorkload[];
  readonly edges: readonly MapEdge[];
  /** external class id -> the address its edges were evaluated with */
  readonly addresses: ReadonlyMap<string, string>;
}

/** One row of an authz-check table as the TUI shows it (predicted, or read from a sidecar or ztunnel): ACTION, `name.namespace`, number of rules. */
export interface AuthzDisplayRow {
  readonly action: string;
  readonly policy: string;
  readonly rules: number;
}

/** The authz-check table read from the running proxy (istioctl or Envoy admin), for live sources. */
export interface LiveAuthzCheck {
  /** `istioctl` or `Envoy admin` */
  readonly via: string;
  read(pod: Pod, signal: AbortSignal): Promise<LiveAuthzTable>;
  /** ambient pods: what the ztunnel of the pod's node holds (config_dump), already compared with the Snapshot */
  readAmbient?(pod: Pod, signal: AbortSignal): Promise<AmbientLive>;
}

/** The proxy's table as read, and what of the proxy's answer could not be understood (`line N: ...`). */
export interface LiveAuthzTable {
  readonly rows: readonly AuthzDisplayRow[];
  readonly issues: readonly string[];
}

/** ztunnel's policies for an ambient pod and how they differ from the Snapshot. */
export interface AmbientLive {
  /** e.g. `ztunnel istio-system/ztunnel-abcde (config_dump)` */
  readonly from: string;
  readonly rows: readonly AuthzDisplayRow[];
  /** one line per difference; empty when ztunnel agrees */
  readonly messages: readonly string[];
}

/** What the pod detail shows of the live table. */
export type LiveAuthz =
  | { readonly status: 'loading' }
  | {
      readonly status: 'done';
      readonly rows: readonly AuthzDisplayRow[];
      /** what of the sidecar proxy's answer could not be understood: the rows may be incomplete */
      readonly issues?: readonly string[];
      readonly ambient?: { readonly from: string; readonly messages: readonly string[] };
    }
  | { readonly status: 'error'; readonly message: string };

export interface EnginePort {
  explain(snapshot: Snapshot, query: ExplainQuery): Explanation | ExplainError;
  /** the shared report formatter: the CLI prints these lines' text, the TUI colours them by role */
  explanationLines(explanation: Explanation, snapshot: Snapshot): readonly StyledLine[];
  authzCheckRows(snapshot: Snapshot, pod: Pod): readonly AuthzDisplayRow[];
  hasSidecar(pod: Pod): boolean;
  /** how explain resolves a destination typed as text (the form checks it as it is typed) */
  resolveDestination(snapshot: Snapshot, text: string): ResolvedPeer | ExplainError;
  connectivityMap(snapshot: Snapshot, namespace: string | null): NamespaceMap;
}
