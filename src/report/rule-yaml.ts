/** The YAML of the rule a policy mention points at, looked up in the Snapshot. */
import yaml from 'js-yaml';
import type { Snapshot } from '../model/snapshot.js';
import type { PolicyMention } from '../engine/explanation.js';

function rawOf(snapshot: Snapshot, m: PolicyMention): unknown {
  switch (m.kind) {
    case 'NetworkPolicy':
      return snapshot.networkPolicies.find((p) => p.namespace === m.namespace && p.name === m.name)?.raw;
    case 'AdminNetworkPolicy':
      return snapshot.adminNetworkPolicies.find((p) => p.name === m.name)?.raw;
    case 'BaselineAdminNetworkPolicy':
      return snapshot.baselineAdminNetworkPolicy?.raw;
    case 'AuthorizationPolicy':
      return snapshot.istio.authorizationPolicies.find((p) => p.namespace === m.namespace && p.name === m.name)?.raw;
    case 'PeerAuthentication':
      return snapshot.istio.peerAuthentications.find((p) => p.namespace === m.namespace && p.name === m.name)?.raw;
    case 'RequestAuthentication':
      return snapshot.istio.requestAuthentications.find((p) => p.namespace === m.namespace && p.name === m.name)?.raw;
    default:
      return undefined;
  }
}

function sectionOf(m: PolicyMention): string | null {
  const match = /:(ingress|egress)(?:\[\d+\])?$/.exec(m.ruleRef);
  if (match) return match[1] as string;
  if (m.kind === 'AuthorizationPolicy') return 'rules';
  if (m.kind === 'RequestAuthentication') return 'jwtRules';
  return null;
}

/** YAML of the rule (or of the whole spec when the mention has no rule); null when unknown. */
export function ruleYaml(snapshot: Snapshot, m: PolicyMention): string | null {
  const raw = rawOf(snapshot, m) as { spec?: Record<string, unknown> } | undefined;
  const spec = raw?.spec;
  if (!spec) return null;
  const section = sectionOf(m);
  if (m.rule !== null && section) {
    const list = spec[section];
    const rule = Array.isArray(list) ? list[m.rule] : undefined;
    if (rule !== undefined) return yaml.dump({ [section]: [rule] }, { noRefs: true, lineWidth: 120 });
  }
  return yaml.dump({ spec }, { noRefs: true, lineWidth: 120 });
}
