import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../helpers/snapshot.js';

const pod = (name: string, ns: string | null, labels = `{app: ${name}}`): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}${ns ? `, namespace: "${ns}"` : ''}, labels: ${labels}}\nspec: {containers: [{name: app, ports: [{containerPort: 80}]}]}\n---\n`;

describe('namespaces of objects', () => {
  it('an object without a namespace goes to default', () => {
    const s = snapshotFromYaml(pod('web', null));
    expect(s.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(['default/web']);
  });

  it('an object without a namespace goes to -n when given', () => {
    const s = snapshotFromYaml(pod('web', null), { namespace: 'shop' });
    expect(s.pods.map((p) => p.namespace)).toEqual(['shop']);
  });

  it('an object with a namespace keeps it even with -n', () => {
    const s = snapshotFromYaml(pod('web', 'prod'), { namespace: 'shop' });
    expect(s.pods.map((p) => p.namespace)).toEqual(['prod']);
  });

  it('an undeclared namespace is synthesized with only kubernetes.io/metadata.name', () => {
    const ns = snapshotFromYaml(pod('web', 'prod')).namespaces.get('prod');
    expect(ns?.labels).toEqual({ 'kubernetes.io/metadata.name': 'prod' });
    expect(ns?.synthesized).toBe(true);
  });

  it('a declared namespace keeps its labels and is not synthesized', () => {
    const s = snapshotFromYaml(
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: prod, labels: {env: prod}}\n---\n${pod('web', 'prod')}`,
    );
    expect(s.namespaces.get('prod')?.labels['env']).toBe('prod');
    expect(s.namespaces.get('prod')?.labels['kubernetes.io/metadata.name']).toBe('prod');
    expect(s.namespaces.get('prod')?.synthesized).toBe(false);
  });

  it('declared namespaces give no namespace-synthesized assumption', () => {
    const decl = (n: string): string => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${n}}\n---\n`;
    const e = explainOk(snapshotFromYaml(decl('one') + decl('two') + pod('a', 'one') + pod('b', 'two')), {
      src: 'one/a',
      dst: 'two/b',
      port: 80,
    });
    expect(e.assumptions.map((a) => a.code)).not.toContain('namespace-synthesized');
  });

  it('a synthesized namespace is an assumption of the explanation, never a condition', () => {
    const e = explainOk(snapshotFromYaml(pod('a', 'one') + pod('b', 'two')), { src: 'one/a', dst: 'two/b', port: 80 });
    expect(e.assumptions.map((a) => a.code)).toContain('namespace-synthesized');
    expect(e.assumptions.some((a) => a.message.includes('two'))).toBe(true);
    expect(e.conditions).toEqual([]);
    expect(e.verdict).toBe('allowed');
  });
});

const template = `
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, ports: [{containerPort: 80}]}]}`;

describe('each workload kind yields a representative pod', () => {
  it.each([
    ['Deployment', 'apps/v1', `  selector: {matchLabels: {app: web}}\n  template:${template}`],
    ['StatefulSet', 'apps/v1', `  serviceName: web\n  selector: {matchLabels: {app: web}}\n  template:${template}`],
    ['DaemonSet', 'apps/v1', `  selector: {matchLabels: {app: web}}\n  template:${template}`],
    ['ReplicaSet', 'apps/v1', `  selector: {matchLabels: {app: web}}\n  template:${template}`],
    ['ReplicationController', 'v1', `  selector: {app: web}\n  template:${template}`],
    ['Job', 'batch/v1', `  template:${template}`],
    [
      'CronJob',
      'batch/v1',
      `  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:${template.replace(/\n/g, '\n    ')}`,
    ],
  ])('%s', (kind, apiVersion, spec) => {
    const s = snapshotFromYaml(
      `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: web, namespace: shop}\nspec:\n${spec}\n`,
    );
    expect(s.pods).toHaveLength(1);
    expect(s.pods[0]?.labels['app']).toBe('web');
    expect(s.pods[0]?.namespace).toBe('shop');
    expect(s.pods[0]?.fromTemplate).toBe(true);
    const group = s.groups.find((g) => g.pods.includes(s.pods[0]!));
    expect(group).toMatchObject({ kind, name: 'web', namespace: 'shop' });
  });

  it('a workload is reachable as a peer by KIND/NAME', () => {
    const s = snapshotFromYaml(
      `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:${template}\n`,
    );
    expect(explainOk(s, { src: 'sts/db.shop', dst: 'shop/db', port: 80 }).destination.workload).toBe('StatefulSet/db');
  });
});

const livePod = (name: string, owner: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
  labels: {app: web}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: ${owner}, controller: true, uid: u1}]
spec: {containers: [{name: app}]}
status: {podIP: 10.0.0.${name.length}}
---
`;

const replicaSet = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d9c
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true, uid: u0}]
spec:
  selector: {matchLabels: {app: web}}
  template:${template}
