/**
 * Starting one of the CLI's worker threads by its entry's name: `explain --batch FILE`'s
 * (explain-batch-worker) and `diff`'s other side (diff-side-worker). From the bundle, the entry is
 * dist/NAME.mjs (build/bundle.mjs builds each), found from the file this code was bundled into;
 * under tsx/vitest it is the .ts source beside this module, loaded after registering tsx in the
 * worker (a `--import tsx` flag alone does not reach a worker's entry on Node 20:
 * https://tsx.is/dev-api/register-esm).
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export type WorkerEntry = 'explain-batch-worker' | 'diff-side-worker';

export function startWorkerThread(entry: WorkerEntry): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    const script = here.includes('/chunks/') ? `../${entry}.mjs` : `./${entry}.mjs`;
    return new Worker(new URL(script, here));
  }
  // tsx's ESM API file, found from this module (not from the working directory)
  const api = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(here).resolve('tsx/package.json'))).href;
  const source = new URL(`./${entry}.ts`, here).href;
  const code = `import(${JSON.stringify(api)}).then((t) => { t.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(code, { eval: true });
}
