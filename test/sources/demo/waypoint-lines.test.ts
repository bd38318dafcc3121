import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { correlate } from '../../../src/correlate/correlator.js';
import { createLogParser } from '../../../src/parsers/log-parser.js';
import { loadDemo } from '../../../src/sources/demo/load-demo.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

async function waypointDenials(rbacDebug: boolean) {
  const demo = await loadDemo(`${EXAMPLES}ambient-mesh`, 'ambient-mesh', 7);
  const sim = demo.simulate({ requests: 300, rbacDebug: () => rbacDebug });
  const parser = createLogParser();
  const events = [...sim.lines.flatMap((l) => parser.push(l)), ...parser.end()];
  const denials = correlate(events, demo.snapshot).filter((d) => d.reporter?.kind === 'waypoint');
  return { lines: sim.lines.filter((l) => l.startsWith('[pod/waypoint-')), denials, issues: parser.issues() };
}

// examples/ambient-mesh: reviews and details use the waypoint; their L7 ALLOW policies are bound to it
describe('demo: waypoint (Envoy) lines for requests the waypoint refuses', () => {
  it('prints the waypoint access line (inbound-vip cluster, 403, RBAC detail) from the waypoint pod', async () => {
    const { lines, denials, issues } = await waypointDenials(false);
    expect(issues).toEqual([]);
    expect(lines.length).toBeGreaterThan(0);
    expect(
      lines.every((l) =>
        /^\[pod\/waypoint-[a-z0-9]+-[a-z0-9]{5}\/istio-proxy\] \[\S+Z\] "\w+ \S+ HTTP\/1\.1" 403 - rbac_access_denied_matched_policy\[none\] .* inbound-vip\|9080\|http\|(reviews|details)\.shop\.svc\.cluster\.local - 10\.96\.\d+\.\d+:9080 envoy:\/\/internal_client_address\/ - default$/.test(
          l,
        ),
      ),
    ).toBe(true);
    // the destination is the Service the waypoint fronts, not the waypoint; its access line does not name the client
    // (expect.yaml's productpage-post-details is the one request the waypoint refuses)
    expect(new Set(denials.map((d) => (d.destination === 'unknown' ? '?' : d.destination.name)))).toEqual(
      new Set(['details']),
    );
    expect(denials.every((d) => d.source === 'unknown' && d.layer === 'authz-allow')).toBe(true);
  });

  it('with the rbac logger at debug, the RBAC lines name the client by its address', async () => {
    const { lines, denials, issues } = await waypointDenials(true);
    expect(issues).toEqual([]);
    expect(lines.some((l) => l.includes('\tenvoy rbac ') && l.includes('enforced denied, matched policy none'))).toBe(
      true,
    );
    expect(denials.length).toBeGreaterThan(0);
    expect(denials.every((d) => d.source !== 'unknown' && d.source.namespace === 'shop')).toBe(true);
  });
});
