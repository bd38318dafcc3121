/**
 * Kubernetes' own NetworkPolicy validation table (TestValidateNetworkPolicy; provenance inside
 * test/fixtures/kube/networkpolicy-validation-cases.json): every success case is accepted without an
 * error finding, every error case is refused with one (README "Semantics" 5: what the API server
 * rejects is refused).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findingsOfYaml } from '../../helpers/snapshot.js';

interface Row {
  readonly case: string;
  readonly valid: boolean;
  readonly spec: Record<string, unknown>;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/kube/networkpolicy-validation-cases.json', import.meta.url), 'utf8'),
) as { provenance: string; rows: Row[] };

const errorsOf = (row: Row): string[] => {
  const object = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'foo', namespace: 'bar' },
    spec: row.spec,
  };
  return findingsOfYaml(JSON.stringify(object), { file: 'np.json' })
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.code} ${f.field ?? ''}: ${f.message}`);
};

describe(`TestValidateNetworkPolicy (${fixture.provenance})`, () => {
  it.each(fixture.rows.map((r) => [r.case, r] as const))('%s', (_name, row) => {
    if (row.valid) expect(errorsOf(row)).toEqual([]);
    else expect(errorsOf(row)).not.toEqual([]);
  });

  it('holds every case of both lists', () => {
    expect(fixture.rows.filter((r) => r.valid)).toHaveLength(17);
    expect(fixture.rows.filter((r) => !r.valid)).toHaveLength(30);
  });
});
