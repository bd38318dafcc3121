/** A folder with only the L4 part of a case (workloads, namespaces, Services, NetworkPolicy, ANP/BANP), for both tools. */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, loadAll } from 'js-yaml';

const L4_KINDS = new Set([
  'v1/Namespace',
  'v1/Pod',
  'v1/Service',
  'v1/ReplicationController',
  'apps/v1/Deployment',
  'apps/v1/StatefulSet',
  'apps/v1/DaemonSet',
  'apps/v1/ReplicaSet',
  'batch/v1/Job',
  'batch/v1/CronJob',
  'networking.k8s.io/v1/NetworkPolicy',
  'policy.networking.k8s.io/v1alpha1/AdminNetworkPolicy',
  'policy.networking.k8s.io/v1alpha1/BaselineAdminNetworkPolicy',
]);

function objects(path: string): Record<string, unknown>[] {
  if (statSync(path).isDirectory())
    return readdirSync(path)
      .sort()
      .flatMap((f) => objects(join(path, f)));
  if (!/\.(ya?ml|json)$/.test(path)) return [];
  let docs: unknown[];
  try {
    docs = loadAll(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
  return docs.flatMap((d) => {
    if (typeof d !== 'object' || d === null) return [];
    const o = d as Record<string, unknown>;
    if (typeof o['kind'] === 'string' && o['kind'].endsWith('List') && Array.isArray(o['items']))
      return o['items'] as Record<string, unknown>[];
    return [o];
  });
}

/** Writes `out/l4.yaml`; returns how many objects it holds. */
export function writeL4Input(from: string, out: string): number {
  const kept = objects(from).filter((o) => L4_KINDS.has(`${String(o['apiVersion'])}/${String(o['kind'])}`));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'l4.yaml'), kept.map((o) => dump(o, { noRefs: true })).join('---\n'));
  return kept.length;
}
