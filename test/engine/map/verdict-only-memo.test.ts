/**
 * The mesh step is memoized for verdict-only flows (map) per Snapshot, pods and CNI: a flow under
 * another CNI must not get the answer of the last one. Under Cilium an ipBlock never matches a
 * pod's IP (https://docs.cilium.io/en/stable/network/kubernetes/policy/#networkpolicy: ipBlock is
 * for traffic outside the cluster), so an egress rule to istiod by ipBlock blocks the sidecar's
 * xDS connection there and not under a generic CNI.
 */
import { describe, expect, it } from 'vitest';
import { evaluateFlow } from '../../../src/engine/explain/flow-eval.js';
import { connectionFlow, type FlowContext } from '../../../src/engine/flow.js';
import type { Cni } from '../../../src/model/snapshot.js';
import { snapshotFromYaml } from '../../helpers/snapshot.js';

const WORLD = `
apiVersion: v1
kind: Pod
metadata: {name: istiod-1, namespace: istio-system, labels: {app: istiod, istio: pilot}}
spec: {containers: [{name: discovery, ports: [{containerPort: 15012}]}]}
status: {podIP: 10.0.9.1}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {app: client}}
spec: {containers: [{name: app}, {name: istio-proxy}]}
status: {podIP: 10.0.1.1}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: a, labels: {app: server, security.istio.io/tlsMode: istio}}
spec: {containers: [{name: app, ports: [{containerPort: 8080}]}, {name: istio-proxy}]}
status: {podIP: 10.0.1.2}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: a}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
    - to: [{ipBlock: {cidr: 10.0.9.0/24}}]
      ports: [{port: 15012}]
    - to: [{podSelector: {}}]
`;

describe('the mesh step memo of verdict-only flows', () => {
  const snapshot = snapshotFromYaml(WORLD);
  const pod = (name: string) => snapshot.pods.find((p) => p.name === name)!;
  const flowUnder = (cni: Cni): FlowContext =>
    connectionFlow({ type: 'pod', pod: pod('client') }, { type: 'pod', pod: pod('server') }, 'TCP', 8080, {
      cni,
      verdictOnly: true,
    });
  const mesh = (cni: Cni) => evaluateFlow(snapshot, flowUnder(cni)).steps.find((s) => s.layer === 'mesh')?.verdict;

  it('answers each CNI for itself, in either order', () => {
    expect([mesh('cilium'), mesh('generic'), mesh('cilium'), mesh('generic')]).toEqual([
      'denied',
      'allowed',
      'denied',
      'allowed',
    ]);
  });
});
