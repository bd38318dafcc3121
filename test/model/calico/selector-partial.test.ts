/**
 * Calico selectors over labels known only in part (a ServiceAccount that is not in the input: only
 * projectcalico.org/name is known). The selector semantics are libcalico-go's
 * (projectcalico/calico:libcalico-go/lib/selector/parser/ast.go Evaluate); over unknown labels each
 * comparison may go either way, so the answer is Kleene's three-valued one.
 */
import { describe, expect, it } from 'vitest';
import { calicoSelectorMatchesPartly, parseCalicoSelector } from '../../../src/model/calico/selector.js';

function partly(selector: string, labels: Record<string, string>, complete = false): boolean | 'unknown' {
  const parsed = parseCalicoSelector(selector);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return calicoSelectorMatchesPartly(parsed.node, labels, complete);
}

const NAME = { 'projectcalico.org/name': 'web-sa' };

describe('calicoSelectorMatchesPartly', () => {
  it.each([
    ['projectcalico.org/name == "web-sa"', true],
    ['projectcalico.org/name != "web-sa"', false],
    ['projectcalico.org/name in {"a", "web-sa"}', true],
    ['has(projectcalico.org/name)', true],
    ['all()', true],
    ['role == "front"', 'unknown'],
    ['!has(role)', 'unknown'],
    ['role not in {"x"}', 'unknown'],
    ['role == "front" && projectcalico.org/name == "other"', false],
    ['role == "front" || projectcalico.org/name == "web-sa"', true],
    ['role == "front" || projectcalico.org/name == "other"', 'unknown'],
    ['!(role == "front" && projectcalico.org/name == "other")', true],
    ['!(role == "front")', 'unknown'],
  ] as const)('%s over the name alone: %s', (selector, expected) => {
    expect(partly(selector, NAME)).toBe(expected);
  });

  it('with complete labels an absent label is absent, as calicoSelectorMatches has it', () => {
    expect(partly('role == "front"', NAME, true)).toBe(false);
    expect(partly('!has(role)', NAME, true)).toBe(true);
    expect(partly('role not in {"x"}', NAME, true)).toBe(true);
  });
});
