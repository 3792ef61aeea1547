// Checks one backlink as a person typed it (a dashboard form, `links add`, one row of an import) and
// turns it into a BacklinkInput, or says what is wrong in the reader's words; no I/O.
import { normalizeUrl } from '../crawl/url.ts';
import { messages, type Messages } from '../i18n/index.ts';
import { parseDate, type InputWhy } from './dates.ts';
import { BACKLINK_KINDS, type BacklinkInput, type BacklinkKind } from './types.ts';

/** Our own columns, which are also the field names validateBacklinkInput() reads. */
export const PROMOWATCH_COLUMNS = [
  'donor_url',
  'target',
  'anchor',
  'kind',
  'vendor',
  'price',
  'currency',
  'billing',
  'bought_on',
  'paid_until',
  'tags',
  'notes',
  'brand',
] as const;
export type BacklinkField = (typeof PROMOWATCH_COLUMNS)[number];

export interface ValidateOptions {
  defaultCurrency?: string;
  today: string;
  /** What to call a field in messages when the file names it otherwise ("Referring page URL"). */
  labels?: Partial<Record<BacklinkField, string>>;
  /** The words of the messages: English unless given (the dashboard gives the reader's). */
  say?: InputWords;
  /** How a day is written in messages; YYYY-MM-DD unless given. */
  day?: (isoDay: string) => string;
}

export type InputWords = Messages['backlinks']['input'];
const EN_INPUT: InputWords = messages('en').backlinks.input;

/** Identity of a link for duplicate detection: the normalised donor URL and the target, lower-cased. */
export function backlinkKey(donorUrl: string, target: string): string {
  const donor = normalizeUrl(donorUrl);
  const to = target.includes('://') ? normalizeUrl(target) : { ok: false as const };
  return `${donor.ok ? donor.url : donorUrl.trim()}\n${(to.ok ? to.url : target.trim()).toLowerCase()}`;
}

// --- Field rules ---------------------------------------------------------------------------------

const KIND_ALIASES: Record<string, BacklinkKind> = { link: 'bought' };
const BILLING: Record<string, 'one-off' | 'monthly'> = {
  'one-off': 'one-off',
  'one off': 'one-off',
  once: 'one-off',
  разово: 'one-off',
  monthly: 'monthly',
  month: 'monthly',
  ежемесячно: 'monthly',
};
const SYMBOL_CURRENCY: Record<string, string> = { '₽': 'RUB', $: 'USD', '€': 'EUR', '£': 'GBP' };
// RUR is the pre-1998 rouble code that Russian services (Sape, old Yandex APIs) still print.
const CURRENCY_ALIASES: Record<string, string> = {
  ...SYMBOL_CURRENCY,
  RUR: 'RUB',
  РУБ: 'RUB',
  'РУБ.': 'RUB',
};
const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

