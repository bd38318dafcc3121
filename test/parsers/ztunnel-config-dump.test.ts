import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseZtunnelConfigDump, policiesForWorkload, waypointService } from '../../src/parsers/ztunnel-config-dump.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/ztunnel/${name}`, import.meta.url), 'utf8');

/** istioctl's own summary of the same dump (testdata/workloadsummary.txt): NAMESPACE POD ADDRESS NODE WAYPOINT PROTOCOL. */
function goldenRows(): string[] {
  return fixture('istioctl-workloadsummary.txt')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [ns, pod, , node, waypoint, protocol] = l.trim().split(/\s+/);
      return `${ns}/${pod} ${node} ${waypoint} ${protocol}`;
    })
    .sort();
}

// fixture: istio/istio istioctl/pkg/writer/ztunnel/configdump/testdata/dump.json (see README.md there)
describe('ztunnel config_dump', () => {
  const { dump, issues } = parseZtunnelConfigDump(fixture('istioctl-dump.json'));

  it('reads the workloads as istioctl summarizes them (namespace, pod, node, waypoint, protocol)', () => {
    expect(issues).toEqual([]);
    if (!dump) throw new Error('no dump');
    const ours = dump.workloads
      .map((w) => {
        const wp = w.waypoint === null ? 'None' : (waypointService(dump, w.waypoint)?.name ?? w.waypoint);
        return `${w.namespace}/${w.name} ${w.node} ${wp} ${w.protocol}`;
      })
      .sort();
    expect(ours).toEqual(goldenRows());
  });

  it('reads the policies as istioctl lists them (testdata/policies.txt), and which apply to a workload as ztunnel gathers them', () => {
    if (!dump) throw new Error('no dump');
    const golden = fixture('istioctl-policies.txt')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/).join(' '));
    expect(dump.policies.map((p) => `${p.namespace} ${p.name} ${p.action} ${p.scope}`)).toEqual(golden);
    const sleep = dump.workloads.find((w) => w.namespace === 'default' && w.name.startsWith('sleep-'));
    if (!sleep) throw new Error('no sleep workload');
    // Namespace scope: every workload of `default`; WorkloadSelector: only the workloads that list it
    expect(policiesForWorkload(dump, sleep).map((p) => p.name)).toEqual(['allow-nothing']);
    expect(dump.policies.find((p) => p.name === 'allow-waypoint')?.rules).toBe(1);
  });

  it('reads the list form of current ztunnels the same as the map form (istioctl unmarshalListOrMap)', () => {
    if (!dump) throw new Error('no dump');
    const raw = JSON.parse(fixture('istioctl-dump.json')) as Record<string, Record<string, unknown>>;
    const listed = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, ['workloads', 'services'].includes(k) ? Object.values(v) : v]),
    );
    expect(parseZtunnelConfigDump(JSON.stringify(listed)).dump).toEqual(dump);
  });

  it('names what it cannot read', () => {
    expect(parseZtunnelConfigDump('{').issues[0]?.message).toMatch(/not JSON/);
    expect(parseZtunnelConfigDump('{"configs": []}').issues[0]?.message).toMatch(/not a ztunnel config_dump/);
    expect(parseZtunnelConfigDump('{"workloads": 3}').issues[0]?.message).toMatch(
      /"workloads" is neither a list nor a map/,
    );
  });
});
