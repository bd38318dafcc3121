/**
 * The map contract (DESIGN.md "map and diff") where a Calico rule selects pods through the network
 * sets holding their addresses (felix matches selectors by IP set: named_port_index.go): pods with
 * equal labels, one inside a labelled GlobalNetworkSet, must be told apart by `map` as by `explain`.
 */
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../../helpers/snapshot.js';
import { podYaml } from '../../helpers/pod-yaml.js';
import { disagreementAt, edgesOf } from '../map/agreement.js';

const PODS = [
  { name: 'subject', namespace: 'n1', ip: '10.5.0.1', labels: { app: 'subject' } },
  { name: 'inside', namespace: 'n1', ip: '192.168.7.5', labels: { app: 'client' } },
  { name: 'outside', namespace: 'n1', ip: '10.5.0.3', labels: { app: 'client' } },
];
const SET = `---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: partners, labels: {zone: partner}}
spec: {nets: [192.168.0.0/16]}
`;
const policy = (entity: string) => `---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: by-set}
spec:
  selector: app == 'subject'
  types: [Ingress]
  ingress: [{action: Deny, source: ${entity}}, {action: Allow}]
`;

describe('map agrees with explain when pods match through network sets', () => {
  for (const entity of ["{selector: zone == 'partner'}", "{notSelector: zone == 'partner'}"])
    it(entity, () => {
      const yaml = PODS.map((p) => `---\n${podYaml(p)}`).join('\n') + '\n' + SET + policy(entity);
      const snapshot = snapshotFromYaml(yaml);
      expect(snapshot.findings.filter((f) => f.severity === 'error')).toEqual([]);
      const edges = edgesOf(snapshot);
      const failures: string[] = [];
      for (const s of PODS)
        for (const d of PODS) {
          if (s === d) continue;
          const f = disagreementAt(
            snapshot,
            edges,
            { src: `${s.namespace}/Pod/${s.name}`, dst: `${d.namespace}/Pod/${d.name}` },
            { src: `${s.namespace}/${s.name}`, dst: `${d.namespace}/${d.name}` },
            'TCP',
            80,
          );
          if (f) failures.push(f);
        }
      expect(failures).toEqual([]);
      // the world does tell the two clients apart (else the agreement says nothing)
      const verdict = (src: string) =>
        explainOk(snapshot, { src, dst: 'n1/subject', port: 80, protocol: 'TCP' }).verdict;
      expect(verdict('n1/inside')).not.toBe(verdict('n1/outside'));
    });
});
