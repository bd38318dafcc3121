import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { loadDemo } from '../../../src/sources/demo/load-demo.js';
import type { FollowItem, FollowTarget } from '../../../src/sources/kube/follow-pods.js';
import { REAL_ENGINE } from '../../../src/ui/data/real-engine.js';
import {
  createClusterFeed,
  followTargets,
  type LevelChanger,
  type SnapshotStream,
} from '../../../src/ui/feeds/cluster-feed.js';
import type { FeedEvent } from '../../../src/ui/feeds/log-feed.js';
import { waitFor } from '../../helpers/wait-for.js';
import { T0 } from '../fixtures/denials.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = (await loadDemo('examples/poc-mesh', 'poc-mesh')).snapshot;
});

const RBAC =
  '2026-11-22T12:00:00.000000Z\tdebug\tenvoy rbac external/envoy/source/extensions/filters/http/rbac/rbac_filter.cc:224\tenforced denied, matched policy ns[poc-mesh]-policy[backend-deny-payments-example]-rule[0]\tthread=26';

const fixed = (s: Snapshot): SnapshotStream => ({ current: () => s, subscribe: () => () => undefined });

function recordingLevels(): LevelChanger & { calls: string[] } {
  const calls: string[] = [];
  const ok = (pods: readonly { namespace: string; name: string }[]) => ({
    changed: [...pods],
    skipped: [],
    errors: [],
  });
  return {
    calls,
    raise: (pods, levels, confirm) => {
      calls.push(`raise ${pods.map((p) => p.name).join(',')} ${JSON.stringify(levels)}`);
      return confirm('').then(() => ok(pods));
    },
    restore: (pods) => {
      calls.push(`restore ${(pods ?? []).map((p) => p.name).join(',')}`);
      return Promise.resolve(ok(pods ?? []));
    },
  };
}

