/**
 * The parts of the map engine: which pods form one class, how ports are cut, how external
 * addresses are classed, and how two maps differ (DESIGN.md "map and diff").
 */
import { describe, expect, it } from 'vitest';
import { policyFacts, policyRangesOf, rangesOf } from '../../../src/engine/map/policy-facts.js';
import { networkPoliciesSelecting } from '../../../src/engine/network-policy/kubernetes.js';
import { classify, podClassSignature } from '../../../src/engine/map/pod-classes.js';
import { externalClasses } from '../../../src/engine/map/external-classes.js';
import { intervalsFrom, mergeRanges, portClasses } from '../../../src/engine/map/port-intervals.js';
import { diffMaps, indexEdges } from '../../../src/engine/map/diff.js';
import { pairProbes } from '../../../src/engine/map/pair-probes.js';
import type { MapConnection, MapEdge } from '../../../src/engine/map/connectivity-map.js';
import { parseCidr, type Cidr } from '../../../src/util/cidr.js';
import { capturePorts, captureRanges } from '../../../src/engine/istio/capture.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';

const WORLD = `
apiVersion: v1
kind: Pod
metadata: {name: a1, namespace: n1, labels: {app: a, build: "1"}}
spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: a2, namespace: n1, labels: {app: a, build: "2"}}
spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
status: {podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: a3, namespace: n1, labels: {app: a, build: "3"}}
spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
status: {podIP: 10.9.0.3}
---
apiVersion: v1
kind: Pod
metadata: {name: b1, namespace: n1, labels: {app: b}}
spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
status: {podIP: 10.0.0.4}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-a, namespace: n1}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: a}}}, {ipBlock: {cidr: 10.9.0.0/16}}]
      ports: [{port: 8080}, {port: 9000, endPort: 9100}]
`;

describe('pod classes', () => {
  const snapshot = snapshotFromYaml(WORLD);
  const facts = policyFacts(snapshot);
  const byName = (n: string) => snapshot.pods.find((p) => p.name === n)!;
  const sig = (n: string) => podClassSignature(byName(n), facts);

  it('reads the label keys selectors use, the address blocks and the ports rules name', () => {
    expect([...(facts.labelKeys ?? [])].sort()).toEqual(['app']);
    expect(facts.cidrs.map((c) => c.text)).toEqual(['10.9.0.0/16']);
    // a single port is a range of one; port..endPort one range. They are the ranges of the pods
    // only-a selects, not of its namespace: it cannot split ports between pods it does not select
    expect(policyRangesOf(networkPoliciesSelecting(snapshot, byName('b1')))).toEqual([
      [8080, 8080],
      [9000, 9100],
    ]);
    expect(networkPoliciesSelecting(snapshot, byName('a1'))).toEqual([]);
    expect([...rangesOf(facts, 'n1').values()]).toEqual([]);
  });

  it('a label no selector reads does not split pods; a different selected label or address block does', () => {
    expect(sig('a1')).toBe(sig('a2'));
    expect(sig('a1')).not.toBe(sig('b1'));
    expect(sig('a1')).not.toBe(sig('a3')); // 10.9.0.3 is inside the ipBlock
    const classes = classify(['a1', 'a2', 'a3', 'b1'], sig);
    expect(classes.classOf).toEqual([0, 0, 1, 2]);
    expect(classes.representatives).toEqual(['a1', 'a3', 'b1']);
  });

  it('ServiceAccounts are no policy: their labels add no label key and no address block', () => {
    // a ServiceAccount's labels reach answers through pod.serviceAccount, part of every pod class
    const withSa = snapshotFromYaml(
      `${WORLD}---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: n1, labels: {team: x, peer: 10.7.0.0}}\n`,
    );
    expect(withSa.serviceAccounts?.size).toBe(1);
    const saFacts = policyFacts(withSa);
    expect(saFacts.cidrs.map((c) => c.text)).toEqual(['10.9.0.0/16']);
    expect([...(saFacts.labelKeys ?? [])].sort()).toEqual(['app']);
  });

  it('a pair is answered by one evaluation per protocol and port class, not per interval', () => {
    const pod = (n: string) => ({ type: 'pod', pod: byName(n) }) as const;
    // only-a names 8080 and 9000-9100: 1-8079, 8081-8999 and 9101-65535 are one class; UDP and SCTP one each
    expect(pairProbes(snapshot, facts, pod('a1'), pod('b1'))).toEqual([
      {
        protocol: 'TCP',
        port: 1,
        ports: [
          [1, 8079],
          [8081, 8999],
          [9101, 65535],
        ],
      },
      { protocol: 'TCP', port: 8080, ports: [[8080, 8080]] },
      { protocol: 'TCP', port: 9000, ports: [[9000, 9100]] },
      { protocol: 'UDP', port: 1, ports: [[1, 65535]] },
      { protocol: 'SCTP', port: 1, ports: [[1, 65535]] },
    ]);
    // between two pods only-a does not select, its ports split nothing: one evaluation per protocol
    expect(pairProbes(snapshot, facts, pod('a3'), pod('a1'))).toEqual([
      { protocol: 'TCP', port: 1, ports: [[1, 65535]] },
      { protocol: 'UDP', port: 1, ports: [[1, 65535]] },
      { protocol: 'SCTP', port: 1, ports: [[1, 65535]] },
    ]);
  });

  it('a selector written as an expression string (Calico) makes every label count', () => {
    const calicoLike = { ...snapshot, extra: [{ namespace: 'n1', selector: "app == 'a'" }] } as typeof snapshot;
    expect(policyFacts(calicoLike).labelKeys).toBeNull();
  });
});

