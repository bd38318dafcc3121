import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import { exampleSnapshot, snapshotOfFile } from './fixtures/snapshots.js';
import { uiData } from './fixtures/ui-data.js';
import { renderApp, unmountAppsAfterEach } from './fixtures/app.js';

let calico: Snapshot;
let plain: Snapshot;
let withAccounts: Snapshot;
beforeAll(async () => {
  withAccounts = await snapshotOfFile('test/fixtures/golden/explain/calico-service-accounts/world.yaml');
  calico = await exampleSnapshot('calico-tiers');
  plain = await exampleSnapshot('poc-mesh');
});
unmountAppsAfterEach();

describe('pod detail: Calico policies in force, by tier', () => {
  it('lists the tiers in evaluation order with their policies by order, then the profile', async () => {
    const app = renderApp(uiData(calico), { rows: 70, columns: 120 });
    await app.waitForText('frontend');
    app.press('filter');
    app.type('backend\r');
    await app.waitForNoText('frontend');
    app.press('open');
    const detail = await app.waitForText('Calico policies in force, by tier');
    const section = detail.slice(detail.indexOf('Calico policies in force'));
    const at = (text: string) => {
      const i = section.indexOf(text);
      expect(i, text).toBeGreaterThanOrEqual(0);
      return i;
    };
    // security (100) before platform (200) before default (1,000,000): tier.yaml orders
    expect(at('tier security (order 100, end of tier: Deny)')).toBeLessThan(at('tier platform (order 200'));
    expect(at('tier platform (order 200')).toBeLessThan(at('tier default (order 1000000'));
    expect(section).toContain('ingress GlobalNetworkPolicy security.block-legacy (order 10)');
    // in the default tier the Kubernetes NetworkPolicy (order 1000) comes before default-deny (2000)
    expect(at('ingress NetworkPolicy shop/backend-allow-frontend (order 1000)')).toBeLessThan(
      at('ingress GlobalNetworkPolicy default-deny (order 2000)'),
    );
    expect(section).toContain('egress  GlobalNetworkPolicy default-deny (order 2000)');
    expect(section).toContain('then profile kns.shop allows');
  });

  // serviceAccounts.selector / serviceAccountSelector match the ServiceAccount's labels
  // (projectcalico/calico conversion.go ServiceAccountToProfile): the detail shows them, or that
  // they are unknown when the ServiceAccount is not in the input
  it.each([
    [
      'checkout',
      'ServiceAccount pay/checkout labels (serviceAccount selectors): team=payments, projectcalico.org/name=checkout',
    ],
    ['batch', 'ServiceAccount pay/batch is not in the input: its labels are unknown to serviceAccount selectors'],
  ])("shows %s's ServiceAccount labels as Calico's selectors see them", async (pod, expected) => {
    const app = renderApp(uiData(withAccounts), { rows: 70, columns: 160 });
    await app.waitForText('ledger');
    app.press('filter');
    app.type(`${pod}\r`);
    await app.waitForNoText('ledger');
    app.press('open');
    const detail = await app.waitForText('Calico policies in force, by tier');
    expect(detail).toContain(expected);
  });

  it('is absent when no Calico policy is in the input', async () => {
    const app = renderApp(uiData(plain), { rows: 60 });
    await app.waitForText('payments');
    app.press('filter');
    app.type('backend\r');
    await app.waitForNoText('frontend');
    app.press('open');
    const detail = await app.waitForText('Istio policies in force');
    expect(detail).not.toContain('Calico policies in force');
  });
});
