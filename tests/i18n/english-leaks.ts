// Finds fixed strings of the English catalogue in text meant to be Russian: a missed translation.
import { fixedStrings } from '../../src/i18n/catalog.ts';
import { englishStrings, messages } from '../../src/i18n/index.ts';

/**
 * The English strings worth looking for: those that differ from their Russian counterpart (brand
 * names and "CTR" do not) and are at least 4 characters (shorter ones, like "ok", turn up inside data).
 */
export function englishToFind(): [key: string, text: string][] {
  const ru = new Map(fixedStrings(messages('ru')));
  return englishStrings().filter(([key, text]) => text.length >= 4 && ru.get(key) !== text);
}

/** The English catalogue strings found in `text`, with their keys. */
export function englishLeaks(text: string): string[] {
  return englishToFind()
    .filter(([, en]) => text.includes(en))
    .map(([key, en]) => `${key}: ${en}`);
}
