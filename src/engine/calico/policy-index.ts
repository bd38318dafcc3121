/**
 * Which Calico policies could select a pod, found without evaluating every selector (pure): namespaced
 * policies by namespace; each policy filed under one label its selector requires (`k == "v"` or
 * `k in {...}` at the top or inside a top-level `&&`; of several, the one the fewest endpoints
 * carry), so a pod is checked only against the policies whose required label it carries, plus
 * those without one. The result is the same set a
 * full scan gives (the full selector is still evaluated on every candidate).
 */
import type { CalicoPolicy } from '../../model/calico/policy.js';
import type { CalicoSelectorNode } from '../../model/calico/selector.js';
import type { Labels } from '../../model/k8s.js';

interface Bucket {
  /** `key=value` -> policies that require it */
  readonly byLabel: Map<string, CalicoPolicy[]>;
  /** policies no single label narrows down */
  readonly rest: CalicoPolicy[];
}

export interface CalicoPolicyIndex {
  readonly global: Bucket;
  readonly byNamespace: ReadonlyMap<string, Bucket>;
}

/** Each way the selector requires a label: a list of `key=value` one of which must be present. */
function requirements(node: CalicoSelectorNode): string[][] {
  switch (node.op) {
    case 'eq':
      return [[`${node.label}=${node.value}`]];
    case 'in':
      return [node.values.map((v) => `${node.label}=${v}`)];
    case 'and':
      return node.operands.flatMap(requirements);
    default:
      return [];
  }
}

/** The requirement the fewest endpoints meet (so the fewest candidates to check), or null. */
function narrowest(node: CalicoSelectorNode, endpoints: ReadonlyMap<string, number>): string[] | null {
  let best: string[] | null = null;
  let bestCount = Infinity;
  for (const keys of requirements(node)) {
    const count = keys.reduce((n, k) => n + (endpoints.get(k) ?? 0), 0);
    if (count < bestCount) [best, bestCount] = [keys, count];
  }
  return best;
}

function add(bucket: Bucket, policy: CalicoPolicy, endpoints: ReadonlyMap<string, number>): void {
  const keys = narrowest(policy.selector, endpoints);
  if (!keys) return void bucket.rest.push(policy);
  for (const key of keys) {
    const list = bucket.byLabel.get(key);
    if (list) list.push(policy);
    else bucket.byLabel.set(key, [policy]);
  }
}

const cache = new WeakMap<readonly CalicoPolicy[], CalicoPolicyIndex>();

/** `endpointLabels`: the labels of every endpoint, to count how many carry each label. */
export function calicoPolicyIndex(
  policies: readonly CalicoPolicy[],
  endpointLabels: () => Iterable<Labels>,
): CalicoPolicyIndex {
  const cached = cache.get(policies);
  if (cached) return cached;
  const endpoints = new Map<string, number>();
  for (const labels of endpointLabels())
    for (const [k, v] of Object.entries(labels)) endpoints.set(`${k}=${v}`, (endpoints.get(`${k}=${v}`) ?? 0) + 1);
  const global: Bucket = { byLabel: new Map(), rest: [] };
  const byNamespace = new Map<string, Bucket>();
  for (const p of policies) {
    if (p.namespace === null) add(global, p, endpoints);
    else {
      let bucket = byNamespace.get(p.namespace);
      if (!bucket) byNamespace.set(p.namespace, (bucket = { byLabel: new Map(), rest: [] }));
      add(bucket, p, endpoints);
    }
  }
  const index = { global, byNamespace };
  cache.set(policies, index);
  return index;
}

function fromBucket(bucket: Bucket | undefined, labels: Labels, out: Set<CalicoPolicy>): void {
  if (!bucket) return;
  for (const p of bucket.rest) out.add(p);
  if (bucket.byLabel.size === 0) return;
  for (const [k, v] of Object.entries(labels)) {
    const hits = bucket.byLabel.get(`${k}=${v}`);
    if (hits) for (const p of hits) out.add(p);
  }
}

/** The policies that may select an endpoint with these labels in this namespace (in no particular order: the tier walk sorts). */
export function candidatePolicies(index: CalicoPolicyIndex, namespace: string, labels: Labels): CalicoPolicy[] {
  const out = new Set<CalicoPolicy>();
  fromBucket(index.global, labels, out);
  fromBucket(index.byNamespace.get(namespace), labels, out);
  return [...out];
}
