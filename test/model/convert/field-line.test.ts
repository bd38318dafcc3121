/**
 * A finding on a field is placed on the line of the field's own map or list (the deepest one on
 * its path), not on the object's first line: `file:line` must point at what to fix.
 */
import { describe, expect, it } from 'vitest';
import { lineOnPath } from '../../../src/model/convert/field-line.js';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';
import { findingsOfYaml } from '../../helpers/snapshot.js';

const MANIFEST = [
  'apiVersion: networking.k8s.io/v1', // 1
  'kind: NetworkPolicy', // 2
  'metadata:', // 3
  '  name: np1', // 4
  '  namespace: default', // 5
  'spec:', // 6
  '  podSelector:', // 7
  '    matchLabels:', // 8
  '      app.kubernetes.io/name: web', // 9
  '  ingress:', // 10
  '  - from:', // 11
  '    - ipBlock:', // 12
  '        cidr: 10.0.0.0/33', // 13
  '    ports:', // 14
  '    - protocol: TCP', // 15
  '      port: 70000', // 16
  '---', // 17
  'apiVersion: security.istio.io/v1', // 18
  'kind: AuthorizationPolicy', // 19
  'metadata: {name: ap1, namespace: default}', // 20
  'spec:', // 21
  '  selector: {matchLabels: {app: web}}', // 22
  '  action: ALOW', // 23
  '',
].join('\n');

describe('lineOnPath', () => {
  const object = parseManifestText('a.yaml', MANIFEST).objects[0];
  if (!object) throw new Error('no object');
  const at = (field: string): number | null => lineOnPath(object.object, field, object.lines);

  it.each([
    ['spec.ingress[0].ports[0].port', 15], // the port's map starts at `- protocol:`
    ['spec.ingress[0].from[0].ipBlock.cidr', 13],
    ['spec.ingress[0]', 11],
    ['spec.ingress', 11],
    // a dotted label key cannot be spelt as a path: the walk stops at matchLabels
    ['spec.podSelector.matchLabels.app.kubernetes.io/name', 9],
    ['spec.ingress[7].ports', 11], // past the end of a list: the list
    ['spec.nothing.here', 7], // the spec map itself (its first key is on line 7)
    ['kind', null], // a top-level scalar: no map on the path
  ])('%s -> %s', (field, line) => {
    expect(at(field)).toBe(line);
  });

  it('no line table (a live object): null', () => {
    expect(lineOnPath(object.object, 'spec.ingress[0]', null)).toBeNull();
  });
});

describe('findings are placed on the field', () => {
  const findings = findingsOfYaml(MANIFEST, { file: 'a.yaml' });
  const lineOf = (field: string): number | null | undefined => findings.find((f) => f.field === field)?.loc?.line;

  it.each([
    ['spec.ingress[0].from[0].ipBlock.cidr', 13],
    ['spec.ingress[0].ports[0].port', 15],
    ['spec.action', 22], // an Istio webhook/schema finding: the spec map, not line 18
  ])('%s at line %s', (field, line) => {
    expect(lineOf(field)).toBe(line);
    expect(findings.find((f) => f.field === field)?.message).toMatch(/^a\.yaml:/);
  });
});
