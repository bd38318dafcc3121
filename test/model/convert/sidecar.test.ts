import { describe, expect, it } from 'vitest';
import { applySidecarInjection, injectionDecision, podHasSidecar } from '../../../src/model/convert/sidecar.js';
import { namespace, pod } from '../../engine/istio/helpers.js';

const template = (ns: string, o: Parameters<typeof pod>[2] = {}) => pod(ns, 'web', { sidecar: false, ...o });

describe('podHasSidecar', () => {
  it('sees istio-proxy as a container, or as a native sidecar init container (restartPolicy Always)', () => {
    const base = template('a');
    expect(podHasSidecar(base)).toBe(false);
    expect(
      podHasSidecar({
        ...base,
        containers: [...base.containers, { name: 'istio-proxy', ports: [], restartPolicy: null }],
      }),
    ).toBe(true);
    expect(
      podHasSidecar({ ...base, initContainers: [{ name: 'istio-proxy', ports: [], restartPolicy: 'Always' }] }),
    ).toBe(true);
    expect(podHasSidecar({ ...base, initContainers: [{ name: 'istio-proxy', ports: [], restartPolicy: null }] })).toBe(
      false,
    );
  });
});

describe('injection inference for template pods', () => {
  it('namespace label istio-injection=enabled injects and adds the injector labels', () => {
    const out = applySidecarInjection(
      template('a', { labels: { version: 'v2' } }),
      namespace('a', { 'istio-injection': 'enabled' }),
    );
    expect(podHasSidecar(out)).toBe(true);
    expect(out.labels).toMatchObject({
      'security.istio.io/tlsMode': 'istio',
      'service.istio.io/canonical-name': 'web',
      'service.istio.io/canonical-revision': 'v2',
    });
  });

  it.each([
    [
      'pod label inject "false" wins over the namespace label',
      { labels: { 'sidecar.istio.io/inject': 'false' } },
      { 'istio-injection': 'enabled' },
      false,
    ],
    ['istio.io/rev on the namespace injects', {}, { 'istio.io/rev': 'canary' }, true],
    [
      'pod label inject "true" injects without a namespace label',
      { labels: { 'sidecar.istio.io/inject': 'true' } },
      {},
      true,
    ],
    [
      'istio-injection=disabled excludes even inject "true"',
      { labels: { 'sidecar.istio.io/inject': 'true' } },
      { 'istio-injection': 'disabled' },
      false,
    ],
    ['no label anywhere: no sidecar', {}, {}, false],
    ['hostNetwork pods are never injected', { hostNetwork: true }, { 'istio-injection': 'enabled' }, false],
  ])('%s', (_what, podOpts, nsLabels, want) => {
    expect(podHasSidecar(applySidecarInjection(template('a', podOpts), namespace('a', nsLabels)))).toBe(want);
  });

  it('never injects in kube-system, and says why', () => {
    expect(
      injectionDecision(template('kube-system'), namespace('kube-system', { 'istio-injection': 'enabled' })),
    ).toMatchObject({ inject: false, reason: 'pods in kube-system are never injected' });
  });

  it('returns live pods unchanged', () => {
    const live = template('a', { fromTemplate: false });
    expect(applySidecarInjection(live, namespace('a', { 'istio-injection': 'enabled' }))).toBe(live);
  });

  it('reports the revision the injector belongs to', () => {
    expect(injectionDecision(template('a'), namespace('a', { 'istio.io/rev': 'canary' })).revision).toBe('canary');
  });
});

describe('the deprecated sidecar.istio.io/inject annotation', () => {
  it('still opts a pod out when no label says otherwise', () => {
    expect(
      podHasSidecar(
        applySidecarInjection(
          template('a', { annotations: { 'sidecar.istio.io/inject': 'false' } }),
          namespace('a', { 'istio-injection': 'enabled' }),
        ),
      ),
    ).toBe(false);
  });
});
