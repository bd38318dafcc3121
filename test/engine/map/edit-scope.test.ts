/**
 * A diff of two versions of one mesh evaluates only the pairs of workloads whose pods read something
 * changed (edit-scope.ts): on random edits of random worlds (policies, pod labels and addresses, pods
 * added and removed, namespace labels, Services) its changes must be exactly those of the diff that
 * evaluates every pair, both ways; and a mesh-wide difference, or a change to what istiod or kube-dns
 * read, must turn the shortcut off.
 */
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { planMap } from '../../../src/engine/map/connectivity-map.js';
import { changesOf, diffSources } from '../../../src/engine/map/diff-plans.js';
import { workloadsAnEditTouches } from '../../../src/engine/map/edit-scope.js';
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
  const touched = workloadsAnEditTouches(before, after);
  expect(touched).not.toBeNull();
  expect(changes(before, after, touched)).toEqual(changes(before, after));
  expect(changes(after, before, workloadsAnEditTouches(after, before))).toEqual(changes(after, before));
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

/** A sidecar world's documents with its NetworkPolicies and AuthorizationPolicies edited after another world's. */
function editedCaptureWorldDocs(seed: number): Doc[] {
  const { next } = seededRandom(seed * 7 + 1);
  const docs = yaml.loadAll(captureWorld(seed).yaml) as Doc[];
  const others = new Map(
    (yaml.loadAll(captureWorld(seed + 50).yaml) as Doc[]).filter(isPolicy).map((d) => [nameOf(d), d]),
  );
  const after = docs
    .map((d) => (isPolicy(d) && next() < 0.6 ? (others.get(nameOf(d)) ?? d) : d))
    .filter((d) => !isPolicy(d) || next() > 0.15);
  const added = [...others.values()].filter((d) => !docs.some((x) => nameOf(x) === nameOf(d)));
  return [...after, ...added];
}

function editedCaptureWorld(seed: number): { before: Snapshot; after: Snapshot } {
  return {
    before: snapshotFromYaml(captureWorld(seed).yaml),
    after: snapshotFromYaml(
      editedCaptureWorldDocs(seed)
        .map((d) => yaml.dump(d))
        .join('---\n'),
    ),
  };
}

const EDITS = ['pod labels', 'pod address', 'namespace labels', 'pod added', 'pod removed', 'Service added'] as const;
type Edit = (typeof EDITS)[number];

/**
 * `docs` with one edit of one kind that changes something (one kind at a time: a second edit that
 * touches more workloads could hide a pair the first one should have touched).
 */
function editedObjects(next: () => number, docs: readonly Doc[], edit: Edit): Doc[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const meta = (d: Doc): Record<string, unknown> => d['metadata'] as Record<string, unknown>;
  const labelsOf = (d: Doc): Record<string, string> => (meta(d)['labels'] ?? {}) as Record<string, string>;
  const pod = pick(docs.filter((d) => d['kind'] === 'Pod'));
  const replace = (target: Doc, by: Doc[]): Doc[] => docs.flatMap((d) => (d === target ? by : [d]));
  switch (edit) {
    case 'pod labels': {
      const app = pick(['web', 'api', 'db', 'new'].filter((a) => a !== labelsOf(pod)['app']));
      return replace(pod, [{ ...pod, metadata: { ...meta(pod), labels: { ...labelsOf(pod), app } } }]);
    }
    case 'pod address': {
      // inside and outside the address blocks the worlds' policies and annotations name
      const podIP = pick(['10.0.1.3', '10.0.2.9', '10.0.3.200', '10.1.0.5', '192.168.4.4']);
      return replace(pod, [{ ...pod, status: { ...(pod['status'] as object), podIP } }]);
    }
    case 'namespace labels': {
      const ns = pick(docs.filter((d) => d['kind'] === 'Namespace' && meta(d)['name'] !== 'istio-system'));
      const env = pick(['prod', 'dev', 'qa', null].filter((v) => v !== (labelsOf(ns)['env'] ?? null)));
      const { env: _, ...rest } = labelsOf(ns);
      return replace(ns, [{ ...ns, metadata: { ...meta(ns), labels: env === null ? rest : { ...rest, env } } }]);
    }
    case 'pod added':
      return [
        ...docs,
        {
          ...pod,
          metadata: { ...meta(pod), name: `${String(meta(pod)['name'])}-new` },
          status: { podIP: '10.0.3.77' },
        },
      ];
    case 'pod removed':
      return replace(pod, []);
    case 'Service added':
      return [
        ...docs,
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'svc', namespace: String(meta(pod)['namespace']) },
          spec: {
            selector: { app: labelsOf(pod)['app'] },
            ports: [{ name: pick(['http', 'tcp', 'grpc']), port: 80, targetPort: pick([80, 8080, 7070, 3306]) }],
          },
        },
      ];
  }
}

