import { describe, expect, it } from 'vitest';
import { loadSnapshotFrom } from '../../../src/commands/load-snapshot.js';
import { createLinePipeline } from '../../../src/ui/feeds/line-pipeline.js';

// Istio 1.6-1.16 format (no `thread=` suffix, so the line could still get continuation lines):
// the verbatim shape of Envoy's local-reply debug line (envoyproxy/envoy:source/common/http/filter_manager.cc) with seed 004's policy id
const RBAC_DENIED =
  '2022-07-08T14:19:20.442944Z debug envoy rbac enforced denied, matched policy ns[np-test-2]-policy[deny-all-ingress-using-authorizationpolicy]-rule[0]';

describe('the line pipeline of the TUI feeds', () => {
  it('holds the last event until its next line arrives, and flush() completes it (end of a file, quiet live stream)', async () => {
    const { snapshot } = await loadSnapshotFrom(['examples/np-test'], null);
    const pipeline = createLinePipeline(snapshot, () => 0);
    const pushed = pipeline.push([RBAC_DENIED], 'np-test-2/np-test-nginx-2');
    expect(pushed.filter((e) => e.type === 'denial')).toEqual([]);
    const flushed = pipeline.flush();
    expect(flushed.filter((e) => e.type === 'denial')).toHaveLength(1);
    expect(JSON.stringify(flushed)).toContain(
      'ns[np-test-2]-policy[deny-all-ingress-using-authorizationpolicy]-rule[0]',
    );
    expect(pipeline.flush()).toEqual([]);
  });

  it('counts the lines that look like denials but were not understood, for the view to show', async () => {
    const { snapshot } = await loadSnapshotFrom(['examples/np-test'], null);
    const pipeline = createLinePipeline(snapshot, () => 0);
    pipeline.push(['GET /x returned 403 Forbidden', 'an ordinary application line'], 'np-test-2/np-test-nginx-2');
    expect(pipeline.unrecognizedDenials()).toBe(1);
  });

  it('tells the view how many such lines each batch added, once', async () => {
    const { snapshot } = await loadSnapshotFrom(['examples/np-test'], null);
    const pipeline = createLinePipeline(snapshot, () => 0);
    const first = pipeline.push(['GET /x returned 403 Forbidden', 'GET /y returned 403 Forbidden'], 'np-test-2/a');
    expect(first.filter((e) => e.type === 'unrecognized')).toEqual([{ type: 'unrecognized', added: 2 }]);
    const second = pipeline.push(['an ordinary application line'], 'np-test-2/a');
    expect(second.filter((e) => e.type === 'unrecognized')).toEqual([]);
  });
});
