// validateBacklinkInput() and backlinkKey(): one link as a person typed it, checked field by field.
import { describe, expect, it } from 'vitest';
import { backlinkKey, validateBacklinkInput } from '../../src/backlinks/input.ts';
import type { BacklinkInput } from '../../src/backlinks/types.ts';

const TODAY = '2026-05-25';

/** validateBacklinkInput() on a form with a valid donor and target plus `fields`. */
const check = (fields: Record<string, string>, defaultCurrency?: string) =>
  validateBacklinkInput(
    { donor_url: 'https://blog.example/p', target: 'studio.example', ...fields },
    'form',
    {
      defaultCurrency,
      today: TODAY,
    },
  );
const input = (fields: Record<string, string>, defaultCurrency?: string): BacklinkInput => {
  const r = check(fields, defaultCurrency);
  if ('errors' in r) throw new Error(r.errors.join('\n'));
  return r.input;
};
const errors = (fields: Record<string, string>, defaultCurrency?: string): string[] => {
  const r = check(fields, defaultCurrency);
  return 'errors' in r ? r.errors : [];
};

describe('validateBacklinkInput()', () => {
  it('prefixes every message with where the input came from', () => {
    const r = validateBacklinkInput({ donor_url: 'example.com/page' }, 'form', { today: TODAY });
    expect(r).toEqual({
      errors: [
        'form: donor_url "example.com/page" is not an absolute http(s) URL',
        'form: target is missing: give the URL or domain the link points to',
      ],
    });
    expect(validateBacklinkInput({ donor_url: '  ' }, 'line 4', { today: TODAY })).toEqual({
      errors: [
        'line 4: donor_url is missing',
        'line 4: target is missing: give the URL or domain the link points to',
      ],
    });
  });

  it('normalises the donor URL and refuses what is not http(s)', () => {
    expect(input({ donor_url: ' HTTP://Blog.Example:80/a/../p#c ' }).donorUrl).toBe('http://blog.example/p');
    expect(errors({ donor_url: 'mailto:x@blog.example' })).toEqual([
      'form: donor_url "mailto:x@blog.example" is not an absolute http(s) URL',
    ]);
    expect(errors({ donor_url: 'https://' })).toEqual([
      'form: donor_url "https://" is not an absolute http(s) URL',
    ]);
  });

  it('takes a target as a URL or a bare domain, in punycode and lower case', () => {
    expect(input({ target: 'https://Studio.Example/About' })).toMatchObject({
      target: 'https://studio.example/About',
      targetKind: 'url',
    });
    expect(input({ target: 'Studio.Example/' })).toMatchObject({
      target: 'studio.example',
      targetKind: 'domain',
    });
    expect(input({ target: 'пример.рф' })).toMatchObject({
      target: 'xn--e1afmkfd.xn--p1ai',
      targetKind: 'domain',
    });
    for (const bad of [
      'studio.example/about',
      'localhost',
      'studio',
      'ftp://studio.example/',
      '-x.example',
      'a b.example',
    ])
      expect(errors({ target: bad })).toEqual([
        `form: target ${JSON.stringify(bad)} is neither an http(s) URL nor a bare domain like studio.example`,
      ]);
  });

  it('knows the kinds and a few aliases, and defaults to bought', () => {
    expect(input({}).kind).toBe('bought');
    expect(input({ kind: 'Link' }).kind).toBe('bought');
    expect(input({ kind: 'Press Release' }).kind).toBe('press-release');
    expect(input({ kind: 'guest post' }).kind).toBe('guest-post');
    expect(input({ kind: 'guest_post' }).kind).toBe('guest-post');
    expect(input({ kind: 'DIRECTORY' }).kind).toBe('directory');
    expect(errors({ kind: 'crowd' })).toEqual([
      'form: kind "crowd" is not one of bought, press-release, guest-post, directory, other',
    ]);
  });

  it('reads prices with decimal commas, spaced thousands and currency symbols into micros', () => {
    const price = (p: string, currency?: string) => {
      const i = input(currency ? { price: p, currency } : { price: p }, 'RUB');
      return [i.priceMicros, i.currency];
    };
    expect(price('1500')).toEqual([1_500_000_000, 'RUB']);
    expect(price('1500,5')).toEqual([1_500_500_000, 'RUB']);
    expect(price('12.99')).toEqual([12_990_000, 'RUB']);
    expect(price('1 234 567,89')).toEqual([1_234_567_890_000, 'RUB']);
    expect(price('1\u00A0500,00\u00A0₽')).toEqual([1_500_000_000, 'RUB']);
    expect(price('1\u202F500')).toEqual([1_500_000_000, 'RUB']);
    expect(price('$19.99')).toEqual([19_990_000, 'USD']);
    expect(price('€ 49')).toEqual([49_000_000, 'EUR']);
    expect(price('£0.5', 'gbp')).toEqual([500_000, 'GBP']);
    expect(price('0')).toEqual([0, 'RUB']);
    expect(price('0.1234567')).toEqual([123_457, 'RUB']);
    expect(input({}).priceMicros).toBeNull();
    expect(input({}).currency).toBeNull();
  });

  it('refuses negative, malformed and ambiguous prices', () => {
    const refused = (p: string) => errors({ price: p }, 'RUB');
    expect(refused('-100')).toEqual(['form: price "-100" is negative: a price is 0 or more']);
    for (const p of ['сто', '1.2.3', '12 34', '1,234,567', '$5 €', '5$5', '1 500.00.1'])
      expect(refused(p)).toEqual([
        `form: price ${JSON.stringify(p)} is not an amount like 1500, 1 500,50 or $12.99`,
      ]);
    expect(refused('1,500')).toEqual([
      'form: price "1,500" is ambiguous: write 1500 if the separator groups thousands, or 1.5 if those are decimals',
    ]);
    expect(refused('1.234')).toEqual([
      'form: price "1.234" is ambiguous: write 1234 if the separator groups thousands, or 1.2340 if those are decimals',
    ]);
    expect(input({ price: '1 500,000' }, 'RUB').priceMicros).toBe(1_500_000_000); // spaces settle it
  });

  it('checks currencies against ISO 4217 and the price symbol', () => {
    expect(input({ currency: 'usd' }).currency).toBe('USD');
    expect(input({ currency: '₽', price: '10' }).currency).toBe('RUB');
    expect(input({ currency: 'RUR', price: '10' }).currency).toBe('RUB');
    expect(input({ currency: '€' }).currency).toBe('EUR');
    expect(input({ currency: '£' }).currency).toBe('GBP');
    expect(input({ currency: '$' }).currency).toBe('USD');
    expect(errors({ currency: 'XYZ', price: '10' })).toEqual([
      'form: currency "XYZ" is not an ISO 4217 currency code like RUB, USD or EUR',
    ]);
    expect(errors({ currency: 'dollars' })).toEqual([
      'form: currency "dollars" is not an ISO 4217 currency code like RUB, USD or EUR',
    ]);
    expect(errors({ currency: 'EUR', price: '$10' })).toEqual([
      'form: price "$10" is in USD but currency is EUR',
    ]);
    expect(errors({ price: '10' })).toEqual([
      'form: price "10" has no currency: add a currency, a symbol like ₽ or $, or a default currency',
    ]);
    expect(errors({ price: '10' }, 'XYZ')).toEqual(['form: default currency "XYZ" is not an ISO 4217 code']);
  });

  it('reads dates as YYYY-MM-DD or DD.MM.YYYY and only real calendar days', () => {
    expect(input({ bought_on: '05.02.2026' }).boughtOn).toBe('2026-02-05');
    expect(input({ bought_on: '2026-2-5' }).boughtOn).toBe('2026-02-05');
    expect(input({ bought_on: '29.02.2024' }).boughtOn).toBe('2024-02-29');
    expect(input({ bought_on: '2026-01-15 12:30:00' }).boughtOn).toBe('2026-01-15');
    expect(input({ paid_until: '2027-01-01' }).paidUntil).toBe('2027-01-01');
    expect(errors({ bought_on: '31.02.2026' })).toEqual([
      'form: bought_on "31.02.2026" is not a real calendar date',
    ]);
    expect(errors({ bought_on: '29.02.2026' })).toEqual([
      'form: bought_on "29.02.2026" is not a real calendar date',
    ]);
    expect(errors({ paid_until: '2026-13-01' })).toEqual([
      'form: paid_until "2026-13-01" is not a real calendar date',
    ]);
    expect(errors({ bought_on: '02/05/2026' })).toEqual([
      'form: bought_on "02/05/2026" is not a date: write YYYY-MM-DD or DD.MM.YYYY',
    ]);
    expect(errors({ bought_on: '05.02.26' })).toEqual([
      'form: bought_on "05.02.26" is not a date: write YYYY-MM-DD or DD.MM.YYYY',
    ]);
  });

  it('refuses paid_until before bought_on, and bought_on after today', () => {
    expect(input({ bought_on: '2026-02-01', paid_until: '01.02.2026' }).paidUntil).toBe('2026-02-01');
    expect(errors({ bought_on: '2026-02-01', paid_until: '31.01.2026' })).toEqual([
      'form: paid_until "31.01.2026" is before bought_on "2026-02-01"',
    ]);
    expect(input({ bought_on: TODAY }).boughtOn).toBe(TODAY);
    expect(errors({ bought_on: '2026-05-26' })).toEqual([
      'form: bought_on "2026-05-26" is in the future (today is 2026-05-25)',
    ]);
  });

  it('bills one-off unless told monthly', () => {
    expect(input({}).billing).toBe('one-off');
    expect(input({ billing: 'One-off' }).billing).toBe('one-off');
    expect(input({ billing: 'monthly' }).billing).toBe('monthly');
    expect(input({ billing: 'Month' }).billing).toBe('monthly');
    expect(input({ billing: 'ежемесячно' }).billing).toBe('monthly');
    expect(errors({ billing: 'yearly' })).toEqual(['form: billing "yearly" is not one-off or monthly']);
  });

  it('splits tags on semicolons and bars, dropping blanks and repeats', () => {
    expect(input({ tags: ' seo ; q1|seo||  crowd ' }).tags).toEqual(['seo', 'q1', 'crowd']);
  });

  it('trims text fields and turns blanks into null', () => {
    expect(input({ anchor: '  дизайн ', vendor: ' ', notes: ' a\nb ', brand: 'Студия' })).toMatchObject({
      expectedAnchor: 'дизайн',
      vendor: null,
      notes: 'a\nb',
      brand: 'Студия',
    });
  });

  it('lists every problem of a row, not just the first', () => {
    expect(
      errors({ donor_url: 'x', kind: 'x', price: 'x', currency: 'x', billing: 'x', bought_on: 'x' }),
    ).toHaveLength(6);
  });
});

describe('backlinkKey()', () => {
  it('is the same for the same donor URL written differently and targets in any case', () => {
    expect(backlinkKey('HTTPS://Blog.Example:443/p#x', 'Studio.Example')).toBe(
      'https://blog.example/p\nstudio.example',
    );
    expect(backlinkKey('https://blog.example/p', 'https://Studio.Example/About')).toBe(
      backlinkKey('https://blog.example/p', 'https://studio.example/about'),
    );
  });

  it('keeps apart what servers tell apart: path case, trailing slash, query', () => {
    const keys = [
      'https://b.example/P',
      'https://b.example/p',
      'https://b.example/p/',
      'https://b.example/p?x=1',
    ].map((u) => backlinkKey(u, 'studio.example'));
    expect(new Set(keys).size).toBe(4);
  });
});
