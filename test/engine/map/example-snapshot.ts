/** An example's manifests as a Snapshot, read the way `--from examples/NAME` reads them. */
import { loadSnapshotFrom } from '../../../src/commands/load-snapshot.js';
import type { Snapshot } from '../../../src/model/snapshot.js';

export async function loadExampleSnapshot(name: string): Promise<Snapshot> {
  return (await loadSnapshotFrom([`examples/${name}`], null)).snapshot;
}
