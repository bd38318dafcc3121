/**
 * What the policies of a Snapshot can ask about an external address, as a list of yes/no tests:
 * external classes (external-classes.ts) that answer every test alike get the same answers, so
 * the map evaluates one of them for all (each keeps its own `external/CIDR` workload).
 *
 * The tests come from the same generic walk as policy-facts.ts (every policy collection, so kinds
 * added later are covered). A test is finer than the engine's question wherever the walk does
 * not know how an object combines its addresses, which only costs evaluations; it is coarser in
 * three places only, each a documented "any of" list:
 * - a list of CIDR strings: Istio `ipBlocks`/`notIpBlocks`/`remoteIpBlocks`
 *   (https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source: "a list of
 *   IP blocks"; a match on any), AdminNetworkPolicy `networks`
 *   (https://network-policy-api.sigs.k8s.io/reference/spec/: "matches ... any of the CIDRs"),
 *   Calico `nets`/`notNets` (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#entityrule:
 *   "match ... in any of the networks"), an `ipBlock.except` list, ServiceEntry `addresses`;
 * - an ipBlock `{cidr, except}`: in cidr and in no except
 *   (https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource);
 * - a NetworkPolicy rule's peers (`from`/`to`, and the model's `peers`): "each ... is ORed"
 *   (the same page: a rule matches traffic from any of its peers), and an external address
 *   matches no pod or namespace selector.
 */
import { isRecord } from '../../util/is-record.js';
import type { Snapshot } from '../../model/snapshot.js';
import { cidrContainsIp, parseIp, type Cidr, type IpAddress } from '../../util/cidr.js';
import { CidrIndex } from '../../util/cidr-index.js';
import { ADDRESS_OF_OBJECT, NOT_POLICY, addressBlockOf, captureBlocks } from './policy-facts.js';

/** One question a policy asks about an address. */
export type AddressTest = (ip: IpAddress) => boolean;

const NEVER: AddressTest = () => false;

/** Up to this many blocks are scanned; more are looked up by prefix (cidr-index.ts). */
const SCAN_AT_MOST = 8;

function inAny(cidrs: readonly Cidr[]): AddressTest {
  if (cidrs.length <= SCAN_AT_MOST) return (ip) => cidrs.some((c) => cidrContainsIp(c, ip));
  const index = new CidrIndex(cidrs.map((c) => [c, c] as const));
  return (ip) => index.holds(ip);
}

/** An ipBlock: its block, and the test "not in one of its excepts" for an address of the block. */
interface IpBlock {
  readonly cidr: Cidr;
  readonly notExcepted: AddressTest;
}

/** An ipBlock `{cidr, except?}` (the model's has `type: 'ipBlock'` beside them), else null. */
function ipBlockOf(value: Record<string, unknown>): IpBlock | null {
  const cidr = addressBlockOf(value['cidr']);
  const except = value['except'] ?? [];
  const extra = Object.keys(value).filter((k) => k !== 'cidr' && k !== 'except' && k !== 'type');
  if (!cidr || !Array.isArray(except) || extra.length > 0 || (value['type'] ?? 'ipBlock') !== 'ipBlock') return null;
  const excepts = except.map(addressBlockOf);
  if (excepts.some((c) => c === null)) return null;
  const excepted = inAny(excepts as Cidr[]);
  return { cidr, notExcepted: (ip) => !excepted(ip) };
}

const PEER_KEYS = new Set(['ipBlock', 'podSelector', 'namespaceSelector']);

/**
 * A NetworkPolicy peer, as written (`{ipBlock}` or selectors) or in the model (`type`): its
 * ipBlock, 'never' for selectors (an external address matches none), else null.
 */
function peerOf(value: unknown): IpBlock | 'never' | null {
  if (!isRecord(value)) return null;
  if (value['type'] === 'selector') return 'never';
  if (value['type'] === 'ipBlock') return ipBlockOf(value);
  const keys = Object.keys(value);
  if (keys.length === 0 || keys.some((k) => !PEER_KEYS.has(k))) return null;
  if (!('ipBlock' in value)) return 'never';
  return isRecord(value['ipBlock']) && keys.length === 1 ? ipBlockOf(value['ipBlock']) : null;
}

/** In any of the ipBlocks: in its cidr and in none of its excepts. */
function inAnyBlock(blocks: readonly IpBlock[]): AddressTest {
  if (blocks.length <= SCAN_AT_MOST) return (ip) => blocks.some((b) => cidrContainsIp(b.cidr, ip) && b.notExcepted(ip));
  const index = new CidrIndex(blocks.map((b) => [b.cidr, b.notExcepted] as const));
  return (ip) => index.find(ip, (notExcepted) => notExcepted(ip));
}

/** A list whose items are all CIDR strings, or all NetworkPolicy peers: one "any of" test, else null. */
function listTest(items: readonly unknown[]): AddressTest | null {
  if (items.length === 0) return null;
  const cidrs = items.map(addressBlockOf);
  if (cidrs.every((c) => c !== null)) return inAny(cidrs as Cidr[]);
  const peers = items.map(peerOf);
  if (peers.some((p) => p === null)) return null;
  const blocks = peers.filter((p): p is IpBlock => p !== 'never');
  return blocks.length === 0 ? NEVER : inAnyBlock(blocks);
}

interface Walk {
  readonly tests: AddressTest[];
  readonly seen: Set<object>;
}

function visit(walk: Walk, value: unknown, key: string, depth: number): void {
  if (depth > 40 || value === null || typeof value !== 'object') {
    const cidr = ADDRESS_OF_OBJECT.test(key) ? null : addressBlockOf(value);
    if (cidr) walk.tests.push(inAny([cidr]));
    return;
  }
  if (walk.seen.has(value)) return;
  walk.seen.add(value);
  const items = Array.isArray(value) || value instanceof Set ? [...(value as Iterable<unknown>)] : null;
  if (items) {
    const test = ADDRESS_OF_OBJECT.test(key) ? null : listTest(items);
    if (test) walk.tests.push(test);
    else for (const item of items) visit(walk, item, key, depth + 1);
    return;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) visit(walk, v, String(k), depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  const block = ipBlockOf(record);
  if (block) return void walk.tests.push(inAnyBlock([block]));
  for (const [k, v] of Object.entries(record)) if (k !== 'loc' && k !== 'lines') visit(walk, v, k, depth + 1);
}

/** The tests the policies (and sidecar capture ranges) of `snapshot` put to an address. */
export function addressTests(snapshot: Snapshot): AddressTest[] {
  const walk: Walk = { tests: [], seen: new Set() };
  for (const [field, value] of Object.entries(snapshot)) if (!NOT_POLICY.has(field)) visit(walk, value, field, 0);
  for (const cidr of captureBlocks(snapshot)) walk.tests.push(inAny([cidr]));
  return walk.tests;
}

/** The answers of `tests` for `address`, with its family: equal for addresses the policies cannot tell apart. */
export function addressSignature(tests: readonly AddressTest[], address: string): string {
  const ip = parseIp(address);
  if (!ip) return `?${address}`;
  let bits = String(ip.family);
  for (const test of tests) bits += test(ip) ? '1' : '0';
  return bits;
}
