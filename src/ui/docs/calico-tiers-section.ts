/**
 * The pod detail's Calico section: the policies in force on the pod, by tier, in the order Calico
 * evaluates them (the engine's plan). Nothing when Calico is not in force.
 */
import type { Pod } from '../../model/k8s.js';
import type { Snapshot } from '../../model/snapshot.js';
import { calicoTiersInForce } from '../../engine/index.js';
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
  return out;
}
