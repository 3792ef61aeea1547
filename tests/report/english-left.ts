// What a report written in Russian must not contain: every fixed string of the English catalogue (all
// areas) that the Russian catalogue words differently, from 4 characters up — so a brand name kept in
// both languages or a "—" is no finding, and a section title left in English is.
import * as cheerio from 'cheerio';
import { fixedStrings } from '../../src/i18n/catalog.ts';
import { englishStrings, messages } from '../../src/i18n/index.ts';

const RUSSIAN = new Map(fixedStrings(messages('ru')));

export const ENGLISH_ONLY = englishStrings().filter(
  ([key, text]) => text.length >= 4 && RUSSIAN.get(key) !== text,
);

/** The English catalogue strings found in `text`, as "key: text". */
export function englishIn(text: string): string[] {
  return ENGLISH_ONLY.filter(([, en]) => text.includes(en)).map(([key, en]) => `${key}: ${en}`);
}

/** What a reader sees of an HTML document: its title, the body's text, and images' alt text. */
export function visibleText(html: string): string {
  const $ = cheerio.load(html);
  const alts = $('[alt]')
    .toArray()
    .map((e) => $(e).attr('alt'));
  return [$('title').text(), $('body').text(), ...alts].join('\n');
}

/** What a reader sees of an SVG chart: its text and the titles shown on hover. */
export function svgText(svg: string): string {
  const $ = cheerio.load(svg, { xml: true });
  return $('text, title')
    .toArray()
    .map((e) => $(e).text())
    .join('\n');
}