/** `count` seeds for each edit kind, as it.each cases. */
const editCases = (count: number): [Edit, number][] =>
  EDITS.flatMap((edit) => Array.from({ length: count }, (_, i): [Edit, number] => [edit, i + 1]));

const dump = (ds: readonly Doc[]): string => ds.map((d) => yaml.dump(d)).join('---\n');

describe('a diff of an edit evaluates only the workloads whose pods read something changed', () => {
  it.each(editCases(16))('NetworkPolicy worlds, %s, seed %i', (edit, seed) => {
    const { next } = seededRandom(seed + 1000);
    const docs = yaml.loadAll(worldYaml(generator(seed).policies())) as Doc[];
    agrees(snapshotFromYaml(dump(docs)), snapshotFromYaml(dump(editedObjects(next, docs, edit))));
  });

  it.each(editCases(8))('sidecar meshes, %s, and that with a policy edit, seed %i', (edit, seed) => {
    const { next } = seededRandom(seed + 2000);
    const docs = yaml.loadAll(captureWorld(seed).yaml) as Doc[];
    agrees(snapshotFromYaml(dump(docs)), snapshotFromYaml(dump(editedObjects(next, docs, edit))));
    const policyEdit = editedCaptureWorldDocs(seed);
    agrees(snapshotFromYaml(dump(docs)), snapshotFromYaml(dump(editedObjects(next, policyEdit, edit))));
  });

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
    const touched = workloadsAnEditTouches(before, after);
    const n2 = before.groups.filter((g) => g.namespace === 'n2').map((g) => `${g.namespace}/${g.kind}/${g.name}`);
    expect([...(touched ?? [])].sort()).toEqual(n2.sort());
    expect(n2.length).toBeLessThan(before.groups.length);
    expect(changes(before, after, touched).length).toBeGreaterThan(0);
    expect(changes(before, after, touched)).toEqual(changes(before, after));
  });

  it('a live pod whose containers restarted in between (status.containerStatuses[].restartCount) has nothing to evaluate', () => {
    const status = (restartCount: number): string =>
      `status: {podIP: 10.0.1.2, phase: Running, containerStatuses: [{name: app, ready: true, restartCount: ${restartCount}}]}`;
    const before = snapshotFromYaml(MESH.replace('status: {podIP: 10.0.1.2}', status(0)));
    const after = snapshotFromYaml(MESH.replace('status: {podIP: 10.0.1.2}', status(7)));
    expect(before.pods.find((p) => p.name === 'api')?.restarts).toBe(0);
    expect(after.pods.find((p) => p.name === 'api')?.restarts).toBe(7);
    expect(workloadsAnEditTouches(before, after)).toEqual(new Set());
    agrees(before, after);
  });

  it('an unchanged input read from another file, or in another order, has nothing to evaluate', () => {
    const policies = generator(3).policies();
    const before = snapshotFromYaml(worldYaml(policies), { file: 'old.yaml' });
    const after = snapshotFromYaml(worldYaml([...policies].reverse()), { file: 'new.yaml' });
    expect(workloadsAnEditTouches(before, after)).toEqual(new Set());
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

let namespaceEditsThatChange = 0;

describe('edits whose effect is on other pairs than the edited object names', () => {
  // a namespace's labels decide namespaceSelector peers of policies in other namespaces
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))(
    'namespace n1 relabelled, NetworkPolicy world seed %i',
    (seed) => {
      const docs = yaml.loadAll(worldYaml(generator(seed).policies())) as Doc[];
      const relabelled = docs.map((d) =>
        d['kind'] === 'Namespace' && (d['metadata'] as { name: string }).name === 'n1'
          ? { ...d, metadata: { name: 'n1', labels: { env: 'dev' } } }
          : d,
      );
      const before = snapshotFromYaml(dump(docs));
      const after = snapshotFromYaml(dump(relabelled));
      agrees(before, after);
      if (changes(before, after).length > 0) namespaceEditsThatChange++;
    },
  );
  it('some of those relabellings change answers (the cases are not vacuous)', () => {
    expect(namespaceEditsThatChange).toBeGreaterThan(0);
  });

  // a Service naming the port `http` makes it an HTTP port: an ALLOW rule on methods then admits GETs
  it('a Service that makes a port HTTP changes the pairs into its pods, and only those are evaluated', () => {
    const allowGet = policy(
      'AuthorizationPolicy',
      'shop',
      'api-get',
      '{selector: {matchLabels: {app: api}}, rules: [{to: [{operation: {methods: [GET]}}]}]}',
    );
    const service = `---\napiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec: {selector: {app: api}, ports: [{name: http, port: 80, targetPort: 8080}]}\n`;
    const before = snapshotFromYaml(MESH + allowGet);
    const after = snapshotFromYaml(MESH + allowGet + service);
    expect(workloadsAnEditTouches(before, after)).toEqual(new Set(['shop/Pod/api']));
    expect(changes(before, after).length).toBeGreaterThan(0);
    agrees(before, after);
  });
});

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
      'istiod itself (every sidecar reads it)',
      MESH,
      MESH.replace('labels: {app: istiod}', 'labels: {app: istiod, version: b}'),
    ],
    [
      'kube-dns added (every sidecar checks its DNS egress to it)',
      MESH,
      `${MESH}---\napiVersion: v1\nkind: Pod\nmetadata: {name: coredns-1, namespace: kube-system, labels: {k8s-app: kube-dns}}\nspec: {containers: [{name: coredns}]}\nstatus: {podIP: 10.0.9.53}\n`,
    ],
    [
      'two NetworkPolicies of one name',
      MESH + policy('NetworkPolicy', 'shop', 'd', denyAll) + policy('NetworkPolicy', 'shop', 'd', denyAll),
      MESH + policy('NetworkPolicy', 'shop', 'd', denyAll),
    ],
    ['an ambient namespace', AMBIENT, AMBIENT + policy('NetworkPolicy', 'shop', 'd', denyAll)],
  ];
  it.each(cases)('%s', (_, before, after) => {
    expect(workloadsAnEditTouches(snapshotFromYaml(before), snapshotFromYaml(after))).toBeNull();
  });

  it('policies changed in most namespaces (two unrelated inputs): every pair, without comparing each pod', () => {
    const namespaces = ['a', 'b', 'c', 'd'];
    const world = (changed: readonly string[]): string =>
      namespaces
        .map(
          (ns) =>
            `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ${ns}, labels: {app: p}}\nspec: {containers: [{name: c}]}\nstatus: {podIP: 10.0.${namespaces.indexOf(ns)}.1}\n` +
            policy(
              'NetworkPolicy',
              ns,
              'np',
              changed.includes(ns)
                ? '{podSelector: {}, policyTypes: [Ingress]}'
                : '{podSelector: {}, policyTypes: [Egress]}',
            ),
        )
        .join('');
    const before = snapshotFromYaml(world([]));
    expect(workloadsAnEditTouches(before, snapshotFromYaml(world(['a', 'b', 'c'])))).toBeNull();
    // half of them is still an edit: the pods of those namespaces only
    const half = snapshotFromYaml(world(['a', 'b']));
    expect(workloadsAnEditTouches(before, half)).toEqual(new Set(['a/Pod/p', 'b/Pod/p']));
    agrees(before, half);
  });

  it('a NetworkPolicy selecting istiod outside the istio namespace', () => {
    const moved = MESH.replace(
      'namespace: istio-system, labels: {app: istiod}',
      'namespace: shop, labels: {app: istiod}',
    );
    const after =
      moved +
      policy('NetworkPolicy', 'shop', 'i', '{podSelector: {matchLabels: {app: istiod}}, policyTypes: [Egress]}');
    expect(workloadsAnEditTouches(snapshotFromYaml(moved), snapshotFromYaml(after))).toBeNull();
  });

  it('while a NetworkPolicy on an ordinary workload touches that workload only', () => {
    const after =
      MESH + policy('NetworkPolicy', 'shop', 'w', '{podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}');
    expect(workloadsAnEditTouches(snapshotFromYaml(MESH), snapshotFromYaml(after))).toEqual(new Set(['shop/Pod/web']));
  });
});