describe('cluster feed', () => {
  it('follows the istio-proxy of live sidecar pods only, capped', () => {
    const targets = followTargets(snapshot, REAL_ENGINE.hasSidecar, 3);
    expect(targets).toHaveLength(3);
    expect(targets.every((t) => t.container === 'istio-proxy' && !t.pod.name.startsWith('debug-no-sidecar'))).toBe(
      true,
    );
  });

  it('correlates followed lines and reports drops and disconnects', async () => {
    const backend = snapshot.pods.find((p) => p.name.startsWith('backend-'));
    if (!backend) throw new Error('no backend pod');
    const pod = { namespace: backend.namespace, name: backend.name };
    let followed: readonly FollowTarget[] = [];
    async function* follow(targets: readonly FollowTarget[]): AsyncGenerator<FollowItem> {
      followed = targets;
      yield {
        kind: 'line',
        line: { pod, container: 'istio-proxy', time: '2026-11-22T12:00:00Z', text: RBAC, previous: false },
      };
      yield { kind: 'dropped', count: 7 };
      yield { kind: 'status', pod, connected: false, message: 'log stream closed; reconnecting' };
    }
    const feed = createClusterFeed({
      snapshots: fixed(snapshot),
      hasSidecar: REAL_ENGINE.hasSidecar,
      follow,
      levels: null,
      clock: () => T0,
      maxPods: 50,
    });
    const events: FeedEvent[] = [];
    const stop = feed.subscribe((batch) => events.push(...batch));
    await waitFor(() => expect(events.filter((e) => e.type === 'cni')).toHaveLength(2));
    stop();
    expect(followed.length).toBeGreaterThan(0);
    expect(events.find((e) => e.type === 'denial')).toMatchObject({
      destination: `${pod.namespace}/${pod.name}`,
      ruleRef: 'ns[poc-mesh]-policy[backend-deny-payments-example]-rule[0]',
    });
    expect(events.some((e) => e.type === 'log' && e.pod === `${pod.namespace}/${pod.name}`)).toBe(true);
    const notices = events.flatMap((e) => (e.type === 'cni' ? [e.text] : []));
    expect(notices).toEqual([
      '7 log lines dropped: the view fell behind',
      `${pod.namespace}/${pod.name}: log stream closed; reconnecting`,
    ]);
    expect(feed.canSetLogLevel).toBe(false);
  });

  it('completes the last event of a quiet stream after the idle time (a line without thread= may still grow)', async () => {
    const backend = snapshot.pods.find((p) => p.name.startsWith('backend-'));
    if (!backend) throw new Error('no backend pod');
    const pod = { namespace: backend.namespace, name: backend.name };
    const legacy =
      '2022-07-08T14:19:20.442944Z debug envoy rbac enforced denied, matched policy ns[poc-mesh]-policy[backend-deny-payments-example]-rule[0]';
    let now = T0;
    let release: () => void = () => undefined;
    async function* follow(): AsyncGenerator<FollowItem> {
      yield {
        kind: 'line',
        line: { pod, container: 'istio-proxy', time: '2022-07-08T14:19:20Z', text: legacy, previous: false },
      };
      await new Promise<void>((resolve) => (release = resolve)); // then the stream goes quiet
    }
    const feed = createClusterFeed({
      snapshots: fixed(snapshot),
      hasSidecar: REAL_ENGINE.hasSidecar,
      follow,
      levels: null,
      clock: () => now,
      maxPods: 1,
    });
    const events: FeedEvent[] = [];
    const stop = feed.subscribe((batch) => events.push(...batch));
    await waitFor(() => expect(events.some((e) => e.type === 'log')).toBe(true));
    expect(events.some((e) => e.type === 'denial')).toBe(false);
    now = T0 + 10_000; // the idle timer fires on its own; the clock says the stream has been quiet
    await waitFor(
      () =>
        expect(events.find((e) => e.type === 'denial')).toMatchObject({
          ruleRef: 'ns[poc-mesh]-policy[backend-deny-payments-example]-rule[0]',
        }),
      3000,
    );
    release();
    stop();
  });

  it('raises through the log-level manager and restores what it read before', async () => {
    const levels = recordingLevels();
    const feed = createClusterFeed({
      snapshots: fixed(snapshot),
      hasSidecar: REAL_ENGINE.hasSidecar,
      follow: async function* () {},
      levels,
      clock: () => T0,
      maxPods: 50,
    });
    const request = {
      namespace: 'poc-mesh',
      workload: 'Deployment/backend',
      pods: ['b-1', 'b-2'],
      loggers: ['rbac', 'jwt'],
      level: 'debug' as const,
    };
    expect(await feed.setLogLevel(request)).toEqual({ changed: 2, errors: [] });
    expect(await feed.setLogLevel({ ...request, level: 'info' })).toEqual({ changed: 2, errors: [] });
    expect(levels.calls).toEqual(['raise b-1,b-2 {"rbac":"debug","jwt":"debug"}', 'restore b-1,b-2']);
  });
});

describe('cluster feed on a changing Snapshot', () => {
  it('starts following new sidecar pods when the Snapshot gains them, within the cap', async () => {
    const listeners = new Set<(s: Snapshot) => void>();
    let current: Snapshot = { ...snapshot, pods: snapshot.pods.slice(0, 2) };
    const stream: SnapshotStream = {
      current: () => current,
      subscribe: (cb) => (listeners.add(cb), () => listeners.delete(cb)),
    };
    const followedBatches: string[][] = [];
    async function* follow(targets: readonly FollowTarget[]): AsyncGenerator<FollowItem> {
      followedBatches.push(targets.map((t) => t.pod.name));
      yield* [];
    }
    const feed = createClusterFeed({
      snapshots: stream,
      hasSidecar: REAL_ENGINE.hasSidecar,
      follow,
      levels: null,
      clock: () => T0,
      maxPods: 4,
    });
    const stop = feed.subscribe(() => undefined);
    await waitFor(() => expect(followedBatches).toHaveLength(1));
    current = snapshot;
    for (const cb of listeners) cb(current);
    await waitFor(() => expect(followedBatches).toHaveLength(2));
    stop();
    const all = followedBatches.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(4);
    expect(followedBatches[0]).toEqual(snapshot.pods.slice(0, 2).map((p) => p.name));
    expect(listeners.size).toBe(0);
  });
});
