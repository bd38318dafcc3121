/**
 * Which of many address blocks hold an address, in one map look-up per prefix length in use
 * rather than a scan of every block: a policy may name thousands of CIDRs (cloud providers'
 * published ranges), and `map` asks about every external class.
 */
import type { Cidr, IpAddress } from './cidr.js';

interface FamilyIndex<T> {
  /** prefix lengths in use, longest first */
  readonly prefixes: number[];
  /** per prefix length: the block's base address (host bits zero) -> what was indexed under it */
  readonly byPrefix: Map<number, Map<bigint, T[]>>;
  readonly bits: number;
}

export class CidrIndex<T> {
  private readonly families = new Map<4 | 6, FamilyIndex<T>>();

  constructor(entries: Iterable<readonly [Cidr, T]>) {
    for (const [cidr, value] of entries) this.add(cidr, value);
    for (const f of this.families.values()) f.prefixes.sort((a, b) => b - a);
  }

  private add(cidr: Cidr, value: T): void {
    let family = this.families.get(cidr.family);
    if (!family) {
      family = { prefixes: [], byPrefix: new Map(), bits: cidr.family === 4 ? 32 : 128 };
      this.families.set(cidr.family, family);
    }
    let bases = family.byPrefix.get(cidr.prefix);
    if (!bases) {
      bases = new Map();
      family.byPrefix.set(cidr.prefix, bases);
      family.prefixes.push(cidr.prefix);
    }
    const base = masked(cidr.base, family.bits - cidr.prefix);
    const list = bases.get(base);
    if (list) list.push(value);
    else bases.set(base, [value]);
  }

  /**
   * What was indexed under the blocks that hold `ip` with a prefix longer than `longerThan`
   * (-1: every block), most specific block first; stops when `stop` returns true.
   */
  find(ip: IpAddress, stop: (value: T) => boolean, longerThan = -1): boolean {
    const family = this.families.get(ip.family);
    if (!family) return false;
    for (const prefix of family.prefixes) {
      if (prefix <= longerThan) break;
      const list = (family.byPrefix.get(prefix) as Map<bigint, T[]>).get(masked(ip.value, family.bits - prefix));
      if (list) for (const value of list) if (stop(value)) return true;
    }
    return false;
  }

  /** Whether any indexed block with a prefix longer than `longerThan` holds `ip`. */
  holds(ip: IpAddress, longerThan = -1): boolean {
    return this.find(ip, () => true, longerThan);
  }
}

function masked(value: bigint, hostBits: number): bigint {
  const shift = BigInt(hostBits);
  return (value >> shift) << shift;
}
