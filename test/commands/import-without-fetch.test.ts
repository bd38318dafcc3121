/**
 * The TUI's modules load with the global fetch hidden: yoga-layout's Emscripten loader (under Ink)
 * fetch()es its inlined wasm when fetch exists, and Node's first fetch() loads undici (about 50 ms
 * before the first frame, bench/tui-first-frame.ts).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importWithoutFetch } from '../../src/commands/import-without-fetch.js';
import { ensureBuilt, runCli } from './cli-harness.js';

describe('importWithoutFetch', () => {
  it('hides fetch while loading and puts the same function back', async () => {
    const before = globalThis.fetch;
    const seen = await importWithoutFetch(async () => typeof globalThis.fetch);
    expect(seen).toBe('undefined');
    expect(globalThis.fetch).toBe(before);
  });

  it('puts fetch back when loading fails', async () => {
    const before = globalThis.fetch;
    await expect(importWithoutFetch(() => Promise.reject(new Error('no module')))).rejects.toThrow('no module');
    expect(globalThis.fetch).toBe(before);
    expect(Object.getOwnPropertyDescriptor(globalThis, 'fetch')?.writable).toBe(true);
  });

  it('leaves a fetch that cannot be removed alone', async () => {
    const before = Object.getOwnPropertyDescriptor(globalThis, 'fetch') as PropertyDescriptor;
    const pinned = (): Promise<Response> => Promise.reject(new Error('pinned'));
    Object.defineProperty(globalThis, 'fetch', { value: pinned, configurable: false, writable: true });
    expect(await importWithoutFetch(async () => globalThis.fetch)).toBe(pinned);
    // a non-configurable property stays so: only its value is put back (no later test uses fetch)
    globalThis.fetch = before.value as typeof fetch;
  });
});

describe('the built CLI loads the TUI without calling fetch', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  it('demo: no fetch() while Ink and yoga-layout load (the terminal check comes after)', () => {
    const mark = join(mkdtempSync(join(tmpdir(), 'meshdbg-fetch-')), 'fetch-called');
    // a preload that records any fetch() call in a file
    const preload =
      'data:text/javascript,' +
      encodeURIComponent(
        `import { writeFileSync } from 'node:fs'; const real = globalThis.fetch;` +
          `globalThis.fetch = function (input, init) { writeFileSync(process.env.MESHDBG_FETCH_MARK, String(input).slice(0, 60)); return real.call(this, input, init); };`,
      );
    const r = runCli(['demo', 'poc-mesh'], {
      env: { NODE_OPTIONS: `--import=${preload}`, MESHDBG_FETCH_MARK: mark },
    });
    // stdin is not a terminal: the demo refuses after loading its modules
    expect(r.stderr).toMatch(/the TUI needs a terminal/);
    expect(existsSync(mark) ? readFileSync(mark, 'utf8') : null).toBeNull();
  });
});