describe('sidecar capture annotations', () => {
  const annotated = `
apiVersion: v1
kind: Pod
metadata:
  name: s
  namespace: n1
  annotations:
    traffic.sidecar.istio.io/excludeInboundPorts: "7070, 15020"
    traffic.sidecar.istio.io/includeInboundPorts: "*"
    traffic.sidecar.istio.io/excludeOutboundPorts: "5432"
    traffic.sidecar.istio.io/excludeOutboundIPRanges: "10.9.8.0/24"
    traffic.sidecar.istio.io/includeOutboundIPRanges: "*"
spec: {containers: [{name: c}, {name: istio-proxy}]}
status: {podIP: 10.0.0.9}
`;
  const snapshot = snapshotFromYaml(annotated);
  const pod = snapshot.pods[0]!;

  it('names the ports and ranges a pod takes out of (or puts into) its sidecar, never "*"', () => {
    expect(capturePorts(pod)).toEqual([7070, 15020, 5432]);
    expect(captureRanges(pod)).toEqual(['10.9.8.0/24']);
  });

  it('a capture range is an address block of the map (it tells destinations apart)', () => {
    expect(policyFacts(snapshot).cidrs.map((c) => c.text)).toEqual(['10.9.8.0/24']);
  });
});

describe('port intervals', () => {
  it('cuts 1..65535 at the given starts, isolating single ports', () => {
    expect(intervalsFrom([80, 81])).toEqual([
      [1, 79],
      [80, 80],
      [81, 65535],
    ]);
    expect(intervalsFrom([])).toEqual([[1, 65535]]);
    expect(intervalsFrom([65535, 1, 2, 65536])).toEqual([
      [1, 1],
      [2, 65534],
      [65535, 65535],
    ]);
  });

  it('groups the ports by the named ranges they fall in: ports outside them all are one class', () => {
    expect(
      portClasses([
        [8080, 8080],
        [9000, 9100],
      ]),
    ).toEqual([
      [
        [1, 8079],
        [8081, 8999],
        [9101, 65535],
      ],
      [[8080, 8080]],
      [[9000, 9100]],
    ]);
    // overlapping ranges: 9050-9100 lies in both
    expect(
      portClasses([
        [9000, 9100],
        [9050, 9200],
      ]),
    ).toEqual([
      [
        [1, 8999],
        [9201, 65535],
      ],
      [[9000, 9049]],
      [[9050, 9100]],
      [[9101, 9200]],
    ]);
    expect(portClasses([])).toEqual([[[1, 65535]]]);
  });

  it('merges adjacent ranges', () => {
    expect(
      mergeRanges([
        [1, 5],
        [6, 9],
        [11, 12],
      ]),
    ).toEqual([
      [1, 9],
      [11, 12],
    ]);
  });
});

