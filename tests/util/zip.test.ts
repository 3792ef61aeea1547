// ZIP archives: ours round-trip, archives made by other tools read (Info-ZIP, streamed with data
// descriptors), and damaged or oversized ones refused with a reason.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { looksLikeZip, readZipEntries, writeZip, ZipError } from '../../src/util/zip.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/rank/${name}`, import.meta.url));

describe('readZipEntries()', () => {
  it('reads deflated and stored entries with their names', () => {
    const zip = writeZip([
      { name: 'report.csv', data: 'a,b\r\n1,2\r\n'.repeat(200) },
      { name: 'readme — заметка.txt', data: 'stored as is', store: true },
    ]);
    expect(looksLikeZip(zip)).toBe(true);
    const entries = readZipEntries(zip);
    expect(entries.map((e) => e.name)).toEqual(['report.csv', 'readme — заметка.txt']);
    expect(entries[0]!.data.toString('utf8')).toBe('a,b\r\n1,2\r\n'.repeat(200));
    expect(entries[1]!.data.toString('utf8')).toBe('stored as is');
  });

  it('reads an archive made by Info-ZIP (extra fields in the headers)', () => {
    const zip = fixture('studio.example-Performance-on-Search-2026-09-14.zip');
    const entries = readZipEntries(zip);
    expect(entries.map((e) => e.name)).toEqual([
      'Queries.csv',
      'Pages.csv',
      'Countries.csv',
      'Devices.csv',
      'Search appearance.csv',
      'Dates.csv',
      'Filters.csv',
    ]);
    expect(entries[0]!.data.toString('utf8')).toBe(
      readFileSync(new URL('../fixtures/rank/gsc-export-en/Queries.csv', import.meta.url), 'utf8'),
    );
  });

  it('reads a streamed archive whose sizes sit in data descriptors, with UTF-8 names', () => {
    const entries = readZipEntries(fixture('studio.example-Performance-on-Search-2026-09-02-ru.zip'));
    expect(entries.map((e) => e.name)).toEqual([
      'Запросы.csv',
      'Страницы.csv',
      'Устройства.csv',
      'Chart.csv',
      'Фильтры.csv',
    ]);
    expect(entries[3]!.data.toString('utf8')).toMatch(/^\uFEFFДата,Клики,Показы,CTR,Позиция\n2026-08-31,/);
  });

  it('refuses a cut-off archive, a damaged entry, something that is not a ZIP, and too much data', () => {
    const zip = writeZip([{ name: 'r.csv', data: 'TimePeriod\r\n'.repeat(100) }]);
    const damaged = Buffer.from(zip);
    damaged[40] = damaged[40]! ^ 0xff;
    const cases: [Uint8Array, RegExp][] = [
      [zip.subarray(0, zip.length - 30), /end-of-central-directory/],
      [damaged, /"r\.csv"/],
      [
        Buffer.from('<?xml version="1.0"?><Error><Code>AuthenticationFailed</Code></Error>'),
        /end-of-central/,
      ],
    ];
    for (const [bytes, message] of cases) {
      const err = (() => {
        try {
          readZipEntries(bytes);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ZipError);
      expect((err as ZipError).message).toMatch(message);
    }
    expect(() => readZipEntries(zip, 100)).toThrow(/more than/);
    expect(looksLikeZip(Buffer.from('Top queries,Clicks'))).toBe(false);
  });
});
