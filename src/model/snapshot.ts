/**
 * The Snapshot: every object the engine may look at, normalized and indexed once.
 * Immutable after creation; all sources (manifests, cluster, demo) produce one.
 */
import type {
  AdminNetworkPolicy,
  Namespace,
  NetworkPolicy,
  Pod,
  Service,
  ServiceAccount,
  UnmodelledPolicy,
} from './k8s.js';
import type { IstioResources } from './istio.js';
import type { Finding } from './findings.js';
import type { Waypoint } from './ambient.js';
import type { CalicoResources } from './calico/policy.js';

export type Cni = 'calico' | 'cilium' | 'kube-router' | 'generic';

export interface Assumption {
  readonly code: string;
  readonly message: string;
}

/** A workload (or bare pod) and the pods it groups. */
export interface PodGroup {
  readonly namespace: string;
  /** Outermost owner (e.g. Deployment), or `Pod` for a bare pod. */
  readonly kind: string;
  readonly name: string;
  /** every name this group answers to: the outermost owner, inner owners (ReplicaSet), pod names. */
  readonly aliases: readonly { kind: string; name: string }[];
  readonly pods: readonly Pod[];
}

/** A VirtualService HTTP route with a timeout, toward one destination host. */
export interface RouteTimeout {
  readonly namespace: string;
  readonly name: string;
  /** destination host as written (short name, name.ns, or FQDN) */
  readonly host: string;
  /** `gateways` of the VirtualService; empty means the mesh (sidecars) */
  readonly gateways: readonly string[];
  readonly timeoutMs: number;
}

export interface SnapshotSource {
  readonly type: 'manifests' | 'cluster' | 'demo';
  /** file list, context name, or example name */
  readonly description: string;
}

export interface Snapshot {
  readonly source: SnapshotSource;
  readonly namespaces: ReadonlyMap<string, Namespace>;
  readonly pods: readonly Pod[];
  readonly groups: readonly PodGroup[];
  readonly services: readonly Service[];
  /** ServiceAccounts by `namespace/name` (absent in hand-built test snapshots) */
  readonly serviceAccounts?: ReadonlyMap<string, ServiceAccount>;
  readonly networkPolicies: readonly NetworkPolicy[];
  /** AdminNetworkPolicies sorted by priority (then name). */
  readonly adminNetworkPolicies: readonly AdminNetworkPolicy[];
  readonly baselineAdminNetworkPolicy: AdminNetworkPolicy | null;
  readonly unmodelled: readonly UnmodelledPolicy[];
  readonly istio: IstioResources;
  /** Calico's own objects (absent in hand-built test snapshots) */
  readonly calico?: CalicoResources;
  /** Gateways of class istio-waypoint (absent in hand-built test snapshots) */
  readonly waypoints?: readonly Waypoint[];
  /** absent in hand-built test snapshots */
  readonly routeTimeouts?: readonly RouteTimeout[];
  /** CNI detected from DaemonSets/pods, `generic` when unknown. */
  readonly detectedCni: Cni;
  readonly assumptions: readonly Assumption[];
  /** Problems found while reading the objects (lint adds its own checks on top). */
  readonly findings: readonly Finding[];
  /** Kinds read but not used, with counts (reported with --verbose). */
  readonly ignoredKinds: ReadonlyMap<string, number>;
  readonly index: SnapshotIndex;
}

/** Lookup tables built once per Snapshot. */
export interface SnapshotIndex {
  readonly podsByNamespace: ReadonlyMap<string, readonly Pod[]>;
  readonly groupsByNamespace: ReadonlyMap<string, readonly PodGroup[]>;
  readonly groupOfPod: ReadonlyMap<Pod, PodGroup>;
  readonly servicesByNamespace: ReadonlyMap<string, readonly Service[]>;
  readonly networkPoliciesByNamespace: ReadonlyMap<string, readonly NetworkPolicy[]>;
  /** keyed by canonicalIp (util/cidr.ts): look an address up by its canonical text */
  readonly podByIp: ReadonlyMap<string, Pod>;
  /** keyed by canonicalIp, as podByIp */
  readonly serviceByIp: ReadonlyMap<string, Service>;
}
