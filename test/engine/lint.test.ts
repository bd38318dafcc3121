import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { snapshotFromYaml } from '../helpers/snapshot.js';
import { lintNetworkPolicies } from '../../src/engine/lint.js';

const seed001 = readFileSync(new URL('../fixtures/manifests/seed-001-frontend-backend.yaml', import.meta.url), 'utf8');
const lint = (yamlText: string, namespace?: string) =>
  lintNetworkPolicies(snapshotFromYaml(yamlText, { file: 'np.yaml', ...(namespace ? { namespace } : {}) }));

const policy = (spec: string): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: b}\nspec:\n${spec.replace(/^/gm, '  ')}\n---\n`;
const pod =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: b, labels: {app: web}}\nspec: {containers: [{name: app}]}\n---\n';

describe('peer-or-not-and', () => {
  it("flags seed 001's frontend-backend policy (namespaceSelector and podSelector in separate peers)", () => {
    const f = lint(seed001, 'poc').find((x) => x.code === 'peer-or-not-and');
    expect(f).toMatchObject({
      severity: 'warning',
      object: { kind: 'NetworkPolicy', namespace: 'poc', name: 'frontend-backend' },
    });
    expect(f?.loc).toMatchObject({ file: 'np.yaml', line: 2 });
    expect(f?.field).toMatch(/^spec\.ingress\[0\]\.from/);
  });

  it('does not flag one peer that ANDs namespaceSelector and podSelector', () => {
    const yamlText = policy(
      'podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {a: b}}, podSelector: {matchLabels: {app: f}}}]}]',
    );
    expect(lint(yamlText).map((f) => f.code)).not.toContain('peer-or-not-and');
  });

  it('does not flag two podSelector peers (OR is the only reading)', () => {
    const yamlText = policy(
      'podSelector: {}\ningress: [{from: [{podSelector: {matchLabels: {app: f}}}, {podSelector: {matchLabels: {app: g}}}]}]',
    );
    expect(lint(yamlText).map((f) => f.code)).not.toContain('peer-or-not-and');
  });
});

describe('egress-without-policytypes', () => {
  it('flags egress: [] with no policyTypes (Kubernetes defaults to Ingress only, so egress stays open)', () => {
    const f = lint(policy('podSelector: {}\negress: []')).find((x) => x.code === 'egress-without-policytypes');
    expect(f).toMatchObject({
      severity: 'warning',
      field: 'spec.policyTypes',
      object: { kind: 'NetworkPolicy', namespace: 'b', name: 'p' },
      loc: { file: 'np.yaml', line: 1 },
    });
    expect(f?.message).toContain('policyTypes');
  });

  it('does not flag a non-empty egress section (the default then includes Egress)', () => {
    expect(lint(policy('podSelector: {}\negress: [{to: [{podSelector: {}}]}]')).map((f) => f.code)).not.toContain(
      'egress-without-policytypes',
    );
  });

  it('does not flag a policy that lists Egress in policyTypes', () => {
    expect(lint(policy('podSelector: {}\npolicyTypes: [Egress]\negress: [{}]')).map((f) => f.code)).not.toContain(
      'egress-without-policytypes',
    );
  });

  it('does not flag an ingress-only policy', () => {
    expect(lint(policy('podSelector: {}\ningress: [{}]')).map((f) => f.code)).not.toContain(
      'egress-without-policytypes',
    );
  });
});

describe('selector-matches-nothing', () => {
  it('flags a podSelector that selects no pod of the input', () => {
    expect(lint(pod + policy('podSelector: {matchLabels: {app: db}}')).map((f) => f.code)).toContain(
      'selector-matches-nothing',
    );
  });

  it('does not flag a selector that matches a pod', () => {
    expect(lint(pod + policy('podSelector: {matchLabels: {app: web}}')).map((f) => f.code)).not.toContain(
      'selector-matches-nothing',
    );
  });

  it('says nothing when the input has no pods at all (policies-only manifests)', () => {
    expect(lint(policy('podSelector: {matchLabels: {app: db}}')).map((f) => f.code)).not.toContain(
      'selector-matches-nothing',
    );
  });
});
