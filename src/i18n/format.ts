// Numbers, money, dates, durations and relative times the local way, through Intl only: one formatter
// per (language, time zone) so that a page, a chart, a report and an alert print the same figure alike.
// Days are ISO dates ("2026-12-06") already in the site's zone; instants are ISO timestamps shown in it.
import { DATE_LOCALE, NUMBER_LOCALE, type Lang } from './lang.ts';
import { pluralForm, type PluralForms } from './plural.ts';

const CURRENCY = /^[A-Z]{3}$/;

export interface Formatter {
  readonly lang: Lang;
  readonly timeZone: string;
  /** Grouped, at most `digits` decimals: "12 345,5" / "12,345.5". */
  number(n: number, digits?: number): string;
  /** Exactly `digits` decimals: "3,40" / "3.40". */
  fixed(n: number, digits: number): string;
  /** A number with its sign: "+3", "−1,5"; zero has none. */
  signed(n: number, digits?: number): string;
  /** Integer micros of a currency: "2 289 ₽", "$1,234.50"; cents only where they matter (under 100, not whole). */
  money(micros: number, currency: string): string;
  /** A fraction as a percentage: 0.125 → "12,5 %" / "12.5%". */
  percent(fraction: number, digits?: number): string;
  /** A change as a signed percentage: 0.12 → "+12 %" / "+12%". */
  signedPercent(fraction: number, digits?: number): string;
  /** "6 дек. 2026 г." / "6 Dec 2026". */
  day(isoDay: string): string;
  /** "6 дек." / "6 Dec". */
  dayShort(isoDay: string): string;
  /** "пн, 30 нояб." / "Mon 30 Nov". */
  weekday(isoDay: string): string;
  /** "дек. 2026 г." / "Dec 2026". */
  month(isoDayOrMonth: string): string;
  /** "30 нояб. – 6 дек. 2026 г." / "30 Nov – 6 Dec 2026". */
  dayRange(fromDay: string, toDay: string): string;
  /** An instant in the formatter's zone: "6 дек. 2026 г., 14:05" / "6 Dec 2026, 14:05". */
  dateTime(iso: string | null): string;
  /** "14:05". */
  time(iso: string): string;
  /** Milliseconds as people say them: "350 мс", "2,5 с", "3 мин", "2 ч". */
  duration(ms: number): string;
  /** A count of days with its word: "3 дня" / "3 days". */
  days(n: number): string;
  /** "2 часа назад" / "2 hours ago"; "через 3 дня" / "in 3 days". */
  relative(iso: string, now: Date): string;
  /** A count with the plural form it takes: plural(21, {one: 'ссылка', few: 'ссылки', many: 'ссылок', other: 'ссылки'}) → "21 ссылка". */
  count(n: number, forms: PluralForms): string;
  /** The plural form alone. */
  plural(n: number, forms: PluralForms): string;
}

const cache = new Map<string, Formatter>();

