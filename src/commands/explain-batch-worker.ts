/** A worker thread of `explain --batch FILE` (explain-batch-workers.ts): answers the chunks of lines it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { deserialize } from 'node:v8';
import type { ExplainQuery } from '../engine/index.js';
import type { Snapshot } from '../model/snapshot.js';
import { answerChunk, type Chunk } from './explain-batch-line.js';

const data = workerData as { snapshot: Uint8Array; defaults: Partial<ExplainQuery> };
const snapshot = deserialize(data.snapshot) as Snapshot;
const port = parentPort;
if (port === null) throw new Error('explain-batch-worker runs as a worker thread only');
// workers are used only when the command's partial view is the identity (explain.ts)
port.on('message', (chunk: Chunk) => port.postMessage(answerChunk(chunk, snapshot, data.defaults, (e) => e)));
port.postMessage({ ready: true });
