import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/model/snapshot.js';
import type { CniEvent, DenialEvent, FeedEvent } from '../../../src/ui/feeds/log-feed.js';
import { createRecordedFeed, podForFile } from '../../../src/ui/feeds/recorded-feed.js';
import { waitFor } from '../../helpers/wait-for.js';
import { exampleSnapshot } from '../fixtures/snapshots.js';
import { T0 } from '../fixtures/denials.js';

const LOG = 'examples/np-test-authz-only/logs/np-test-nginx-2.istio-proxy.log';
const KUBE_ROUTER =
  'E0802 15:18:35 network_policy_controller.go:302] Aborting sync. Failed to sync network policy chains: failed to perform ipset restore';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('np-test-authz-only');
});

async function replay(logs: { name: string; lines: string[] }[]): Promise<FeedEvent[]> {
  const events: FeedEvent[] = [];
  const stop = createRecordedFeed(snapshot, logs, () => T0).subscribe((batch) => events.push(...batch));
  await waitFor(() => expect(events.length).toBeGreaterThan(0));
  stop();
  return events;
}

describe('recorded logs (--logs FILE)', () => {
  it('attributes a file named after a pod to that pod', () => {
    expect(podForFile(snapshot, `some/dir/np-test-nginx-2.istio-proxy.log`)).toBe('np-test-2/np-test-nginx-2');
    expect(podForFile(snapshot, 'other.log')).toBe('recorded/other.log');
  });

  it("attributes a node's file to the pod kubelet's path names", () => {
    expect(podForFile(snapshot, '/var/log/pods/np-test-2_np-test-nginx-2_0b1c/istio-proxy/0.log')).toBe(
      'np-test-2/np-test-nginx-2',
    );
  });

  it('replays the seed 004 lines as a denial of the DENY-all policy rule, shown in the pod tail', async () => {
    const events = await replay([{ name: LOG, lines: readFileSync(LOG, 'utf8').split('\n') }]);
    const denial = events.find((e): e is DenialEvent => e.type === 'denial');
    expect(denial).toMatchObject({
      destination: 'np-test-2/np-test-nginx-2',
      ruleRef: 'ns[np-test-2]-policy[deny-all-ingress-using-authorizationpolicy]-rule[0]',
    });
    expect(
      events.some(
        (e) => e.type === 'log' && e.pod === 'np-test-2/np-test-nginx-2' && e.text.includes('enforced denied'),
      ),
    ).toBe(true);
  });

  it('turns kube-router sync failures into CNI health errors', async () => {
    const events = await replay([{ name: 'kube-router.log', lines: [KUBE_ROUTER] }]);
    const cni = events.find((e): e is CniEvent => e.type === 'cni');
    expect(cni).toMatchObject({ severity: 'error', source: expect.stringContaining('kube-router') });
    expect(cni?.text).toContain('Aborting sync');
  });
});
