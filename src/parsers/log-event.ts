/**
 * The typed records every log source yields (cluster follow, files, the demo simulator).
 * Produced by the pure parsers in this folder; consumed by the correlator and the TUI.
 * `time` is the timestamp exactly as printed (RFC3339 for Istio/Envoy, syslog or klog
 * forms elsewhere), null when the line had none.
 */
import type { IstioRuleRef } from '../model/rule-ref.js';

/** Where a line came from, when the source knows it (kubectl --prefix, the log follower). */
export interface LogOrigin {
  readonly namespace: string | null;
  readonly pod: string | null;
  readonly container: string | null;
  /** free label for other sources, e.g. a file name or `node/worker-1` */
  readonly label: string | null;
}

interface EventBase {
  /** line number of the event's first line in its stream (1-based) */
  readonly lineNo: number;
  readonly time: string | null;
  readonly origin: LogOrigin | null;
  /** the raw lines, control characters removed and secrets redacted */
  readonly evidence: readonly string[];
}

/** Envoy envelope fields shared by the Envoy-originated events. */
export interface EnvoyContext {
  readonly level: string;
  readonly logger: string;
  /** `path/file.cc:line`, when the era prints it */
  readonly sourceLocation: string | null;
  readonly thread: string | null;
  readonly connectionId: string | null;
  readonly streamId: string | null;
}

/** What the RBAC filter printed in its `checking request` / `checking connection` line. */
export interface RbacRequest {
  readonly filter: 'http' | 'network';
  readonly requestedServerName: string | null;
  /** `sourceIP` (or `remoteAddress` in Envoy <= 1.13), `ip:port` */
  readonly sourceAddress: string | null;
  readonly directRemoteAddress: string | null;
  readonly remoteAddress: string | null;
  readonly localAddress: string | null;
  /** peer certificate URI SAN, e.g. `spiffe://cluster.local/ns/a/sa/b`; null for plaintext */
  readonly peerUriSan: string | null;
  readonly method: string | null;
  readonly path: string | null;
  readonly authority: string | null;
  /** request headers, lower-case names, secrets redacted */
  readonly headers: Readonly<Record<string, string>>;
  readonly lineNo: number;
}

export interface RbacDecision extends EventBase {
  readonly kind: 'RbacDecision';
  /** `none`: `no engine, allowed by default` */
  readonly enforcement: 'enforced' | 'shadow' | 'none';
  readonly result: 'allowed' | 'denied';
  /** the policy id printed after `matched policy`; null for `none` or when the era prints none */
  readonly policyId: string | null;
  /** false for pre-1.16 lines (`enforced denied` with no `matched policy`) and `no engine` */
  readonly policyReported: boolean;
  /** parsed Istio id, null for `none` or ids Istio did not generate */
  readonly ruleRef: IstioRuleRef | null;
  /** the joined `checking ...` line, null when none preceded it */
  readonly request: RbacRequest | null;
  /** true when the join could not use thread ids (pre-1.17 lines): adjacency only */
  readonly heuristicJoin: boolean;
  readonly envoy: EnvoyContext;
}

/** `Sending|Preparing local reply with details <details>` (logger http). */
export interface LocalReply extends EventBase {
  readonly kind: 'LocalReply';
  readonly form: 'sending' | 'preparing';
  readonly details: string;
  /** set when the details name an RBAC policy id (see model/rule-ref.ts; `none` -> null) */
  readonly rbacPolicyId: string | null;
  readonly rbacDenied: boolean;
  /** `ext_authz_denied` / `ext_authz_error` details */
  readonly extAuthz: 'denied' | 'error' | null;
  readonly envoy: EnvoyContext;
}

export type UpstreamFailureReason =
  | 'connection-timeout'
  | 'connection-refused'
  | 'tls'
  | 'connection-termination'
  | 'no-healthy-upstream'
  | 'response-timeout'
  | 'connection-failure'
  | 'reset'
  | 'overflow';

