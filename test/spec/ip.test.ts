import { cidrContains, cidrsOverlap, intToIp, ipToInt, isHostAddress, parseCidr } from '../../spec/ip';

describe('IPv4 helpers', () => {
  test('round-trips addresses', () => {
    for (const ip of ['0.0.0.0', '10.20.0.1', '255.255.255.255']) expect(intToIp(ipToInt(ip))).toBe(ip);
  });
  test('rejects malformed addresses and CIDRs', () => {
    expect(() => ipToInt('10.0.0.256')).toThrow('not an IPv4 address');
    expect(() => parseCidr('10.0.0.0/33')).toThrow('not an IPv4 CIDR');
    expect(() => parseCidr('10.0.0.1/24')).toThrow('host bits set');
  });
  test('network and broadcast addresses are not host addresses', () => {
    const net = parseCidr('10.0.0.0/24');
    expect(isHostAddress(net, '10.0.0.0')).toBe(false);
    expect(isHostAddress(net, '10.0.0.255')).toBe(false);
    expect(isHostAddress(net, '10.0.0.1')).toBe(true);
    expect(cidrContains(net, '10.0.1.1')).toBe(false);
  });
  test('overlap is symmetric and exact at the edges', () => {
    const a = parseCidr('10.0.0.0/24');
    expect(cidrsOverlap(a, parseCidr('10.0.0.128/25'))).toBe(true);
    expect(cidrsOverlap(parseCidr('10.0.0.128/25'), a)).toBe(true);
    expect(cidrsOverlap(a, parseCidr('10.0.1.0/24'))).toBe(false);
  });
});
