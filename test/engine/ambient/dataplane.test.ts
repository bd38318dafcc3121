import { describe, expect, it } from 'vitest';
import { dataplaneMode } from '../../../src/model/ambient.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';
import { deploy, namespace } from './world.js';

function modeOf(yamlText: string, ns: string, app: string): string {
  const s = snapshotFromYaml(yamlText);
  const pod = s.pods.find((p) => p.namespace === ns && p.labels['app'] === app);
  if (!pod) throw new Error(`no pod ${ns}/${app}`);
  return dataplaneMode(pod, s.namespaces.get(ns));
}

// https://istio.io/latest/docs/ambient/usage/add-workloads/ "Pod selection logic for ambient and sidecar modes"
describe('dataplane mode of a pod', () => {
  it('is ambient when the namespace carries istio.io/dataplane-mode=ambient', () => {
    expect(modeOf(namespace('a') + deploy('a', 'x'), 'a', 'x')).toBe('ambient');
  });
  it('is ambient when only the pod carries the label', () => {
    expect(
      modeOf(namespace('a', 'team: x') + deploy('a', 'x', { labels: 'istio.io/dataplane-mode: ambient' }), 'a', 'x'),
    ).toBe('ambient');
  });
  it('the pod label none opts out of an ambient namespace', () => {
    expect(modeOf(namespace('a') + deploy('a', 'x', { labels: 'istio.io/dataplane-mode: none' }), 'a', 'x')).toBe(
      'none',
    );
  });
  it('a sidecar wins over ambient (injection takes precedence)', () => {
    const yaml = namespace('a', 'istio.io/dataplane-mode: ambient, istio-injection: enabled') + deploy('a', 'x');
    expect(modeOf(yaml, 'a', 'x')).toBe('sidecar');
  });
  it('kube-system is in istio-cni exclude list', () => {
    expect(modeOf(namespace('kube-system') + deploy('kube-system', 'x'), 'kube-system', 'x')).toBe('none');
  });
  it('is none without any label', () => {
    expect(modeOf(namespace('a', 'team: x') + deploy('a', 'x'), 'a', 'x')).toBe('none');
  });
});
