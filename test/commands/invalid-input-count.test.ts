/**
 * Refused input says how many errors in how many objects: one NetworkPolicy with four bad fields
 * is "4 errors in 1 object", not "4 invalid objects".
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCount } from '../../src/commands/load-snapshot.js';
import { finding } from '../../src/model/findings.js';
import { ensureBuilt, runCli } from './cli-harness.js';

beforeAll(() => ensureBuilt());

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad, namespace: n1}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: {cidr: "10.0.0.0/33"}
    - ipBlock: {cidr: "garbage"}
    ports: [{port: 0}, {port: 70000}]
`;

describe('the count of refused input', () => {
  it('counts errors and the objects they are in', () => {
    const a = { kind: 'NetworkPolicy', namespace: 'n1', name: 'a' };
    const b = { kind: 'NetworkPolicy', namespace: 'n1', name: 'b' };
    const at = (object: typeof a | null) => finding('invalid-cidr', 'x', { object });
    expect(errorCount([at(a)])).toBe('1 error in 1 object');
    expect(errorCount([at(a), at(a), at(b)])).toBe('3 errors in 2 objects');
    expect(errorCount([at(null), at(null)])).toBe('2 errors in 2 objects');
  });

  it('map names each error with its line, under one count', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'meshdbg-count-')), 'bad.yaml');
    writeFileSync(file, POLICY);
    const r = runCli(['map', '--from', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^meshdbg: the input has 4 errors in 1 object:\n/);
    expect(r.stderr).toContain(`${file}:9: NetworkPolicy n1/bad: spec.egress[0].to[0].ipBlock.cidr`);
  });
});
