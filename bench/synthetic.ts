/**
 * Synthetic clusters for the benchmarks: N pods in N/50 namespaces, N/2 NetworkPolicies
 * (deny-all + allow rules with AND/OR peers, named ports, ipBlocks), a share of
 * AuthorizationPolicies, PeerAuthentications and Services. Deterministic (seeded).
 */
import type { RawObject } from '../src/model/raw.js';
import { seededRandom } from '../src/util/random.js';

export interface ClusterSize {
  readonly pods: number;
  readonly networkPolicies: number;
  readonly authorizationPolicies: number;
  /** ambient mode instead of sidecars: namespaces labelled dataplane-mode ambient, every other one with a waypoint */
  readonly ambient?: boolean;
}

/** The namespace labels and the waypoint Gateway (every other namespace) of an ambient synthetic cluster. */
function ambientNamespace(ns: string, n: number): { labels: Record<string, string>; waypoint: RawObject | null } {
  const withWaypoint = n % 2 === 1;
  return {
    labels: {
      'istio.io/dataplane-mode': 'ambient',
      ...(withWaypoint ? { 'istio.io/use-waypoint': 'waypoint' } : {}),
    },
    waypoint: withWaypoint
      ? raw({
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'Gateway',
          metadata: { name: 'waypoint', namespace: ns, labels: { 'istio.io/waypoint-for': 'service' } },
          spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
        })
      : null,
  };
}

/** the seeded PRNG of src/util/random.ts, as a bare function */
export function prng(seed: number): () => number {
  return seededRandom(seed).next;
}

const raw = (object: Record<string, unknown>): RawObject => ({ object, loc: null, lines: null });

export function syntheticCluster(
  size: ClusterSize,
  seed = 42,
): { objects: RawObject[]; pairs: [string, string, number][] } {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const namespaces = Math.max(2, Math.round(size.pods / 50));
  const apps = ['web', 'api', 'db', 'cache', 'worker', 'auth', 'search', 'queue', 'report', 'mail'];
  const objects: RawObject[] = [];
  const podNames: string[] = [];
  objects.push(
    raw({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'istio-system', labels: { 'kubernetes.io/metadata.name': 'istio-system' } },
    }),
  );
  for (let n = 0; n < namespaces; n++) {
    const ns = `ns-${n}`;
    const amb = size.ambient ? ambientNamespace(ns, n) : null;
    objects.push(
      raw({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: ns,
          labels: {
            team: `t${n % 7}`,
            env: n % 2 ? 'prod' : 'dev',
            ...(amb?.labels ?? { 'istio-injection': 'enabled' }),
          },
        },
      }),
    );
    if (amb?.waypoint) objects.push(amb.waypoint);
  }
  for (let i = 0; i < size.pods; i++) {
    const ns = `ns-${i % namespaces}`;
    const app = apps[i % apps.length] as string;
    const name = `${app}-${i}`;
    podNames.push(`${ns}/${name}`);
    objects.push(
      raw({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: ns,
          labels: {
            app,
            tier: i % 3 ? 'backend' : 'frontend',
            version: `v${i % 2}`,
            'security.istio.io/tlsMode': 'istio',
          },
        },
        spec: {
          serviceAccountName: `${app}-sa`,
          containers: [
            {
              name: app,
              ports: [
                { name: 'http', containerPort: 8080 },
                { name: 'metrics', containerPort: 9090 },
              ],
            },
            ...(size.ambient ? [] : [{ name: 'istio-proxy' }]),
          ],
        },
        status: { podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, phase: 'Running' },
      }),
    );
  }
  for (let n = 0; n < namespaces; n++) {
    const ns = `ns-${n}`;
    for (const app of apps.slice(0, 3)) {
      objects.push(
        raw({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `${app}-svc`, namespace: ns },
          spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
        }),
      );
    }
  }
  for (let p = 0; p < size.networkPolicies; p++) {
    const ns = `ns-${p % namespaces}`;
    const app = pick(apps);
    const kind = p % 5;
    const spec =
      kind === 0
        ? { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }
        : {
            podSelector: { matchLabels: { app } },
            policyTypes: kind === 4 ? ['Egress'] : ['Ingress'],
            [kind === 4 ? 'egress' : 'ingress']: [
              {
                [kind === 4 ? 'to' : 'from']: [
                  {
                    namespaceSelector: { matchLabels: { team: `t${p % 7}` } },
                    podSelector: { matchLabels: { app: pick(apps) } },
                  },
                  { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend'] }] } },
                  ...(kind === 3 ? [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] : []),
                ],
                ports: [
                  { protocol: 'TCP', port: kind === 2 ? 'http' : 8080 },
                  { protocol: 'TCP', port: 9000, endPort: 9100 },
                ],
              },
            ],
          };
    objects.push(
      raw({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `np-${p}`, namespace: ns },
        spec,
      }),
    );
  }
  for (let a = 0; a < size.authorizationPolicies; a++) {
    const ns = `ns-${a % namespaces}`;
    const action = a % 4 === 0 ? 'DENY' : 'ALLOW';
    objects.push(
      raw({
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: `ap-${a}`, namespace: ns },
        spec: {
          selector: { matchLabels: { app: pick(apps) } },
          action,
          rules: [
            {
              from: [{ source: { principals: [`cluster.local/ns/${ns}/sa/${pick(apps)}-sa`] } }],
              to: [{ operation: { methods: ['GET'], paths: ['/api/*'] } }],
            },
            {
              from: [{ source: { namespaces: [`ns-${(a + 1) % namespaces}`] } }],
              when: [{ key: 'request.headers[x-team]', values: ['a', 'b'] }],
            },
          ],
        },
      }),
    );
  }
  const pairs: [string, string, number][] = [];
  for (let q = 0; q < 2000; q++) pairs.push([pick(podNames), pick(podNames), pick([8080, 9090, 9050, 80])]);
  return { objects, pairs };
}

