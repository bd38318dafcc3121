/**
 * One denial in full: who, what, the policy with the deciding rule highlighted,
 * the nearest miss for `matched policy none`, the fix, and the evidence lines.
 */
import type { Explanation, RuleMiss } from '../../engine/explanation.js';
import { policyItemKey, type PolicyItem } from '../data/policy-items.js';
import type { ShownDenial } from '../state/app-state.js';
import { stripControl } from '../sanitize.js';
import { line, type DocLine } from './doc.js';
import { policyDoc } from './policy-doc.js';
import { formatClock } from './time.js';

function nearestMissLines(misses: readonly RuleMiss[]): DocLine[] {
  const out: DocLine[] = [];
  for (const miss of misses) {
    const p = miss.policy;
    out.push(line(`  ${p.kind} ${p.namespace ?? ''}/${p.name} rule ${p.rule ?? '-'} (${p.ruleRef})`));
    for (const c of miss.clauses) {
      const mark = c.ok ? 'ok  ' : 'MISS';
      out.push(line(`    ${mark} ${c.field}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(c.actual)}`, c.ok ? 'dim' : 'error'));
    }
  }
  return out;
}

function fixLines(explanation: Explanation): DocLine[] {
  const out: DocLine[] = [];
  for (const fix of explanation.fix) {
    out.push(line(`  ${fix.action} ${fix.target.kind} ${fix.target.namespace ?? ''}/${fix.target.name}: ${fix.why}`, 'ok'));
    for (const t of fix.yaml.replace(/\n$/, '').split('\n')) out.push(line(`    ${t}`));
  }
  return out;
}

export function denialDoc(denial: ShownDenial, policies: readonly PolicyItem[]): DocLine[] {
  const s = (t: string): string => stripControl(t);
  const out: DocLine[] = [
    line(`${denial.enforcement} denial x${denial.count}  last ${formatClock(denial.time)}  first ${formatClock(denial.firstTime)}`, 'heading'),
    line(`${s(denial.source)} -> ${s(denial.destination)}  ${s(denial.request)}`),
    line(`layer ${denial.layer}   ruleRef ${denial.ruleRef === null ? 'none' : s(denial.ruleRef)}`),
  ];
  const mention = denial.policy;
  const item = mention ? policies.find((p) => policyItemKey(p) === policyItemKey(mention)) : undefined;
  if (mention && item) out.push(line(''), ...policyDoc(item, denial.ruleRef));
  else if (mention) out.push(line(`policy ${mention.kind} ${mention.namespace ?? ''}/${mention.name} is not in the Snapshot: the proxy enforces stale config`, 'warning'));
  else out.push(line('matched policy none: ALLOW policies exist and none matched (implicit default deny)', 'warning'));
  const explanation = denial.explanation;
  const misses = denial.nearestMiss ?? explanation?.nearestMiss ?? [];
  if (misses.length > 0) out.push(line(''), line('Nearest miss', 'heading'), ...nearestMissLines(misses));
  const nearest = mention === null ? misses[0]?.policy : undefined;
  const nearestItem = nearest ? policies.find((p) => policyItemKey(p) === policyItemKey(nearest)) : undefined;
  if (nearest && nearestItem) out.push(line(''), line('Nearest rule', 'heading'), ...policyDoc(nearestItem, nearest.ruleRef, 'nearest miss'));
  if (explanation && explanation.fix.length > 0) out.push(line(''), line('Fix', 'heading'), ...fixLines(explanation));
  out.push(line(''), line('Evidence', 'heading'), ...denial.evidence.map((e) => line(`  ${s(e)}`, 'dim')));
  return out;
}
