// The canonical key of where a keyword is searched ("gl=ru;hl=ru", "lr=213"), written and read back;
// stored with every keyword and observation, so its shape never changes.
import type { Engine, Region } from './types.ts';

/** A language tag as the engines take it: "ru", "en-gb", "zh-hant". */
export const LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]{2,4})?$/i;

/** ";" and "=" separate the key's parts, so a location holding them is percent-escaped. */
const escapeKeyPart = (s: string) => s.replace(/%/g, '%25').replace(/;/g, '%3B').replace(/=/g, '%3D');
const unescapeKeyPart = (s: string) =>
  s.replace(/%(25|3B|3D)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/**
 * The canonical key of where a keyword is searched: "gl=ru;hl=ru" (plus ";loc=<location>" when one is
 * set) for Google and Bing, "lr=213" for Yandex. Throws when the region lacks what the engine needs.
 */
export function regionKey(r: Region, engine: Engine): string {
  if (engine === 'yandex') {
    if (r.lr == null) throw new Error('regionKey: a Yandex region needs lr');
    return `lr=${r.lr}`;
  }
  if (!r.gl || !r.hl) throw new Error(`regionKey: a ${engine} region needs gl and hl`);
  const key = `gl=${r.gl.toLowerCase()};hl=${r.hl.toLowerCase()}`;
  return r.location ? `${key};loc=${escapeKeyPart(r.location)}` : key;
}

/** Why a string is not a region key regionKey() could have written. */
export type RegionKeyProblem = 'shape' | 'lr' | 'gl' | 'hl';

const REGION_KEY_PROBLEMS: Record<RegionKeyProblem, string> = {
  shape: 'is not a region like "gl=ru;hl=ru" or "lr=213"',
  lr: 'is not a Yandex region like "lr=213": lr stands alone and is a positive number',
  gl: 'needs gl=<two-letter country>, like "gl=ru;hl=ru"',
  hl: 'needs hl=<language>, like "gl=ru;hl=ru"',
};

/** Reads a key regionKey() wrote; a string says (in English) why it is not one. */
export function parseRegionKey(key: string): Region | string {
  const r = readRegionKey(key);
  return typeof r === 'string' ? REGION_KEY_PROBLEMS[r] : r;
}

export function readRegionKey(key: string): Region | RegionKeyProblem {
  const parts = new Map<string, string>();
  for (const part of key.trim().split(';')) {
    const m = /^\s*(gl|hl|loc|lr)\s*=(.*)$/i.exec(part);
    if (!m || parts.has(m[1]!.toLowerCase())) return 'shape';
    parts.set(m[1]!.toLowerCase(), m[2]!.trim());
  }
  const lr = parts.get('lr');
  if (lr !== undefined) {
    if (parts.size > 1 || !/^\d{1,9}$/.test(lr) || Number(lr) === 0) return 'lr';
    return { lr: Number(lr) };
  }
  const gl = parts.get('gl');
  const hl = parts.get('hl');
  if (!gl || !/^[a-z]{2}$/i.test(gl)) return 'gl';
  if (!hl || !LANGUAGE.test(hl)) return 'hl';
  const loc = parts.get('loc');
  return {
    gl: gl.toLowerCase(),
    hl: hl.toLowerCase(),
    location: loc ? unescapeKeyPart(loc) : null,
  };
}
