// Reading the client address and scheme through trusted reverse proxies only.
import { describe, expect, it } from 'vitest';
import { clientKey, resolveClient, trustedProxies } from '../../web/client.ts';

const proxies = trustedProxies(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
const resolve = (
  socket: string | undefined,
  headers: Record<string, string>,
  url = 'http://promo.example/',
) => resolveClient(socket, new URL(url), (n) => headers[n], proxies);

describe('resolveClient()', () => {
  it('takes the socket address when the peer is not a trusted proxy, whatever the headers say', () => {
    expect(resolve('198.51.100.7', { 'x-forwarded-for': '192.0.2.1', 'x-forwarded-proto': 'https' })).toEqual(
      { address: '198.51.100.7', https: false, origin: 'http://promo.example' },
    );
    expect(
      resolveClient('127.0.0.1', new URL('http://promo.example/'), () => '192.0.2.1', trustedProxies(false)),
    ).toMatchObject({ address: '127.0.0.1' });
  });

  it('skips trusted proxies right to left, ignoring what the client wrote further left', () => {
    expect(resolve('127.0.0.1', { 'x-forwarded-for': '192.0.2.1, 203.0.113.5, 10.9.8.7' }).address).toBe(
      '203.0.113.5',
    );
    expect(resolve('::ffff:127.0.0.1', { 'x-forwarded-for': '203.0.113.5' }).address).toBe('203.0.113.5');
    expect(resolve('fd00::2', { 'x-forwarded-for': '2001:db8:1:2::9' }).address).toBe('2001:db8:1:2::/64');
  });

  it('drops ports and brackets from forwarded addresses', () => {
    expect(resolve('127.0.0.1', { 'x-forwarded-for': '203.0.113.5:51234' }).address).toBe('203.0.113.5');
    expect(resolve('127.0.0.1', { 'x-forwarded-for': '[2001:db8::1]:443' }).address).toBe(
      '2001:db8:0:0::/64',
    );
  });

  it('falls back to the nearest proxy when every hop is trusted or the header is missing', () => {
    expect(resolve('127.0.0.1', { 'x-forwarded-for': '10.0.0.1, 10.0.0.2' }).address).toBe('10.0.0.1');
    expect(resolve('127.0.0.1', {}).address).toBe('127.0.0.1');
  });

  it('takes a hop that is not an address as the client, cut short', () => {
    expect(resolve('127.0.0.1', { 'x-forwarded-for': '10.0.0.1, unknown' }).address).toBe('unknown');
    expect(resolve('127.0.0.1', { 'x-forwarded-for': 'x'.repeat(100) }).address).toBe('x'.repeat(64));
  });

  it('believes the first X-Forwarded-Proto from a trusted proxy, giving the origin the browser sends', () => {
    expect(resolve('127.0.0.1', { 'x-forwarded-proto': 'https, http' })).toMatchObject({
      https: true,
      origin: 'https://promo.example',
    });
    expect(resolve('127.0.0.1', { 'x-forwarded-proto': 'https' }, 'http://promo.example:443/').origin).toBe(
      'https://promo.example',
    );
    expect(resolve('127.0.0.1', { 'x-forwarded-proto': 'http' }, 'https://promo.example/').https).toBe(false);
    expect(resolve(undefined, {}, 'https://promo.example/')).toEqual({
      address: 'local',
      https: true,
      origin: 'https://promo.example',
    });
  });
});

describe('clientKey()', () => {
  it('keys IPv4 by address and IPv6 by its /64', () => {
    expect(clientKey('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(clientKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
  });
});
