/**
 * Calico's own validator table, the rows on policy objects the hand-written table in
 * calico-validation.test.ts does not hold: test/fixtures/calico/validator-cases.json (provenance
 * inside: projectcalico/calico libcalico-go/lib/validator/v3/validator_test.go). Each row is built
 * as the manifest the Entry describes and converted as manifests are; Calico's expectation
 * (Validate() errors or not) must be ours: an `error` finding, or none. One documented difference:
 * a policy name Calico refuses is an `invalid-name` warning on metadata.name and the policy is
 * evaluated anyway (README "Semantics" 6, as for every invalid name); over 253 characters it is
 * an error.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertCalicoObjects } from '../../../src/model/convert/calico-objects.js';
import type { Finding } from '../../../src/model/findings.js';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';

interface Row {
  readonly line: number;
  readonly entry: string;
  readonly kind: string;
  readonly name: string;
  readonly spec: Record<string, unknown>;
  readonly valid: boolean;
  readonly note?: string;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/calico/validator-cases.json', import.meta.url), 'utf8'),
) as { provenance: string; rows: Row[] };

const NAMESPACED = new Set(['NetworkPolicy', 'StagedNetworkPolicy']);

function findingsOf(row: Row): Finding[] {
  const metadata: Record<string, string> = { name: row.name };
  if (NAMESPACED.has(row.kind)) metadata['namespace'] = 'default';
  const object = { apiVersion: 'projectcalico.org/v3', kind: row.kind, metadata, spec: row.spec };
  const findings: Finding[] = [];
  convertCalicoObjects(parseManifestText('calico.json', JSON.stringify(object)).objects, 'default', findings);
  return findings;
}

const refusals = (findings: readonly Finding[]): string[] =>
  findings
    .filter((f) => f.severity === 'error' || f.code === 'invalid-name')
    .map((f) => `${f.severity} ${f.code} ${f.field ?? ''}: ${f.message}`);

describe(`Calico validator_test.go rows (${fixture.provenance})`, () => {
  it.each(fixture.rows.map((r) => [`line ${r.line}: ${r.entry} (${r.kind} ${r.name.slice(0, 20)})`, r] as const))(
    '%s',
    (_name, row) => {
      const findings = findingsOf(row);
      if (row.valid) {
        expect(refusals(findings)).toEqual([]);
        return;
      }
      expect(refusals(findings)).not.toEqual([]);
      // README "Semantics" 6: a refused policy name is a warning (an error past 253 characters);
      // a tier name stays an error (policy names and tiers refer to it)
      const names = findings.filter((f) => f.code === 'invalid-name');
      for (const f of names) {
        expect(f.field).toBe('metadata.name');
        expect(f.severity).toBe(row.kind === 'Tier' || row.name.length > 253 ? 'error' : 'warning');
      }
    },
  );

  it('holds both verdicts', () => {
    expect(fixture.rows.filter((r) => r.valid).length).toBeGreaterThan(50);
    expect(fixture.rows.filter((r) => !r.valid).length).toBeGreaterThan(50);
  });
});

/**
 * Calico's port syntax: the Port rows of projectcalico/calico:api/pkg/lib/numorstring/numorstring_test.go
 * (DescribeTable "NumOrStringJSONUnmarshaling" and "NumOrString named ports", commit 87c15906f20c;
 * Apache-2.0) as a rule's destination port with protocol TCP. A manifest's port is accepted only
 * when it unmarshals (that table) and then passes validatePort (validator.go: numbers 1-65535), so
 * `0` and `0:65535`, which unmarshal, are still refused (validator_test.go "should reject Rule with
 * invalid port (port 0)" / "(MinPort 0)"). The rows with broken JSON (`"1:2`) have no YAML form.
 */
describe('Calico numorstring Port rows as rule ports', () => {
  it.each([
    // [port as written, unmarshals, accepted after validatePort]
    [0, true, false],
    [65535, true, true],
    ['0:65535', true, false],
    ['1:10', true, true],
    ['foo-bar', true, true],
    [-1, false, false],
    [65536, false, false],
    ['0:65536', false, false],
    ['-1:65535', false, false],
    ['10:1', false, false],
    ['1:2:3', false, false],
    ['*', false, false],
    ['http-port', true, true],
    ['http port', false, false],
    ['http%port', false, false],
  ] as const)('%j unmarshals: %s, accepted: %s', (port, _unmarshals, accepted) => {
    const row: Row = {
      line: 0,
      entry: String(port),
      kind: 'GlobalNetworkPolicy',
      name: 'test',
      spec: { ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [port] } }] },
      valid: accepted,
    };
    const refused = refusals(findingsOf(row));
    if (accepted) expect(refused).toEqual([]);
    else expect(refused.join('\n')).toMatch(/invalid-port spec\.ingress\[0\]\.destination\.ports\[0\]/);
  });
});
