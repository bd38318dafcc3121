/**
 * A diff whose sides differ only in NetworkPolicies and AuthorizationPolicies evaluates only the
 * pairs of workloads a changed policy selects (policy-edit.ts): on random edits of random worlds its
 * changes must be exactly those of the diff that evaluates every pair, and any other difference,
 * or a change to a policy the engine reads for every pair (istiod's, kube-dns's, the root
 * namespace's), must turn the shortcut off.
 */
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { planMap } from '../../../src/engine/map/connectivity-map.js';
import { changesOf, diffSources } from '../../../src/engine/map/diff-plans.js';
import { workloadsAPolicyEditTouches } from '../../../src/engine/map/policy-edit.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { seededRandom } from '../../../src/util/random.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { generator, worldYaml, type Policy } from '../network-policy/random-policies.js';
import { ALL } from './agreement.js';
import { captureWorld } from './sidecar-capture-worlds.js';

type Doc = Record<string, unknown>;

function changes(before: Snapshot, after: Snapshot, touched?: ReadonlySet<string> | null) {
  const sources = diffSources(planMap(before, ALL), planMap(after, ALL), undefined, touched);
  return [...sources].flatMap((s) => [...changesOf(s)]);
}

/** The shortcut's changes equal the full diff's, both ways; returns how many workloads it evaluated. */
function agrees(before: Snapshot, after: Snapshot): number {
  const touched = workloadsAPolicyEditTouches(before, after);
  expect(touched).not.toBeNull();
  expect(changes(before, after, touched)).toEqual(changes(before, after));
  expect(changes(after, before, workloadsAPolicyEditTouches(after, before))).toEqual(changes(after, before));
  return touched?.size ?? 0;
}

/** `base` with some policies replaced by `other`'s of the same name, one dropped, one added. */
function edited<T>(next: () => number, base: readonly T[], other: readonly T[]): T[] {
  const out = base.map((p, i) => (next() < 0.4 && other[i] ? (other[i] as T) : p)).filter(() => next() > 0.15);
  const extra = other[base.length];
  return extra && next() < 0.5 ? [...out, extra] : out;
}

const nameOf = (d: Doc): string => {
  const m = d['metadata'] as { name: string; namespace: string };
  return `${d['kind'] as string} ${m.namespace}/${m.name}`;
};
const isPolicy = (d: Doc): boolean => d['kind'] === 'NetworkPolicy' || d['kind'] === 'AuthorizationPolicy';

/** A sidecar world with its NetworkPolicies and AuthorizationPolicies edited after another world's. */
function editedCaptureWorld(seed: number): { before: Snapshot; after: Snapshot } {
  const { next } = seededRandom(seed * 7 + 1);
  const docs = yaml.loadAll(captureWorld(seed).yaml) as Doc[];
  const others = new Map(
    (yaml.loadAll(captureWorld(seed + 50).yaml) as Doc[]).filter(isPolicy).map((d) => [nameOf(d), d]),
  );
  const after = docs
    .map((d) => (isPolicy(d) && next() < 0.6 ? (others.get(nameOf(d)) ?? d) : d))
    .filter((d) => !isPolicy(d) || next() > 0.15);
  const added = [...others.values()].filter((d) => !docs.some((x) => nameOf(x) === nameOf(d)));
  const dump = (ds: readonly Doc[]): string => ds.map((d) => yaml.dump(d)).join('---\n');
  return { before: snapshotFromYaml(dump(docs)), after: snapshotFromYaml(dump([...after, ...added])) };
}

describe('a diff of a policy edit evaluates only the workloads a changed policy selects', () => {
  it.each(Array.from({ length: 16 }, (_, i) => i + 1))('random NetworkPolicy edits, seed %i', (seed) => {
    const { next } = seededRandom(seed);
    const base: Policy[] = generator(seed).policies();
    const other: Policy[] = generator(seed + 200).policies();
    agrees(snapshotFromYaml(worldYaml(base)), snapshotFromYaml(worldYaml(edited(next, base, other))));
  });

  it.each(Array.from({ length: 12 }, (_, i) => i + 1))(
    'random sidecar mesh edits (authz and NetworkPolicy), seed %i',
    (seed) => {
      const { before, after } = editedCaptureWorld(seed);
      agrees(before, after);
    },
  );

  it('skips workloads (the shortcut is not vacuous): an edit in one namespace leaves the others out', () => {
    const base: Policy[] = [
      { namespace: 'n1', name: 'p0', spec: { podSelector: {}, policyTypes: ['Ingress'] } },
      { namespace: 'n2', name: 'p1', spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] } },
    ];
    const edit: Policy[] = [
      base[0] as Policy,
      { namespace: 'n2', name: 'p1', spec: { podSelector: {}, policyTypes: ['Ingress'] } },
    ];
    const before = snapshotFromYaml(worldYaml(base));
    const after = snapshotFromYaml(worldYaml(edit));
    const touched = workloadsAPolicyEditTouches(before, after);
    const n2 = before.groups.filter((g) => g.namespace === 'n2').map((g) => `${g.namespace}/${g.kind}/${g.name}`);
    expect([...(touched ?? [])].sort()).toEqual(n2.sort());
    expect(n2.length).toBeLessThan(before.groups.length);
    expect(changes(before, after, touched).length).toBeGreaterThan(0);
    expect(changes(before, after, touched)).toEqual(changes(before, after));
  });

  it('an unchanged input read from another file, or in another order, has nothing to evaluate', () => {
    const policies = generator(3).policies();
    const before = snapshotFromYaml(worldYaml(policies), { file: 'old.yaml' });
    const after = snapshotFromYaml(worldYaml([...policies].reverse()), { file: 'new.yaml' });
    expect(workloadsAPolicyEditTouches(before, after)).toEqual(new Set());
    expect(changes(before, after, new Set())).toEqual([]);
  });
});

