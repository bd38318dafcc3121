/**
 * A deny policy the reader leaves out turns a denied flow into a confident "allowed". Two ways it
 * was left out without a word from explain (lint showed an info or a warning; explain shows
 * neither): a NetworkPolicy inside a `kind: List` inside a `kind: List` (kubectl flattens such
 * Lists, cli-runtime FlattenListVisitor), and a policy whose `kind:` is misspelt `Kind:` (kubectl
 * refuses it: "Object 'Kind' is missing"). Now the first is read and the second is exit 2.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixture, hasStackTrace, runCli } from './cli-harness.js';

beforeAll(() => ensureBuilt(), 120_000);

const DENY_ALL_EGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec: {podSelector: {}, policyTypes: [Egress]}`;

function withExtra(extra: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshdbg-doc-shapes-'));
  writeFileSync(join(dir, 'world.yaml'), readFileSync(fixture('world.yaml'), 'utf8'));
  writeFileSync(join(dir, 'extra.yaml'), extra);
  return dir;
}

const explain = (dir: string) => runCli(['explain', 'shop/frontend', 'shop/backend', '--port', '80', '--from', dir]);

describe('policies the reader used to leave out', () => {
  it('the world alone is allowed (the baseline of the cases below)', () => {
    expect(explain(withExtra('')).code).toBe(0);
  });

  it('a deny-all-egress NetworkPolicy in a List inside a List denies', () => {
    const nested = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - ${DENY_ALL_EGRESS.replace(/\n/g, '\n    ')}\n`;
    const r = explain(withExtra(nested));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NetworkPolicy shop/deny-all');
  });

  it('the same policy with `Kind:` misspelt is exit 2 naming file, line and the missing field', () => {
    const r = explain(withExtra(DENY_ALL_EGRESS.replace('kind:', 'Kind:')));
    expect(r.code).toBe(2);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(r.stderr).toMatch(/extra\.yaml:1: document 1 has no kind .*Object 'Kind' is missing/);
  });

  it('a List whose items are a map, not a list, is exit 2 naming the field', () => {
    const r = explain(withExtra(`apiVersion: v1\nkind: List\nitems:\n  ${DENY_ALL_EGRESS.replace(/\n/g, '\n  ')}\n`));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('extra.yaml:1: document 1: items is an object, not a list of objects');
  });

  it.each([
    ['extensions/v1beta1', 'NetworkPolicy', 'removed in Kubernetes 1.16'],
    ['networking.k8s.io/v1', 'NetworkPolicies', 'write kind: NetworkPolicy'],
  ])('a deny-all-egress %s %s (kubectl: "no matches for kind") is exit 2 with the fix', (apiVersion, kind, fix) => {
    const policy = DENY_ALL_EGRESS.replace('networking.k8s.io/v1', apiVersion).replace(
      'kind: NetworkPolicy',
      `kind: ${kind}`,
    );
    const r = explain(withExtra(policy));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/extra\.yaml:1: .*no matches for kind/);
    expect(r.stderr).toContain(fix);
  });

  it('the same policy with `policyType:` misspelt (kubectl: unknown field) is exit 2 naming line, field and fix', () => {
    const r = explain(withExtra(DENY_ALL_EGRESS.replace('policyTypes:', 'policyType:')));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /extra\.yaml:4: NetworkPolicy shop\/deny-all: spec\.policyType: unknown field .*did you mean policyTypes\?/,
    );
  });
});
