/**
 * External peers for `map`: the address space outside the cluster cut by the address blocks the
 * policies name. Blocks nest or are disjoint, so each class is "the smallest block that holds the
 * address, minus the blocks inside it", named `external/CIDR` by that block (README "map and diff").
 */
import type { Cidr } from '../../util/cidr.js';
import { cidrContainsCidr, cidrContainsIp } from '../../util/cidr.js';

export interface ExternalClass {
  /** `external/CIDR` */
  readonly id: string;
  readonly cidr: string;
  /** an address of the class that is no pod's or Service's address, to evaluate with */
  readonly representative: string;
}

const WHOLE: Readonly<Record<4 | 6, string>> = { 4: '0.0.0.0/0', 6: '::/0' };

function size(c: Cidr): bigint {
  return 1n << BigInt((c.family === 4 ? 32 : 128) - c.prefix);
}

function formatIp(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  return groups.join(':');
}

function wholeSpace(family: 4 | 6): Cidr {
  return { family, base: 0n, prefix: 0, text: WHOLE[family] };
}

/** The first address of `block` outside every block nested in it and outside `taken`; null if none. */
function representativeOf(block: Cidr, inner: readonly Cidr[], taken: ReadonlySet<string>): string | null {
  const candidates = [block.base, ...inner.map((c) => c.base + size(c))];
  const end = block.base + size(block);
  for (let candidate of candidates) {
    for (let tries = 0; tries < 64 && candidate < end; tries++, candidate++) {
      const ip = { family: block.family, value: candidate };
      const text = formatIp(block.family, candidate);
      if (inner.some((c) => cidrContainsIp(c, ip))) break;
      if (!taken.has(text)) return text;
    }
  }
  return null;
}

/** One class per distinct block (and the whole space of each family in use); `taken` = in-cluster addresses. */
export function externalClasses(cidrs: readonly Cidr[], taken: ReadonlySet<string>): ExternalClass[] {
  const byText = new Map<string, Cidr>();
  for (const c of cidrs) byText.set(`${formatIp(c.family, c.base)}/${c.prefix}`, c);
  for (const family of [4, 6] as const) {
    if (family === 4 || [...byText.values()].some((c) => c.family === 6)) byText.set(WHOLE[family], wholeSpace(family));
  }
  const blocks = [...byText.entries()];
  const classes: ExternalClass[] = [];
  for (const [text, block] of blocks) {
    const inner = blocks.map(([, c]) => c).filter((c) => c !== block && cidrContainsCidr(block, c));
    const representative = representativeOf(block, inner, taken);
    if (representative !== null) classes.push({ id: `external/${text}`, cidr: text, representative });
  }
  return classes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
