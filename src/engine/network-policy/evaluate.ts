/**
 * One direction of a connection through the three tiers, in the order the CNI applies them:
 * AdminNetworkPolicy (Allow/Deny decide, Pass skips to NetworkPolicy), NetworkPolicy
 * (isolation + union of rules), BaselineAdminNetworkPolicy (only when no NetworkPolicy isolates).
 */
import type { Pod, Protocol } from '../../model/k8s.js';
import type { Cni, Snapshot } from '../../model/snapshot.js';
import type { Endpoint } from '../flow.js';
import type { PolicyMention } from '../explanation.js';
import { evaluateAdminTier, evaluateBaselineTier } from './admin.js';
import { evaluateKubernetesTier } from './kubernetes.js';
import type { DirectionQuery, TierResult } from './types.js';
import { evaluateCalicoDirection } from '../calico/evaluate.js';

function samePod(a: Endpoint, b: Endpoint): boolean {
  return (
    a.type === 'pod' &&
    b.type === 'pod' &&
    a.pod.namespace === b.pod.namespace &&
    a.pod.name === b.pod.name &&
    !a.pod.fromTemplate
  );
}

export function evaluateDirection(snapshot: Snapshot, q: DirectionQuery): TierResult {
  // "a pod cannot block access to itself" (Kubernetes NetworkPolicy docs)
  if (samePod(q.source, q.destination)) return { verdict: 'allowed', tier: 'self', policies: [], misses: [] };
  // Calico policies in the input: Calico's tiers decide, with the Kubernetes and admin policies in them
  const calico = evaluateCalicoDirection(snapshot, q);
  if (calico) return calico;
  const admin = evaluateAdminTier(snapshot, q);
  if (admin && 'verdict' in admin) return admin;
  const passedBy = admin?.passedBy ?? [];
  const undefinedOrder = admin?.undefinedOrder;
  const withPass = (r: TierResult): TierResult =>
    passedBy.length === 0 && !undefinedOrder
      ? r
      : { ...r, ...(passedBy.length ? { passedBy } : {}), ...(undefinedOrder ? { undefinedOrder } : {}) };
  const kube = evaluateKubernetesTier(snapshot, q);
  if (kube) return withPass(kube);
  const baseline = evaluateBaselineTier(snapshot, q);
  if (baseline) return withPass(baseline);
  return withPass({ verdict: 'allowed', tier: 'default', policies: [], misses: [] });
}

export function evaluateIngress(
  snapshot: Snapshot,
  source: Endpoint,
  destination: Endpoint,
  protocol: Protocol,
  port: number,
  cni: Cni,
): TierResult {
  return evaluateDirection(snapshot, { direction: 'ingress', source, destination, protocol, port, cni });
}

export function evaluateEgress(
  snapshot: Snapshot,
  source: Endpoint,
  destination: Endpoint,
  protocol: Protocol,
  port: number,
  cni: Cni,
): TierResult {
  return evaluateDirection(snapshot, { direction: 'egress', source, destination, protocol, port, cni });
}

type Connectivity = ReturnType<typeof connectivity>;

/**
 * Pod-to-pod answers per Snapshot, kept while the Snapshot lives: the mesh step asks the same
 * question (this sidecar to istiod on 15012, to kube-dns on 53) for every flow. A Snapshot is
 * immutable, so the memo never goes stale.
 */
const memo = new WeakMap<Snapshot, Map<Pod, Map<Pod, Map<string, Connectivity>>>>();

/** Can `from` open a connection to `to` under NetworkPolicy (both directions)? */
export function canConnect(
  snapshot: Snapshot,
  from: Endpoint,
  to: Endpoint,
  protocol: Protocol,
  port: number,
  cni: Cni,
): Connectivity {
  if (from.type !== 'pod' || to.type !== 'pod') return connectivity(snapshot, from, to, protocol, port, cni);
  let bySource = memo.get(snapshot);
  if (!bySource) memo.set(snapshot, (bySource = new Map()));
  let byDestination = bySource.get(from.pod);
  if (!byDestination) bySource.set(from.pod, (byDestination = new Map()));
  let answers = byDestination.get(to.pod);
  if (!answers) byDestination.set(to.pod, (answers = new Map()));
  const key = `${cni}/${protocol}/${port}`;
  let answer = answers.get(key);
  if (!answer) answers.set(key, (answer = connectivity(snapshot, from, to, protocol, port, cni)));
  return answer;
}

type Reach = (from: Endpoint, to: Endpoint, protocol: Protocol, port: number) => Connectivity;

/** One canConnect function per Snapshot and CNI: layers that memoize on it know it is this one. */
const reaches = new WeakMap<Snapshot, Map<Cni, Reach>>();
const networkReaches = new WeakSet<object>();

/** `canConnect` under one CNI, as the data planes pass it to their layers (one function object per Snapshot and CNI). */
export function networkReach(snapshot: Snapshot, cni: Cni): Reach {
  let byCni = reaches.get(snapshot);
  if (!byCni) reaches.set(snapshot, (byCni = new Map()));
  let reach = byCni.get(cni);
  if (!reach) {
    reach = (from, to, protocol, port) => canConnect(snapshot, from, to, protocol, port, cni);
    networkReaches.add(reach);
    byCni.set(cni, reach);
  }
  return reach;
}

/** True for the functions networkReach returns: pure in their arguments for the Snapshot they were made for. */
export function isNetworkReach(reach: object): boolean {
  return networkReaches.has(reach);
}

/** The policies of the denying directions; one direction's own list (kept per pod class) when only it denies. */
function deniedPolicies(e: TierResult, i: TierResult): readonly PolicyMention[] {
  if (e.verdict !== 'denied') return i.verdict === 'denied' ? i.policies : [];
  return i.verdict === 'denied' ? [...e.policies, ...i.policies] : e.policies;
}

function connectivity(
  snapshot: Snapshot,
  from: Endpoint,
  to: Endpoint,
  protocol: Protocol,
  port: number,
  cni: Cni,
): { allowed: boolean; policies: readonly PolicyMention[]; summary: string; egress: TierResult; ingress: TierResult } {
  const egress = from.type === 'pod' ? evaluateEgress(snapshot, from, to, protocol, port, cni) : null;
  const ingress = to.type === 'pod' ? evaluateIngress(snapshot, from, to, protocol, port, cni) : null;
  const open: TierResult = { verdict: 'allowed', tier: 'default', policies: [], misses: [] };
  const e = egress ?? open;
  const i = ingress ?? open;
  const blocked = [e.verdict === 'denied' ? 'egress' : null, i.verdict === 'denied' ? 'ingress' : null].filter(Boolean);
  return {
    allowed: blocked.length === 0,
    policies: deniedPolicies(e, i),
    summary:
      blocked.length > 0
        ? `blocked by NetworkPolicy on ${blocked.join(' and ')}`
        : e.verdict === 'conditional' || i.verdict === 'conditional'
          ? 'allowed by NetworkPolicy only if an undecidable match holds (see conditions)'
          : 'allowed by NetworkPolicy',
    egress: e,
    ingress: i,
  };
}
