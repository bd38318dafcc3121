/**
 * The worker thread of `meshdbg diff` (diff-sides.ts): gets one side's Snapshot (v8 serialization)
 * and the map's namespaces, evaluates every class pair of that side's map, and posts the answers
 * back as a ClassPairTable, with its progress on the way.
 */
import { parentPort } from 'node:worker_threads';
import { deserialize } from 'node:v8';
import { planMap } from '../engine/index.js';
import type { Snapshot } from '../model/snapshot.js';
import type { DiffSideMessage, DiffSideSetup } from './diff-sides.js';

const port = parentPort;
if (port === null) throw new Error('diff-side-worker runs as a worker thread only');
const post = (m: DiffSideMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
port.once('message', (setup: DiffSideSetup) => {
  const snapshot = deserialize(setup.snapshot) as Snapshot;
  const namespaces = setup.namespaces === null ? null : new Set(setup.namespaces);
  const plan = planMap(snapshot, { namespaces, focus: null, includeDenied: false });
  const table = plan.evaluateAll((done, total) => post({ progress: { done, total } }));
  post({ table }, [table.index.buffer as ArrayBuffer]);
});