/**
 * `count` random pod pairs and ports of a synthetic cluster, drawn with `seed`: with a seed no
 * other phase used, pairs the engine has not answered before (distinct pairs, not warm repeats).
 */
export function podPairs(objects: readonly RawObject[], count: number, seed: number): [string, string, number][] {
  const rnd = prng(seed);
  const pods = objects
    .filter((o) => o.object['kind'] === 'Pod')
    .map((o) => {
      const m = o.object['metadata'] as { namespace: string; name: string };
      return `${m.namespace}/${m.name}`;
    });
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const pairs: [string, string, number][] = [];
  for (let q = 0; q < count; q++) pairs.push([pick(pods), pick(pods), pick([8080, 9090, 9050, 80])]);
  return pairs;
}

/** Calico policies for bench/calico.ts: in 4 tiers (security, platform, apps, default), half global. */
const CALICO_APPS = ['web', 'api', 'db', 'cache', 'worker', 'auth', 'search', 'queue', 'report', 'mail'];
const TIERS: readonly [string, number | null][] = [
  ['security', 100],
  ['platform', 200],
  ['apps', 300],
  ['default', null],
];

function rules(rnd: () => number, pass: boolean): Record<string, unknown>[] {
  const app = (): string => CALICO_APPS[Math.floor(rnd() * CALICO_APPS.length)] as string;
  const out: Record<string, unknown>[] = [
    {
      action: 'Deny',
      protocol: 'TCP',
      source: { namespaceSelector: `team == "t${Math.floor(rnd() * 7)}"` },
      destination: { ports: [22] },
    },
    {
      action: 'Allow',
      protocol: 'TCP',
      source: { selector: `app == "${app()}"` },
      destination: { ports: [8080, '9000:9100'] },
    },
    { action: 'Log', source: { nets: ['10.0.0.0/8'] } },
    { action: 'Allow', protocol: 'TCP', source: { selector: `app in {"${app()}", "${app()}"} && tier == "frontend"` } },
  ];
  return pass ? [...out, { action: 'Pass' }] : out;
}

/** `count` Calico policies spread over the four tiers, half global, half in a namespace. */
export function calicoObjects(count: number, namespaces: number, seed = 7): RawObject[] {
  const rnd = prng(seed);
  const objects: RawObject[] = TIERS.filter(([, order]) => order !== null).map(([name, order]) =>
    raw({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name }, spec: { order } }),
  );
  for (let i = 0; i < count; i++) {
    const [tier] = TIERS[i % TIERS.length] as [string, number | null];
    const global = i % 2 === 0;
    const app = CALICO_APPS[Math.floor(rnd() * CALICO_APPS.length)] as string;
    const name = `${tier === 'default' ? '' : `${tier}.`}p-${i}`;
    objects.push(
      raw({
        apiVersion: 'projectcalico.org/v3',
        kind: global ? 'GlobalNetworkPolicy' : 'NetworkPolicy',
        metadata: global ? { name } : { name, namespace: `ns-${i % namespaces}` },
        spec: {
          tier,
          order: i % 5 === 0 ? undefined : Math.floor(rnd() * 1000),
          selector: global
            ? `app == "${app}" && projectcalico.org/namespace == "ns-${i % namespaces}"`
            : `app == "${app}"`,
          types: ['Ingress'],
          ingress: rules(rnd, tier !== 'default'),
        },
      }),
    );
  }
  return objects;
}
