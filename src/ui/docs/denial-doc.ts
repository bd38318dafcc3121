/**
 * One denial in full: who, what, the policy with the deciding rule highlighted,
 * the nearest miss for `matched policy none`, the fix, and the evidence lines.
 */
import { formatRuleRef, NO_RULE } from '../../model/rule-ref.js';
import { fixLines, policyLabel, ruleMissLines } from '../../report/explanation-parts.js';
import { policyItemKey, type PolicyItem } from '../data/policy-items.js';
import type { ShownDenial } from '../state/app-state.js';
import { stripControl } from '../sanitize.js';
import { line, type DocLine } from './doc.js';
import { policyDoc } from './policy-doc.js';
import { formatClock } from './time.js';

/** For `matched policy none`: the ALLOW policies selecting the destination, any of which would have had to match. */
function allowInForceLines(allowInForce: readonly PolicyItem[]): DocLine[] {
  if (allowInForce.length === 0) return [];
  return [
    line(''),
    line('ALLOW policies in force on the destination (none matched)', 'heading'),
    ...allowInForce.map((p) => line(`  ${policyLabel({ ...p, rule: null })}  ${p.summary}`)),
  ];
}

export function denialDoc(
  denial: ShownDenial,
  policies: readonly PolicyItem[],
  allowInForce: readonly PolicyItem[] = [],
): DocLine[] {
  const s = (t: string): string => stripControl(t);
  const out: DocLine[] = [
    line(`${denial.enforcement} denial x${denial.count}  last ${formatClock(denial.time)}  first ${formatClock(denial.firstTime)}`, 'heading'),
    line(`${s(denial.source)} -> ${s(denial.destination)}  ${s(denial.request)}`),
    line(`layer ${denial.layer}   ruleRef ${s(denial.ruleRef ?? formatRuleRef(NO_RULE))}`),
  ];
  const mention = denial.policy;
  const item = mention ? policies.find((p) => policyItemKey(p) === policyItemKey(mention)) : undefined;
  if (mention && item) out.push(line(''), ...policyDoc(item, denial.ruleRef));
  else if (mention) out.push(line(`policy ${mention.kind} ${mention.namespace ?? ''}/${mention.name} is not in the Snapshot: the proxy enforces stale config`, 'warning'));
  else {
    out.push(line('matched policy none: ALLOW policies exist and none matched (implicit default deny)', 'warning'));
    out.push(...allowInForceLines(allowInForce));
  }
  const explanation = denial.explanation;
  const misses = denial.nearestMiss ?? explanation?.nearestMiss ?? [];
  if (misses.length > 0) out.push(line(''), line('Nearest miss', 'heading'), ...ruleMissLines(misses, '  '));
  const nearest = mention === null ? misses[0]?.policy : undefined;
  const nearestItem = nearest ? policies.find((p) => policyItemKey(p) === policyItemKey(nearest)) : undefined;
  if (nearest && nearestItem) out.push(line(''), line('Nearest rule', 'heading'), ...policyDoc(nearestItem, nearest.ruleRef, 'nearest miss'));
  if (explanation && explanation.fix.length > 0) out.push(line(''), line('Fix', 'heading'), ...fixLines(explanation.fix));
  out.push(line(''), line('Evidence', 'heading'), ...denial.evidence.map((e) => line(`  ${s(e)}`, 'dim')));
  return out;
}
