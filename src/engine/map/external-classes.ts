/**
 * External peers for `map`: the address space outside the cluster cut by the address blocks the
 * policies name. Blocks nest or are disjoint, so each class is "the smallest block that holds the
 * address, minus the blocks inside it", named `external/CIDR` by that block (README "map and diff").
 */
import type { Cidr, IpAddress } from '../../util/cidr.js';
import { cidrContainsCidr, formatIp } from '../../util/cidr.js';
import { CidrIndex } from '../../util/cidr-index.js';

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

function wholeSpace(family: 4 | 6): Cidr {
  return { family, base: 0n, prefix: 0, text: WHOLE[family] };
}

/**
 * The first address of `block` outside every block nested in it (`nested` holds the address) and
 * outside `taken`, trying the block's first address, then the address after each nested block in
 * `inner`'s order; null if none.
 */
function representativeOf(
  block: Cidr,
  inner: readonly Cidr[],
  nested: (ip: IpAddress) => boolean,
  taken: ReadonlySet<string>,
): string | null {
  const end = block.base + size(block);
  const candidates = [block.base, ...inner.map((c) => c.base + size(c))];
  for (let candidate of candidates) {
    for (let tries = 0; tries < 64 && candidate < end; tries++, candidate++) {
      if (nested({ family: block.family, value: candidate })) break;
      const text = formatIp(block.family, candidate);
      if (!taken.has(text)) return text;
    }
  }
  return null;
}

/** Family, then first address, then the wider block first: a block's nested blocks follow it, in one run. */
function bySpan(a: Cidr, b: Cidr): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.base !== b.base) return a.base < b.base ? -1 : 1;
  return a.prefix - b.prefix;
}

/**
 * Per block (in `blocks`' order), the blocks nested in it, in `blocks`' order. In span order a
 * block's nested blocks are the run after it up to the first block that starts past its end, so
 * this costs the total nesting depth, not every pair of blocks.
 */
function nestedBlocks(blocks: readonly Cidr[]): Cidr[][] {
  const order = blocks.map((_, i) => i).sort((i, j) => bySpan(blocks[i] as Cidr, blocks[j] as Cidr));
  const nested: Cidr[][] = blocks.map(() => []);
  order.forEach((i, at) => {
    const block = blocks[i] as Cidr;
    const run: number[] = [];
    for (let k = at + 1; k < order.length; k++) {
      const other = blocks[order[k] as number] as Cidr;
      if (!cidrContainsCidr(block, other)) break;
      run.push(order[k] as number);
    }
    nested[i] = run.sort((a, b) => a - b).map((k) => blocks[k] as Cidr);
  });
  return nested;
}

/** One class per distinct block (and the whole space of each family in use); `taken` = in-cluster addresses. */
export function externalClasses(cidrs: readonly Cidr[], taken: ReadonlySet<string>): ExternalClass[] {
  const byText = new Map<string, Cidr>();
  for (const c of cidrs) byText.set(`${formatIp(c.family, c.base)}/${c.prefix}`, c);
  for (const family of [4, 6] as const) {
    if (family === 4 || [...byText.values()].some((c) => c.family === 6)) byText.set(WHOLE[family], wholeSpace(family));
  }
  const texts = [...byText.keys()];
  const blocks = [...byText.values()];
  const index = new CidrIndex(blocks.map((c) => [c, c] as const));
  const nested = nestedBlocks(blocks);
  const classes: ExternalClass[] = [];
  blocks.forEach((block, i) => {
    // an address of `block` in a block with a longer prefix is in a block nested in it
    const inNested = (ip: IpAddress): boolean => index.holds(ip, block.prefix);
    const representative = representativeOf(block, nested[i] as Cidr[], inNested, taken);
    const text = texts[i] as string;
    if (representative !== null) classes.push({ id: `external/${text}`, cidr: text, representative });
  });
  return classes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
