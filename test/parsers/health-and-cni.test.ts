import { describe, expect, it } from 'vitest';
import { ofKind, parseFixture, parseLines } from './parse-fixture.js';
import { parsePolicyHitLabel } from '../../src/parsers/calico.js';

describe('mesh health (samples of the symptom table)', () => {
  const { events, issues } = parseFixture('mesh-health.log');
  const health = ofKind(events, 'MeshHealthEvent');

  it('recognizes every line', () => {
    expect(issues).toEqual([]);
    expect(health.map((h) => [h.problem, h.failing, h.target, h.component])).toEqual([
      ['proxy-not-ready', true, null, null],
      ['ca-request-failed', true, null, 'ca'],
      ['certificate-sign-failed', true, '10.96.12.4:15012', 'cache'],
      ['xds-upstream-failed', true, 'istiod.istio-system.svc:15012', 'xdsproxy'],
      ['xds-stream-closed', true, '10.233.48.75:15012', 'envoy config'],
      ['sds-stream-closed', true, null, 'envoy config'],
      ['dns-timeout', true, '10.96.0.10:53', 'ca'],
      ['xds-connected', false, 'istiod.istio-system.svc:15012', 'xdsproxy'],
      [
        'jwks-fetch-failed',
        true,
        'https://raw.githubusercontent.com/istio/istio/release-1.28/security/tools/jwt/samples/jwks.json',
        'model',
      ],
    ]);
  });

  it('keeps the level and time of Istio Go lines', () => {
    expect(health[2]).toMatchObject({ level: 'error', time: '2023-10-01T10:00:02.000000Z', lineNo: 3 });
  });

  it('reads the health line from JSON agent logs too', () => {
    const line = JSON.stringify({
      time: '2025-01-01T00:00:00Z',
      level: 'warn',
      scope: 'xdsproxy',
      msg: 'failed to connect to upstream istiod.istio-system.svc:15012: EOF',
    });
    expect(ofKind(parseLines([line]).events, 'MeshHealthEvent')[0]).toMatchObject({
      problem: 'xds-upstream-failed',
      component: 'xdsproxy',
    });
  });

  it('ignores debug lines that merely mention the words', () => {
    const line =
      '2025-01-01T00:00:00.000000Z\tdebug\tenvoy config c.cc:1\tStreamAggregatedResources gRPC config stream to xds-grpc closed\tthread=1';
    expect(parseLines([line]).events).toEqual([]);
  });
});

describe('Calico', () => {
  const { events, issues } = parseFixture('calico-kube-router.log');

  it('parses the calico-packet kernel line (ibm-cloud-docs sample shape)', () => {
    expect(issues).toEqual([]);
    expect(ofKind(events, 'CalicoPacketLog')[0]).toMatchObject({
      prefix: 'calico-packet',
      host: 'worker-1',
      time: 'Sep 5 14:34:40',
      inInterface: 'eth1',
      outInterface: null,
      src: '192.168.10.5',
      dst: '192.168.10.6',
      protocol: 'TCP',
      srcPort: 42962,
      dstPort: 22,
    });
  });

  it('parses a Whisker flow with an end-of-tier hit triggered by a k8s NetworkPolicy', () => {
    const [flow] = ofKind(events, 'CalicoFlow');
    expect(flow).toMatchObject({
      action: 'Deny',
      reporter: 'Dst',
      source: { namespace: 'a', name: 'client-7d9c*' },
      destination: { namespace: 'b', name: 'server-5f6b*' },
      protocol: 'tcp',
      destPort: 8080,
      pending: [],
      startTime: '2025-06-01T10:00:00Z',
      endTime: '2025-06-01T10:00:15Z',
    });
    expect(flow?.enforced[0]).toMatchObject({
      kind: 'EndOfTier',
      ruleIndex: -1,
      trigger: { kind: 'NetworkPolicy', namespace: 'b', name: 'default-deny' },
    });
  });

  it('parses a Goldmane flow (protojson camelCase, unix seconds, label hits, pending policies)', () => {
    const line = JSON.stringify({
      key: {
        sourceName: 'client-*',
        sourceNamespace: 'a',
        destName: 'server-*',
        destNamespace: 'b',
        destPort: '8080',
        proto: 'tcp',
        reporter: 'Src',
        action: 'Allow',
        policies: {
          enforcedPolicies: ['0|default|b/knp.default.allow-a|allow|0'],
          pendingPolicies: ['0|default|sknp:b/lockdown|deny|-1'],
        },
      },
      startTime: 1748772000,
      endTime: '1748772015',
    });
    const [flow] = ofKind(parseLines([line]).events, 'CalicoFlow');
    expect(flow).toMatchObject({
      action: 'Allow',
      reporter: 'Src',
      destPort: 8080,
      startTime: '2025-06-01T10:00:00.000Z',
      endTime: '2025-06-01T10:00:15.000Z',
    });
    expect(flow?.enforced[0]).toMatchObject({
      kind: 'NetworkPolicy',
      namespace: 'b',
      name: 'allow-a',
      action: 'allow',
      ruleIndex: 0,
    });
    expect(flow?.pending[0]).toMatchObject({
      kind: 'StagedKubernetesNetworkPolicy',
      namespace: 'b',
      name: 'lockdown',
      ruleIndex: -1,
    });
  });

  it.each([
    [
      '0|tier1|ns1/tier1.policy1|deny|-1',
      { kind: 'CalicoNetworkPolicy', namespace: 'ns1', name: 'tier1.policy1', tier: 'tier1', ruleIndex: -1 },
    ],
    [
      '0|default|namespace/knp.default.name|allow|2',
      { kind: 'NetworkPolicy', namespace: 'namespace', name: 'name', ruleIndex: 2 },
    ],
    [
      '0|adminnetworkpolicy|kanp.adminnetworkpolicy.policy1|allow|-1',
      { kind: 'AdminNetworkPolicy', namespace: null, name: 'policy1' },
    ],
    ['0|tier1|np:ns1/tier1.policy1|deny|-1', { kind: 'CalicoNetworkPolicy', namespace: 'ns1', name: 'tier1.policy1' }],
    [
      '0|default|knp:namespace/name|allow|2',
      { kind: 'NetworkPolicy', namespace: 'namespace', name: 'name', policyIndex: 0, ruleIndex: 2 },
    ],
    [
      '1|default|gnp:default.global-deny|deny|3',
      { kind: 'GlobalNetworkPolicy', namespace: null, name: 'default.global-deny', policyIndex: 1 },
    ],
  ])('policy hit label %s', (label, expected) => {
    expect(parsePolicyHitLabel(label)).toMatchObject(expected);
  });

  it('reports a flow without an action', () => {
    const { issues } = parseLines(['{"source_name":"a","dest_name":"b","dest_namespace":"b","action":""}']);
    expect(issues[0]).toMatchObject({ code: 'malformed-flow', lineNo: 1 });
  });
});

