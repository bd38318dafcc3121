/** The policy index only narrows the search: it finds exactly the policies a full scan finds. */
import { describe, expect, it } from 'vitest';
import { snapshotFromObjects } from '../../../src/commands/load-snapshot.js';
import { calicoPolicyIndex, candidatePolicies } from '../../../src/engine/calico/policy-index.js';
import { calicoPolicySelects } from '../../../src/engine/calico/members.js';
import { workloadEndpointLabels } from '../../../src/engine/calico/endpoint.js';
import { calicoObjects, syntheticCluster } from '../../../bench/synthetic.js';

describe('Calico policy index', () => {
  it('gives every pod the policies a full scan selects', () => {
    const { objects } = syntheticCluster({ pods: 600, networkPolicies: 0, authorizationPolicies: 0 });
    const snapshot = snapshotFromObjects([...objects, ...calicoObjects(400, 12)], null, 'test');
    const policies = snapshot.calico?.policies ?? [];
    const index = calicoPolicyIndex(policies, () => snapshot.pods.map((p) => workloadEndpointLabels(snapshot, p)));
    let selected = 0;
    for (const pod of snapshot.pods) {
      const full = policies.filter((p) => calicoPolicySelects(snapshot, p, pod)).map((p) => p.name);
      const viaIndex = candidatePolicies(index, pod.namespace, workloadEndpointLabels(snapshot, pod))
        .filter((p) => calicoPolicySelects(snapshot, p, pod))
        .map((p) => p.name);
      expect(viaIndex.sort()).toEqual(full.sort());
      selected += full.length;
    }
    expect(selected).toBeGreaterThan(0);
  });
});
