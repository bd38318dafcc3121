/**
 * The per-endpoint tier plan (members.ts tierPlanFor) is kept per selection class: pods alike in
 * namespace, service account, host network and labels share one plan; a difference in any of them
 * that a Calico selector can see gives the pod its own members.
 */
import { describe, expect, it } from 'vitest';
import { explainOk, networkVerdict, snapshotFromYaml } from '../../helpers/snapshot.js';
import { tierPlanFor } from '../../../src/engine/calico/members.js';
import { enforcedView } from '../../../src/engine/calico/staged.js';
import type { Snapshot } from '../../../src/model/snapshot.js';

const pod = (name: string, sa: string, labels = '{app: web}') => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: a, labels: ${labels}}
spec: {serviceAccountName: ${sa}, containers: [{name: c, image: x}]}
status: {podIP: 10.0.0.${name.length + sa.length}}
`;

const YAML = `${pod('web-1', 'web-sa')}${pod('web-2', 'web-sa')}${pod('web-3', 'other')}${pod('client', 'client', '{app: client}')}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-web-sa}
spec:
  selector: app == "web"
  serviceAccountSelector: projectcalico.org/name == "web-sa"
  types: [Ingress]
  ingress: [{action: Deny}]
`;

function plan(snapshot: Snapshot, name: string) {
  const p = snapshot.pods.find((x) => x.name === name);
  if (!p) throw new Error(name);
  return tierPlanFor(snapshot, p, 'ingress', enforcedView(snapshot));
}

describe('Calico tier plan per selection class', () => {
  const snapshot = snapshotFromYaml(YAML);
  it('pods alike share one plan', () => {
    expect(plan(snapshot, 'web-2')).toBe(plan(snapshot, 'web-1'));
    expect(plan(snapshot, 'web-1').map((s) => s.members.map((m) => m.policy.name))).toEqual([['deny-web-sa']]);
  });
  it('a pod differing only in its service account gets its own members', () => {
    expect(plan(snapshot, 'web-3')).toEqual([]);
    // the cached plan of web-1 must not decide for web-3, in either query order
    expect(networkVerdict(explainOk(snapshot, { src: 'a/client', dst: 'a/web-1', port: 80 })).ingress).toBe('denied');
    expect(networkVerdict(explainOk(snapshot, { src: 'a/client', dst: 'a/web-3', port: 80 })).ingress).toBe('allowed');
  });
});
