/** One policy (Enter on a policy, or on a denial: the rule that decided highlighted). */
import { policyDoc } from '../docs/policy-doc.js';
import { findPolicy } from '../state/select.js';
import type { ViewDescriptor } from './descriptor.js';
import type { PolicyKey } from '../state/navigation.js';
import { showYamlKey } from './pod-keys.js';

/** The navigation entry of this view. */
export interface PolicyEntry {
  readonly view: 'policy';
  readonly cursor: number;
  readonly policy: PolicyKey;
  /** the rule to highlight (opened from a denial) */
  readonly ruleRef: string | null;
}

export const policyDetailView: ViewDescriptor<'policy'> = {
  id: 'policy',
  title: 'Policy',
  crumb: (entry) => `${entry.policy.kind}/${entry.policy.name}`,
  aliases: [],
  document: (data, _state, entry) => {
    const item = findPolicy(data, entry.policy);
    return item ? policyDoc(item, entry.ruleRef) : [];
  },
  keys: [showYamlKey()],
};
