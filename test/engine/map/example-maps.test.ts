/**
 * Golden maps: the text map of every example (`meshdbg map --from examples/NAME --denied`).
 * `UPDATE_GOLDEN=1 npx vitest run test/engine/map/example-maps.test.ts` rewrites them; review the
 * diff. map-agrees-with-explain.test.ts says what must hold; these pin what a user reads.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planMap } from '../../../src/engine/map/connectivity-map.js';
import { renderMap } from '../../../src/report/map/render-map.js';
import { loadExampleSnapshot } from './example-snapshot.js';

const GOLDEN = 'test/fixtures/golden/map';
const examples = readdirSync('examples', { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

describe('golden map of every example', () => {
  it.each(examples)('%s', async (name) => {
    const snapshot = await loadExampleSnapshot(name);
    const plan = planMap(snapshot, { namespaces: null, focus: null, includeDenied: true });
    let text = '';
    await renderMap(plan, 'text', [], (chunk) => {
      text += chunk;
    });
    const golden = `${GOLDEN}/${name}.txt`;
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, text);
    expect(existsSync(golden), `${golden} missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });
});