---
`;

describe('live pods are grouped under their controller owner', () => {
  it('two pods of one ReplicaSet form one group named after it', () => {
    const s = snapshotFromYaml(livePod('web-5d9c-aaaaa', 'web-5d9c') + livePod('web-5d9c-bbbbbb', 'web-5d9c'));
    const groups = s.groups.filter((g) => g.namespace === 'shop');
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ kind: 'ReplicaSet', name: 'web-5d9c' });
    expect(groups[0]?.pods).toHaveLength(2);
  });

  it('the ReplicaSet name works as a peer name', () => {
    const s = snapshotFromYaml(livePod('web-5d9c-aaaaa', 'web-5d9c'));
    expect(explainOk(s, { src: 'shop/web-5d9c', dst: 'shop/web-5d9c', port: 80 }).source.name).toBe('web-5d9c-aaaaa');
  });

  it('with the ReplicaSet object in the input, the pods group under the Deployment', () => {
    const s = snapshotFromYaml(replicaSet + livePod('web-5d9c-aaaaa', 'web-5d9c'));
    const group = s.groups.find((g) => g.pods.some((p) => p.name === 'web-5d9c-aaaaa'));
    expect(group).toMatchObject({ kind: 'Deployment', name: 'web' });
    expect(explainOk(s, { src: 'deploy/web.shop', dst: 'shop/web-5d9c', port: 80 }).source.workload).toBe(
      'Deployment/web',
    );
  });

  it('live pods replace the template pod of their controller (no extra representative)', () => {
    const s = snapshotFromYaml(replicaSet + livePod('web-5d9c-aaaaa', 'web-5d9c'));
    expect(s.pods.map((p) => p.name)).toEqual(['web-5d9c-aaaaa']);
  });
});

describe('detected, not modelled policies', () => {
  const world = pod('a', 'x') + pod('b', 'y');
  it.each([
    ['CiliumNetworkPolicy', 'cilium.io/v2', 'CiliumNetworkPolicy', 'y'],
    ['CiliumClusterwideNetworkPolicy', 'cilium.io/v2', 'CiliumClusterwideNetworkPolicy', null],
    ['ClusterNetworkPolicy', 'policy.networking.k8s.io/v1alpha2', 'ClusterNetworkPolicy', null],
  ])('%s makes the verdict conditional with unmodelled-policy', (_name, apiVersion, kind, ns) => {
    const extra = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: extra${ns ? `, namespace: "${ns}"` : ''}}\nspec: {}\n`;
    const s = snapshotFromYaml(world + extra);
    expect(s.unmodelled.map((u) => u.name)).toContain('extra');
    const e = explainOk(s, { src: 'x/a', dst: 'y/b', port: 80 });
    expect(e.verdict).toBe('conditional');
    expect(e.conditions).toContainEqual(
      expect.objectContaining({ code: 'unmodelled-policy', message: expect.stringContaining('extra') }),
    );
  });

  // Calico's own policies are evaluated: one without rules selects every pod of its namespace for
  // ingress (types default to Ingress, networkpolicy.go) and the default tier ends in a deny.
  it.each([
    ['projectcalico.org/v3', 'y', 'denied'],
    ['crd.projectcalico.org/v1', 'y', 'denied'],
    ['projectcalico.org/v3', 'x', 'allowed'],
    ['projectcalico.org/v3', 'z', 'allowed'],
  ])('a Calico NetworkPolicy (%s) in namespace %s: %s, never conditional', (apiVersion, ns, verdict) => {
    const extra = `apiVersion: ${apiVersion}\nkind: NetworkPolicy\nmetadata: {name: extra, namespace: "${ns}"}\nspec: {}\n`;
    const s = snapshotFromYaml(world + extra);
    expect(s.unmodelled).toEqual([]);
    const e = explainOk(s, { src: 'x/a', dst: 'y/b', port: 80 });
    expect(e.verdict).toBe(verdict);
    if (verdict === 'denied') expect(e.decidedBy?.policy?.ruleRef).toBe('CalicoNetworkPolicy:y/extra:ingress[-1]');
  });

  it('kinds meshdbg does not use are counted in ignoredKinds with their apiVersion', () => {
    const s = snapshotFromYaml(
      `${pod('a', 'x')}apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1, namespace: x}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w2, namespace: x}\n`,
    );
    expect([...s.ignoredKinds.entries()]).toEqual([['Widget (example.com/v1)', 2]]);
  });
});

