import { describe, expect, it } from 'vitest';
import { findingsOfYaml, snapshotFromYaml } from '../../helpers/snapshot.js';

/** A NetworkPolicy at line 1 of bad.yaml, `spec` indented under it. */
const policy = (spec: string): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: b}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;

const errorsOf = (spec: string) =>
  findingsOfYaml(policy(spec), { file: 'bad.yaml' }).filter((f) => f.severity === 'error');

describe('invalid NetworkPolicies are errors with file, object, field and reason', () => {
  it.each([
    [
      'a CIDR that does not parse',
      'ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]',
      'invalid-cidr',
      'spec.ingress[0].from[0].ipBlock.cidr',
    ],
    [
      'a CIDR without prefix',
      'ingress: [{from: [{ipBlock: {cidr: 10.0.0.1}}]}]',
      'invalid-cidr',
      'spec.ingress[0].from[0].ipBlock.cidr',
    ],
    [
      'an except that does not parse',
      'ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [nope]}}]}]',
      'invalid-cidr',
      'spec.ingress[0].from[0].ipBlock.except[0]',
    ],
    [
      'an except outside its cidr',
      'egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16]}}]}]',
      'except-outside-cidr',
      'spec.egress[0].to[0].ipBlock.except[0]',
    ],
    [
      'a bad selector operator',
      'podSelector: {matchExpressions: [{key: app, operator: Equals, values: [a]}]}',
      'invalid-selector',
      'spec.podSelector.matchExpressions[0].operator',
    ],
    [
      'In with no values',
      'podSelector: {matchExpressions: [{key: app, operator: In, values: []}]}',
      'invalid-selector',
      'spec.podSelector.matchExpressions[0].values',
    ],
    [
      'Exists with values',
      'podSelector: {matchExpressions: [{key: app, operator: Exists, values: [a]}]}',
      'invalid-selector',
      'spec.podSelector.matchExpressions[0].values',
    ],
    ['a bad label key', 'podSelector: {matchLabels: {"-bad key": a}}', 'invalid-label', 'spec.podSelector.matchLabels'],
    [
      'a bad label value',
      'podSelector: {matchLabels: {app: "has space"}}',
      'invalid-label',
      'spec.podSelector.matchLabels',
    ],
    [
      'a label value longer than 63 characters',
      `podSelector: {matchLabels: {app: ${'x'.repeat(64)}}}`,
      'invalid-label',
      'spec.podSelector.matchLabels',
    ],
    [
      'endPort below port',
      'podSelector: {}\ningress: [{ports: [{port: 9000, endPort: 8000}]}]',
      'invalid-port',
      'spec.ingress[0].ports[0].endPort',
    ],
    [
      'endPort with a named port',
      'podSelector: {}\ningress: [{ports: [{port: web, endPort: 8000}]}]',
      'invalid-port',
      'spec.ingress[0].ports[0].endPort',
    ],
    [
      'endPort without port',
      'podSelector: {}\ningress: [{ports: [{endPort: 8000}]}]',
      'invalid-port',
      'spec.ingress[0].ports[0].endPort',
    ],
    [
      'a port above 65535',
      'podSelector: {}\ningress: [{ports: [{port: 70000}]}]',
      'invalid-port',
      'spec.ingress[0].ports[0].port',
    ],
    [
      'an unknown protocol',
      'podSelector: {}\ningress: [{ports: [{port: 80, protocol: ICMP}]}]',
      'invalid-protocol',
      'spec.ingress[0].ports[0].protocol',
    ],
    ['an empty peer', 'podSelector: {}\ningress: [{from: [{}]}]', 'empty-peer', 'spec.ingress[0].from[0]'],
    [
      'ipBlock combined with a podSelector',
      'podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 1.2.3.0/24}, podSelector: {}}]}]',
      'invalid-peer',
      'spec.ingress[0].from[0]',
    ],
    [
      'ipBlock combined with a namespaceSelector',
      'podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 1.2.3.0/24}, namespaceSelector: {}}]}]',
      'invalid-peer',
      'spec.ingress[0].from[0]',
    ],
    ['an unknown policyType', 'podSelector: {}\npolicyTypes: [Inbound]', 'invalid-field', 'spec.policyTypes[0]'],
  ])('%s', (_name, spec, code, field) => {
    const errors = errorsOf(spec);
    expect(errors.map((f) => f.code)).toContain(code);
    const f = errors.find((e) => e.code === code)!;
    expect(f.field).toBe(field);
    expect(f.object).toEqual({ kind: 'NetworkPolicy', namespace: 'b', name: 'p' });
    expect(f.loc?.file).toBe('bad.yaml');
    expect(f.loc?.line).toBeGreaterThanOrEqual(1);
    expect(f.message.length).toBeGreaterThan(10);
  });

  it('the finding points at the line of the offending node, not only the object', () => {
    const f = errorsOf('podSelector: {}\ningress:\n- from:\n  - ipBlock:\n      cidr: 10.0.0.0/33\n').find(
      (e) => e.code === 'invalid-cidr',
    );
    expect(f?.loc?.line).toBe(9); // the cidr line
  });

  it('a valid policy has no error', () => {
    expect(
      errorsOf(
        'podSelector: {matchExpressions: [{key: app, operator: In, values: [a]}]}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}], ports: [{port: 80, endPort: 90}]}]',
      ),
    ).toEqual([]);
  });
});

describe('converted NetworkPolicy', () => {
  it('keeps rules of a valid policy', () => {
    const s = snapshotFromYaml(policy('podSelector: {}\ningress: [{}, {from: [{podSelector: {}}]}]'));
    expect(s.networkPolicies).toHaveLength(1);
    expect(s.networkPolicies[0]).toMatchObject({ namespace: 'b', name: 'p' });
  });

  it('a NetworkPolicy without namespace goes to -n', () => {
    const s = snapshotFromYaml(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec: {podSelector: {}}\n',
      { namespace: 'x' },
    );
    expect(s.networkPolicies[0]?.namespace).toBe('x');
  });

  it('the same NetworkPolicy twice is a duplicate-object error naming both places', () => {
    const doc = policy('podSelector: {}');
    const f = findingsOfYaml(`${doc}---\n${doc}`, { file: 'dup.yaml' }).find((x) => x.code === 'duplicate-object');
    expect(f).toMatchObject({ severity: 'error', object: { kind: 'NetworkPolicy', namespace: 'b', name: 'p' } });
    expect(f?.message).toContain('dup.yaml:7');
    expect(f?.message).toContain('dup.yaml:1');
  });

  it('the same name in two namespaces is not a duplicate', () => {
    const two = policy('podSelector: {}') + '---\n' + policy('podSelector: {}').replace('namespace: b', 'namespace: c');
    expect(findingsOfYaml(two).map((f) => f.code)).not.toContain('duplicate-object');
  });
});
