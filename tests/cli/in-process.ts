// The CLI run in-process (no child process: fast) against a fresh config and database.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { tempDir } from '../helpers.ts';

/**
 * A `promowatch` to call with argv; sites are named, in Moscow time, on example hosts. `database` is the
 * variable naming its database (testDatabase().env, tests/cli/backend.ts); else a SQLite file in PROMOWATCH_DB.
 */
export function cliInProcess(sites: string[] = ['studio'], database?: Record<string, string>) {
  const dir = tempDir();
  const config = join(dir, 'promowatch.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      sites: sites.map((name) => ({ name, baseUrl: `https://${name}.example/`, timeZone: 'Europe/Moscow' })),
    }),
  );
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, {
      env: { PROMOWATCH_CONFIG: config, ...(database ?? { PROMOWATCH_DB: join(dir, 'promowatch.db') }) },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      stopSignal: new Promise(() => {}),
      isTTY: false,
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return Object.assign(run, { config, dbFile: join(dir, 'promowatch.db') });
}
