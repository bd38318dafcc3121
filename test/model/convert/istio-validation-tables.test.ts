/**
 * Istio's own validation tables as lint fixtures: `meshdbg lint` says error exactly where Istio's
 * table says invalid.
 * - webhook-cases.json: istio/istio pkg/config/validation/validation_test.go (TestValidateAuthorizationPolicy,
 *   TestValidateRequestAuthentication, TestValidatePeerAuthentication, TestValidateSidecar), the Go literals in wire form
 *   (scripts/istio-validation-cases). Where the webhook decodes the YAML form into something else
 *   (`webhookDecodes`: jsonpb reads `from: []` as no `from`), the expectation is Istio's own
 *   validation of what it decodes, stated beside the case.
 * - crds/*-invalid.yaml, *-valid.yaml: istio/istio pkg/config/validation/testdata/crds, the CRD
 *   schema and CEL tests (pkg/config/validation/openapi_test.go): `_err` is the API server's message.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { lintFindings } from '../../../src/commands/lint.js';
import { istCode } from '../../../src/model/findings.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { admittedByCluster } from '../../../src/model/convert/istio-validate.js';

const DIR = join(import.meta.dirname, '../../fixtures/istio-validation');

interface TableCase {
  readonly test: string;
  readonly name: string;
  readonly valid: boolean;
  readonly warning: boolean;
  readonly webhookDecodes?: unknown;
  readonly webhookValid?: boolean;
  readonly object: Record<string, unknown>;
}

const table = JSON.parse(readFileSync(join(DIR, 'webhook-cases.json'), 'utf8')) as {
  source: string;
  cases: TableCase[];
};

function lint(object: unknown) {
  const snapshot = snapshotFromYaml(JSON.stringify(object), { file: 'case.yaml' });
  return lintFindings(snapshot, snapshot.findings);
}

const errorsOf = (object: unknown) => lint(object).filter((f) => f.severity === 'error');

describe(`Istio's validation tables (${table.source})`, () => {
  it('holds the four tables', () => {
    expect(new Set(table.cases.map((c) => c.test)).size).toBe(4);
    expect(table.cases.length).toBeGreaterThan(100);
  });

  it.each(table.cases.map((c) => [`${c.test} "${c.name}"`, c] as const))('%s', (_, c) => {
    const expectValid = c.webhookDecodes === undefined ? c.valid : c.webhookValid;
    const errors = errorsOf(c.object);
    expect(
      errors.map((f) => `${f.code}: ${f.message}`),
      'errors',
    ).toEqual(expectValid ? [] : expect.arrayContaining([expect.any(String)]));
    // each rejection names the rule that rejects it
    for (const e of errors)
      expect(e.message).toMatch(
        /\((istiod Validate\w+, istio\/istio pkg\/config\/validation\/validation\.go|API server: CRD schema, istio\/api .*)\)$/,
      );
    // the webhook's warnings are IST0133 warnings, exactly where the table expects one
    if (expectValid)
      expect(lint(c.object).some((f) => f.severity === 'warning' && istCode(f.code) === 'IST0133')).toBe(c.warning);
  });
});

interface CrdDoc {
  readonly err: string;
  readonly name: string;
  readonly object: Record<string, unknown>;
}

/** The documents of a testdata/crds file without `_err` (the expected message), in namespace default. */
function crdDocs(file: string): CrdDoc[] {
  const docs = yaml.loadAll(readFileSync(join(DIR, 'crds', file), 'utf8')) as (Record<string, unknown> | null)[];
  return docs.flatMap((d) => {
    if (!d) return [];
    const { _err, ...object } = d;
    const metadata: Record<string, unknown> = { namespace: 'default', ...(object['metadata'] as object) };
    return [{ err: String(_err ?? ''), name: String(metadata['name']), object: { ...object, metadata } }];
  });
}

describe.each(['authz', 'peerauth', 'reqauth'])("Istio's CRD schema tests: %s", (kind) => {
  it.each(crdDocs(`${kind}-invalid.yaml`).map((d) => [`${d.name} (${d.err})`, d] as const))('rejects %s', (_, d) => {
    expect(errorsOf(d.object).length).toBeGreaterThan(0);
  });

  it(`accepts every object of ${kind}-valid.yaml`, () => {
    const docs = crdDocs(`${kind}-valid.yaml`);
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) expect(errorsOf(d.object).map((f) => f.message)).toEqual([]);
  });
});

describe('objects a live cluster admitted', () => {
  it('an admission error becomes a warning that says so; other findings are unchanged', () => {
    const snapshot = snapshotFromYaml(
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: p, namespace: shop}\nspec: {action: DENY}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: shop}\nspec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/40}}]}]}\n',
    );
    const before = snapshot.findings.filter((f) => f.severity === 'error');
    expect(before.map((f) => f.code).sort()).toEqual(['invalid-cidr', 'missing-field'].sort());
    const after = admittedByCluster(snapshot.findings);
    const deny = after.find((f) => f.code === 'missing-field');
    expect(deny?.severity).toBe('warning');
    expect(deny?.message).toMatch(/DENY action without `rules`.*the cluster admitted it/);
    // not an Istio admission rule: untouched
    expect(after.find((f) => f.code === 'invalid-cidr')).toBe(snapshot.findings.find((f) => f.code === 'invalid-cidr'));
  });
});
