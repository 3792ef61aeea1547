// Plural forms chosen by Intl.PluralRules (CLDR data shipped with Node and every browser), never by
// hand-written rules: Russian needs one/few/many (1 ссылка, 2 ссылки, 5 ссылок, 21 ссылка, 111 ссылок).
import { NUMBER_LOCALE, type Lang } from './lang.ts';

/** The forms a language needs; `other` is always required (fractions in Russian use it). */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<Lang, Intl.PluralRules>();

export function pluralForm(lang: Lang, n: number, forms: PluralForms): string {
  let r = rules.get(lang);
  if (!r) rules.set(lang, (r = new Intl.PluralRules(NUMBER_LOCALE[lang])));
  return forms[r.select(n)] ?? forms.other;
}
