/** One denial (Enter on a denial row): the correlator's evidence, the policy that decided, the ALLOW policies in force. */
import { denialDoc } from '../docs/denial-doc.js';
import { allowPoliciesOn } from '../state/select.js';
import type { ViewDescriptor } from './descriptor.js';
import { explainDenialKey } from './denials-view.js';

/** The navigation entry of this view. */
export interface DenialEntry {
  readonly view: 'denial';
  readonly cursor: number;
  /** the correlator's denial id */
  readonly denial: string;
}

export const denialDetailView: ViewDescriptor<'denial'> = {
  id: 'denial',
  title: 'Denial detail',
  crumb: () => 'denial',
  aliases: [],
  document: (data, state, entry) => {
    const denial = state.denials.find((d) => d.id === entry.denial);
    return denial ? denialDoc(denial, data.policies, allowPoliciesOn(data, denial.destination)) : [];
  },
  keys: [explainDenialKey],
};
