/** The YAML of the rule a policy mention points at, looked up in the Snapshot. */
import yaml from 'js-yaml';
import type { Snapshot } from '../model/snapshot.js';
import { policyByKey, rawOfPolicy } from '../model/policy-index.js';
import { parseRuleRef, ruleSection } from '../model/rule-ref.js';
import type { PolicyMention } from '../engine/index.js';

function sectionOf(m: PolicyMention): string | null {
  const ref = parseRuleRef(m.ruleRef);
  const named = ref === null ? null : ruleSection(ref);
  if (named) return named.section;
  if (ref?.type === 'section' || ref?.type === 'calico') return ref.section;
  if (m.kind === 'AuthorizationPolicy') return 'rules';
  return null;
}

/** YAML of the rule (or of the whole spec when the mention has no rule); null when unknown. */
export function ruleYaml(snapshot: Snapshot, m: PolicyMention): string | null {
  const entry = policyByKey(snapshot, m.kind, m.namespace, m.name);
  const raw = (entry === null ? undefined : rawOfPolicy(entry)) as { spec?: Record<string, unknown> } | undefined;
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
