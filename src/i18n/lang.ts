// Which languages promowatch speaks, and how a request or a site picks one.

/** Every language with a full catalogue. Adding one = a catalogue per area + one entry here. */
export const LANGS = ['ru', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const DEFAULT_LANG: Lang = 'en';

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}

/**
 * The BCP 47 locales handed to Intl. English numbers follow US conventions ("$1,234.50") while English
 * dates stay day-first ("6 Dec 2026"), as the dashboard showed before it was bilingual.
 */
export const NUMBER_LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-US' };
export const DATE_LOCALE: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB' };

/**
 * The best of our languages for an Accept-Language header (RFC 9110 §12.5.4): ranges by q-value,
 * highest first, a primary tag matching ("ru-RU" → ru); "*" or nothing usable → null.
 */
export function fromAcceptLanguage(header: string | undefined | null): Lang | null {
  if (!header) return null;
  const ranges = header
    .slice(0, 500)
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, i };
    })
    .filter((r) => r.tag && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.i - b.i);
  for (const r of ranges) {
    const primary = r.tag.split('-')[0];
    if (isLang(primary)) return primary;
  }
  return null;
}