describe('external address classes', () => {
  const cidrs = ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16', '192.168.1.0/24'].map((t) => parseCidr(t) as Cidr);

  it('one class per block, named by the smallest block that holds it, with an address outside nested blocks', () => {
    const classes = externalClasses(cidrs, new Set(['10.0.0.0']));
    expect(classes.map((c) => [c.id, c.representative])).toEqual([
      ['external/0.0.0.0/0', '0.0.0.0'],
      ['external/10.0.0.0/8', '10.0.0.1'],
      ['external/10.1.0.0/16', '10.1.0.0'],
      ['external/192.168.1.0/24', '192.168.1.0'],
    ]);
  });

  it('adds the whole IPv6 space only when a rule names an IPv6 block', () => {
    expect(externalClasses([], new Set()).map((c) => c.id)).toEqual(['external/0.0.0.0/0']);
    const v6 = externalClasses([parseCidr('fd00::/8') as Cidr], new Set()).map((c) => c.id);
    expect(v6).toEqual(['external/0.0.0.0/0', 'external/::/0', 'external/fd00::/8']);
  });
});

describe('diff of two maps', () => {
  const conn = (ports: [number, number][], extra: Partial<MapConnection> = {}): MapConnection => ({
    protocol: 'TCP',
    ports,
    verdict: 'allowed',
    http: null,
    mtls: false,
    by: ['r'],
    ...extra,
  });
  const edge = (src: string, dst: string, connections: MapConnection[]): MapEdge => ({ src, dst, connections });

  it('opened, closed, widened and narrowed', () => {
    const before = indexEdges([
      edge('a', 'b', [conn([[80, 80]])]),
      edge('a', 'c', [
        conn([
          [80, 80],
          [443, 443],
        ]),
      ]),
    ]);
    const after = indexEdges([
      edge('a', 'c', [
        conn([
          [443, 443],
          [8080, 8080],
        ]),
      ]),
      edge('a', 'd', [conn([[1, 65535]])]),
    ]);
    const changes = diffMaps(before, after).map((c) => `${c.change} ${c.src}->${c.dst} ${JSON.stringify(c.ports)}`);
    expect(changes).toEqual([
      'closed a->b [[80,80]]',
      'narrowed a->c [[80,80]]',
      'widened a->c [[8080,8080]]',
      'opened a->d [[1,65535]]',
    ]);
  });

  it('an HTTP restriction added to an allowed port narrows it; removed, widens it', () => {
    const http = { rules: [{ ruleRef: 'x', match: { methods: ['GET'] } }] };
    const open = indexEdges([edge('a', 'b', [conn([[80, 80]])])]);
    const restricted = indexEdges([edge('a', 'b', [conn([[80, 80]], { verdict: 'conditional', http })])]);
    expect(diffMaps(open, restricted).map((c) => c.change)).toEqual(['narrowed']);
    expect(diffMaps(restricted, open).map((c) => c.change)).toEqual(['widened']);
    expect(diffMaps(open, open)).toEqual([]);
  });
});

const NAMED_PORTS_WORLD = `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: n1}
spec: {selector: {app: a}, ports: [{name: http-web, port: 80, targetPort: web}, {port: 81, targetPort: 7070}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: named, namespace: n1}
spec:
  podSelector: {}
  ingress: [{ports: [{port: metrics}]}]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: calico, namespace: n2}
spec:
  selector: all()
  ingress: [{action: Allow, protocol: TCP, destination: {ports: [5000, "6000:6100", admin]}}]
`;

describe('port facts', () => {
  const facts = policyFacts(snapshotFromYaml(NAMED_PORTS_WORLD));
  const ports = (ns: string) => [...rangesOf(facts, ns).values()].sort((a, b) => a[0] - b[0]);

  it("a Service's targetPort is named, its own port is not (flows go to pod ports)", () => {
    expect(ports('n1')).toEqual([[7070, 7070]]);
  });

  it('Calico numeric ports and ranges are named ranges', () => {
    expect(ports('n2')).toEqual([
      [5000, 5000],
      [6000, 6100],
    ]);
  });

  it('collects the port names rules and Services refer to (what container ports matter as cuts)', () => {
    expect([...facts.portNames].sort()).toEqual(['admin', 'http-web', 'metrics', 'web']);
  });
});