describe('owner chains of live pods', () => {
  const owned = (name: string, kind: string, owner: string, controller = true): string =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: shop\n  labels: {app: x}\n  ownerReferences: [{apiVersion: v1, kind: ${kind}, name: ${owner}, controller: ${controller}, uid: u}]\nspec: {containers: [{name: app}]}\n---\n`;
  const groupsOf = (text: string): string[] =>
    snapshotFromYaml(text).groups.map((g) => `${g.kind}/${g.name}:${g.pods.length}`);

  it('a Job pod groups under the CronJob when the Job object is in the input', () => {
    const job =
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: nightly-2891\n  namespace: shop\n  ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: nightly, controller: true, uid: u}]\nspec:\n  template:\n    metadata: {labels: {app: x}}\n    spec: {containers: [{name: c}]}\n---\n';
    const s = snapshotFromYaml(job + owned('nightly-2891-abcde', 'Job', 'nightly-2891'));
    expect(s.groups.map((g) => `${g.kind}/${g.name}:${g.pods.length}`)).toEqual(['CronJob/nightly:1']);
    expect(s.groups[0]?.aliases).toContainEqual({ kind: 'Job', name: 'nightly-2891' });
  });

  it('StatefulSet pods group under the StatefulSet', () => {
    expect(groupsOf(owned('db-0', 'StatefulSet', 'db') + owned('db-1', 'StatefulSet', 'db'))).toEqual([
      'StatefulSet/db:2',
    ]);
  });

  it('DaemonSet pods group under the DaemonSet', () => {
    expect(groupsOf(owned('agent-x1', 'DaemonSet', 'agent'))).toEqual(['DaemonSet/agent:1']);
  });

  it('an owner that is not the controller does not group the pod', () => {
    expect(groupsOf(owned('p', 'ReplicaSet', 'rs', false))).toEqual(['Pod/p:1']);
  });
});

describe('CNI detection', () => {
  const daemonSet = (name: string, ns = 'kube-system'): string =>
    `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ${name}, namespace: "${ns}"}\nspec:\n  selector: {matchLabels: {k8s-app: ${name}}}\n  template:\n    metadata: {labels: {k8s-app: ${name}}}\n    spec: {hostNetwork: true, containers: [{name: c}]}\n---\n`;

  it.each([
    ['calico-node', 'calico'],
    ['cilium', 'cilium'],
    ['kube-router', 'kube-router'],
    ['kube-proxy', 'generic'],
  ])('a %s DaemonSet -> %s', (name, cni) => {
    expect(snapshotFromYaml(daemonSet(name)).detectedCni).toBe(cni);
  });

  it.each([
    ['cilium-demo', 'default'],
    ['my-kube-router-test', 'apps'],
    ['calico-node', 'team-a'],
  ])('an application Deployment %s in %s does not change the detected CNI', (name, ns) => {
    const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: "${ns}"}\nspec:\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n    spec: {containers: [{name: c}]}\n`;
    expect(snapshotFromYaml(deployment).detectedCni).toBe('generic');
  });

  it('calico-node in calico-system (operator install) is detected', () => {
    expect(snapshotFromYaml(daemonSet('calico-node', 'calico-system')).detectedCni).toBe('calico');
  });

  const denyWorld = `${pod('a', 'x')}${pod('b', 'y')}apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: "y"}\nspec: {podSelector: {}}\n---\n`;

  it.each([
    ['kube-router', 'connection-refused'],
    ['calico-node', 'connect-timeout'],
    ['cilium', 'connect-timeout'],
  ])('without --cni, a NetworkPolicy denial under a detected %s DaemonSet looks like %s', (name, status) => {
    const e = explainOk(snapshotFromYaml(denyWorld + daemonSet(name)), { src: 'x/a', dst: 'y/b', port: 80 });
    expect(e.verdict).toBe('denied');
    expect(e.expectedResponse.status).toBe(status);
  });

  it('--cni overrides the detected CNI', () => {
    const e = explainOk(snapshotFromYaml(denyWorld + daemonSet('calico-node')), {
      src: 'x/a',
      dst: 'y/b',
      port: 80,
      cni: 'kube-router',
    });
    expect(e.expectedResponse.status).toBe('connection-refused');
  });
});

describe('ServiceAccounts (their labels feed Calico serviceAccounts selectors)', () => {
  const sa = (labels: string, ns = 'shop'): string =>
    `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web-sa, namespace: "${ns}", labels: ${labels}}\n---\n`;

  it('are kept by namespace/name with their labels', () => {
    const s = snapshotFromYaml(sa('{team: payments}') + sa('{team: search}', 'other'));
    expect(s.serviceAccounts?.get('shop/web-sa')?.labels).toEqual({ team: 'payments' });
    expect(s.serviceAccounts?.get('other/web-sa')?.labels).toEqual({ team: 'search' });
  });

  it('an invalid label value is reported with the field, as for other objects', () => {
    const s = snapshotFromYaml(sa('{team: "no spaces allowed"}'));
    const f = s.findings.find((x) => x.object?.kind === 'ServiceAccount');
    expect(f?.field).toBe('metadata.labels.team');
    expect(f?.severity).toBe('error');
  });
});