export interface UpstreamFailure {
  readonly reason: UpstreamFailureReason;
  /** the text the reason was read from (details, transport failure reason or flags) */
  readonly detail: string;
}

export interface AccessLogEntry extends EventBase {
  readonly kind: 'AccessLogEntry';
  readonly format: 'text' | 'json';
  /** `inbound` (server sidecar), `outbound` (client sidecar), from the cluster name */
  readonly direction: 'inbound' | 'outbound' | null;
  readonly method: string | null;
  readonly path: string | null;
  readonly protocol: string | null;
  /** 0 for TCP connections */
  readonly status: number | null;
  readonly flags: readonly string[];
  readonly responseCodeDetails: string | null;
  readonly terminationDetails: string | null;
  readonly transportFailureReason: string | null;
  readonly bytesReceived: number | null;
  readonly bytesSent: number | null;
  readonly durationMs: number | null;
  readonly forwardedFor: string | null;
  readonly userAgent: string | null;
  readonly requestId: string | null;
  readonly authority: string | null;
  readonly upstreamHost: string | null;
  readonly upstreamCluster: string | null;
  readonly upstreamLocalAddress: string | null;
  readonly downstreamLocalAddress: string | null;
  readonly downstreamRemoteAddress: string | null;
  readonly requestedServerName: string | null;
  readonly routeName: string | null;
  /** RBAC denial read from details or termination details; policyId null for `[none]` */
  readonly rbac: { readonly policyId: string | null; readonly ruleRef: IstioRuleRef | null } | null;
  /** JWT rejection message, e.g. `Jwt is expired` */
  readonly jwt: { readonly message: string } | null;
  readonly extAuthz: 'denied' | 'error' | null;
  readonly upstreamFailure: UpstreamFailure | null;
}

export type MeshHealthProblem =
  | 'proxy-not-ready'
  | 'xds-stream-closed'
  | 'sds-stream-closed'
  | 'xds-upstream-failed'
  | 'ca-request-failed'
  | 'certificate-sign-failed'
  | 'dns-timeout'
  | 'dns-refused'
  | 'jwks-fetch-failed'
  | 'xds-connected';

export interface MeshHealthEvent extends EventBase {
  readonly kind: 'MeshHealthEvent';
  readonly problem: MeshHealthProblem;
  /** false only for recoveries (`xds-connected`) */
  readonly failing: boolean;
  readonly level: string | null;
  /** istio scope (`xdsproxy`, `ca`, `cache`, `model`) or `envoy <logger>` */
  readonly component: string | null;
  /** the address or host the component failed to reach, when printed (`10.96.0.10:53`, `istiod.istio-system.svc:15012`) */
  readonly target: string | null;
  readonly message: string;
}

/** The packet header fields a kernel LOG/NFLOG line prints (IN= OUT= SRC= DST= PROTO= SPT= DPT=). */
export interface PacketHeaderFields {
  readonly inInterface: string | null;
  readonly outInterface: string | null;
  readonly src: string | null;
  readonly dst: string | null;
  readonly protocol: string | null;
  readonly srcPort: number | null;
  readonly dstPort: number | null;
}

export interface CalicoPacketLog extends EventBase, PacketHeaderFields {
  readonly kind: 'CalicoPacketLog';
  /** the log prefix, `calico-packet` unless FelixConfiguration logPrefix changed it */
  readonly prefix: string;
  readonly host: string | null;
}

/** A packet kube-router logged to NFLOG group 100 before rejecting it (read from ulogd's syslogemu output). */
export interface KubeRouterPacketLog extends EventBase, PacketHeaderFields {
  readonly kind: 'KubeRouterPacketLog';
  readonly time: string | null;
  readonly host: string | null;
  /** the policy a k3s `DROP by policy NS/NAME` prefix names; null for the pod chain's unprefixed copy */
  readonly policy: { readonly namespace: string; readonly name: string } | null;
  /** the IP header's ID= field: the same packet logged twice carries the same one */
  readonly packetId: string | null;
}

