import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, fixture, runCli } from './cli-harness.js';

const WORLD = fixture('world.yaml');
const ICMP = fileURLToPath(new URL('../fixtures/calico-validation/icmp-without-protocol.yaml', import.meta.url));
// line 11 is the `icmp:` field itself (line 10 starts its rule)
const WHERE =
  /icmp-without-protocol\.yaml:11: GlobalNetworkPolicy allow-ping: spec\.ingress\[0\]\.icmp: ICMP fields require protocol to be ICMP or ICMPv6.*add protocol: ICMP/;

beforeAll(() => {
  ensureBuilt();
}, 120_000);

// DESIGN.md exit status: 2 for an invalid manifest, with file, line, field and the fix.
describe('a Calico rule that Calico refuses (icmp without protocol ICMP)', () => {
  it('explain --from exits 2 and names file, line and field', () => {
    const r = runCli(['explain', 'shop/frontend', 'shop/backend', '--from', WORLD, '--from', ICMP]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(WHERE);
  });
  it('lint exits 2 and names file, line and field', () => {
    const r = runCli(['lint', '--from', WORLD, '--from', ICMP]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(WHERE);
  });
});
