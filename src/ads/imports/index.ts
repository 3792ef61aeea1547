// Imports of the ad platforms' own UI exports: one file per platform, listed here; detection by header.
import { AD_PLATFORMS } from '../platforms/index.ts';
import type { AdPlatform, Platform } from '../types.ts';
import type { ExportFormat } from './columns.ts';
import { decodeExport, detectPlatformIn } from './detect.ts';
import { readExport, type AdsImport, type ImportOptions } from './read-export.ts';

export type { AdsImport, ImportOptions } from './read-export.ts';

/** The exports of the platforms that declare one; most particular signature first, fallbacks last. */
export function exportFormats(platforms: readonly AdPlatform[] = AD_PLATFORMS): ExportFormat[] {
  const all = platforms.flatMap((p) =>
    p.exportFormat ? [{ ...p.exportFormat, platform: p.id, name: p.name }] : [],
  );
  return [...all.filter((f) => !f.fallback), ...all.filter((f) => f.fallback)];
}

export const EXPORT_FORMATS: readonly ExportFormat[] = exportFormats();

/**
 * Reads a platform's export into daily campaign rows (money in micros), all or nothing: when `errors`
 * is not empty, `rows` is. `range` is the window the caller replaces (replaceWindow in ../store.ts).
 */
export function parseAdsExport(bytes: Uint8Array, platform: Platform, opts: ImportOptions = {}): AdsImport {
  const format = EXPORT_FORMATS.find((f) => f.platform === platform);
  const out: AdsImport = { platform, rows: [], currency: null, range: null, errors: [], warnings: [] };
  if (!format) {
    out.errors.push({ line: 1, message: `no importer for platform "${platform}"` });
    return out;
  }
  let decoded: { text: string; legacy: boolean };
  try {
    decoded = decodeExport(bytes);
  } catch (e) {
    out.errors.push({
      line: 1,
      message: `${(e as Error).message}: save the export as UTF-8 CSV and try again`,
    });
    return out;
  }
  const result = readExport(decoded.text, format, EXPORT_FORMATS, opts);
  if (decoded.legacy)
    result.warnings.unshift('the file is not UTF-8: it was read as Windows-1251 (Cyrillic)');
  return result;
}

/** The platform whose export this looks like, by its header row; null when none is recognised. */
export function detectPlatform(bytes: Uint8Array): Platform | null {
  return detectPlatformIn(bytes, EXPORT_FORMATS);
}
