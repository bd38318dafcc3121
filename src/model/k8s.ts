/**
 * Typed, normalized Kubernetes resources as the engine sees them.
 * Every source (manifests, live cluster, demo) converts raw objects into these.
 */

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export type Labels = Readonly<Record<string, string>>;

/** Where an object came from, for messages that name file and line. */
export interface SourceLocation {
  readonly file: string;
  /** 1-based line of the object's first line, when known. */
  readonly line: number | null;
  /** 0-based index of the document inside the file. */
  readonly doc: number;
}

export interface ObjectRef {
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
}

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A Kubernetes label selector; the empty selector matches everything. */
export interface LabelSelector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly LabelSelectorRequirement[];
}

export interface Namespace {
  readonly name: string;
  readonly labels: Labels;
  /** true when no Namespace object was given and it was assumed. */
  readonly synthesized: boolean;
  readonly loc: SourceLocation | null;
}

/**
 * A ServiceAccount. Only its labels play a part: Calico gives every pod the labels of its
 * ServiceAccount, prefixed `pcsa.`, and `serviceAccounts.selector` / `serviceAccountSelector` match
 * them (projectcalico/calico:libcalico-go/lib/backend/k8s/conversion/conversion.go
 * ServiceAccountToProfile).
 */
export interface ServiceAccount {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly loc: SourceLocation | null;
}

export interface ContainerPort {
  readonly name: string | null;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

export interface Container {
  readonly name: string;
  readonly ports: readonly ContainerPort[];
  /** only for init containers: `Always` marks a native sidecar. */
  readonly restartPolicy: string | null;
}

export interface WorkloadRef {
  readonly kind: string;
  readonly name: string;
}

/** A pod: a live Pod object, or the representative pod of a workload's template. */
export interface Pod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly ip: string | null;
  readonly hostNetwork: boolean;
  readonly serviceAccount: string;
  readonly containers: readonly Container[];
  readonly initContainers: readonly Container[];
  /**
   * The owning workload, outermost known first (e.g. Deployment, then its ReplicaSet).
   * Empty for a bare Pod.
   */
  readonly owners: readonly WorkloadRef[];
  /** true when built from a workload template rather than a live Pod object. */
  readonly fromTemplate: boolean;
  readonly nodeName: string | null;
  readonly phase: string | null;
  readonly ready: boolean | null;
  readonly restarts: number;
  readonly loc: SourceLocation | null;
}

export interface ServicePort {
  readonly name: string | null;
  readonly port: number;
  /** number, or a container port name resolved on the pod. */
  readonly targetPort: number | string;
  readonly protocol: Protocol;
  readonly appProtocol: string | null;
}

export interface Service {
  readonly namespace: string;
  readonly name: string;
  /** null: no selector (endpoints managed by hand). */
  readonly selector: Labels | null;
  /** metadata.labels (e.g. istio.io/use-waypoint); absent in hand-built test objects */
  readonly labels?: Labels;
  /** `None` for headless Services; null when unknown. */
  readonly clusterIP: string | null;
  readonly type: string;
  readonly ports: readonly ServicePort[];
  /** spec.externalName of a `type: ExternalName` Service (the DNS name it is a CNAME for); absent otherwise */
  readonly externalName?: string | null;
  readonly loc: SourceLocation | null;
}

/** A numeric port, a named port, or any port (null). */
export interface PolicyPort {
  readonly protocol: Protocol;
  readonly port: number | string | null;
  readonly endPort: number | null;
}

export type NetworkPolicyPeer =
  | {
      readonly type: 'selector';
      /** null: absent (the policy's namespace for pods / all pods of selected namespaces). */
      readonly podSelector: LabelSelector | null;
      readonly namespaceSelector: LabelSelector | null;
    }
  | { readonly type: 'ipBlock'; readonly cidr: string; readonly except: readonly string[] };

export interface NetworkPolicyRule {
  /** null: `from`/`to` absent or empty, which matches every peer. */
  readonly peers: readonly NetworkPolicyPeer[] | null;
  /** null: `ports` absent or empty, which matches every port. */
  readonly ports: readonly PolicyPort[] | null;
}

export type Direction = 'ingress' | 'egress';

export interface NetworkPolicy {
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: LabelSelector;
  /** Effective policy types after Kubernetes defaulting. */
  readonly affectsIngress: boolean;
  readonly affectsEgress: boolean;
  readonly ingress: readonly NetworkPolicyRule[];
  readonly egress: readonly NetworkPolicyRule[];
  /** The object as written, for showing a rule's YAML. */
  readonly raw: unknown;
  readonly loc: SourceLocation | null;
}

export type AdminAction = 'Allow' | 'Deny' | 'Pass';

export type AdminPeer =
  | { readonly type: 'namespaces'; readonly namespaceSelector: LabelSelector }
  | { readonly type: 'pods'; readonly namespaceSelector: LabelSelector; readonly podSelector: LabelSelector }
  | { readonly type: 'networks'; readonly cidrs: readonly string[] }
  | { readonly type: 'nodes'; readonly nodeSelector: LabelSelector };

export type AdminPort =
  | { readonly type: 'number'; readonly protocol: Protocol; readonly port: number }
  | { readonly type: 'named'; readonly name: string }
  | { readonly type: 'range'; readonly protocol: Protocol; readonly start: number; readonly end: number };

export interface AdminRule {
  readonly name: string;
  readonly action: AdminAction;
  readonly peers: readonly AdminPeer[];
  /** null: all ports. */
  readonly ports: readonly AdminPort[] | null;
}

export type AdminSubject =
  | { readonly type: 'namespaces'; readonly namespaceSelector: LabelSelector }
  | { readonly type: 'pods'; readonly namespaceSelector: LabelSelector; readonly podSelector: LabelSelector };

/** AdminNetworkPolicy (tier "admin") or BaselineAdminNetworkPolicy (tier "baseline"). */
export interface AdminNetworkPolicy {
  readonly kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
  readonly name: string;
  /** null for the baseline policy. */
  readonly priority: number | null;
  readonly subject: AdminSubject;
  readonly ingress: readonly AdminRule[];
  readonly egress: readonly AdminRule[];
  readonly raw: unknown;
  readonly loc: SourceLocation | null;
}

/** A policy kind meshdbg detects but does not evaluate (Calico, Cilium, ClusterNetworkPolicy...). */
export interface UnmodelledPolicy {
  readonly kind: string;
  readonly apiVersion: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly loc: SourceLocation | null;
}
