import { describe, expect, it } from 'vitest';
import { formatter, fromAcceptLanguage, pluralForm } from '../../src/i18n/index.ts';

// Intl separates groups and units with no-break spaces; compare with plain ones.
const plain = (s: string) => s.replace(/[\u00a0\u2009\u202f]/g, ' ');

describe('formatter()', () => {
  const ru = formatter('ru', 'Europe/Moscow');
  const en = formatter('en', 'Europe/Moscow');

  it('prints money the local way, with cents only for small fractional amounts', () => {
    expect(plain(ru.money(2_289_000_000, 'RUB'))).toBe('2 289 ₽');
    expect(en.money(2_289_000_000, 'RUB')).toBe('₽2,289');
    expect(en.money(1_234_500_000, 'USD')).toBe('$1,235');
    expect(en.money(45_500_000, 'USD')).toBe('$45.50');
    expect(plain(ru.money(45_500_000, 'USD'))).toBe('45,50 $');
    expect(plain(ru.money(1_000_000, 'bad currency'))).toBe('1 bad curren');
  });

  it('prints percentages and signed changes', () => {
    expect(plain(ru.percent(0.125))).toBe('12,5 %');
    expect(en.percent(0.125)).toBe('12.5%');
    expect(plain(ru.signedPercent(0.12))).toBe('+12 %');
    expect(en.signedPercent(-0.05)).toBe('-5%');
    expect(en.signedPercent(0)).toBe('0%');
    expect(ru.signed(3)).toBe('+3');
  });

  it('prints days without moving them across zones, and weekdays and ranges', () => {
    expect(plain(ru.day('2026-12-06'))).toBe('6 дек. 2026 г.');
    expect(en.day('2026-12-06')).toBe('6 Dec 2026');
    expect(ru.weekday('2026-11-30')).toBe('пн, 30 нояб.');
    expect(plain(ru.dayRange('2026-11-30', '2026-12-06'))).toBe('30 нояб. – 6 дек. 2026 г.');
    expect(plain(en.dayRange('2026-11-30', '2026-12-06'))).toBe('30 Nov – 6 Dec 2026');
    expect(formatter('en', 'Pacific/Kiritimati').day('2026-12-31')).toBe('31 Dec 2026');
    expect(en.day('not a day')).toBe('not a day');
  });

  it('shows an instant in the site zone', () => {
    expect(en.dateTime('2026-12-06T11:05:00Z')).toBe('6 Dec 2026, 14:05');
    expect(plain(ru.dateTime('2026-12-06T11:05:00Z'))).toBe('6 дек. 2026 г., 14:05');
    expect(en.dateTime(null)).toBe('—');
  });

  it('says durations and relative times in words', () => {
    expect(plain(ru.days(3))).toBe('3 дня');
    expect(plain(ru.days(5))).toBe('5 дней');
    expect(en.days(1)).toBe('1 day');
    expect(plain(ru.duration(350))).toBe('350 мс');
    expect(plain(en.duration(2500))).toBe('2.5 sec');
    const now = new Date('2026-12-06T12:00:00Z');
    expect(ru.relative('2026-12-06T10:00:00Z', now)).toBe('2 часа назад');
    expect(en.relative('2026-12-09T12:00:00Z', now)).toBe('in 3 days');
  });
});

describe('Russian plurals', () => {
  const forms = { one: 'ссылка', few: 'ссылки', many: 'ссылок', other: 'ссылки' };
  it.each([
    [1, 'ссылка'],
    [2, 'ссылки'],
    [5, 'ссылок'],
    [11, 'ссылок'],
    [21, 'ссылка'],
    [22, 'ссылки'],
    [25, 'ссылок'],
    [111, 'ссылок'],
    [1.5, 'ссылки'],
  ])('%d takes "%s"', (n, word) => {
    expect(pluralForm('ru', n, forms)).toBe(word);
    expect(plain(formatter('ru').count(n, forms))).toBe(`${String(n).replace('.', ',')} ${word}`);
  });
  it('English has one and other', () => {
    expect(pluralForm('en', 1, { one: 'link', other: 'links' })).toBe('link');
    expect(pluralForm('en', 21, { one: 'link', other: 'links' })).toBe('links');
  });
});

describe('fromAcceptLanguage()', () => {
  it('picks our best language by weight', () => {
    expect(fromAcceptLanguage('ru-RU,ru;q=0.9,en-US;q=0.8')).toBe('ru');
    expect(fromAcceptLanguage('de-DE,en;q=0.5,ru;q=0.7')).toBe('ru');
    expect(fromAcceptLanguage('en-GB')).toBe('en');
    expect(fromAcceptLanguage('de, fr;q=0.8')).toBeNull();
    expect(fromAcceptLanguage('ru;q=0')).toBeNull();
    expect(fromAcceptLanguage(undefined)).toBeNull();
  });
});
