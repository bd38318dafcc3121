import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, type Demo } from '../../../src/sources/demo/load-demo.js';
import { createLinePipeline } from '../../../src/ui/feeds/line-pipeline.js';
import { createSimulatorFeed } from '../../../src/ui/feeds/simulator-feed.js';
import type { DenialEvent, FeedEvent } from '../../../src/ui/feeds/log-feed.js';
import { waitFor } from '../../helpers/wait-for.js';
import { T0 } from '../fixtures/denials.js';

let demo: Demo;
beforeAll(async () => {
  demo = await loadDemo('examples/poc-mesh', 'poc-mesh');
});

const RBAC_DENY = 'enforced denied, matched policy ns[poc-mesh]-policy[backend-deny-payments-example]-rule[0]';

function backendPod(): string {
  const pod = demo.snapshot.pods.find((p) => p.name.startsWith('backend-'));
  if (!pod) throw new Error('no backend pod in the demo');
  return pod.name;
}

describe('line pipeline', () => {
  it('shows each line in its pod tail and correlates RBAC denials to the policy rule', () => {
    const pod = backendPod();
    const pipeline = createLinePipeline(demo.snapshot, () => T0);
    const events = pipeline.push([
      `[pod/${pod}/istio-proxy] 2025-07-06T19:33:00.654348Z\tdebug\tenvoy rbac external/envoy/source/extensions/filters/http/rbac/rbac_filter.cc:224\t${RBAC_DENY}\tthread=26`,
    ]);
    const log = events.find((e) => e.type === 'log');
    expect(log).toMatchObject({
      pod: `poc-mesh/${pod}`,
      container: 'istio-proxy',
      time: Date.parse('2025-07-06T19:33:00.654Z'),
    });
    const denial = events.find((e): e is DenialEvent => e.type === 'denial');
    expect(denial).toMatchObject({
      destination: `poc-mesh/${pod}`,
      ruleRef: 'ns[poc-mesh]-policy[backend-deny-payments-example]-rule[0]',
      enforcement: 'enforced',
    });
    expect(denial?.policy?.name).toBe('backend-deny-payments-example');
  });

  it('marks a policy id the Snapshot lacks so the view can call the config stale', () => {
    const pod = backendPod();
    const pipeline = createLinePipeline(demo.snapshot, () => T0);
    const events = pipeline.push([
      `[pod/${pod}/istio-proxy] 2025-07-06T19:33:00.654348Z\tdebug\tenvoy rbac external/envoy/source/extensions/filters/http/rbac/rbac_filter.cc:224\tenforced denied, matched policy ns[poc-mesh]-policy[removed-yesterday]-rule[2]\tthread=26`,
    ]);
    const denial = events.find((e): e is DenialEvent => e.type === 'denial');
    expect(denial?.policy).toMatchObject({ name: 'removed-yesterday', rule: 2 });
  });
});

describe('one Denial from correlator to screen', () => {
  const line = (pod: string, thread: number): string =>
    `[pod/${pod}/istio-proxy] 2025-07-06T19:33:0${thread}.000000Z\tdebug\tenvoy rbac external/envoy/source/extensions/filters/http/rbac/rbac_filter.cc:224\t${RBAC_DENY}\tthread=2${thread}`;
  const denials = (events: readonly FeedEvent[]): DenialEvent[] =>
    events.filter((e): e is DenialEvent => e.type === 'denial');

  it("carries the correlator's key and count: a repeat has the same id and the count it gave", () => {
    const pod = backendPod();
    const pipeline = createLinePipeline(demo.snapshot, () => T0);
    const [first] = denials(pipeline.push([line(pod, 1)]));
    const [again] = denials(pipeline.push([line(pod, 2)]));
    expect(first?.count).toBe(1);
    expect(again?.id).toBe(first?.id);
    expect(again?.count).toBe(2);
    expect(again?.firstTime).toBe(Date.parse('2025-07-06T19:33:01Z'));
    expect(again?.time).toBe(Date.parse('2025-07-06T19:33:02Z'));
  });

  it('a pipeline rebuilt for a new Snapshot goes on counting from what the old one counted', () => {
    const pod = backendPod();
    const old = createLinePipeline(demo.snapshot, () => T0);
    denials(old.push([line(pod, 1), line(pod, 2)]));
    const rebuilt = createLinePipeline(demo.snapshot, () => T0, old.counts());
    const [next] = denials(rebuilt.push([line(pod, 3)]));
    expect(next?.count).toBe(3);
    expect(next?.firstTime).toBe(Date.parse('2025-07-06T19:33:01Z'));
  });
});

describe('simulator feed', () => {
  async function burst(feed: ReturnType<typeof createSimulatorFeed>): Promise<FeedEvent[]> {
    const batches: FeedEvent[][] = [];
    const stop = feed.subscribe((events) => batches.push([...events]));
    await waitFor(() => expect(batches.length).toBeGreaterThan(0));
    stop();
    return batches.flat();
  }
  const feedOf = (): ReturnType<typeof createSimulatorFeed> =>
    createSimulatorFeed({
      snapshot: demo.snapshot,
      simulate: (o) => demo.simulate(o),
      rbacDebugAtStart: new Set(),
      intervalMs: 60_000,
      requestsPerTick: 10,
      clock: () => T0,
    });

  it('streams correlated denials, RBAC debug lines only for raised workloads', async () => {
    const feed = feedOf();
    const before = await burst(feed);
    expect(
      before.some(
        (e) => e.type === 'denial' && e.ruleRef === 'ns[poc-mesh]-policy[backend-deny-payments-example]-rule[0]',
      ),
    ).toBe(true);
    expect(before.some((e) => e.type === 'log' && e.text.includes('enforced denied'))).toBe(false);
    await feed.setLogLevel({
      namespace: 'poc-mesh',
      workload: 'Deployment/backend',
      pods: ['x'],
      loggers: ['rbac'],
      level: 'debug',
    });
    const raised = await burst(feed);
    const rbacPods = new Set(
      raised.flatMap((e) => (e.type === 'log' && e.text.includes('\tenvoy rbac') ? [e.pod] : [])),
    );
    expect(rbacPods.size).toBeGreaterThan(0);
    expect([...rbacPods].every((p) => p.startsWith('poc-mesh/backend-'))).toBe(true);
  });
});
