/** `npm run cluster:down`: stops what `npm run cluster:up` started (by the pids it recorded). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadControlPlane, stopControlPlane } from './lib/control-plane.js';

const UP_DIR = fileURLToPath(new URL('../../.tmp/cluster', import.meta.url));

if (existsSync(join(UP_DIR, 'state.json'))) {
  await stopControlPlane(loadControlPlane(UP_DIR));
  process.stderr.write(`cluster: stopped (state kept in ${UP_DIR})\n`);
} else {
  process.stderr.write('cluster: nothing to stop\n');
}
