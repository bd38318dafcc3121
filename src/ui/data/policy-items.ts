/**
 * Every policy of a Snapshot as one flat list for `:policies` and the policy view.
 */
import type { Snapshot } from '../../model/snapshot.js';
import { stripControl } from '../sanitize.js';

export interface PolicyItem {
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
  /** ALLOW/DENY for AuthorizationPolicy, mode for PeerAuthentication, directions for NetworkPolicy */
  readonly summary: string;
  readonly raw: unknown;
}

export function policyItemKey(p: { kind: string; namespace: string | null; name: string }): string {
  return `${p.kind}:${p.namespace ?? ''}/${p.name}`;
}

function npSummary(ingress: boolean, egress: boolean, rulesIn: number, rulesOut: number): string {
  const parts: string[] = [];
  if (ingress) parts.push(`ingress ${rulesIn} rules`);
  if (egress) parts.push(`egress ${rulesOut} rules`);
  return parts.join(', ');
}

export function buildPolicyItems(snapshot: Snapshot): PolicyItem[] {
  const items: PolicyItem[] = [];
  for (const np of snapshot.networkPolicies) {
    items.push({
      kind: 'NetworkPolicy',
      namespace: np.namespace,
      name: np.name,
      summary: npSummary(np.affectsIngress, np.affectsEgress, np.ingress.length, np.egress.length),
      raw: np.raw,
    });
  }
  for (const anp of snapshot.adminNetworkPolicies) {
    items.push({
      kind: anp.kind,
      namespace: null,
      name: anp.name,
      summary: `priority ${anp.priority ?? '-'}`,
      raw: anp.raw,
    });
  }
  const banp = snapshot.baselineAdminNetworkPolicy;
  if (banp) items.push({ kind: banp.kind, namespace: null, name: banp.name, summary: 'baseline', raw: banp.raw });
  for (const ap of snapshot.istio.authorizationPolicies) {
    const dry = ap.dryRun ? ' (dry-run)' : '';
    items.push({
      kind: 'AuthorizationPolicy',
      namespace: ap.namespace,
      name: ap.name,
      summary: `${ap.action} ${ap.rules.length} rules${dry}`,
      raw: ap.raw,
    });
  }
  for (const pa of snapshot.istio.peerAuthentications) {
    items.push({
      kind: 'PeerAuthentication',
      namespace: pa.namespace,
      name: pa.name,
      summary: pa.mode ?? 'UNSET',
      raw: pa.raw,
    });
  }
  for (const ra of snapshot.istio.requestAuthentications) {
    items.push({
      kind: 'RequestAuthentication',
      namespace: ra.namespace,
      name: ra.name,
      summary: `${ra.jwtRules.length} jwtRules`,
      raw: ra.raw,
    });
  }
  for (const u of snapshot.unmodelled) {
    items.push({ kind: u.kind, namespace: u.namespace, name: u.name, summary: 'not evaluated', raw: null });
  }
  return items.map((p) => ({
    ...p,
    name: stripControl(p.name),
    namespace: p.namespace === null ? null : stripControl(p.namespace),
    summary: stripControl(p.summary),
  }));
}
