/**
 * `explain --batch FILE` on more than one thread, like `xargs -P`: a FILE of at least
 * MIN_SHARED_BYTES is cut into chunks of lines from its first line on; worker threads
 * (explain-batch-worker-pool.ts, started while the mesh is read) answer chunks with the same
 * answerBatchLine once they hold the Snapshot, and this thread answers a chunk itself whenever
 * every worker is busy or not ready yet. Output keeps input order, byte for byte what one thread
 * writes; at most a few chunks per worker wait in memory, and writing still waits for the reader.
 */
import { statSync } from 'node:fs';
import type { ExplainQuery, Explanation } from '../engine/index.js';
import type { Snapshot } from '../model/snapshot.js';
import type { Chunk } from './explain-batch-line.js';
import { WorkerPool, answerJoined, type JoinedAnswer } from './explain-batch-worker-pool.js';

/**
 * A smaller FILE stays on one thread: a second one costs about 2 s of CPU time whatever the batch
 * (V8 compiling the engine's code again for its isolate, ~1.3 s on background threads; copying the
 * Snapshot, ~0.2 s here and ~0.35 s there, on the 10k-pod mesh), and on 2 CPUs it paid only from
 * about 10,000 queries (bench/batch.ts cliThreads; 5,000: 3.4 s vs 3.0 s on one thread; 10,000:
 * even; 20,000: 5.5 vs 6.3 s). 1.5 MB is about 12,500 queries of ~120 bytes.
 */
export const MIN_SHARED_BYTES = 1_500_000;
const CHUNK_LINES = 64;
/**
 * Chunks a worker may hold: enough to keep it busy while this thread answers a chunk of its own and
 * writes (with 2, a worker sat idle ~8% of its time under load 3.5; with 4, ~1%); at most
 * threads x 4 + 2 answered chunks of ~0.7 MB wait here for their turn to be written.
 */
const CHUNKS_PER_WORKER = 4;

/** Whether `runBatch` shares `source`'s lines with `workers - 1` worker threads (stdin never: see runBatch). */
export function sharesLines(source: string, workers: number, minBytes = MIN_SHARED_BYTES): boolean {
  if (source === '-' || workers < 2) return false;
  try {
    return statSync(source).size >= minBytes;
  } catch {
    return false; // reading it reports the error
  }
}

/** Worker threads for a batch of `workers` threads in all, started now: see sharesLines. */
export function startBatchPool(workers: number): WorkerPool {
  return new WorkerPool(workers - 1);
}

export interface SharedBatch {
  readonly snapshot: Snapshot;
  readonly defaults: Partial<ExplainQuery>;
  /** applied on this thread only: workers answer with the identity view (runExplain shares only then) */
  readonly partialView: (e: Explanation) => Explanation;
  readonly write: (line: string) => Promise<void> | void;
  /** the worker threads (startBatchPool), stopped when the batch ends */
  readonly pool: WorkerPool;
}

interface Slot {
  answer: JoinedAnswer | null;
  readonly done: Promise<JoinedAnswer>;
}

/** Hands `chunk` to the least busy worker with room, else answers it here. */
function dispatch(chunk: Chunk, batch: SharedBatch): Slot {
  const worker = batch.pool.leastBusy(CHUNKS_PER_WORKER);
  if (worker === null) {
    const answer = answerJoined(chunk, batch.snapshot, batch.defaults, batch.partialView);
    return { answer, done: Promise.resolve(answer) };
  }
  const slot: Slot = { answer: null, done: worker.send(chunk) };
  void slot.done.then((a) => (slot.answer = a));
  return slot;
}

/** runBatch's loop for a FILE: the same lines out, in order; returns the number of Error lines. */
export async function answerSharingLines(
  lines: AsyncIterable<string>,
  batch: SharedBatch,
  threads: number,
): Promise<number> {
  let errors = 0;
  let lineNo = 0;
  let chunk: string[] = [];
  let seq = 0;
  const pending: Slot[] = [];
  const maxPending = threads * CHUNKS_PER_WORKER + 2;
  const writeDone = async (all: boolean): Promise<void> => {
    while (pending.length > 0) {
      const head = pending[0] as Slot;
      if (head.answer === null && !all && pending.length <= maxPending) return;
      const answer = head.answer ?? (await head.done);
      pending.shift();
      errors += answer.errors;
      await batch.write(answer.text);
    }
  };
  const flushChunk = async (): Promise<void> => {
    pending.push(dispatch({ seq: seq++, first: lineNo - chunk.length + 1, lines: chunk }, batch));
    chunk = [];
    // let the workers' answers in (they arrive as events, which a buffered readline never yields to)
    await new Promise((resolve) => setImmediate(resolve));
    await writeDone(false);
  };
  try {
    batch.pool.share(batch.snapshot, batch.defaults, (c) =>
      answerJoined(c, batch.snapshot, batch.defaults, batch.partialView),
    );
    for await (const line of lines) {
      lineNo++;
      chunk.push(line);
      if (chunk.length === CHUNK_LINES) await flushChunk();
    }
    if (chunk.length > 0) await flushChunk();
    await writeDone(true);
  } finally {
    await batch.pool.stop();
  }
  return errors;
}
