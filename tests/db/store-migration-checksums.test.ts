// Released PostgreSQL migrations are history, as the SQLite ones are (tests/db/migration-checksums.test.ts
// says why): these checksums pin every file in src/db/migrations/pg. Adding one: add its file name and
// `sha256sum` here in the same commit, beside the SQLite twin's. Changing a released one: don't — write
// a new migration for both backends.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PG_MIGRATIONS_DIR } from '../../src/db/store/pg-migrate.ts';

const RELEASED_PG_MIGRATIONS: Record<string, string> = {
  '001-foundation.sql': '9240ba26ed1a34a85af671c4034c58fd841c76c666869f1a4494398f70739371',
  '002-uptime.sql': 'e444941720fad90417db40598fd826a4dee0c681c731f335310be8e86469b98f',
  '003-site-audit.sql': 'bfb2aa96ae89dcf8801fafe06cd4c375c5ebb45cc06e2d0f6da70afc0ab3af30',
  '004-run-id-indexes.sql': 'feb3e3cf9e1fcc37b1748c26656e48c27f1f5cbd859bfee51070fdb85914b422',
  '005-backlinks.sql': '6df50fcfb585edb593cff6d0a86c625cf66a71ad4e5c54307d8a37c88eab3fc7',
  '006-rankings.sql': 'bac89fe222e44c03e34bc78b29f3f3e958fd57f21fe2f2fdf115c5d150c9ceca',
  '007-ads.sql': '1160b25599ea932531d8ccaf1c8f8def89d40bfb8b8bcfa7db747958a91bb614',
  '008-reports.sql': '0bbac7997f90c260f64d69db42143584091cc6a491946d1de49e31a743691fb2',
  '009-search-averages.sql': 'ec92942a33cf40448bf06c3cb3ddbf98c424f5c81d1a074ea9ad23ed8a2abc6c',
  '010-backlink-tool-states.sql': '0e75d680a3618c60541212d7524dbefb7dd839681ab32d3fb385f6ea63022038',
  '011-rank-failure-kind.sql': 'e0baf088e6e09c3e9e818770876f7449bd34ba1fc74c63482a302208dedb81cc',
  '012-archive-and-acknowledge.sql': 'fbee6c5803ac10e80106f2864342f32e633a7729450bfad6bff7a456f645a272',
  '013-alert-notices.sql': '520e7e6ce9a6eb076e4aaab4c454a682b0ebe6a1e0682faff5920135a514e1a7',
  '014-drop-ad-stats-by-campaign.sql': 'a439fe3fb089e76d4c6e0ebfbf118db02e85f160c9427cdc714568e688caadab',
  '015-ad-platforms-in-code.sql': 'fd13ee4fc949ec9e6a2aa55ce52e66d9b8d46f2d02a2b8628da3f46cbbcf2636',
  '016-users-and-access.sql': 'd45421f27a24891ee05685bdfc2fafbb0c13c42e098510f87d03a1ccc14d6d4a',
  '017-limits.sql': 'b80b7b5d8cbade2494131e1f1f0081af29b0424c18608862de2a547e7481b958',
  '018-crawl-claims.sql': 'e59820fbd32a4a3fb05171f3df7e5c7e2780469f35faf5795bf5db054d49bb26',
  '019-crawl-inlinks.sql': '7b99dec511a7e24c890f9044563fdcec90d8c85bde545e030c7119d9a2d9bb32',
};

/** SHA-256 of a file's text; CRLF counts as LF, so a Windows checkout hashes the same. */
function sha256(file: string): string {
  const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** What differs between the files on disk and the released list, one sentence per file. */
function drift(dir: string, released: Record<string, string>): string[] {
  const onDisk = readdirSync(dir).filter((f) => f.endsWith('.sql'));
  const problems: string[] = [];
  for (const file of onDisk) {
    const expected = released[file];
    if (expected === undefined)
      problems.push(
        `migration pg/${file} is not in the released list: add '${file}': '${sha256(join(dir, file))}' to RELEASED_PG_MIGRATIONS in tests/db/store-migration-checksums.test.ts`,
      );
    else if (sha256(join(dir, file)) !== expected)
      problems.push(`migration pg/${file} changed after release: add a new migration instead`);
  }
  for (const file of Object.keys(released))
    if (!onDisk.includes(file))
      problems.push(`migration pg/${file} was released but is gone: restore it (old databases ran it)`);
  return problems;
}

describe('released PostgreSQL migrations', () => {
  it('keep the bytes they were released with, and every file on disk is in the released list', () => {
    expect(drift(PG_MIGRATIONS_DIR, RELEASED_PG_MIGRATIONS)).toEqual([]);
  });

  it('drift() names an edited file, an unlisted one and a missing one', () => {
    const released: Record<string, string> = {
      ...RELEASED_PG_MIGRATIONS,
      '007-ads.sql': '0'.repeat(64),
      '099-gone.sql': 'x',
    };
    delete released['015-ad-platforms-in-code.sql'];
    const problems = drift(PG_MIGRATIONS_DIR, released);
    expect(problems).toContain('migration pg/007-ads.sql changed after release: add a new migration instead');
    expect(problems).toContainEqual(
      expect.stringMatching(/^migration pg\/015-ad-platforms-in-code\.sql is not in the released list: add/),
    );
    expect(problems).toContain(
      'migration pg/099-gone.sql was released but is gone: restore it (old databases ran it)',
    );
  });
});
