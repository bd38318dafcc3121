import { describe, expect, it } from 'vitest';
import { explainError, explainOk, snapshotFromYaml } from '../helpers/snapshot.js';
import { resolvePeer, type ResolvedPeer } from '../../src/engine/peers.js';
import type { ExplainError } from '../../src/engine/explanation.js';

/** The kind a resolution landed on (Service, a workload kind, ip), or the error message. */
function resolvedKind(r: ResolvedPeer | ExplainError): string {
  if ('kind' in r) return r.message;
  if (r.type === 'service') return 'Service';
  if (r.type === 'group') return r.group.kind;
  return r.type;
}

const deployment = (name: string, ns: string, port = 'http', number = 8080): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, ports: [{name: ${port}, containerPort: ${number}}]}]}
---
`;

const WORLD = `apiVersion: v1
kind: Namespace
metadata: {name: poc-mesh}
---
apiVersion: v1
kind: Namespace
metadata: {name: other}
---
${deployment('backend', 'poc-mesh')}${deployment('frontend', 'poc-mesh')}${deployment('dup', 'poc-mesh')}${deployment('dup', 'other')}apiVersion: v1
kind: Service
metadata: {name: backend, namespace: poc-mesh}
spec:
  clusterIP: 10.96.0.20
  selector: {app: backend}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: backend-headless, namespace: poc-mesh}
spec:
  clusterIP: None
  selector: {app: backend}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: multi, namespace: poc-mesh}
spec:
  clusterIP: 10.96.0.21
  selector: {app: backend}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: admin, port: 81, targetPort: 9901}]
