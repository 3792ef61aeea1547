// Who is asking, and over what: the client address and scheme, read through the reverse proxies that
// `web.trustProxy` names (X-Forwarded-For / X-Forwarded-Proto) and from the socket otherwise.
import { BlockList, isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import type { Env } from './types.ts';

export interface Client {
  /** Key for rate limits: an address (an IPv6 one by its /64), or "local" for app.request() in tests. */
  address: string;
  /** The browser's side of the connection is https: directly, or as a trusted proxy says. */
  https: boolean;
  /** The origin the browser sees for us, for comparing with an Origin header. */
  origin: string;
}

/** The configured proxies as a matcher; null when none is trusted. */
export function trustedProxies(list: false | readonly string[]): BlockList | null {
  if (!list || list.length === 0) return null;
  const proxies = new BlockList();
  for (const entry of list) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) proxies.addAddress(address, type);
    else proxies.addSubnet(address, Number(prefix), type);
  }
  return proxies;
}

/** "::ffff:10.0.0.1" → "10.0.0.1"; "[2001:db8::1]:443" and "203.0.113.5:51234" lose the port. */
function bareAddress(raw: string): string {
  let a = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  if (/^::ffff:[\d.]+$/i.test(a)) a = a.slice(7);
  return a;
}

function isTrusted(proxies: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && proxies.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * X-Forwarded-For is read right to left: each trusted proxy appended the address it saw, so the
 * first entry that is not a trusted proxy is the client; what lies further left the client could
 * have written itself. https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/X-Forwarded-For#security_and_privacy_concerns
 */
export function resolveClient(
  socketAddress: string | undefined,
  url: URL,
  header: (name: string) => string | undefined,
  proxies: BlockList | null,
): Client {
  const direct = { https: url.protocol === 'https:', origin: url.origin };
  if (socketAddress === undefined) return { address: 'local', ...direct };
  const peer = bareAddress(socketAddress);
  if (!proxies || !isTrusted(proxies, peer)) return { address: clientKey(peer), ...direct };
  let client = peer;
  const hops = (header('x-forwarded-for') ?? '').split(',').filter((h) => h.trim() !== '');
  for (let i = hops.length - 1; i >= 0; i--) {
    client = bareAddress(hops[i]!).slice(0, 64);
    if (!isTrusted(proxies, client)) break;
  }
  // The proxy nearest the browser writes the first value; nginx and Express read it the same way.
  const proto = header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  const https = proto === undefined || proto === '' ? direct.https : proto === 'https';
  // Through URL, so a Host of "name:443" gives the origin a browser sends, "https://name".
  const origin = new URL(`${https ? 'https' : 'http'}://${url.host}`).origin;
  return { address: clientKey(client), https, origin };
}

/** Sets c.get('client') for every request. */
export function clientResolver(proxies: BlockList | null): MiddlewareHandler<Env> {
  return async (c, next) => {
    // Set by @hono/node-server from the socket; app.request() in tests has none unless given one.
    const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
    c.set(
      'client',
      resolveClient(incoming?.socket?.remoteAddress, new URL(c.req.url), (n) => c.req.header(n), proxies),
    );
    await next();
  };
}

export function clientOf(c: Context<Env>): Client {
  return c.get('client');
}

/** Client key for rate limits: an IPv6 address counts by its /64, which one user usually holds whole. */
export function clientKey(address: string): string {
  const a = address.replace(/^::ffff:/, '');
  if (isIP(a) !== 6) return a;
  const full = a.includes('::') ? expandIpv6(a) : a.split(':');
  return `${full.slice(0, 4).join(':')}::/64`;
}

function expandIpv6(a: string): string[] {
  const [head, tail] = a.split('::') as [string, string];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  return [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
}
