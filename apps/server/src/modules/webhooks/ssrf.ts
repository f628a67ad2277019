/**
 * Security-critical: server-side request forgery guard for outbound webhooks.
 *
 * A webhook URL is checked when a subscription is saved AND at send time after
 * DNS resolution: the HTTP client connects to the address this module checked
 * (a `lookup` hook), so a name that re-resolves to an internal address between
 * check and connect (DNS rebinding) is still refused. IPv4 in any notation the
 * URL parser accepts (decimal, octal, hex, short forms) is normalised by WHATWG
 * URL parsing before we see it; IPv6 forms that embed an IPv4 address
 * (mapped, compatible, NAT64, 6to4) are judged by the embedded address.
 */
import dns from 'node:dns';
import net from 'node:net';

export class UnsafeTargetError extends Error {}

type Range = [bytes: number[], prefix: number];

const V4_BLOCKED: Range[] = [
  [[0, 0, 0, 0], 8], // "this network", unspecified
  [[10, 0, 0, 0], 8], // private
  [[100, 64, 0, 0], 10], // CGNAT
  [[127, 0, 0, 0], 8], // loopback
  [[169, 254, 0, 0], 16], // link-local, cloud metadata (169.254.169.254)
  [[172, 16, 0, 0], 12], // private
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // documentation
  [[192, 88, 99, 0], 24], // 6to4 relay anycast
  [[192, 168, 0, 0], 16], // private
  [[198, 18, 0, 0], 15], // benchmarking
  [[198, 51, 100, 0], 24], // documentation
  [[203, 0, 113, 0], 24], // documentation
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, broadcast
];

const V6_BLOCKED: Range[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 128], // unspecified ::
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128], // loopback ::1
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64], // discard-only 100::/64
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0x20, 0x01, 0x00, 0x00], 32], // Teredo (tunnels to arbitrary IPv4)
  [[0xfc], 7], // unique local, incl. fd00:ec2::254 (EC2 metadata)
  [[0xfe, 0x80], 10], // link-local
  [[0xfe, 0xc0], 10], // site-local (deprecated)
  [[0xff], 8], // multicast
];

function inRange(addr: number[], [net, prefix]: Range): boolean {
  for (let bit = 0; bit < prefix; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((addr[byte] ?? 0) & mask) !== ((net[byte] ?? 0) & mask)) return false;
  }
  return true;
}

function parseV4(ip: string): number[] | null {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number);
}

/** 16 bytes of an IPv6 address (with or without a dotted IPv4 tail); null when malformed. */
export function parseV6(ip: string): number[] | null {
  let text = ip.replace(/^\[|\]$/g, '').split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = parseV4(dotted[1]!);
    if (!v4) return null;
    text = text.slice(0, -dotted[1]!.length) + `${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}

/** The IPv4 address an IPv6 address stands for, if it embeds one. */
function embeddedV4(b: number[]): number[] | null {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12); // ::ffff:a.b.c.d (mapped)
  if (zeros(0, 12) && !(b[12] === 0 && b[13] === 0 && b[14] === 0 && (b[15] ?? 0) <= 1)) return b.slice(12); // ::a.b.c.d (compatible)
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return b.slice(12); // 64:ff9b::/96 NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6); // 2002::/16 6to4
  return null;
}

/** Why an IP address must not be a webhook target, or null when it may. */
export function blockedReason(ip: string): string | null {
  const family = net.isIP(ip.replace(/^\[|\]$/g, '').split('%')[0]!);
  if (family === 4) {
    const v4 = parseV4(ip)!;
    return V4_BLOCKED.some((r) => inRange(v4, r)) ? `${ip} is a private, loopback, link-local or reserved address` : null;
  }
  if (family === 6) {
    const v6 = parseV6(ip);
    if (!v6) return `${ip} is not a valid address`;
    const inner = embeddedV4(v6);
    if (inner) return blockedReason(inner.join('.'));
    return V6_BLOCKED.some((r) => inRange(v6, r)) ? `${ip} is a private, loopback, link-local or reserved address` : null;
  }
  return `${ip} is not an IP address`;
}

export interface TargetPolicy {
  allowPrivate: boolean;
  /** DNS resolver (injectable for tests); defaults to the system resolver. */
  resolve?: (host: string) => Promise<string[]>;
}

const defaultResolve = async (host: string) => (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** Parses and checks the URL shape, and the host when it is an IP literal. */
export function checkUrlShape(raw: string, policy: TargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeTargetError('not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UnsafeTargetError('only http and https URLs are allowed');
  if (url.username || url.password) throw new UnsafeTargetError('credentials in the URL are not allowed');
  const host = hostOf(url).toLowerCase();
  if (!host) throw new UnsafeTargetError('the URL has no host');
  if (policy.allowPrivate) return url;
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local')) {
    throw new UnsafeTargetError(`${host} is an internal host name`);
  }
  if (net.isIP(host)) {
    const reason = blockedReason(host);
    if (reason) throw new UnsafeTargetError(reason);
  }
  return url;
}

/** Resolves the host and returns the addresses, refusing when ANY of them is internal. */
export async function resolveSafely(host: string, policy: TargetPolicy): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(bare) ? [bare] : await (policy.resolve ?? defaultResolve)(bare).catch(() => {
    throw new UnsafeTargetError(`${bare} does not resolve`);
  });
  if (!addresses.length) throw new UnsafeTargetError(`${bare} does not resolve`);
  if (!policy.allowPrivate) {
    for (const a of addresses) {
      const reason = blockedReason(a);
      if (reason) throw new UnsafeTargetError(`${bare} resolves to ${reason}`);
    }
  }
  return addresses;
}

/** Subscription-time check: shape plus resolution (a name that does not resolve yet is refused too). */
export async function assertSafeTarget(raw: string, policy: TargetPolicy): Promise<URL> {
  const url = checkUrlShape(raw, policy);
  await resolveSafely(hostOf(url), policy);
  return url;
}

/** A `lookup` for http.request that only ever yields checked addresses. */
export function safeLookup(policy: TargetPolicy): net.LookupFunction {
  return (hostname, options, callback) => {
    resolveSafely(hostname, policy).then(
      (addresses) => {
        const a = addresses[0]!;
        const family = net.isIP(a);
        if (options.all) (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, [{ address: a, family }]);
        else callback(null, a, family);
      },
      (err: Error) => callback(err as NodeJS.ErrnoException, '', 0),
    );
  };
}
