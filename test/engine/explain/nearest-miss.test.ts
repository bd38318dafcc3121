import { describe, expect, it } from 'vitest';
import { loadSnapshotFrom } from '../../../src/commands/load-snapshot.js';
import { explain } from '../../../src/engine/explain.js';
import type { ExplainQuery } from '../../../src/engine/explanation.js';

const base: Omit<ExplainQuery, 'src' | 'dst'> = {
  id: null,
  port: 80,
  protocol: null,
  http: { method: 'POST', path: '/api/orders', host: null, headers: {} },
  mtls: null,
  jwt: null,
  extAuthz: null,
  now: '2026-11-20T10:00:00Z',
  resolve: {},
  namespace: null,
  cni: null,
};

describe('nearest miss for an ALLOW miss (seed 002, poc-mesh)', () => {
  it('puts a rule that failed on one clause before a policy with no rules, which can never match', async () => {
    const { snapshot } = await loadSnapshotFrom(['examples/poc-mesh'], null);
    const e = explain(snapshot, { ...base, src: 'poc-mesh/frontend', dst: 'poc-mesh/backend' });
    if (e.kind === 'Error') throw new Error(e.message);
    expect(e.verdict).toBe('denied');
    expect(e.decidedBy).toMatchObject({ layer: 'authz-allow', policy: { rule: null, ruleRef: 'none' } });
    expect(e.nearestMiss[0]?.policy.name).toBe('backend-allow-frontend-read');
    expect(e.nearestMiss[0]?.clauses.filter((c) => !c.ok)).toEqual([
      expect.objectContaining({ field: 'to[0].operation.methods', expected: ['GET'], actual: 'POST' }),
    ]);
    expect(e.nearestMiss.at(-1)?.policy.name).toBe('namespace-deny-all');
  });
});