const MESH = `apiVersion: v1
kind: Namespace
metadata: {name: istio-system}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: istiod-1, namespace: istio-system, labels: {app: istiod}}
spec: {containers: [{name: discovery}]}
status: {podIP: 10.0.9.1}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web, security.istio.io/tlsMode: istio}}
spec: {containers: [{name: app, ports: [{containerPort: 8080}]}, {name: istio-proxy}]}
status: {podIP: 10.0.1.1}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api, security.istio.io/tlsMode: istio}}
spec: {containers: [{name: app, ports: [{containerPort: 8080}]}, {name: istio-proxy}]}
status: {podIP: 10.0.1.2}
`;

/** the mesh with its shop namespace in ambient mode: no sidecars, ztunnel and waypoints carry the traffic */
const AMBIENT = MESH.replace(
  'metadata: {name: shop}',
  'metadata: {name: shop, labels: {istio.io/dataplane-mode: ambient}}',
).replaceAll(', {name: istio-proxy}', '');

const policy = (kind: string, namespace: string, name: string, spec: string): string =>
  `---\napiVersion: ${kind === 'NetworkPolicy' ? 'networking.k8s.io/v1' : 'security.istio.io/v1'}\nkind: ${kind}\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: ${spec}\n`;

describe('the shortcut is off wherever a change may reach every pair', () => {
  const denyAll = '{podSelector: {}, policyTypes: [Ingress, Egress]}';
  const cases: [string, string, string][] = [
    ['a NetworkPolicy in the istio namespace', MESH, MESH + policy('NetworkPolicy', 'istio-system', 'd', denyAll)],
    ['a NetworkPolicy in kube-system (kube-dns)', MESH, MESH + policy('NetworkPolicy', 'kube-system', 'd', denyAll)],
    [
      'an AuthorizationPolicy in the root namespace',
      MESH,
      MESH + policy('AuthorizationPolicy', 'istio-system', 'deny', '{action: DENY, rules: [{}]}'),
    ],
    ['a Pod', MESH, MESH.replace('app: api,', 'app: api2,')],
    [
      'a PeerAuthentication',
      MESH,
      MESH +
        policy('PeerAuthentication', 'shop', 'strict', '{mtls: {mode: STRICT}}').replace(
          'networking.k8s.io/v1',
          'security.istio.io/v1',
        ),
    ],
    [
      'two NetworkPolicies of one name',
      MESH + policy('NetworkPolicy', 'shop', 'd', denyAll) + policy('NetworkPolicy', 'shop', 'd', denyAll),
      MESH + policy('NetworkPolicy', 'shop', 'd', denyAll),
    ],
    ['an ambient namespace', AMBIENT, AMBIENT + policy('NetworkPolicy', 'shop', 'd', denyAll)],
  ];
  it.each(cases)('%s', (_, before, after) => {
    expect(workloadsAPolicyEditTouches(snapshotFromYaml(before), snapshotFromYaml(after))).toBeNull();
  });

  it('a NetworkPolicy selecting istiod outside the istio namespace', () => {
    const moved = MESH.replace(
      'namespace: istio-system, labels: {app: istiod}',
      'namespace: shop, labels: {app: istiod}',
    );
    const after =
      moved +
      policy('NetworkPolicy', 'shop', 'i', '{podSelector: {matchLabels: {app: istiod}}, policyTypes: [Egress]}');
    expect(workloadsAPolicyEditTouches(snapshotFromYaml(moved), snapshotFromYaml(after))).toBeNull();
  });

  it('while a NetworkPolicy on an ordinary workload touches that workload only', () => {
    const after =
      MESH + policy('NetworkPolicy', 'shop', 'w', '{podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}');
    expect(workloadsAPolicyEditTouches(snapshotFromYaml(MESH), snapshotFromYaml(after))).toEqual(
      new Set(['shop/Pod/web']),
    );
  });
});
