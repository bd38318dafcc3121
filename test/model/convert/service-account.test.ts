/** ServiceAccount objects in the Snapshot: labels kept (Calico matches them), bad input reported with file, line and field. */
import { describe, expect, it } from 'vitest';
import { snapshotFromYaml } from '../../helpers/snapshot.js';

const SA = (meta: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata: ${meta}\n`;

describe('ServiceAccount objects', () => {
  it('are read with their labels, by namespace/name, from YAML, JSON and kind: List', () => {
    const yaml = snapshotFromYaml(SA('{name: web, namespace: shop, labels: {team: a}}'));
    expect(yaml.serviceAccounts?.get('shop/web')?.labels).toEqual({ team: 'a' });
    const list = snapshotFromYaml(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', labels: { team: 'b' } } }],
      }),
      { namespace: 'shop', file: 'dump.json' },
    );
    expect(list.serviceAccounts?.get('shop/api')).toMatchObject({ namespace: 'shop', labels: { team: 'b' } });
    expect(list.serviceAccounts?.get('shop/api')?.loc?.file).toBe('dump.json');
    expect([...list.ignoredKinds.keys()]).toEqual([]);
  });

  it('a label value the API server rejects is a finding at the file, line and field', () => {
    const s = snapshotFromYaml(`${SA('{name: x, namespace: a}')}---\n${SA('\n  name: web\n  labels:\n    team: 3')}`, {
      file: 'sa.yaml',
    });
    expect(s.findings).toHaveLength(1);
    const f = s.findings[0];
    expect(f).toMatchObject({ severity: 'error', code: 'invalid-label', field: 'metadata.labels.team' });
    expect(f?.loc).toMatchObject({ file: 'sa.yaml', line: 10 });
    expect(f?.object).toEqual({ kind: 'ServiceAccount', namespace: 'default', name: 'web' });
    expect(f?.message).toMatch(/^sa\.yaml:10: .*quote it \("3"\)/);
  });

  it('duplicates and invalid names are reported as for the other kinds', () => {
    const s = snapshotFromYaml(
      `${SA('{name: web, namespace: a, labels: {v: "1"}}')}---\n${SA('{name: web, namespace: a, labels: {v: "2"}}')}---\n${SA('{name: Web_1, namespace: a}')}`,
    );
    expect(s.findings.map((f) => f.code).sort()).toEqual(['duplicate-object', 'invalid-name']);
    // the first of duplicates is the one read, as for the other kinds
    expect(s.serviceAccounts?.get('a/web')?.labels).toEqual({ v: '1' });
  });
});
