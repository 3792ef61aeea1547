// What a report written in Russian must not contain: every fixed string of the English catalogue (all
// areas) that the Russian catalogue words differently, from 4 characters up — so a brand name kept in
// both languages or a "—" is no finding, and a section title left in English is.
import * as cheerio from 'cheerio';
import { fixedStrings } from '../../src/i18n/catalog.ts';
import { englishStrings, messages } from '../../src/i18n/index.ts';

const RUSSIAN_ENTRIES = fixedStrings(messages('ru'));
const RUSSIAN = new Map(RUSSIAN_ENTRIES);
/** Texts the Russian catalogue itself uses somewhere ("English" as the switcher's name of English). */
const RUSSIAN_TEXTS = new Set(RUSSIAN_ENTRIES.map(([, text]) => text));

export const ENGLISH_ONLY = englishStrings().filter(
  ([key, text]) => text.length >= 4 && RUSSIAN.get(key) !== text && !RUSSIAN_TEXTS.has(text),
);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A catalogue string as a whole word or phrase: "week" is no finding inside "weekly-report" (a job's id). */
const PATTERNS = ENGLISH_ONLY.map(
  ([key, en]) =>
    [key, en, new RegExp(`(?<![\\p{L}\\p{N}_.:</-])${escape(en)}(?![\\p{L}\\p{N}_-]|\\.\\S)`, 'u')] as const,
);

/** The English catalogue strings found in `text`, as "key: text". */
export function englishIn(text: string): string[] {
  // Machine text is the same in every language: a command to type ("promowatch report --site x") and
  // config paths ("providers.googleAds") are no finding.
  // URLs are data (a crawled or typed address may hold any word, even "<script>").
  const shown = text
    .replace(/\bpromowatch [a-z][\w-]*( [a-z][\w-]*)?/g, ' ')
    .replace(/\bhttps?:\/\/\S+/g, ' ')
    // A header value as a server sent it ("text/html; charset=utf-8").
    .replace(/\b[a-z]+\/[\w.+-]+(; ?charset=[\w-]+)?/g, ' ');
  return PATTERNS.filter(([, , re]) => re.test(shown)).map(([key, en]) => `${key}: ${en}`);
}

/** What a reader sees of an HTML document: its title, the body's text, and images' alt text. */
export function visibleText(html: string): string {
  const $ = cheerio.load(html);
  // Elements' texts are read apart (a heading right after a number is not one word with it).
  $('body *').prepend(' ').append(' ');
  // Language names in the switcher are written in their own language on every page, and an upstream
  // service's own message (under "details", beside our translated summary) is shown as it came.
  $('.lang-switcher').remove();
  $('details.upstream > :not(summary)').remove();
  // What to type (a command, a piece of config) is set in <code> and is the same in every language.
  $('code').remove();
  const alts = $('[alt]')
    .toArray()
    .map((e) => $(e).attr('alt'));
  return [$('title').text(), $('body').text(), ...alts].join('\n');
}

/**
 * What a reader sees or hears of a dashboard page: its visible text (as visibleText()) and the title,
 * aria-label and placeholder texts, with no-break spaces as plain ones.
 */
export function readable(html: string): string {
  const $ = cheerio.load(html);
  const attributes = $('[title], [aria-label], [placeholder]')
    .toArray()
    .flatMap((e) => [$(e).attr('title'), $(e).attr('aria-label'), $(e).attr('placeholder')])
    .filter((a): a is string => Boolean(a));
  return [visibleText(html), ...attributes].join('\n').replace(/[\u00a0\u2009\u202f]/g, ' ');
}

/** What a reader sees of an SVG chart: its text and the titles shown on hover. */
export function svgText(svg: string): string {
  const $ = cheerio.load(svg, { xml: true });
  return $('text, title')
    .toArray()
    .map((e) => $(e).text())
    .join('\n');
}
