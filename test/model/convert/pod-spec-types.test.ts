/**
 * Pod spec fields of the wrong type, which kubectl refuses, were read as absent: a
 * `serviceAccountName: [frontend-sa]` pod ran as `default` (another principal in every answer),
 * `hostNetwork: "true"` made a pod-network pod, `containers: [istio-proxy]` a pod without a
 * sidecar. Each is now an invalid-field error naming the field.
 */
import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../../src/sources/manifests/parse-documents.js';
import { snapshotFromObjects } from '../../../src/model/snapshot-from-objects.js';

const errors = (text: string): string[] =>
  snapshotFromObjects(parseManifestText('p.yaml', text).objects, null, 'test')
    .findings.filter((f) => f.severity === 'error')
    .map((f) => f.message);

const POD = (spec: string): string => `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n${spec}\n`;
const DEPLOY = (spec: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: a}\nspec:\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n${spec.replace(/^/gm, '    ')}\n`;

describe('pod spec fields of the wrong type', () => {
  it.each([
    [
      'serviceAccountName a list',
      '  serviceAccountName: [frontend-sa]\n  containers: [{name: c}]',
      'spec.serviceAccountName: must be a string, got ["frontend-sa"]',
    ],
    [
      'hostNetwork a quoted true',
      '  hostNetwork: "true"\n  containers: [{name: c}]',
      'spec.hostNetwork: must be a boolean, got "true": write it without quotes',
    ],
    [
      'containers a list of names',
      '  containers: [istio-proxy]',
      'spec.containers[0]: must be a container map {name, image, ...}, got "istio-proxy"',
    ],
    ['containers a string', '  containers: app', 'spec.containers: must be a list of containers, got "app"'],
    ['a container name a number', '  containers: [{name: 5}]', 'spec.containers[0].name: must be a string, got 5'],
  ])('%s: an error naming the field', (_, spec, message) => {
    expect(errors(POD(spec))).toEqual([expect.stringContaining(`Pod a/p: ${message}`)]);
  });

  it('in a workload template, the path says so', () => {
    expect(errors(DEPLOY('  serviceAccountName: 7\n  containers: [{name: c}]'))).toEqual([
      expect.stringContaining('Deployment a/d: spec.template.spec.serviceAccountName: must be a string, got 7'),
    ]);
  });

  it('the right types give nothing', () => {
    expect(
      errors(
        POD(
          '  serviceAccountName: sa\n  hostNetwork: false\n  nodeName: node-1\n  containers: [{name: c, restartPolicy: Always}]',
        ),
      ),
    ).toEqual([]);
  });
});
