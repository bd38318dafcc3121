import { describe, expect, it } from 'vitest';
import { freePorts } from './lib/processes.js';

describe('freePorts', () => {
  // etcd's client and peer ports and the API server's port must differ: one equal pair fails the
  // whole run with "bind: address already in use"
  it('gives distinct ports, each free to listen on', async () => {
    const ports = await freePorts(50);
    expect(new Set(ports).size).toBe(50);
    for (const p of ports) expect(p).toBeGreaterThan(0);
  });
});
