/**
 * Worlds whose policies name many address blocks (more than address-tests.ts scans one by one, so
 * its prefix look-ups answer): one NetworkPolicy rule with dozens of ipBlocks and their excepts,
 * nested and disjoint, and an Istio `ipBlocks` list of dozens of CIDRs. Policies built from cloud
 * providers' published ranges look like this, with thousands of blocks.
 */
import { seededRandom } from '../../../src/util/random.js';
import { podYaml } from '../../helpers/pod-yaml.js';

export interface ManyBlocksWorld {
  readonly yaml: string;
  readonly pods: readonly string[];
  readonly ports: readonly number[];
}

function ipv4Text(value: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(value / 2 ** s) % 256).join('.');
}

/** A random block in 10.0.0.0/8 to 10.3.255.255, with a prefix from /12 to /30. */
function block(next: () => number): string {
  const prefix = 12 + Math.floor(next() * 19);
  const value = (10 << 24) + Math.floor(next() * 4 * 2 ** 24);
  const hostBits = 32 - prefix;
  const base = Math.floor(value / 2 ** hostBits) * 2 ** hostBits;
  return `${ipv4Text(base)}/${prefix}`;
}

/** A block inside `outer` (an except must be): `outer` narrowed by 1 to 6 more bits at a random offset. */
function inside(outer: string, next: () => number): string {
  const [ip, bits] = outer.split('/') as [string, string];
  const prefix = Math.min(32, Number(bits) + 1 + Math.floor(next() * 6));
  const base = ip.split('.').reduce((v, o) => v * 256 + Number(o), 0);
  const offset = Math.floor(next() * 2 ** (prefix - Number(bits))) * 2 ** (32 - prefix);
  const value = base + offset;
  return `${ipv4Text(value)}/${prefix}`;
}

export function manyBlocksWorld(seed: number, blocks = 40): ManyBlocksWorld {
  const random = seededRandom(seed);
  const next = (): number => random.next();
  const peers = Array.from({ length: blocks }, () => {
    const cidr = block(next);
    const excepts = Array.from({ length: Math.floor(next() * 3) }, () => inside(cidr, next));
    return `    - ipBlock: {cidr: ${cidr}${excepts.length ? `, except: [${excepts.join(', ')}]` : ''}}`;
  });
  const istioBlocks = Array.from({ length: 20 }, () => block(next));
  const yaml = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
${podYaml({ name: 'web', namespace: 'shop', ip: '192.168.0.1', ports: [8080] })}
---
${podYaml({ name: 'api', namespace: 'shop', ip: '192.168.0.2', sidecar: true, ports: [8080] })}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: many-blocks, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
${peers.slice(0, blocks / 2).join('\n')}
    - podSelector: {matchLabels: {app: api}}
    ports: [{port: 8080}]
  egress:
  - to:
${peers.slice(blocks / 2).join('\n')}
    ports: [{port: 443}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: api-from-blocks, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  action: ALLOW
  rules:
  - from: [{source: {ipBlocks: [${istioBlocks.join(', ')}]}}]
`;
  return { yaml, pods: ['shop/Pod/web', 'shop/Pod/api'], ports: [443, 8080] };
}
