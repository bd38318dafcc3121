/**
 * What the sidecar data plane's Istio layers share for one flow: the traffic kind, whether the
 * destination sidecar is in the path, and the outcomes later layers read (the mesh layer's
 * istiod for JWKS, the mtls layer's peer identity, the jwt layer's request principal for the
 * authz layers). Each outcome is computed once, when the first layer needs it.
 */
import type { Pod } from '../../model/k8s.js';
import type { AuthorizationPolicy } from '../../model/istio.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { FlowContext } from '../flow.js';
import { once } from '../layer.js';
import { podHasSidecar } from '../../model/convert/sidecar.js';
import type { AuthzAttributes } from './attributes.js';
import { evaluateDeny, type AuthzOutcome } from './authz.js';
import { inboundCapture, outboundCapture } from './capture.js';
import { dialedAddress } from './client-tls.js';
import { evaluateJwt, type JwtOutcome } from './jwt.js';
import { evaluateMesh, type MeshOutcome, type MeshSide } from './mesh.js';
import { evaluateMtls, type MtlsOutcome } from './mtls.js';
import { authzPoliciesFor } from './policy-index.js';
import { trafficKind, type Traffic } from './protocol.js';
import { attributes } from './request-attributes.js';
import type { ReachabilityCheck } from './types.js';

/** The destination sidecar applies the authz layers to this flow (an HTTP or TCP chain it captures). */
export interface AuthzInputs {
  readonly dst: Pod;
  readonly http: boolean;
  /** before JWT authentication */
  readonly attrs: AuthzAttributes;
  readonly policies: readonly AuthorizationPolicy[];
}

export interface SidecarContext {
  readonly snapshot: Snapshot;
  readonly flow: FlowContext;
  readonly reach: ReachabilityCheck;
  readonly traffic: Traffic;
  readonly src: Pod | null;
  readonly dst: Pod | null;
  /** the protocol is not proxied (UDP/SCTP): no layer of the mesh applies */
  readonly unproxied: string | null;
  /** why the destination's sidecar is not in the path, or null when it is */
  readonly bypass: string | null;
  readonly mesh: () => MeshOutcome;
  /** null when unproxied */
  readonly mtls: () => MtlsOutcome | null;
  /** null when the authz layers do not apply (bypass, no destination pod, unproxied) */
  readonly authz: () => AuthzInputs | null;
  /** null when the authz layers do not apply */
  readonly jwt: () => JwtOutcome | null;
  /** the attributes the DENY and ALLOW layers match: `authz().attrs` with the JWT's principal and claims */
  readonly authenticated: () => AuthzAttributes | null;
  /** the DENY layer's outcome (its fix is listed with the ALLOW layer's); null when the authz layers do not apply */
  readonly deny: () => AuthzOutcome | null;
}

/** Why the destination's sidecar is not in the path, or null when it is. */
function bypassReason(flow: FlowContext, dst: Pod | null, unproxied: string | null): string | null {
  if (unproxied !== null) return unproxied;
  if (dst === null) return 'the destination is outside the cluster: no sidecar';
  const c = inboundCapture(dst, flow.port);
  if (c.captured) return null;
  return podHasSidecar(dst)
    ? `port ${flow.port} bypasses the destination sidecar (${c.reason}): no mTLS, no authorization`
    : 'the destination has no sidecar';
}

function meshSides(flow: FlowContext, src: Pod | null, dst: Pod | null, bypass: string | null): MeshSide[] {
  const sides: MeshSide[] = [];
  const dialed = dialedAddress(flow);
  if (src && outboundCapture(src, dialed.ip, dialed.port).captured) sides.push({ role: 'source', pod: src });
  if (dst && bypass === null) sides.push({ role: 'destination', pod: dst });
  return sides;
}

/**
 * The mesh step reads only the sidecars in the path, istiod and NetworkPolicy reachability, never
 * the port: the flows of one pair of pods share it (`map` asks every port interval of a pair).
 * Only verdict-only flows (`map`, which runs them through evaluateFlow) use the memo: there `reach`
 * is canConnect under the flow's CNI (sidecar-flow.ts, ambient-flow.ts), so the CNI is part of the
 * key; a caller with its own `reach` (tests) is never answered from it. A Snapshot is immutable, so
 * the memo never goes stale; it keeps the last few pod pairs only (`map` asks a pair's ports one
 * after the other), so it stays small.
 */
const meshMemo = new WeakMap<Snapshot, Map<string, MeshOutcome>>();
const MESH_MEMO_SIZE = 8;
const podIds = new WeakMap<Pod, number>();
let nextPodId = 0;

function podId(pod: Pod | null): number {
  if (pod === null) return -1;
  let id = podIds.get(pod);
  if (id === undefined) podIds.set(pod, (id = nextPodId++));
  return id;
}

function meshOf(
  snapshot: Snapshot,
  flow: FlowContext,
  sides: readonly MeshSide[],
  fallback: Pod | null,
  reach: ReachabilityCheck,
): MeshOutcome {
  if (!flow.verdictOnly) return evaluateMesh(snapshot, sides, fallback, reach);
  let memo = meshMemo.get(snapshot);
  if (!memo) meshMemo.set(snapshot, (memo = new Map()));
  const key = `${flow.cni}|${podId(fallback)}|${sides.map((s) => `${s.role}:${podId(s.pod)}`).join(',')}`;
  let outcome = memo.get(key);
  if (outcome) return outcome;
  outcome = evaluateMesh(snapshot, sides, fallback, reach);
  if (memo.size >= MESH_MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  memo.set(key, outcome);
  return outcome;
}

export function sidecarContext(snapshot: Snapshot, flow: FlowContext, reach: ReachabilityCheck): SidecarContext {
  const traffic = trafficKind(flow);
  const src = flow.source.type === 'pod' ? flow.source.pod : null;
  const dst = flow.destination.type === 'pod' ? flow.destination.pod : null;
  const unproxied = traffic.kind === 'unproxied' ? traffic.reason : null;
  const bypass = bypassReason(flow, dst, unproxied);
  const mesh = once(() =>
    meshOf(snapshot, flow, unproxied !== null ? [] : meshSides(flow, src, dst, bypass), dst ?? src, reach),
  );
  const mtls = once(() => (unproxied !== null ? null : evaluateMtls(snapshot, flow, bypass)));
  const authz = once((): AuthzInputs | null => {
    if (bypass !== null || dst === null || traffic.kind === 'unproxied') return null;
    const http = traffic.kind === 'http';
    const attrs = attributes(snapshot, flow, http, mtls()?.mtls ?? false);
    return { dst, http, attrs, policies: authzPoliciesFor(snapshot, dst) };
  });
  const jwt = once(() => {
    const a = authz();
    return a && evaluateJwt(snapshot, flow, a.dst, a.http, mesh().istiod, reach);
  });
  const authenticated = once(() => {
    const a = authz();
    const j = jwt();
    return a && j && { ...a.attrs, requestPrincipal: j.requestPrincipal, claims: j.claims };
  });
  const deny = once(() => {
    const a = authenticated();
    return a && evaluateDeny(authz()?.policies ?? [], a, snapshot.istio.mesh.rootNamespace);
  });
  return { snapshot, flow, reach, traffic, src, dst, unproxied, bypass, mesh, mtls, authz, jwt, authenticated, deny };
}