function parseTarget(s: string): { target: string; targetKind: 'url' | 'domain' } | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    const n = normalizeUrl(s);
    return n.ok ? { target: n.url, targetKind: 'url' } : null;
  }
  const bare = s.replace(/\/$/, '');
  if (/[/\\\s?#@:]/.test(bare)) return null;
  let host: string;
  try {
    host = new URL(`http://${bare}`).hostname; // lower-cases, IDN to punycode
  } catch {
    return null;
  }
  const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
  return new RegExp(`^(?:${label}\\.)+[a-z0-9-]{2,63}$`).test(host)
    ? { target: host, targetKind: 'domain' }
    : null;
}

function parseKind(s: string): BacklinkKind | null {
  const k = s.toLowerCase().replace(/[\s_]+/g, '-');
  return (BACKLINK_KINDS as readonly string[]).includes(k) ? (k as BacklinkKind) : (KIND_ALIASES[k] ?? null);
}

function parseCurrency(s: string): string | null {
  const up = s.trim().toUpperCase();
  const code = CURRENCY_ALIASES[up] ?? up;
  return /^[A-Z]{3}$/.test(code) && ISO_CURRENCIES.has(code) ? code : null;
}

/** "1 500,50 ₽" → 1500.5 RUB in micros; a string says why it is not a price. */
function parsePrice(s: string, why: InputWhy): { micros: number; currency: string | null } | string {
  if (/^\s*[-−]/.test(s)) return why.negative;
  const symbols = s.match(/[₽$€£]/gu) ?? [];
  let rest = s;
  let currency: string | null = null;
  if (symbols.length === 1) {
    const m = /^\s*[₽$€£]\s*(.*?)\s*$/u.exec(s) ?? /^\s*(.*?)\s*[₽$€£]\s*$/u.exec(s);
    if (!m) return why.notAmount;
    rest = m[1]!;
    currency = SYMBOL_CURRENCY[symbols[0]!]!;
  }
  const grouped = /^\d{1,3}(?:[ \u00A0\u202F]\d{3})+(?:[.,]\d+)?$/.test(rest);
  if (!grouped && !/^\d+(?:[.,]\d+)?$/.test(rest)) return why.notAmount;
  const plain = rest.replace(/[ \u00A0\u202F]/g, '').replace(',', '.');
  // "1,500" and "1.500" read as 1500 in some locales and 1.5 in others: refuse to guess with money.
  const ambiguous = !grouped && /^(\d{1,3})[.,](\d{3})$/.exec(rest);
  if (ambiguous) {
    const decimals = String(Number(plain));
    const asDecimals = /\.\d{3}$/.test(decimals) ? `${decimals}0` : decimals;
    return why.ambiguous(`${ambiguous[1]}${ambiguous[2]}`, asDecimals);
  }
  const micros = Math.round(Number(plain) * 1e6);
  if (!Number.isSafeInteger(micros)) return why.tooLarge;
  return { micros, currency };
}

/**
 * Checks one link as a person typed it (a file row, `links add`, the web form) and turns it into a
 * BacklinkInput. Every message starts with `where` and names the field and the value it refused.
 */
export function validateBacklinkInput(
  raw: Record<string, string | undefined>,
  where: string,
  opts: ValidateOptions,
): { input: BacklinkInput } | { errors: string[] } {
  const errors: string[] = [];
  const say = opts.say ?? EN_INPUT;
  const why = say.why;
  const day = opts.day ?? ((d: string) => d);
  const name = (f: BacklinkField) => opts.labels?.[f] ?? f;
  const bad = (f: BacklinkField, value: string, reason: string) =>
    errors.push(say.refused(where, name(f), value.slice(0, 200), reason));
  const val = (f: BacklinkField) => raw[f]?.trim() || undefined;

  let donorUrl = '';
  const donorRaw = val('donor_url');
  if (donorRaw === undefined) errors.push(say.missing(where, name('donor_url')));
  else {
    const n = normalizeUrl(donorRaw);
    if (n.ok) donorUrl = n.url;
    else bad('donor_url', donorRaw, why.notUrl);
  }

  let target: { target: string; targetKind: 'url' | 'domain' } | null = null;
  const targetRaw = val('target');
  if (targetRaw === undefined) errors.push(say.targetMissing(where, name('target')));
  else if (!(target = parseTarget(targetRaw))) bad('target', targetRaw, why.notTarget);

  let kind: BacklinkKind = 'bought';
  const kindRaw = val('kind');
  if (kindRaw !== undefined) {
    const k = parseKind(kindRaw);
    if (k) kind = k;
    else bad('kind', kindRaw, why.notKind(BACKLINK_KINDS.join(', ')));
  }

  let priceMicros: number | null = null;
  let priceCurrency: string | null = null;
  const priceRaw = val('price');
  if (priceRaw !== undefined) {
    const p = parsePrice(priceRaw, why);
    if (typeof p === 'string') bad('price', priceRaw, p);
    else ({ micros: priceMicros, currency: priceCurrency } = p);
  }

  let currency: string | null = null;
  const currencyRaw = val('currency');
  if (currencyRaw !== undefined) {
    currency = parseCurrency(currencyRaw);
    if (!currency) bad('currency', currencyRaw, why.notCurrency);
    else if (priceCurrency && priceCurrency !== currency)
      bad('price', priceRaw!, why.otherCurrency(priceCurrency, name('currency'), currency));
  } else if (priceCurrency) currency = priceCurrency;
  else if (priceMicros !== null) {
    if (opts.defaultCurrency === undefined) bad('price', priceRaw!, why.noCurrency(name('currency')));
    else if (!(currency = parseCurrency(opts.defaultCurrency)))
      errors.push(say.defaultCurrency(where, opts.defaultCurrency));
  }

  let billing: 'one-off' | 'monthly' = 'one-off';
  const billingRaw = val('billing');
  if (billingRaw !== undefined) {
    const b = BILLING[billingRaw.toLowerCase().replace(/\s+/g, ' ')];
    if (b) billing = b;
    else bad('billing', billingRaw, why.notBilling);
  }

  const date = (f: 'bought_on' | 'paid_until'): string | null => {
    const s = val(f);
    if (s === undefined) return null;
    const d = parseDate(s, why);
    if (typeof d === 'string') bad(f, s, d);
    return typeof d === 'string' ? null : d.day;
  };
  const boughtOn = date('bought_on');
  const paidUntil = date('paid_until');
  if (boughtOn && boughtOn > opts.today) bad('bought_on', val('bought_on')!, why.future(day(opts.today)));
  if (boughtOn && paidUntil && paidUntil < boughtOn)
    bad('paid_until', val('paid_until')!, why.beforeBought(name('bought_on'), val('bought_on')!));

  const tags = [...new Set((val('tags') ?? '').split(/[;|]/).map((t) => t.trim()))].filter(Boolean);

  if (errors.length || !target) return { errors };
  return {
    input: {
      donorUrl,
      ...target,
      expectedAnchor: val('anchor') ?? null,
      kind,
      vendor: val('vendor') ?? null,
      priceMicros,
      currency,
      billing,
      boughtOn,
      paidUntil,
      tags,
      notes: val('notes') ?? null,
      brand: val('brand') ?? null,
    },
  };
}
