import { beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/model/snapshot.js';
import { App } from '../../src/ui/app.js';
import { renderResizable } from '../helpers/render.js';
import { fakeFeed } from './fixtures/fake-feed.js';
import { exampleSnapshot } from './fixtures/snapshots.js';
import { uiData } from './fixtures/ui-data.js';

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await exampleSnapshot('poc-mesh');
});

const widest = (frame: string): number => Math.max(...frame.split('\n').map((l) => [...l].length));

describe('resize', () => {
  it('reflows the screen to the new terminal size', async () => {
    const app = renderResizable(<App data={uiData(snapshot, { readonly: true })} feed={fakeFeed()} colors={false} />, {
      columns: 120,
      rows: 30,
    });
    try {
      const wide = await app.waitForText('payments');
      expect(widest(wide)).toBeGreaterThan(80);
      expect(wide).toContain('SERVICE ACCOUNT');
      app.resize(70, 20);
      const narrow = await app.waitForText(/^(?![\s\S]*SERVICE ACCOUNT)[\s\S]*payments/);
      expect(widest(narrow)).toBeLessThanOrEqual(70);
      expect(narrow.split('\n').length).toBeLessThanOrEqual(20);
    } finally {
      app.unmount();
    }
  });

  it('a terminal too small to draw shows one line asking to enlarge the window, and recovers', async () => {
    const app = renderResizable(<App data={uiData(snapshot, { readonly: true })} feed={fakeFeed()} colors={false} />, {
      columns: 100,
      rows: 30,
    });
    try {
      await app.waitForText('payments');
      app.resize(30, 8);
      const tiny = await app.waitForText('enlarge the window');
      expect(tiny.trim().split('\n')).toHaveLength(1);
      expect(widest(tiny)).toBeLessThanOrEqual(30);
      app.resize(100, 30);
      await app.waitForText('payments');
    } finally {
      app.unmount();
    }
  });
});