---
apiVersion: v1
kind: Pod
metadata: {name: tools, namespace: other, labels: {app: tools}}
spec: {containers: [{name: app, ports: [{containerPort: 7000}]}]}
status: {podIP: 10.0.0.5}
---
apiVersion: v1
kind: Pod
metadata: {name: web.v1, namespace: other, labels: {app: web}}
spec: {containers: [{name: app}]}
status: {podIP: 10.0.0.6}
`;

const snapshot = snapshotFromYaml(WORLD);
const SRC = 'other/tools';

describe('peer syntax', () => {
  it.each([
    ['NS/NAME', 'poc-mesh/frontend'],
    ['NAME.NS (suffix is a known namespace)', 'frontend.poc-mesh'],
    ['KIND/NAME.NS (istioctl form)', 'deployment/frontend.poc-mesh'],
    ['kubectl alias deploy/NAME.NS', 'deploy/frontend.poc-mesh'],
    ['NS/KIND/NAME', 'poc-mesh/deploy/frontend'],
    ['a bare NAME searched in all namespaces', 'frontend'],
    ['structured {namespace, kind, name}', { namespace: 'poc-mesh', kind: 'deploy', name: 'frontend' }],
  ] as const)('%s resolves a source to the workload', (_name, src) => {
    const e = explainOk(snapshot, { src, dst: 'other/tools', port: 7000 });
    expect(e.source).toMatchObject({
      namespace: 'poc-mesh',
      workload: 'Deployment/frontend',
      resolvedFrom: 'workload',
    });
  });

  it('NAME.NS splits at the last dot only: web.v1.other is pod web.v1 in other', () => {
    const e = explainOk(snapshot, { src: 'web.v1.other', dst: SRC, port: 7000 });
    expect(e.source).toMatchObject({ namespace: 'other', name: 'web.v1' });
  });

  it('a dotted name whose suffix is no namespace is a name: web.v1', () => {
    const e = explainOk(snapshot, { src: 'web.v1', dst: SRC, port: 7000 });
    expect(e.source).toMatchObject({ namespace: 'other', name: 'web.v1' });
  });

  it('NAME.NS also splits when the namespace is only synthesized (no Namespace object)', () => {
    const s = snapshotFromYaml(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c}]}\n',
    );
    expect(explainOk(s, { src: 'web.shop', dst: '203.0.113.1', port: 80 }).source).toMatchObject({
      namespace: 'shop',
      name: 'web',
    });
  });

  it('a bare NAME takes the namespace from -n', () => {
    expect(explainOk(snapshot, { src: 'dup', dst: SRC, port: 7000, namespace: 'other' }).source.namespace).toBe(
      'other',
    );
  });

  it('a bare NAME in the wrong -n namespace is unknown', () => {
    expect(explainError(snapshot, { src: 'frontend', dst: SRC, port: 7000, namespace: 'other' }).code).toBe(
      'unknown-peer',
    );
  });

  it('a bare NAME found in two namespaces is ambiguous and lists both', () => {
    const err = explainError(snapshot, { src: 'dup', dst: SRC, port: 7000 });
    expect(err.code).toBe('ambiguous-peer');
    expect(err.candidates.join(' ')).toContain('poc-mesh');
    expect(err.candidates.join(' ')).toContain('other');
  });

  it('an unknown name fails with fuzzy candidates', () => {
    const err = explainError(snapshot, { src: 'poc-mesh/backnd', dst: SRC, port: 7000 });
    expect(err.code).toBe('unknown-peer');
    expect(err.candidates).toContain('poc-mesh/backend');
    expect(err.message).toContain('backnd');
  });

  it.each(['deploy/frontnd.poc-mesh', 'deployment/fronted.poc-mesh', 'poc-mesh/deploy/fronted'])(
    'a typo in the KIND forms still gets fuzzy candidates: %s',
    (text) => {
      const err = explainError(snapshot, { src: text, dst: SRC, port: 7000 });
      expect(err.code).toBe('unknown-peer');
      expect(err.candidates).toContain('poc-mesh/frontend');
    },
  );

  it.each([
    ['po', 'Pod', 'other/po/tools'],
    ['svc', 'Service', 'svc/backend.poc-mesh'],
  ])('kind alias %s means %s', (_alias, kind, text) => {
    const r = resolvePeer(snapshot, text, 'destination', null);
    expect(resolvedKind(r)).toBe(kind);
  });

  it.each([
    [
      'sts',
      'StatefulSet',
      'apps/v1',
      'spec: {selector: {matchLabels: {app: w}}, template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c}]}}}',
    ],
    [
      'ds',
      'DaemonSet',
      'apps/v1',
      'spec: {selector: {matchLabels: {app: w}}, template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c}]}}}',
    ],
    [
      'rs',
      'ReplicaSet',
      'apps/v1',
      'spec: {selector: {matchLabels: {app: w}}, template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c}]}}}',
    ],
    ['job', 'Job', 'batch/v1', 'spec: {template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c}]}}}'],
    [
      'cj',
      'CronJob',
      'batch/v1',
      'spec: {schedule: "* * * * *", jobTemplate: {spec: {template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c}]}}}}}',
    ],
    [
      'rc',
      'ReplicationController',
      'v1',
      'spec: {selector: {app: w}, template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c}]}}}',
    ],
  ])('kind alias %s/NAME.NS names a %s', (alias, kind, apiVersion, spec) => {
    const s = snapshotFromYaml(
      `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: w, namespace: shop}\n${spec}\n`,
    );
    const r = resolvePeer(s, `${alias}/w.shop`, 'source', null);
    expect(resolvedKind(r)).toBe(kind);
  });
});

describe('a name that is both a workload and its Service', () => {
  it('as destination resolves to the Service, maps the port, and says so', () => {
    const e = explainOk(snapshot, { src: SRC, dst: 'poc-mesh/backend', port: 80 });
    expect(e.destination.resolvedFrom).toBe('service');
    expect(e.request).toMatchObject({ port: 8080, servicePort: 80 });
    expect(e.notes.join(' ')).toMatch(/Service/);
  });

  it('as source resolves to the workload and says so', () => {
    const e = explainOk(snapshot, { src: 'poc-mesh/backend', dst: SRC, port: 7000 });
    expect(e.source).toMatchObject({ resolvedFrom: 'workload', workload: 'Deployment/backend' });
    expect(e.notes.join(' ')).toMatch(/workload/);
  });

  it("a port the Service lacks falls back to the workload's pod port, and the notes say so", () => {
    const e = explainOk(snapshot, { src: SRC, dst: 'poc-mesh/backend', port: 8080 });
    expect(e.destination.resolvedFrom).toBe('workload');
    expect(e.request).toMatchObject({ port: 8080, servicePort: null });
    expect(e.notes.join(' ')).toMatch(/8080 is not a port of Service poc-mesh\/backend/);
  });

  it('KIND/NAME picks the workload for a destination: no port mapping', () => {
    const e = explainOk(snapshot, { src: SRC, dst: 'deploy/backend.poc-mesh', port: 8080 });
    expect(e.destination.resolvedFrom).toBe('workload');
    expect(e.request).toMatchObject({ port: 8080, servicePort: null });
  });
});

describe('ports of a Service destination', () => {
  it('--port may be left out when the Service has exactly one port', () => {
    expect(explainOk(snapshot, { src: SRC, dst: 'poc-mesh/backend' }).request).toMatchObject({
      port: 8080,
      servicePort: 80,
    });
  });

  it('--port is required when the Service has several ports', () => {
    expect(explainError(snapshot, { src: SRC, dst: 'poc-mesh/multi' }).code).toBe('port-required');
  });

  it('--port is required for a workload destination (no Service to take it from)', () => {
    expect(explainError(snapshot, { src: SRC, dst: 'deploy/frontend.poc-mesh' }).code).toBe('port-required');
  });

  it('a Service port number with both UDP and TCP needs --protocol', () => {
    const dns = snapshotFromYaml(`apiVersion: v1
