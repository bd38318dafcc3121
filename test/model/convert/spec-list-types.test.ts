/**
 * NetworkPolicy and Service fields the API types as lists or maps, given as something else, were
 * read as absent (kubectl refuses them): `policyTypes: Egress` lost the Egress type, `ingress:
 * {from: [...]}` the rules, a rule `- allow-all` became {} (every peer, every port), `ports:
 * {port: 80}` all ports; a Service `selector: "app=backend"` selected nothing and `ports: [80]`
 * had no port; an AdminNetworkPolicy `ingress: {action: Deny, ...}` had no rules. Each is now an
 * invalid-field error naming the field.
 */
import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';
import { snapshotFromObjects } from '../../../src/model/snapshot-from-objects.js';

const errors = (text: string): string[] =>
  snapshotFromObjects(parseManifestText('t.yaml', text).objects, null, 'test')
    .findings.filter((f) => f.severity === 'error')
    .map((f) => f.message);

const NP = (spec: string): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: a}\nspec:\n  podSelector: {}\n${spec}\n`;
const SVC = (spec: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec:\n${spec}\n`;

describe('NetworkPolicy lists', () => {
  it.each([
    [
      'policyTypes a string',
      '  policyTypes: Egress',
      'spec.policyTypes: must be a list of Ingress/Egress, got "Egress"',
    ],
    ['ingress a map', '  ingress: {from: []}', 'spec.ingress: must be a list of ingress rules'],
    ['egress a string', '  egress: all', 'spec.egress: must be a list of egress rules, got "all"'],
    ['a rule a string', '  ingress: [allow-all]', 'spec.ingress[0]: must be a rule map {from, ports}, got "allow-all"'],
    ['a rule from a map', '  egress: [{to: {podSelector: {}}}]', 'spec.egress[0].to: must be a list of peers'],
    ['a rule ports a map', '  ingress: [{ports: {port: 80}}]', 'spec.ingress[0].ports: must be a list of ports'],
  ])('%s: an error naming the field', (_, spec, message) => {
    expect(errors(NP(spec))).toEqual([expect.stringContaining(`NetworkPolicy a/np: ${message}`)]);
  });

  it('lists give nothing', () => {
    expect(
      errors(
        NP(
          '  policyTypes: [Ingress, Egress]\n  ingress: [{from: [{podSelector: {}}], ports: [{port: 80}]}]\n  egress: []',
        ),
      ),
    ).toEqual([]);
  });
});

describe('Service fields', () => {
  it.each([
    [
      'selector a string',
      '  selector: "app=backend"\n  ports: [{port: 80}]',
      'spec.selector: must be a map of label key to value, got "app=backend"',
    ],
    ['ports a map', '  ports: {port: 80}', 'spec.ports: must be a list of ports'],
    ['a port a number', '  ports: [80]', 'spec.ports[0]: must be a port map {port, targetPort, ...}, got 80'],
    ['type a list', '  type: [ClusterIP]\n  ports: [{port: 80}]', 'spec.type: must be a string'],
  ])('%s: an error naming the field', (_, spec, message) => {
    expect(errors(SVC(spec))).toEqual([expect.stringContaining(`Service a/s: ${message}`)]);
  });

  it('the right types give nothing', () => {
    expect(
      errors(
        SVC('  selector: {app: b}\n  type: ClusterIP\n  clusterIP: None\n  ports: [{port: 80, targetPort: http}]'),
      ),
    ).toEqual([]);
  });
});

describe('AdminNetworkPolicy rule lists', () => {
  const ANP = (spec: string): string =>
    `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: anp}\nspec:\n  priority: 10\n  subject: {namespaces: {}}\n${spec}\n`;

  it.each([
    [
      'ingress a map',
      '  ingress: {action: Deny, from: [{namespaces: {}}]}',
      'spec.ingress: must be a list of ingress rules',
    ],
    [
      'rule ports a map',
      '  egress: [{action: Deny, to: [{namespaces: {}}], ports: {portNumber: {port: 80}}}]',
      'spec.egress[0].ports: must be a list of ports',
    ],
  ])('%s: an error naming the field (a Deny rule went missing)', (_, spec, message) => {
    expect(errors(ANP(spec))).toEqual([expect.stringContaining(`AdminNetworkPolicy anp: ${message}`)]);
  });
});
