// Finds fixed strings of the English catalogue in text meant to be Russian (one checker: english-left.ts).
import { ENGLISH_ONLY } from './english-left.ts';

export { englishIn as englishLeaks } from './english-left.ts';

/** The English strings worth looking for, with their keys. */
export const englishToFind = (): [key: string, text: string][] => [...ENGLISH_ONLY];
