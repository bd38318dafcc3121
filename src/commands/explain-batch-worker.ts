/**
 * A worker thread of `explain --batch FILE` (explain-batch-worker-pool.ts): waits for the
 * Snapshot, says it is ready, then answers the chunks of lines it is sent, each as one string.
 */
import { parentPort } from 'node:worker_threads';
import { deserialize } from 'node:v8';
import type { Snapshot } from '../model/snapshot.js';
import type { ExplainQuery } from '../engine/index.js';
import type { Chunk } from './explain-batch-line.js';
import { answerJoined, type WorkerMessage, type WorkerSetup } from './explain-batch-worker-pool.js';

const port = parentPort;
if (port === null) throw new Error('explain-batch-worker runs as a worker thread only');
let shared: { snapshot: Snapshot; defaults: Partial<ExplainQuery> } | null = null;
const post = (m: WorkerMessage): void => port.postMessage(m);
port.on('message', (m: WorkerSetup | Chunk) => {
  if (shared === null) {
    const setup = m as WorkerSetup;
    shared = { snapshot: deserialize(setup.snapshot) as Snapshot, defaults: setup.defaults };
    post({ ready: true });
    return;
  }
  // workers are used only when the command's partial view is the identity (explain.ts)
  post(answerJoined(m as Chunk, shared.snapshot, shared.defaults, (e) => e));
});
