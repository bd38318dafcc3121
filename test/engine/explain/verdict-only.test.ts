/**
 * The verdict-only evaluation `map` uses: the same layers, steps, conditions and verdict as the
 * full evaluation `explain` runs, without fixes and per-flow findings; and a fix's YAML, rendered
 * on first read, is the same text in JSON as when it was built eagerly.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { evaluateFlow } from '../../../src/engine/explain/flow-eval.js';
import { connectionFlow, type FlowContext } from '../../../src/engine/flow.js';
import { createFix } from '../../../src/engine/fix-manifest.js';
import { emitYaml } from '../../../src/util/yaml-emit.js';
import { loadExampleSnapshot } from '../map/example-snapshot.js';

function flow(snapshot: Snapshot, src: Pod, dst: Pod, port: number, verdictOnly: boolean): FlowContext {
  return connectionFlow({ type: 'pod', pod: src }, { type: 'pod', pod: dst }, 'TCP', port, {
    cni: snapshot.detectedCni,
    verdictOnly,
  });
}

describe('verdict-only flow evaluation', () => {
  it.each(['poc-mesh', 'kyma-netpol-broken', 'np-test', 'ambient-mesh'])(
    '%s: every pod pair answers as the full evaluation, without fixes or findings',
    async (example) => {
      const snapshot = await loadExampleSnapshot(example);
      const pods = snapshot.pods.slice(0, 12);
      let fixesSeen = 0;
      for (const src of pods) {
        for (const dst of pods) {
          for (const port of [80, 8080, 9080]) {
            const full = evaluateFlow(snapshot, flow(snapshot, src, dst, port, false));
            const lean = evaluateFlow(snapshot, flow(snapshot, src, dst, port, true));
            fixesSeen += full.fix.length;
            expect(lean.verdict).toBe(full.verdict);
            expect(lean.steps).toEqual(full.steps);
            expect(lean.conditions).toEqual(full.conditions);
            expect(lean.decidedBy).toEqual(full.decidedBy);
            expect(lean.clientTls).toBe(full.clientTls);
            expect(lean.fix).toEqual([]);
            expect(lean.findings).toEqual([]);
          }
        }
      }
      if (example === 'kyma-netpol-broken') expect(fixesSeen).toBeGreaterThan(0);
    },
  );
});

describe('createFix', () => {
  it('renders the manifest once, on first read, as an enumerable property JSON and spreads see', () => {
    const manifest = { apiVersion: 'v1', kind: 'NetworkPolicy', metadata: { name: 'a', namespace: 'b' } };
    const fix = createFix('why', { kind: 'NetworkPolicy', namespace: 'b', name: 'a' }, manifest);
    const parsed = JSON.parse(JSON.stringify(fix)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['why', 'action', 'target', 'yaml']);
    expect(parsed['yaml']).toBe(emitYaml(manifest));
    expect({ ...fix }.yaml).toBe(emitYaml(manifest));
    expect(fix.yaml).toBe(fix.yaml);
  });
});