describe('kube-router', () => {
  const { events } = parseFixture('calico-kube-router.log');
  const cni = ofKind(events, 'CniHealthEvent');

  it('controller start (k3s journald prefix + klog header)', () => {
    expect(cni[0]).toMatchObject({
      cni: 'kube-router',
      problem: 'controller-started',
      enforcing: null,
      time: '0701 11:06:01.227051',
      message: 'Starting network policy controller',
    });
  });

  it('Aborting sync means NetworkPolicies are not being enforced on this node', () => {
    expect(cni[1]).toMatchObject({
      problem: 'policy-sync-aborted',
      enforcing: false,
      summary: 'NetworkPolicies are not being enforced on this node',
    });
    expect(cni[1]?.message.startsWith('Aborting sync. Failed to sync network policy chains')).toBe(true);
  });

  it('a calico-node log line is not an event (calico-node logs no drops)', () => {
    const line =
      '2025-07-10 01:28:01.395 [INFO][398805] felix/int_dataplane.go 2041: Received *proto.ServiceAccountUpdate update from calculation graph msg=id:<namespace:"kube-system" name:"cronjob-controller" >';
    expect(parseLines([line]).events).toEqual([]);
  });
});

describe('more verbatim samples', () => {
  it('seed 003: istiod cannot fetch the JWKS (both lines)', () => {
    const { events, issues } = parseFixture('seed-003-istiod.log');
    expect(issues).toEqual([]);
    const url = 'https://raw.githubusercontent.com/istio/istio/release-1.28/security/tools/jwt/samples/jwks.json';
    expect(ofKind(events, 'MeshHealthEvent').map((e) => [e.problem, e.level, e.component, e.target, e.time])).toEqual([
      ['jwks-fetch-failed', 'warn', 'model', url, '2026-01-27T13:37:48.598329Z'],
      ['jwks-fetch-failed', 'error', 'model', url, '2026-01-27T13:37:49.599245Z'],
    ]);
  });

  it('older and other-era lines: bare rbac_access_denied, old ADS close, delta connect, ztunnel, istiod JWKS, kube-router goroutine; istiod debug is no event', () => {
    const { events, issues } = parseFixture('more-verbatim.log');
    expect(issues).toEqual([]);
    expect(ofKind(events, 'LocalReply')[0]).toMatchObject({
      rbacDenied: true,
      rbacPolicyId: null,
      details: 'rbac_access_denied',
      envoy: { connectionId: '12', streamId: '345' },
    });
    expect(ofKind(events, 'MeshHealthEvent').map((e) => [e.problem, e.target])).toEqual([
      ['xds-stream-closed', '10.96.5.5:15012'],
      ['xds-connected', 'istiod.istio-system.svc:15012'],
      ['xds-upstream-failed', null],
      ['jwks-fetch-failed', 'testing@secure.istio.io'],
    ]);
    expect(ofKind(events, 'CniHealthEvent')[0]).toMatchObject({
      problem: 'controller-started',
      time: '0701 11:06:01.301012',
    });
    expect(events).toHaveLength(6);
  });
});
