/**
 * How a rule miss names the ServiceAccount its serviceAccounts.selector read (pure): its labels as
 * the pod's `ksa.<ns>.<sa>` profile carries them (projectcalico/calico:libcalico-go/lib/backend/k8s/
 * conversion/conversion.go ServiceAccountToProfile), or that it is not in the input.
 */
import type { CalicoEntityRule } from '../../model/calico/policy.js';
import type { CalicoPeer } from './rule-match.js';

const NAME_LABEL = 'projectcalico.org/name';

/** ` (ServiceAccount ns/sa labels k=v,...)` when the entity has a serviceAccounts.selector, else ''. */
export function serviceAccountSuffix(e: CalicoEntityRule, peer: CalicoPeer | undefined): string {
  if (!e.serviceAccountSelector || !peer?.serviceAccount || !peer.serviceAccountLabels) return '';
  const who = `ServiceAccount ${peer.namespace ?? ''}/${peer.serviceAccount}`;
  if (!peer.serviceAccountLabelsComplete) return ` (${who}, not in the input)`;
  const labels = Object.entries(peer.serviceAccountLabels)
    .filter(([k]) => k !== NAME_LABEL)
    .map(([k, v]) => `${k}=${v}`);
  return ` (${who} ${labels.length ? `labels ${labels.join(',')}` : 'without labels'})`;
}
