import { describe, expect, it } from 'vitest';
import { dataplaneMode } from '../../../src/model/ambient.js';
import { podHasSidecar } from '../../../src/model/convert/sidecar.js';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import { deploy, namespace, shop } from './world.js';

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

/** The ztunnel DaemonSet as istio/istio manifests/charts/ztunnel/templates/daemonset.yaml renders it: its container is named istio-proxy. */
const ZTUNNEL_DAEMONSET = `---
apiVersion: v1
kind: Namespace
metadata: {name: istio-system}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ztunnel, namespace: istio-system}
spec:
  selector: {matchLabels: {app: ztunnel}}
  template:
    metadata:
      labels: {sidecar.istio.io/inject: "false", istio.io/dataplane-mode: none, app: ztunnel}
    spec:
      serviceAccountName: ztunnel
      containers: [{name: istio-proxy, image: ztunnel}]
`;

// istio/istio cni/pkg/util/podutil.go IsZtunnelPod: a ztunnel pod is app=ztunnel, not a sidecar
describe('a ztunnel pod as the client', () => {
  const s = snapshotFromYaml(shop(ZTUNNEL_DAEMONSET));
  const zt = s.pods.find((p) => p.namespace === 'istio-system' && p.labels['app'] === 'ztunnel');

  it('has no sidecar although its container is named istio-proxy', () => {
    if (!zt) throw new Error('no ztunnel pod');
    expect(zt.containers.map((c) => c.name)).toEqual(['istio-proxy']);
    expect(podHasSidecar(zt)).toBe(false);
    expect(dataplaneMode(zt, s.namespaces.get('istio-system'))).toBe('none');
  });

  it('reaches an ambient pod as plaintext from outside the mesh, on the app port (no HBONE)', () => {
    const e = explainOk(s, { src: 'istio-system/ztunnel', dst: 'shop/server', port: 80, http: null });
    expect(e.source).toMatchObject({ sidecar: false });
    expect(e.steps[0]?.summary).toMatch(/TCP 8080/);
    expect(e.steps.find((x) => x.layer === 'mtls')?.summary).toMatch(/plaintext from outside the mesh/);
    expect(e.steps.find((x) => x.layer === 'mesh')?.summary).not.toMatch(/sidecar client/);
  });
});
