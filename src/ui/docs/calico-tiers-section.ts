/**
 * The pod detail's Calico section: the policies in force on the pod, by tier, in the order Calico
 * evaluates them (the engine's plan). Nothing when Calico is not in force.
 */
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { calicoTiersInForce, serviceAccountLabels } from '../../engine/index.js';
import { stripControl } from '../sanitize.js';
import { line, type DocLine } from './doc.js';

export function calicoTierLines(snapshot: Snapshot, pod: Pod): DocLine[] {
  const tiers = calicoTiersInForce(snapshot, pod);
  if (tiers === null) return [];
  const out = [line('Calico policies in force, by tier', 'heading')];
  if (tiers.length === 0) out.push(line('  none select it', 'dim'));
  for (const t of tiers) {
    out.push(line(`  tier ${stripControl(t.tier)} (order ${t.order ?? 'none'}, end of tier: ${t.defaultAction})`));
    for (const p of t.ingress) out.push(line(`    ingress ${stripControl(p)}`));
    for (const p of t.egress) out.push(line(`    egress  ${stripControl(p)}`));
  }
  out.push(line(`  then profile kns.${stripControl(pod.namespace)} allows`, 'dim'));
  return [...out, serviceAccountLine(snapshot, pod)];
}

/**
 * What `serviceAccounts.selector` and `serviceAccountSelector` see: the labels of the pod's
 * ServiceAccount, which Calico's `ksa.NS.NAME` profile carries as `pcsa.*`
 * (projectcalico/calico libcalico-go/lib/backend/k8s/conversion/conversion.go ServiceAccountToProfile).
 */
function serviceAccountLine(snapshot: Snapshot, pod: Pod): DocLine {
  const name = stripControl(`${pod.namespace}/${pod.serviceAccount}`);
  const { labels, complete } = serviceAccountLabels(snapshot, pod);
  if (!complete)
    return line(`  ServiceAccount ${name} is not in the input: its labels are unknown to serviceAccount selectors`, 'warning');
  const shown = Object.entries(labels).map(([k, v]) => stripControl(`${k}=${v}`));
  return line(`  ServiceAccount ${name} labels (serviceAccount selectors): ${shown.join(', ')}`);
}