export function formatter(lang: Lang, timeZone = 'UTC'): Formatter {
  const key = `${lang} ${timeZone}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = build(lang, timeZone)));
  return f;
}

function build(lang: Lang, timeZone: string): Formatter {
  const nl = NUMBER_LOCALE[lang];
  const dl = DATE_LOCALE[lang];
  const numbers = new Map<string, Intl.NumberFormat>();
  const nf = (o: Intl.NumberFormatOptions) => {
    const k = JSON.stringify(o);
    let f = numbers.get(k);
    if (!f) numbers.set(k, (f = new Intl.NumberFormat(nl, o)));
    return f;
  };
  // Days are calendar dates, not instants: formatted at noon UTC so no zone can move them a day.
  const asDay = (isoDay: string) => new Date(`${isoDay.slice(0, 10)}T12:00:00Z`);
  const dayFmt = new Intl.DateTimeFormat(dl, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const dayShortFmt = new Intl.DateTimeFormat(dl, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const weekdayFmt = new Intl.DateTimeFormat(dl, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
  const monthFmt = new Intl.DateTimeFormat(dl, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const dateTimeFmt = new Intl.DateTimeFormat(dl, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
  const timeFmt = new Intl.DateTimeFormat(dl, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
  const rtf = new Intl.RelativeTimeFormat(nl, { numeric: 'auto' });
  const valid = (d: Date) => !Number.isNaN(d.getTime());

  const self: Formatter = {
    lang,
    timeZone,
    number: (n, digits = 0) => nf({ maximumFractionDigits: digits }).format(n),
    fixed: (n, digits) => nf({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n),
    signed: (n, digits = 0) => nf({ maximumFractionDigits: digits, signDisplay: 'exceptZero' }).format(n),
    money(micros, currency) {
      const units = micros / 1e6;
      const cents = !Number.isInteger(units) && Math.abs(units) < 100;
      const digits = cents
        ? { minimumFractionDigits: 2, maximumFractionDigits: 2 }
        : { maximumFractionDigits: 0 };
      const code = currency.toUpperCase();
      if (!CURRENCY.test(code)) return `${nf(digits).format(units)} ${currency.slice(0, 10)}`;
      return nf({ style: 'currency', currency: code, currencyDisplay: 'narrowSymbol', ...digits }).format(
        units,
      );
    },
    percent: (fraction, digits = 1) =>
      nf({ style: 'percent', maximumFractionDigits: digits }).format(fraction),
    signedPercent: (fraction, digits = 0) =>
      nf({ style: 'percent', maximumFractionDigits: digits, signDisplay: 'exceptZero' }).format(fraction),
    day: (d) => (valid(asDay(d)) ? dayFmt.format(asDay(d)) : d),
    dayShort: (d) => (valid(asDay(d)) ? dayShortFmt.format(asDay(d)) : d),
    weekday: (d) => (valid(asDay(d)) ? weekdayFmt.format(asDay(d)) : d),
    month: (d) => {
      const day = d.length === 7 ? `${d}-01` : d;
      return valid(asDay(day)) ? monthFmt.format(asDay(day)) : d;
    },
    dayRange(from, to) {
      const a = asDay(from);
      const b = asDay(to);
      if (!valid(a) || !valid(b)) return `${from} – ${to}`;
      return from === to ? dayFmt.format(a) : dayFmt.formatRange(a, b);
    },
    dateTime(iso) {
      if (!iso) return '—';
      const d = new Date(iso);
      return valid(d) ? dateTimeFmt.format(d) : iso.slice(0, 40);
    },
    time(iso) {
      const d = new Date(iso);
      return valid(d) ? timeFmt.format(d) : iso.slice(0, 40);
    },
    duration(ms) {
      const unit = (value: number, u: string, digits = 0) =>
        nf({ style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: digits }).format(value);
      if (ms < 1000) return unit(Math.round(ms), 'millisecond');
      if (ms < 120_000) return unit(ms / 1000, 'second', 1);
      if (ms < 2 * 3_600_000) return unit(Math.round(ms / 60_000), 'minute');
      if (ms < 2 * 86_400_000) return unit(ms / 3_600_000, 'hour', 1);
      return unit(Math.round(ms / 86_400_000), 'day');
    },
    days: (n) => nf({ style: 'unit', unit: 'day', unitDisplay: 'long', maximumFractionDigits: 1 }).format(n),
    relative(iso, now) {
      const t = Date.parse(iso);
      if (Number.isNaN(t)) return iso.slice(0, 40);
      const s = (t - now.getTime()) / 1000;
      const a = Math.abs(s);
      if (a < 45) return rtf.format(0, 'second');
      if (a < 45 * 60) return rtf.format(Math.round(s / 60), 'minute');
      if (a < 22 * 3600) return rtf.format(Math.round(s / 3600), 'hour');
      if (a < 26 * 86400) return rtf.format(Math.round(s / 86400), 'day');
      if (a < 320 * 86400) return rtf.format(Math.round(s / (30.44 * 86400)), 'month');
      return rtf.format(Math.round(s / (365.25 * 86400)), 'year');
    },
    plural: (n, forms) => pluralForm(lang, n, forms),
    count: (n, forms) => `${nf({ maximumFractionDigits: 2 }).format(n)} ${pluralForm(lang, n, forms)}`,
  };
  return self;
}
