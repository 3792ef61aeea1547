// CLI errors name what went wrong, where, and the fix; usage errors exit 2, failures 1.
import { describe, expect, it } from 'vitest';
import { cliInProcess } from './in-process.ts';

describe('CLI errors', () => {
  it('--site left out on an install with several sites: exit 2, the sites named and the flag to pass', async () => {
    const run = cliInProcess(['studio', 'bakery']);
    const r = await run('keywords', 'list');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^promowatch keywords: --site is needed: this install watches studio, bakery \(pass --site studio\)\nUsage: /,
    );
  });

  it('a site that is not in the config: exit 2, the config file named and the sites it has', async () => {
    const run = cliInProcess(['studio']);
    const r = await run('rank', '--site', 'bakery');
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `No site "bakery" in ${run.config}; sites are: studio (add it under "sites" there`,
    );
  });

  it('an ad account that does not exist: exit 2 and the command that lists their ids', async () => {
    const run = cliInProcess(['studio']);
    const r = await run('ads', 'accounts', 'budget', '--account', '42', '--budget', '1000');
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'No ad account "42" for site studio; see their ids with `promowatch ads accounts`',
    );
  });

  it('a competitor that is not there: exit 2 and where to see the list', async () => {
    const run = cliInProcess(['studio']);
    const r = await run('keywords', 'remove-competitor', 'rival.example');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'No competitor rival.example for site studio; see them with `promowatch keywords competitors`',
    );
  });

  it('init over an existing file: exit 2, the file named, --force and --config offered', async () => {
    const run = cliInProcess(['studio']);
    const r = await run('init');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `promowatch init: ${run.config} already exists; pass --force to overwrite it, or --config FILE to write elsewhere`,
    );
  });
});
