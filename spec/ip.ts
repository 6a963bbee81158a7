/**
 * Minimal IPv4 arithmetic used by the spec rules and the network model.
 * Pure functions; addresses are handled as unsigned 32-bit numbers.
 */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export interface Cidr {
  readonly network: number;
  readonly prefix: number;
  /** The text as written in the spec. */
  readonly text: string;
}

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

export function ipToInt(text: string): number {
  if (!isIpv4(text)) throw new Error(`not an IPv4 address: ${JSON.stringify(text)}`);
  return text.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function intToIp(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new Error(`IPv4 address out of range: ${value}`);
  }
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function isCidr(text: string): boolean {
  const [addr, prefix, ...rest] = text.split('/');
  return rest.length === 0 && isIpv4(addr ?? '') && /^(3[0-2]|[12]?\d)$/.test(prefix ?? '');
}

/** Parses "a.b.c.d/n". Host bits must be zero, so the value means exactly one network. */
export function parseCidr(text: string): Cidr {
  if (!isCidr(text)) throw new Error(`not an IPv4 CIDR: ${JSON.stringify(text)}`);
  const [addr, prefixText] = text.split('/') as [string, string];
  const prefix = Number(prefixText);
  const network = ipToInt(addr);
  if (network % blockSize(prefix) !== 0) {
    throw new Error(`CIDR ${text} has host bits set (network address is ${intToIp(network - (network % blockSize(prefix)))}/${prefix})`);
  }
  return { network, prefix, text };
}

export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

export function lastAddress(cidr: Cidr): number {
  return cidr.network + blockSize(cidr.prefix) - 1;
}

export function cidrContains(cidr: Cidr, ip: string | number): boolean {
  const value = typeof ip === 'number' ? ip : ipToInt(ip);
  return value >= cidr.network && value <= lastAddress(cidr);
}

/** True when the address is usable by a host: not the network or broadcast address (for prefixes below /31). */
export function isHostAddress(cidr: Cidr, ip: string | number): boolean {
  const value = typeof ip === 'number' ? ip : ipToInt(ip);
  if (!cidrContains(cidr, value)) return false;
  if (cidr.prefix >= 31) return true;
  return value !== cidr.network && value !== lastAddress(cidr);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.network <= lastAddress(b) && b.network <= lastAddress(a);
}

export interface IpRange {
  readonly start: number;
  readonly end: number;
}

export function rangeContains(range: IpRange, ip: string | number): boolean {
  const value = typeof ip === 'number' ? ip : ipToInt(ip);
  return value >= range.start && value <= range.end;
}

export function rangeSize(range: IpRange): number {
  return range.end - range.start + 1;
}

/** The fewest CIDRs covering exactly start..end (inclusive), in address order. */
export function rangeToCidrs(start: string, end: string): string[] {
  let lo = ipToInt(start);
  const hi = ipToInt(end);
  if (lo > hi) throw new Error(`IPv4 range end before start: ${start}-${end}`);
  const out: string[] = [];
  while (lo <= hi) {
    let size = 1;
    // The largest aligned block starting at lo that stays inside the range.
    while (lo % (size * 2) === 0 && lo + size * 2 - 1 <= hi && size < 2 ** 32) size *= 2;
    out.push(`${intToIp(lo)}/${32 - Math.log2(size)}`);
    lo += size;
  }
  return out;
}
