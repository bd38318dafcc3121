/**
 * The worker threads of `explain --batch FILE` (explain-batch-workers.ts). They are started
 * before the Snapshot exists, so that loading their module overlaps with reading the mesh; then
 * each gets one copy of the Snapshot (v8 serialization, the structured clone `postMessage` uses:
 * https://nodejs.org/api/v8.html#v8serializevalue) and answers the chunks of lines it is sent.
 */
import { serialize } from 'node:v8';
import type { ExplainQuery, Explanation } from '../engine/index.js';
import type { Snapshot } from '../model/snapshot.js';
import { answerChunk, type Chunk } from './explain-batch-line.js';
import { startWorkerThread } from './worker-thread.js';

/** What a worker receives first. */
export interface WorkerSetup {
  readonly snapshot: Uint8Array;
  readonly defaults: Partial<ExplainQuery>;
}

/** A chunk's output lines as one string: one copy between threads and one write instead of one per line. */
export interface JoinedAnswer {
  readonly seq: number;
  readonly text: string;
  /** how many of its lines are Error lines that count */
  readonly errors: number;
}

/** A chunk's answer on whichever thread answers it. */
export function answerJoined(
  chunk: Chunk,
  snapshot: Snapshot,
  defaults: Partial<ExplainQuery>,
  partialView: (e: Explanation) => Explanation,
): JoinedAnswer {
  const { texts, errors } = answerChunk(chunk, snapshot, defaults, partialView);
  return { seq: chunk.seq, text: texts.join(''), errors };
}

/** What a worker posts: `ready` once it holds the Snapshot, then one JoinedAnswer per chunk. */
export type WorkerMessage = JoinedAnswer | { readonly ready: true };

/** Answers a chunk on the main thread: for the chunks of a worker that failed. */
export type AnswerHere = (chunk: Chunk) => JoinedAnswer;

class BatchWorker {
  private ready = false;
  private dead = false;
  /** chunks this worker answered */
  answered = 0;
  private readonly inFlight = new Map<number, { chunk: Chunk; resolve: (a: JoinedAnswer) => void }>();
  private readonly worker = startWorkerThread('explain-batch-worker');
  private answerHere: AnswerHere | null = null;

  constructor() {
    // an idle worker does not keep the process alive (a refused input exits at once); share() refs it
    this.worker.unref();
    this.worker.on('message', (m: WorkerMessage) => {
      if ('ready' in m) this.ready = true;
      else this.settle(m);
    });
    // a worker that fails (out of memory, a missing script) leaves its chunks to the main thread
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
  }

  get isReady(): boolean {
    return this.ready && !this.dead;
  }

  /** chunks in flight, or Infinity while it cannot take one */
  get load(): number {
    return this.ready && !this.dead ? this.inFlight.size : Infinity;
  }

  share(setup: WorkerSetup, answerHere: AnswerHere): void {
    this.answerHere = answerHere;
    this.worker.ref();
    this.worker.postMessage(setup);
  }

  send(chunk: Chunk): Promise<JoinedAnswer> {
    return new Promise((resolve) => {
      this.inFlight.set(chunk.seq, { chunk, resolve });
      this.worker.postMessage(chunk);
    });
  }

  private settle(answer: JoinedAnswer): void {
    const waiting = this.inFlight.get(answer.seq);
    this.inFlight.delete(answer.seq);
    this.answered++;
    waiting?.resolve(answer);
  }

  private fail(): void {
    this.dead = true;
    const answerHere = this.answerHere;
    // chunks are sent only after share(), which sets answerHere
    if (answerHere) for (const { chunk, resolve } of this.inFlight.values()) resolve(answerHere(chunk));
    this.inFlight.clear();
  }

  async stop(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}

/** Worker threads waiting for a Snapshot, then answering chunks. */
export class WorkerPool {
  private readonly workers: readonly BatchWorker[];
  private stopped: Promise<void> | null = null;

  /** `threads` workers (the main thread not counted), loading their module meanwhile */
  constructor(threads: number) {
    this.workers = Array.from({ length: threads }, () => new BatchWorker());
  }

  /** Sends each worker a copy of the Snapshot; false (and the workers stopped) when it cannot be copied. */
  share(snapshot: Snapshot, defaults: Partial<ExplainQuery>, answerHere: AnswerHere): boolean {
    let copy: Uint8Array;
    try {
      copy = serialize(snapshot);
    } catch {
      void this.stop(); // a Snapshot that cannot be copied is answered on the main thread
      return false;
    }
    for (const w of this.workers) w.share({ snapshot: copy, defaults }, answerHere);
    return true;
  }

  /** The least busy worker with fewer than `most` chunks in flight, if any. */
  leastBusy(most: number): BatchWorker | null {
    let best: BatchWorker | null = null;
    for (const w of this.workers) if (w.load < most && (best === null || w.load < best.load)) best = w;
    return best;
  }

  /** workers holding the Snapshot (not failed nor stopped) */
  get readyWorkers(): number {
    return this.workers.filter((w) => w.isReady).length;
  }

  /** chunks the workers answered (the rest were answered on the main thread) */
  get chunksAnswered(): number {
    return this.workers.reduce((n, w) => n + w.answered, 0);
  }

  /** Ends every worker; calling it again waits for the same end. */
  stop(): Promise<void> {
    this.stopped ??= Promise.all(this.workers.map((w) => w.stop())).then(() => undefined);
    return this.stopped;
  }
}
