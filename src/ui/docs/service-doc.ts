/**
 * `d` on a Service (kubectl describe service, plus what meshdbg knows): ports with their
 * targets, the selector, the pods it selects and the policies in force on each of them.
 */
import type { PodRow } from '../data/pod-rows.js';
import type { ServiceItem } from '../data/service-items.js';
import { line, type DocLine } from './doc.js';

export function serviceDoc(item: ServiceItem, rowsByKey: ReadonlyMap<string, PodRow>): DocLine[] {
  const out: DocLine[] = [
    line(`Service ${item.namespace}/${item.name}`, 'heading'),
    line(`type ${item.type}   clusterIP ${item.clusterIP}`),
    line(`selector ${item.selector}`),
    line(''),
    line('Ports (port/name->targetPort protocol)', 'heading'),
    ...(item.ports.length > 0 ? item.ports.map((p) => line(`  ${p}`)) : [line('  none', 'dim')]),
    line(''),
    line(`Pods selected (${item.pods.length})`, 'heading'),
  ];
  if (item.pods.length === 0) out.push(line('  none: requests to this Service have no endpoint', 'warning'));
  for (const key of item.pods) {
    const row = rowsByKey.get(key);
    if (!row) {
      out.push(line(`  ${key}`));
      continue;
    }
    const authz = row.authzPolicies.length > 0 ? row.authzPolicies.join(', ') : 'none';
    out.push(line(`  ${row.key}  ${row.workload}  mesh:${row.dataplane}  mtls:${row.mtls}`));
    out.push(line(`    NetworkPolicy isolation: ${row.isolation}   AuthorizationPolicies: ${authz}`, 'dim'));
  }
  return out;
}
