/**
 * An address is one address however it is written (util/cidr.ts canonicalIp): a pod IP written
 * `fd00::0001` in a manifest is the `fd00::1` of a query or a log line, and an IPv4-mapped IPv6
 * address (`::ffff:10.0.0.1`, what a dual-stack socket reports for an IPv4 peer, RFC 4291
 * 2.5.5.2) is the IPv4 address: the pod that has it, or, outside the cluster, the IPv4 address a
 * NetworkPolicy ipBlock matches (the packet on the wire is IPv4).
 */
import { describe, expect, it } from 'vitest';
import { explainOk, snapshotFromYaml } from '../helpers/snapshot.js';
import { ipOf, resolveAddress } from '../../src/correlate/resolve-peer.js';
import { planMap } from '../../src/engine/map/connectivity-map.js';
import { podYaml } from '../helpers/pod-yaml.js';

const WORLD = snapshotFromYaml(
  [
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}',
    podYaml({ name: 'a', namespace: 'x', ip: '10.0.0.1' }),
    podYaml({ name: 'b', namespace: 'x', ip: '10.0.0.2', ports: [80] }),
    podYaml({ name: 'v6', namespace: 'x', ip: 'FD00:0:0:0::0001' }),
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np, namespace: x}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress:
  - from: [{ipBlock: {cidr: 192.168.0.0/16}}, {podSelector: {matchLabels: {app: a}}}]
    ports: [{port: 80}]`,
  ].join('\n---\n'),
);

describe('addresses in queries', () => {
  it('an IPv4-mapped address of a pod is that pod', () => {
    const e = explainOk(WORLD, { src: '::ffff:10.0.0.1', dst: 'x/b', port: 80 });
    expect(e.source.name).toBe('a');
    expect(e.verdict).toBe('allowed');
  });

  it('an IPv4-mapped address outside the cluster is matched by an IPv4 ipBlock', () => {
    const mapped = explainOk(WORLD, { src: '::ffff:192.168.1.5', dst: 'x/b', port: 80 });
    expect(mapped.verdict).toBe('allowed');
    expect(mapped.source.ip).toBe('192.168.1.5');
    expect(explainOk(WORLD, { src: { ip: '::ffff:172.16.0.1' }, dst: 'x/b', port: 80 }).verdict).toBe('denied');
  });

  it('an IPv6 pod address is found however either side writes it', () => {
    for (const ip of ['fd00::1', 'fd00:0000::1', 'FD00::0001'])
      expect(explainOk(WORLD, { src: ip, dst: 'x/b', port: 80 }).source.name).toBe('v6');
  });
});

describe('addresses in log lines', () => {
  it('ipOf gives the canonical text of the address of ip:port, [ip]:port and a bare address', () => {
    expect(ipOf('[::ffff:10.0.0.1]:4444')).toBe('10.0.0.1');
    expect(ipOf('[FD00::0001]:80')).toBe('fd00::1');
    expect(ipOf('10.0.0.1:80')).toBe('10.0.0.1');
    expect(ipOf('fd00::1')).toBe('fd00::1');
    expect(ipOf('envoy://internal')).toBeNull();
    expect(ipOf('not-an-address')).toBe('not-an-address');
  });

  it('a mapped or differently written address in a log resolves to its pod', () => {
    expect(resolveAddress(WORLD, '[::ffff:10.0.0.1]:4444', null)).toMatchObject({ name: 'a', kind: 'Pod' });
    expect(resolveAddress(WORLD, '[fd00::1]:80', null)).toMatchObject({ name: 'v6', kind: 'Pod' });
  });
});

describe('the map', () => {
  it('picks no pod address, however the manifest writes it, to stand for an external class', () => {
    const world = snapshotFromYaml(
      [
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}',
        podYaml({ name: 'v6', namespace: 'x', ip: 'FD00:0:0:0::0' }),
        `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np, namespace: x}
spec:
  podSelector: {}
  ingress: [{from: [{ipBlock: {cidr: 'fd00::/64'}}]}]`,
      ].join('\n---\n'),
    );
    const representatives = [
      ...planMap(world, { namespaces: null, focus: null, includeDenied: false }).addresses.values(),
    ];
    expect(representatives.length).toBeGreaterThan(0);
    expect(representatives).not.toContain('fd00::');
    expect(representatives).toContain('fd00::1');
  });
});
