import { describe, expect, it } from 'vitest';
import { findingsOfYaml, snapshotFromYaml } from '../../helpers/snapshot.js';

describe('Pods', () => {
  const s = snapshotFromYaml(`apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  serviceAccountName: web-sa
  containers:
  - name: app
    ports: [{name: http, containerPort: 8080}, {containerPort: 53, protocol: UDP}]
status: {podIP: 10.0.0.9}
---
apiVersion: v1
kind: Pod
metadata: {name: node-agent, namespace: shop}
spec:
  hostNetwork: true
  containers: [{name: app}]
status: {podIP: 192.168.0.4}
`);
  const web = s.pods.find((p) => p.name === 'web');

  it('keeps labels, service account and IP', () => {
    expect(web).toMatchObject({
      namespace: 'shop',
      labels: { app: 'web' },
      serviceAccount: 'web-sa',
      ip: '10.0.0.9',
      fromTemplate: false,
    });
  });

  it('a container port without protocol is TCP', () => {
    expect(web?.containers[0]?.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: null, containerPort: 53, protocol: 'UDP' },
    ]);
  });

  it('a pod without serviceAccountName runs as default', () => {
    expect(s.pods.find((p) => p.name === 'node-agent')?.serviceAccount).toBe('default');
  });

  it('hostNetwork is kept', () => {
    expect(s.pods.find((p) => p.name === 'node-agent')?.hostNetwork).toBe(true);
  });

  it('the pod index finds a pod by IP', () => {
    expect(s.index.podByIp.get('10.0.0.9')?.name).toBe('web');
  });
});

describe('Services', () => {
  it('keeps ports with targetPort defaulting to port and protocol to TCP', () => {
    const s = snapshotFromYaml(
      'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {clusterIP: 10.96.1.1, selector: {app: web}, ports: [{port: 80}, {name: grpc, port: 9090, targetPort: grpc, appProtocol: grpc}]}\n',
    );
    expect(s.services[0]?.ports).toEqual([
      { name: null, port: 80, targetPort: 80, protocol: 'TCP', appProtocol: null },
      { name: 'grpc', port: 9090, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'grpc' },
    ]);
    expect(s.index.serviceByIp.get('10.96.1.1')?.name).toBe('web');
  });

  it('a Service port without a number is a missing-field error', () => {
    const f = findingsOfYaml(
      'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{name: http}]}\n',
    ).find((x) => x.code === 'missing-field');
    expect(f).toMatchObject({
      severity: 'error',
      field: 'spec.ports[0].port',
      object: { kind: 'Service', namespace: 'shop', name: 'web' },
    });
  });
});

describe('workloads', () => {
  it('a workload without a pod template is a missing-field error', () => {
    const f = findingsOfYaml(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {selector: {matchLabels: {app: web}}}\n',
    ).find((x) => x.code === 'missing-field');
    expect(f).toMatchObject({ severity: 'error', field: 'spec.template' });
  });

  it('a CronJob without jobTemplate names the CronJob field', () => {
    const f = findingsOfYaml(
      'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c, namespace: shop}\nspec: {schedule: "* * * * *"}\n',
    ).find((x) => x.code === 'missing-field');
    expect(f?.field).toBe('spec.jobTemplate.spec.template');
  });

  it('the representative pod uses the template service account', () => {
    const s = snapshotFromYaml(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {serviceAccountName: web-sa, containers: [{name: app}]}\n',
    );
    expect(s.pods[0]).toMatchObject({ serviceAccount: 'web-sa', ip: null });
  });
});

describe('values the API server would not decode', () => {
  const pod = (labels: string, port: string): string =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a, labels: ${labels}}\nspec: {containers: [{name: c, ports: [{name: web, containerPort: ${port}}]}]}\n`;

  it.each([
    ['a number (1.0 would silently become "1")', '{version: 1.0}'],
    ['a boolean', '{canary: true}'],
  ])('a label value that is %s is an invalid-label error', (_name, labels) => {
    expect(findingsOfYaml(pod(labels, '80')).map((f) => [f.severity, f.code])).toContainEqual([
      'error',
      'invalid-label',
    ]);
  });

  it("an unquoted yes is a boolean to kubectl's YAML 1.1: the error says to quote it, naming the words", () => {
    const f = findingsOfYaml(pod('{canary: yes}', '80')).find((x) => x.code === 'invalid-label');
    expect(f?.message).toMatch(
      /value of "canary" is a boolean; .*quote it \(kubectl reads unquoted .*yes\/no, on\/off/,
    );
  });

  it('a null label value is the empty string (as Go decodes it), not dropped', () => {
    expect(snapshotFromYaml(pod('{version: null}', '80')).pods[0]?.labels).toEqual({ version: '' });
  });

  it('a matchLabels value that is a number is an error, not coerced', () => {
    const np =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: a}\nspec: {podSelector: {matchLabels: {version: 1.0}}}\n';
    expect(findingsOfYaml(np).map((f) => f.code)).toContain('invalid-label');
  });

  it('a quoted containerPort ("80") is an invalid-port error at its field', () => {
    expect(findingsOfYaml(pod('{app: p}', '"80"')).find((x) => x.code === 'invalid-port')).toMatchObject({
      severity: 'error',
      field: 'spec.containers[0].ports[0].containerPort',
    });
  });

  it.each([
    ['a number', '{prometheus.io/port: 9090}'],
    ['a boolean', '{sidecar.istio.io/inject: false}'],
  ])('an annotation value that is %s is an error at metadata.annotations', (_name, annotations) => {
    const doc = `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a, labels: {app: p}, annotations: ${annotations}}\nspec: {containers: [{name: c}]}\n`;
    expect(
      findingsOfYaml(doc)
        .filter((f) => f.severity === 'error')
        .map((f) => f.field),
    ).toContainEqual(expect.stringMatching(/^metadata\.annotations/));
  });

  it.each([
    [
      'a Service selector value that is a number',
      'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec: {selector: {version: 1}, ports: [{port: 80}]}\n',
      'spec.selector',
    ],
    [
      'a matchExpressions value that is a number',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: a}\nspec: {podSelector: {matchExpressions: [{key: v, operator: In, values: [1]}]}}\n',
      'spec.podSelector.matchExpressions[0].values',
    ],
    [
      'a quoted numeric targetPort ("8080" would be a port name)',
      'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec: {selector: {app: x}, ports: [{port: 80, targetPort: "8080"}]}\n',
      'spec.ports[0].targetPort',
    ],
  ])('%s is an error at its field', (_name, doc, field) => {
    expect(
      findingsOfYaml(doc)
        .filter((f) => f.severity === 'error')
        .map((f) => f.field),
    ).toContainEqual(expect.stringContaining(field));
  });
});
