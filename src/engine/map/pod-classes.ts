/**
 * Pod classes for `map`: pods that no policy, selector or peer can tell apart share one
 * signature, so the map evaluates each class pair once (README "map and diff": work grows
 * with classes, not pods). The signature keeps everything of a pod the engine reads except what
 * the policies cannot see: label keys no selector reads, and which address blocks hold its IP
 * rather than the IP itself.
 */
import type { Pod } from '../../model/k8s.js';
import { cidrContainsIp, parseIp } from '../../util/cidr.js';
import type { PolicyFacts } from './policy-facts.js';

function visibleLabels(labels: Readonly<Record<string, string>>, keys: ReadonlySet<string> | null): string[] {
  const entries = Object.entries(labels).filter(([k]) => keys === null || keys.has(k));
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`);
}

function addressBlocks(ip: string | null, facts: PolicyFacts): string {
  if (ip === null) return 'no-ip';
  const parsed = parseIp(ip);
  if (!parsed) return `unparsed:${ip}`;
  return facts.cidrs.map((c) => (cidrContainsIp(c, parsed) ? '1' : '0')).join('');
}

/** One string per class: equal strings mean the engine cannot answer differently for the two pods. */
export function podClassSignature(pod: Pod, facts: PolicyFacts): string {
  return JSON.stringify([
    pod.namespace,
    visibleLabels(pod.labels, facts.labelKeys),
    Object.entries(pod.annotations).sort(),
    pod.serviceAccount,
    pod.hostNetwork,
    pod.nodeName,
    pod.phase,
    pod.ready,
    pod.fromTemplate,
    pod.containers.map((c) => [c.name, c.restartPolicy, c.ports]),
    pod.initContainers.map((c) => [c.name, c.restartPolicy, c.ports]),
    addressBlocks(pod.ip, facts),
  ]);
}

export interface ClassIndex<T> {
  /** the class number of each item, in input order */
  readonly classOf: readonly number[];
  /** one representative per class */
  readonly representatives: readonly T[];
}

export function classify<T>(items: readonly T[], signature: (item: T) => string): ClassIndex<T> {
  const ids = new Map<string, number>();
  const representatives: T[] = [];
  const classOf = items.map((item) => {
    const key = signature(item);
    let id = ids.get(key);
    if (id === undefined) {
      id = representatives.length;
      ids.set(key, id);
      representatives.push(item);
    }
    return id;
  });
  return { classOf, representatives };
}
