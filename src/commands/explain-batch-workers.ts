/**
 * `explain --batch FILE` on more than one thread, like `xargs -P`: after the first
 * LINES_BEFORE_WORKERS lines (answered here while nothing else runs, so a small batch costs what
 * it always did), worker threads each get one copy of the Snapshot (v8 serialization, the
 * structured clone `postMessage` uses: https://nodejs.org/api/v8.html#v8serializevalue) and
 * answer chunks of lines with the same answerBatchLine; this thread answers a chunk itself when
 * every worker is busy. Output keeps input order, byte for byte what one thread writes; at most
 * a few chunks per worker wait in memory, and writing still waits for the reader.
 */
import { Worker } from 'node:worker_threads';
import { serialize } from 'node:v8';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { ExplainQuery, Explanation } from '../engine/index.js';
import type { Snapshot } from '../model/snapshot.js';
import { answerBatchLine, answerChunk, type Chunk, type ChunkAnswer } from './explain-batch-line.js';

/** Lines answered on this thread before workers start: below it, starting them costs more than they save. */
export const LINES_BEFORE_WORKERS = 2000;
const CHUNK_LINES = 64;
const CHUNKS_PER_WORKER = 2;

export interface SharedBatch {
  readonly snapshot: Snapshot;
  readonly defaults: Partial<ExplainQuery>;
  /** applied on this thread only: workers answer with the identity view (runExplain shares only then) */
  readonly partialView: (e: Explanation) => Explanation;
  readonly write: (line: string) => Promise<void> | void;
  /** threads answering lines, this one included */
  readonly workers: number;
  /** lines answered here before workers start (LINES_BEFORE_WORKERS) */
  readonly startWorkersAfter: number;
}

interface Slot {
  answer: ChunkAnswer | null;
  readonly done: Promise<ChunkAnswer>;
}

function answerHere(chunk: Chunk, batch: SharedBatch): ChunkAnswer {
  return answerChunk(chunk, batch.snapshot, batch.defaults, batch.partialView);
}

/**
 * A worker running explain-batch-worker beside this module: the bundle's dist/ entry, or under
 * tsx/vitest the .ts source, loaded after registering tsx in the worker (a `--import tsx` flag
 * alone does not reach a worker's entry on Node 20: https://tsx.is/dev-api/register-esm).
 */
function startWorker(workerData: unknown): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    const script = here.includes('/chunks/') ? '../explain-batch-worker.mjs' : './explain-batch-worker.mjs';
    return new Worker(new URL(script, here), { workerData });
  }
  // tsx's ESM API file, found from this module (not from the working directory)
  const api = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(here).resolve('tsx/package.json'))).href;
  const entry = new URL('./explain-batch-worker.ts', here).href;
  const code = `import(${JSON.stringify(api)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData });
}

class BatchWorker {
  private ready = false;
  private dead = false;
  private readonly inFlight = new Map<number, { chunk: Chunk; resolve: (a: ChunkAnswer) => void }>();
  private readonly worker: Worker;

  constructor(
    snapshot: Uint8Array,
    private readonly batch: SharedBatch,
  ) {
    this.worker = startWorker({ snapshot, defaults: batch.defaults });
    this.worker.on('message', (m: ChunkAnswer | { ready: true }) => {
      if ('ready' in m) this.ready = true;
      else this.settle(m);
    });
    // a worker that fails (out of memory, a missing script) leaves its chunks to this thread
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
  }

  get load(): number {
    return this.ready && !this.dead ? this.inFlight.size : Infinity;
  }

  send(chunk: Chunk): Promise<ChunkAnswer> {
    return new Promise((resolve) => {
      this.inFlight.set(chunk.seq, { chunk, resolve });
      this.worker.postMessage(chunk);
    });
  }

  private settle(answer: ChunkAnswer): void {
    const waiting = this.inFlight.get(answer.seq);
    this.inFlight.delete(answer.seq);
    waiting?.resolve(answer);
  }

  private fail(): void {
    this.dead = true;
    for (const { chunk, resolve } of this.inFlight.values()) resolve(answerHere(chunk, this.batch));
    this.inFlight.clear();
  }

  stop(): Promise<number> {
    this.dead = true;
    return this.worker.terminate();
  }
}

function startWorkers(batch: SharedBatch): BatchWorker[] {
  let snapshot: Uint8Array;
  try {
    snapshot = serialize(batch.snapshot);
  } catch {
    return []; // a Snapshot that cannot be copied is answered here
  }
  return Array.from({ length: batch.workers - 1 }, () => new BatchWorker(snapshot, batch));
}

/** Hands `chunk` to the least busy worker with room, else answers it here. */
function dispatch(pool: readonly BatchWorker[], chunk: Chunk, batch: SharedBatch): Slot {
  let best: BatchWorker | null = null;
  for (const w of pool) if (w.load < CHUNKS_PER_WORKER && (best === null || w.load < best.load)) best = w;
  if (best === null) {
    const answer = answerHere(chunk, batch);
    return { answer, done: Promise.resolve(answer) };
  }
  const slot: Slot = { answer: null, done: best.send(chunk) };
  void slot.done.then((a) => (slot.answer = a));
  return slot;
}

/** runBatch's loop for a FILE: the same lines out, in order; returns the number of Error lines. */
export async function answerSharingLines(lines: AsyncIterable<string>, batch: SharedBatch): Promise<number> {
  let errors = 0;
  let lineNo = 0;
  let pool: BatchWorker[] | null = null;
  let chunk: string[] = [];
  let seq = 0;
  const pending: Slot[] = [];
  const maxPending = batch.workers * CHUNKS_PER_WORKER + 2;
  const writeDone = async (all: boolean): Promise<void> => {
    while (pending.length > 0) {
      const head = pending[0] as Slot;
      if (head.answer === null && !all && pending.length <= maxPending) return;
      const answer = head.answer ?? (await head.done);
      pending.shift();
      errors += answer.errors;
      for (const text of answer.texts) await batch.write(text);
    }
  };
  const flushChunk = async (): Promise<void> => {
    pending.push(dispatch(pool ?? [], { seq: seq++, first: lineNo - chunk.length + 1, lines: chunk }, batch));
    chunk = [];
    // let the workers' answers in (they arrive as events, which a buffered readline never yields to)
    await new Promise((resolve) => setImmediate(resolve));
    await writeDone(false);
  };
  try {
    for await (const line of lines) {
      lineNo++;
      if (pool === null) {
        const answer = answerBatchLine(line, lineNo, batch.snapshot, batch.defaults, batch.partialView);
        if (answer.error) errors++;
        await batch.write(answer.text);
        if (lineNo === batch.startWorkersAfter) pool = startWorkers(batch);
        continue;
      }
      chunk.push(line);
      if (chunk.length === CHUNK_LINES) await flushChunk();
    }
    if (chunk.length > 0) await flushChunk();
    await writeDone(true);
  } finally {
    await Promise.all((pool ?? []).map((w) => w.stop()));
  }
  return errors;
}
