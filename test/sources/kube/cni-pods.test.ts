import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../../helpers/kube-api-server.js';
import { findCniPods } from '../../../src/sources/kube/cni-pods.js';
import { createKubeHttp } from '../../../src/sources/kube/http.js';
import { contextFor, pod } from './support/fixtures.js';

let api: KubeApiServer;
afterEach(() => api.close());

describe('findCniPods', () => {
  it('finds calico-node in kube-system and calico-system and kube-router in kube-system by label', async () => {
    api = await KubeApiServer.start();
    api.put({
      ...pod('calico-system', 'calico-node-x', '10.1.0.1', { 'k8s-app': 'calico-node' }),
      spec: { nodeName: 'n1', containers: [] },
    });
    api.put(pod('kube-system', 'kube-router-y', '10.1.0.2', { 'k8s-app': 'kube-router' }));
    api.put(pod('kube-system', 'coredns-z', '10.1.0.3', { 'k8s-app': 'kube-dns' }));
    const { pods, errors } = await findCniPods(createKubeHttp(contextFor(api).kc, 2000));
    expect(errors).toEqual([]);
    expect(pods).toEqual([
      {
        pod: { namespace: 'calico-system', name: 'calico-node-x' },
        container: 'calico-node',
        cni: 'calico',
        nodeName: 'n1',
      },
      {
        pod: { namespace: 'kube-system', name: 'kube-router-y' },
        container: 'kube-router',
        cni: 'kube-router',
        nodeName: null,
      },
    ]);
    expect(api.requests).toContain('GET /api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dcalico-node');
  });

  it('reports a forbidden namespace instead of failing', async () => {
    api = await KubeApiServer.start();
    api.forbidden.push(/^\/api\/v1\/namespaces\/calico-system\//);
    const { pods, errors } = await findCniPods(createKubeHttp(contextFor(api).kc, 2000));
    expect(pods).toEqual([]);
    expect(errors).toEqual([
      expect.stringMatching(/^cannot list k8s-app=calico-node pods in calico-system: forbidden/),
    ]);
  });
});
