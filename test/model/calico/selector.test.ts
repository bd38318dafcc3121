import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MAX_SELECTOR_NESTING,
  calicoSelectorMatches,
  parseCalicoSelector,
  type CalicoSelectorNode,
} from '../../../src/model/calico/selector.js';
import { formatCalicoSelector } from '../../../src/model/calico/selector-format.js';

/** libcalico-go's own parser cases, copied as data (provenance inside the file). */
interface Cases {
  provenance: string;
  selectorTests: { selector: string; matches: Record<string, string>[]; nonMatches: Record<string, string>[] }[];
  badSelectors: string[];
  canonicalisationTests: { input: string; canonical: string }[];
}
const cases = JSON.parse(
  readFileSync(new URL('../../fixtures/calico/libcalico-go-selector-cases.json', import.meta.url), 'utf8'),
) as Cases;

function parsed(text: string): CalicoSelectorNode {
  const result = parseCalicoSelector(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.message} at column ${result.error.column}`);
  return result.node;
}

describe('Calico selectors: libcalico-go parser_test.go selectorTests', () => {
  it('has the published vectors', () => {
    expect(cases.provenance).toContain('libcalico-go/lib/selector/parser/parser_test.go');
    expect(cases.selectorTests.length).toBe(58);
  });
  for (const [n, c] of cases.selectorTests.entries()) {
    it(`#${n} ${JSON.stringify(c.selector)} matches and rejects as Calico does, before and after printing`, () => {
      const node = parsed(c.selector);
      const reparsed = parsed(formatCalicoSelector(node));
      for (const labels of c.matches) {
        expect(calicoSelectorMatches(node, labels), JSON.stringify(labels)).toBe(true);
        expect(calicoSelectorMatches(reparsed, labels)).toBe(true);
      }
      for (const labels of c.nonMatches) {
        expect(calicoSelectorMatches(node, labels), JSON.stringify(labels)).toBe(false);
        expect(calicoSelectorMatches(reparsed, labels)).toBe(false);
      }
    });
  }
});

describe('Calico selectors: badSelectors are rejected with a column inside the text', () => {
  for (const text of cases.badSelectors) {
    it(JSON.stringify(text), () => {
      const result = parseCalicoSelector(text);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.column).toBeGreaterThanOrEqual(1);
      expect(result.error.column).toBeLessThanOrEqual(text.length + 1);
      expect(result.error.message.length).toBeGreaterThan(0);
    });
  }
});

describe('Calico selectors: canonicalisationTests print as Selector.String() does and round-trip', () => {
  for (const c of cases.canonicalisationTests) {
    it(`${JSON.stringify(c.input)} -> ${c.canonical}`, () => {
      const canonical = formatCalicoSelector(parsed(c.input));
      expect(canonical).toBe(c.canonical);
      expect(formatCalicoSelector(parsed(canonical))).toBe(canonical);
    });
  }
});

describe('Calico selectors: columns point at the fault', () => {
  const at = (text: string): [number, string] => {
    const r = parseCalicoSelector(text);
    if (r.ok) throw new Error(`${text} parsed`);
    return [r.error.column, r.error.message];
  };
  it('an unterminated string points at its opening quote', () => {
    expect(at(`app == "web`)[0]).toBe(8);
  });
  it('a bare label points where the operator should be', () => {
    const [column, message] = at(`app == "web" && tier`);
    expect(column).toBe(21);
    expect(message).toContain('operator after label "tier"');
  });
  it('a single & points at itself', () => {
    expect(at(`a == "b" & c == "d"`)[0]).toBe(10);
  });
  it('label == label points at the second label', () => {
    expect(at(`b == b`)).toEqual([6, 'expected a quoted string, found label "b"']);
  });
  it('an unclosed ( names where it opened', () => {
    const [column, message] = at(`(a == "foo"`);
    expect(column).toBe(12);
    expect(message).toContain('column 1');
  });
  it('garbage after a complete expression points at it', () => {
    expect(at(`has(a) has(b)`)[0]).toBe(8);
  });
  it('an unexpected character points at it', () => {
    expect(at(`a == "b" || %`)[0]).toBe(13);
  });
  it('a label longer than 512 characters is refused (tokenizer.go MaxLabelLength)', () => {
    expect(at(`has(${'x'.repeat(513)})`)[1]).toContain('too long');
    expect(parseCalicoSelector(`has(${'x'.repeat(512)})`).ok).toBe(true);
  });
});

describe('Calico selectors: the projectcalico.org labels Calico adds to endpoints', () => {
  // projectcalico/calico:libcalico-go/lib/backend/k8s/conversion/workload_endpoint_default.go sets
  // projectcalico.org/namespace, /orchestrator and /serviceaccount on every pod's endpoint.
  const endpoint = {
    app: 'web',
    'projectcalico.org/namespace': 'shop',
    'projectcalico.org/orchestrator': 'k8s',
    'projectcalico.org/serviceaccount': 'web-sa',
  };
  it('selects by namespace, service account and prefix', () => {
    expect(calicoSelectorMatches(parsed(`projectcalico.org/namespace == 'shop' && app == 'web'`), endpoint)).toBe(true);
    expect(calicoSelectorMatches(parsed(`projectcalico.org/serviceaccount in {'web-sa', 'api-sa'}`), endpoint)).toBe(
      true,
    );
    expect(calicoSelectorMatches(parsed(`projectcalico.org/namespace starts with 'kube-'`), endpoint)).toBe(false);
  });
  it('not in and != pass when the label is missing; in and == fail', () => {
    expect(calicoSelectorMatches(parsed(`tier not in {'db'}`), endpoint)).toBe(true);
    expect(calicoSelectorMatches(parsed(`tier != 'db'`), endpoint)).toBe(true);
    expect(calicoSelectorMatches(parsed(`tier in {'db'}`), endpoint)).toBe(false);
    expect(calicoSelectorMatches(parsed(`tier == 'db'`), endpoint)).toBe(false);
  });
  it('the empty set is allowed and a trailing comma is accepted (parser.go set loop)', () => {
    expect(calicoSelectorMatches(parsed(`app in {}`), endpoint)).toBe(false);
    expect(formatCalicoSelector(parsed(`app in {'web',}`))).toBe(`app in {"web"}`);
  });
});

describe('deeply nested parentheses (hostile input): refused with a column, never a stack overflow', () => {
  const nested = (depth: number, inner: string): string => `${'('.repeat(depth)}${inner}${')'.repeat(depth)}`;

  it('128 levels parse and mean what the innermost expression means', () => {
    const node = parsed(nested(MAX_SELECTOR_NESTING, "app == 'web' && !has(canary)"));
    expect(calicoSelectorMatches(node, { app: 'web' })).toBe(true);
    expect(calicoSelectorMatches(node, { app: 'web', canary: '1' })).toBe(false);
  });

  it.each([MAX_SELECTOR_NESTING + 1, 5_000, 100_000])('%i levels: an error at the first ( too deep', (depth) => {
    const result = parseCalicoSelector(nested(depth, "app == 'web'"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.column).toBe(MAX_SELECTOR_NESTING + 1);
    expect(result.error.message).toContain(`more than ${MAX_SELECTOR_NESTING} deep`);
  });

  it('depth counts open parentheses, not the parentheses met so far', () => {
    const wide = Array.from({ length: 500 }, () => nested(100, 'has(a)')).join(' || ');
    expect(calicoSelectorMatches(parsed(wide), { a: '' })).toBe(true);
  });
});