kind: Pod
metadata: {name: dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec: {containers: [{name: c, ports: [{name: dns, containerPort: 53, protocol: UDP}, {name: dns-tcp, containerPort: 53}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system}
spec: {clusterIP: 10.96.0.10, selector: {k8s-app: kube-dns}, ports: [{name: dns, port: 53, protocol: UDP, targetPort: dns}, {name: dns-tcp, port: 53, protocol: TCP, targetPort: dns-tcp}]}
---
${WORLD}`);
    const err = explainError(dns, { src: SRC, dst: 'kube-system/kube-dns', port: 53 });
    expect(err.code).toBe('port-required');
    expect(err.message).toMatch(/--protocol/);
    expect(explainOk(dns, { src: SRC, dst: 'kube-system/kube-dns', port: 53, protocol: 'UDP' }).request).toMatchObject({
      protocol: 'UDP',
      port: 53,
      servicePort: 53,
    });
  });

  it('the named targetPort is resolved on the pod', () => {
    expect(explainOk(snapshot, { src: SRC, dst: 'poc-mesh/multi', port: 81 }).request).toMatchObject({
      port: 9901,
      servicePort: 81,
    });
  });

  it('a headless Service gets no port mapping', () => {
    const e = explainOk(snapshot, { src: SRC, dst: 'poc-mesh/backend-headless', port: 8080 });
    expect(e.request).toMatchObject({ port: 8080, servicePort: null });
  });
});

describe('IP peers', () => {
  it('a pod IP resolves to its pod', () => {
    const e = explainOk(snapshot, { src: '10.0.0.5', dst: 'poc-mesh/backend', port: 80 });
    expect(e.source).toMatchObject({ namespace: 'other', name: 'tools', ip: '10.0.0.5' });
  });

  it('a pod IP as destination resolves to its pod (no port mapping)', () => {
    const e = explainOk(snapshot, { src: 'poc-mesh/frontend', dst: '10.0.0.5', port: 7000 });
    expect(e.destination).toMatchObject({ namespace: 'other', name: 'tools', kind: 'Pod' });
    expect(e.request).toMatchObject({ port: 7000, servicePort: null });
  });

  it('a ClusterIP resolves to its Service, with port mapping', () => {
    const e = explainOk(snapshot, { src: SRC, dst: '10.96.0.20', port: 80 });
    expect(e.destination).toMatchObject({
      namespace: 'poc-mesh',
      resolvedFrom: 'service',
      workload: 'Deployment/backend',
    });
    expect(e.request).toMatchObject({ port: 8080, servicePort: 80 });
  });

  it('a ClusterIP destination is judged by the NetworkPolicy of the Service pods', () => {
    const isolated = snapshotFromYaml(
      `${WORLD}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: poc-mesh}\nspec: {podSelector: {}}\n`,
    );
    expect(explainOk(isolated, { src: SRC, dst: '10.96.0.20', port: 80 }).verdict).toBe('denied');
  });

  it('any other IP is an out-of-cluster peer', () => {
    const e = explainOk(snapshot, { src: SRC, dst: '203.0.113.9', port: 443 });
    expect(e.destination).toMatchObject({ resolvedFrom: 'ip', namespace: null, ip: '203.0.113.9', sidecar: false });
  });

  it('the structured {ip} form works like the text form', () => {
    expect(explainOk(snapshot, { src: { ip: '10.0.0.5' }, dst: '203.0.113.9', port: 443 }).source.name).toBe('tools');
  });
});

describe('a Service whose pods differ (canary v1/v2)', () => {
  const tpl = (version: string): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api-${version}, namespace: shop}\nspec:\n  selector: {matchLabels: {app: api, version: ${version}}}\n  template:\n    metadata: {labels: {app: api, version: ${version}}}\n    spec: {containers: [{name: app, ports: [{name: http, containerPort: 8080}]}]}\n---\n`;
  const canary = snapshotFromYaml(`${tpl('v1')}${tpl('v2')}apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {clusterIP: 10.96.0.5, selector: {app: api}, ports: [{port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec: {containers: [{name: app}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: isolate-v2, namespace: shop}
spec: {podSelector: {matchLabels: {version: v2}}, policyTypes: [Ingress]}
`);

  it('reports the worst pod class, and the difference in the notes', () => {
    const e = explainOk(canary, { src: 'shop/client', dst: 'shop/api', port: 80 });
    expect(e.verdict).toBe('denied');
    expect(e.destination.workload).toBe('Deployment/api-v2');
    expect(e.notes.join(' ')).toMatch(/api-v1: allowed.*api-v2: denied/);
  });

  it('a port the Service does not have is a bad query listing its ports', () => {
    const err = explainError(canary, { src: 'shop/client', dst: 'shop/api', port: 8080 });
    expect(err.code).toBe('bad-query');
    expect(err.message).toContain('80/TCP');
  });
});
