/**
 * `meshdbg diff` of two inputs that share little (two clusters, two unrelated meshes): edit-scope.ts
 * finds no workload an edit leaves alone, so every class pair of both maps is evaluated, and that is
 * nearly all of the diff's time. The two maps are independent: the NEW side's class pairs are
 * evaluated on a worker thread (diff-side-worker.ts, with a copy of its Snapshot) while this thread
 * evaluates the OLD side's, and the NEW plan takes the worker's answers (MapPlan.adopt). The walk
 * then compares answers that are all known. Output is the same bytes as on one thread: each answer
 * is the engine's own for that class pair, whichever thread computed it.
 */
import type { Worker } from 'node:worker_threads';
import { serialize } from 'node:v8';
import type { ClassPairTable, MapPlan, SourceProgress } from '../engine/index.js';
import type { Snapshot } from '../model/snapshot.js';
import { startWorkerThread } from './worker-thread.js';

/**
 * Below this many class pairs on either side, one thread: a worker costs about 2 s of CPU time
 * before its first answer (V8 compiling the engine again for its isolate, on background threads,
 * and copying the Snapshot: bench/batch.ts), about what 20,000 class pairs take to evaluate.
 */
export const MIN_CLASS_PAIRS = 20_000;

/** What the worker receives. */
export interface DiffSideSetup {
  readonly snapshot: Uint8Array;
  /** the map's namespaces (-n), null for all */
  readonly namespaces: readonly string[] | null;
}

/** What the worker posts: progress over its source classes, then its table. */
export type DiffSideMessage =
  { readonly progress: { readonly done: number; readonly total: number } } | { readonly table: ClassPairTable };

export interface DiffSides {
  readonly before: MapPlan;
  readonly after: MapPlan;
  /** the NEW side's Snapshot, copied to the worker */
  readonly afterSnapshot: Snapshot;
  readonly namespaces: ReadonlySet<string> | null;
}

/** Whether both maps are large enough that a second thread pays (see MIN_CLASS_PAIRS). */
export function worthTwoThreads(sides: DiffSides, minClassPairs = MIN_CLASS_PAIRS): boolean {
  return Math.min(sides.before.classCount, sides.after.classCount) ** 2 >= minClassPairs;
}

/** The worker's table, or null when it failed (out of memory, a missing script) or exited without one. */
function tableOf(worker: Worker, onNewSide: SourceProgress | undefined): Promise<ClassPairTable | null> {
  return new Promise((resolve) => {
    worker.on('message', (m: DiffSideMessage) => {
      if ('table' in m) resolve(m.table);
      else onNewSide?.(m.progress.done, m.progress.total);
    });
    worker.on('error', () => resolve(null));
    worker.on('exit', () => resolve(null));
  });
}

/**
 * Evaluates both maps' class pairs at once, OLD here and NEW on a worker thread. Returns whether the
 * NEW plan took the worker's answers; when not (the Snapshot cannot be copied, the worker failed),
 * the NEW plan evaluates its class pairs itself as the walk asks for them, as on one thread.
 */
export async function evaluateSidesApart(
  sides: DiffSides,
  progress: { readonly old?: SourceProgress | undefined; readonly new?: SourceProgress | undefined } = {},
  start: () => Worker = () => startWorkerThread('diff-side-worker'),
): Promise<boolean> {
  let copy: Uint8Array;
  try {
    copy = serialize(sides.afterSnapshot);
  } catch {
    return false;
  }
  const worker = start();
  try {
    const table = tableOf(worker, progress.new);
    const setup: DiffSideSetup = { snapshot: copy, namespaces: sides.namespaces ? [...sides.namespaces] : null };
    worker.postMessage(setup);
    sides.before.evaluateAll(progress.old);
    const answers = await table;
    if (answers === null) return false;
    sides.after.adopt(answers);
    return true;
  } finally {
    await worker.terminate();
  }
}
