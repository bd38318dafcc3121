/**
 * Seeded random AuthorizationPolicies over the bench's synthetic mesh names (namespaces ns-N,
 * apps web, api...): every source and operation field, not- forms, `when` keys known and unknown,
 * ALLOW/DENY/AUDIT, dry-run, with and without a selector, empty rules and empty entries.
 */
import type { RawObject } from '../../../src/model/raw.js';
import { seededRandom, type Random } from '../../../src/util/random.js';

export const NAMESPACES = 4;
const APPS = ['web', 'api', 'db', 'cache', 'worker', 'auth', 'search', 'queue', 'report', 'mail'];

function some<T>(rnd: Random, xs: readonly T[]): T[] {
  return xs.filter(() => rnd.next() < 0.35).slice(0, 3);
}

function principal(rnd: Random): string {
  const td = rnd.pick(['cluster.local', 'cluster.local', '*', 'other.domain']);
  return rnd.next() < 0.2 ? '*' : `${td}/ns/ns-${rnd.int(NAMESPACES)}/sa/${rnd.pick(APPS)}-sa`;
}

/** One `from` source or `to` operation: a few random fields, sometimes the not- form. */
function entry(rnd: Random, fields: Record<string, () => string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (rnd.next() < 0.6) continue;
    const key = rnd.next() < 0.3 ? `not${name[0]?.toUpperCase() ?? ''}${name.slice(1)}` : name;
    out[key] = Array.from({ length: 1 + rnd.int(2) }, value);
  }
  return out;
}

export function rule(rnd: Random): Record<string, unknown> {
  const source = {
    principals: () => principal(rnd),
    namespaces: () => rnd.pick([`ns-${rnd.int(NAMESPACES)}`, 'ns-*', '*']),
    serviceAccounts: () => `ns-${rnd.int(NAMESPACES)}/${rnd.pick(APPS)}-sa`,
    ipBlocks: () => rnd.pick(['10.0.0.0/24', '10.0.0.7', '10.1.0.0/16']),
    requestPrincipals: () => rnd.pick(['*', 'https://issuer/sub']),
  };
  const operation = {
    methods: () => rnd.pick(['GET', 'POST', '*']),
    paths: () => rnd.pick(['/api/*', '/api/orders', '*/x', '/admin/{*}']),
    ports: () => rnd.pick(['8080', '9090', '80']),
    hosts: () => rnd.pick(['*', 'api-svc*', '*.svc.cluster.local']),
  };
  const when = () => ({
    key: rnd.pick(['request.headers[x-team]', 'source.namespace', 'source.principal', 'destination.port', 'bad.key']),
    ...(rnd.next() < 0.7
      ? { values: some(rnd, ['a', 'b', 'ns-1', 'ns-2', '8080', 'cluster.local/ns/ns-0/sa/web-sa']) }
      : { notValues: ['a', 'ns-3'] }),
  });
  const out: Record<string, unknown> = {};
  if (rnd.next() < 0.7) out['from'] = Array.from({ length: 1 + rnd.int(2) }, () => ({ source: entry(rnd, source) }));
  if (rnd.next() < 0.6)
    out['to'] = Array.from({ length: 1 + rnd.int(2) }, () => ({ operation: entry(rnd, operation) }));
  if (rnd.next() < 0.4) out['when'] = [when()];
  return out;
}

export function authorizationPolicies(seed: number, count: number): RawObject[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, (_, a) => ({
    object: {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: {
        name: `ap-${a}`,
        namespace: `ns-${rnd.int(NAMESPACES)}`,
        ...(rnd.next() < 0.1 ? { annotations: { 'istio.io/dry-run': 'true' } } : {}),
      },
      spec: {
        ...(rnd.next() < 0.8 ? { selector: { matchLabels: { app: rnd.pick(APPS) } } } : {}),
        action: rnd.pick(['ALLOW', 'ALLOW', 'DENY', 'AUDIT']),
        rules: Array.from({ length: rnd.int(3) }, () => rule(rnd)),
      },
    },
    loc: null,
    lines: null,
  }));
}