export interface CalicoPolicyHit {
  /** CalicoNetworkPolicy, GlobalNetworkPolicy, NetworkPolicy (k8s), Staged*, AdminNetworkPolicy, Profile, EndOfTier ... */
  readonly kind: string;
  readonly namespace: string | null;
  /** as Calico names it (`knp.default.x` in <= 3.31 labels is reduced to `x` for k8s kinds) */
  readonly name: string;
  readonly tier: string | null;
  readonly action: string | null;
  readonly policyIndex: number | null;
  /** -1 for end-of-tier hits */
  readonly ruleIndex: number | null;
  readonly trigger: CalicoPolicyHit | null;
}

export interface CalicoFlow extends EventBase {
  readonly kind: 'CalicoFlow';
  readonly action: 'Allow' | 'Deny' | 'Pass' | string;
  readonly reporter: 'Src' | 'Dst' | string | null;
  readonly source: { readonly namespace: string | null; readonly name: string | null };
  readonly destination: { readonly namespace: string | null; readonly name: string | null };
  readonly protocol: string | null;
  readonly destPort: number | null;
  readonly enforced: readonly CalicoPolicyHit[];
  /** pending (staged) policy hits: what would happen, never what happened */
  readonly pending: readonly CalicoPolicyHit[];
  readonly startTime: string | null;
  readonly endTime: string | null;
}

export type CniHealthProblem =
  'policy-sync-aborted' | 'controller-started' | 'policy-sync-started' | 'policy-sync-completed';

export interface CniHealthEvent extends EventBase {
  readonly kind: 'CniHealthEvent';
  readonly cni: 'kube-router';
  readonly problem: CniHealthProblem;
  /** false when the node is known not to enforce NetworkPolicy (after `Aborting sync`) */
  readonly enforcing: boolean | null;
  /** one line for users, e.g. `NetworkPolicies are not being enforced on this node` */
  readonly summary: string;
  readonly message: string;
}

/** What a ztunnel record says about authorization (istio/ztunnel src/proxy.rs, src/state.rs). */
export type ZtunnelVerdict =
  /** `connection closed due to policy rejection: explicitly denied by: NS/NAME` or `deny policy match` */
  | 'explicit-deny'
  /** `... allow policies exist, but none allowed` or `no allow policies matched` */
  | 'allow-miss'
  /** `connection closed due to policy change` */
  | 'late-rejection'
  /** the source ztunnel's view of a refused connection: `http status: 401 Unauthorized` */
  | 'refused-by-peer'
  /** dry-run (`istio.io/dry-run`) deny policy match: shadow */
  | 'dry-run-deny'
  /** dry-run: no allow policies match: shadow */
  | 'dry-run-allow-miss'
  /** early ztunnel (Istio 1.18): `RBAC rejected conn=...`, no policy or reason named */
  | 'rbac-rejected'
  /** the source ztunnel's HBONE connect to port 15008 timed out: consistent with a NetworkPolicy drop */
  | 'hbone-connect-timeout';

export interface ZtunnelEndpoint {
  /** `ip:port` */
  readonly addr: string | null;
  /** destination only: the HBONE target `ip:port` */
  readonly hboneAddr: string | null;
  readonly workload: string | null;
  readonly namespace: string | null;
  readonly identity: string | null;
  readonly service: string | null;
}

export interface ZtunnelRecord extends EventBase {
  readonly kind: 'ZtunnelRecord';
  readonly format: 'text' | 'json';
  readonly level: string | null;
  /** target / scope: `access`, `state`, `ztunnel::state`, `proxy::inbound` ... */
  readonly scope: string | null;
  readonly message: string;
  readonly verdict: ZtunnelVerdict | null;
  /** the policy ztunnel named (`NS/NAME`), when it named one */
  readonly policy: { readonly namespace: string; readonly name: string } | null;
  readonly direction: 'inbound' | 'outbound' | null;
  readonly src: ZtunnelEndpoint;
  readonly dst: ZtunnelEndpoint;
  /** the `error=` field, when present */
  readonly error: string | null;
  /** the connection span id (`inbound{id=...}` / `outbound{id=...}`), when printed */
  readonly connectionId: string | null;
}

/** A Calico eBPF policy verdict printed for `Log` rules (felix/bpf-gpl/skb.h). */
export interface CalicoBpfVerdict extends EventBase {
  readonly kind: 'CalicoBpfVerdict';
  readonly iface: string;
  /** `I` ingress to the host side of the interface (traffic from the workload), `E` egress (to it), `X` XDP */
  readonly hook: 'I' | 'E' | 'X';
  readonly verdict: 'ALLOWED' | 'DENIED';
  readonly protocol: number | null;
  readonly src: string | null;
  readonly dst: string | null;
}

/** A felix/syslog policy line in `key=value` form naming action, policy, tier and rule. */
export interface CalicoPolicyLog extends EventBase {
  readonly kind: 'CalicoPolicyLog';
  readonly action: string;
  readonly hit: CalicoPolicyHit;
  readonly src: string | null;
  readonly dst: string | null;
}

/** A workload as Mixer's attributes name it (`source*` / `destination*`, or the rbacsamplelog's app label). */
export interface MixerPeer {
  readonly app: string | null;
  readonly pod: string | null;
  readonly namespace: string | null;
  readonly workload: string | null;
  readonly ip: string | null;
  /** `cluster.local/ns/a/sa/b`, as Mixer prints `source.user` / `sourcePrincipal` */
  readonly principal: string | null;
}

/** A Mixer telemetry log entry (Istio 1.0-1.4) with the RBAC permissive verdict (see mixer-log.ts). */
export interface MixerLogEntry extends EventBase {
  readonly kind: 'MixerLogEntry';
  /** the logentry instance, e.g. `accesslog.instance.istio-system` */
  readonly instance: string;
  /** `source` or `destination`: which proxy reported the request */
  readonly reporter: string | null;
  readonly protocol: string | null;
  readonly method: string | null;
  readonly path: string | null;
  readonly authority: string | null;
  readonly requestedServerName: string | null;
  /** the response code the client got; null when not printed (or 0, Mixer's default) */
  readonly status: number | null;
  readonly responseSize: number | null;
  readonly source: MixerPeer;
  readonly destination: MixerPeer;
  readonly destinationServiceHost: string | null;
  /** what the PERMISSIVE-mode policies would have decided; policyId null for `none` */
  readonly permissive: { readonly result: string; readonly policyId: string | null } | null;
}

/**
 * `ext_authz filter rejected the request[ with an error]. Response status code: N` (logger ext_authz);
 * `rejected`: Envoy <= 1.10's `Ext_authz rejected the request`, which does not say denied or failed.
 */
export interface ExtAuthzDecision extends EventBase {
  readonly kind: 'ExtAuthzDecision';
  readonly outcome: 'denied' | 'error' | 'rejected';
  readonly status: number | null;
  readonly envoy: EnvoyContext;
}

export type LogEvent =
  | RbacDecision
  | LocalReply
  | AccessLogEntry
  | MeshHealthEvent
  | CalicoPacketLog
  | KubeRouterPacketLog
  | CalicoFlow
  | CniHealthEvent
  | ZtunnelRecord
  | CalicoBpfVerdict
  | CalicoPolicyLog
  | ExtAuthzDecision
  | MixerLogEntry;

/** A line that carries a denial marker but that no parser understood ("never a silent drop"). */
export interface UnrecognizedDenialLine {
  readonly lineNo: number;
  /** the line, control characters removed and secrets redacted */
  readonly text: string;
}

export type ParseIssueCode =
  | 'line-too-long'
  | 'event-too-long'
  | 'pending-joins-overflow'
  | 'malformed-access-log'
  | 'malformed-json'
  | 'malformed-flow'
  /** a parser bug caught at the line boundary: the line is skipped, the stream continues */
  | 'internal-error';

export interface ParseIssue {
  readonly lineNo: number;
  readonly code: ParseIssueCode;
  readonly message: string;
}
