// `promowatch init`: writes an example config that shows every option.
import { existsSync, writeFileSync } from 'node:fs';
import { JOBS } from '../../../jobs/index.ts';
import { resolveConfigPath } from '../../config/load.ts';
import { exampleConfigText } from '../../config/example.ts';
import { EXIT, type Command } from '../command.ts';

export const initCommand: Command = {
  name: 'init',
  summary: 'write an example promowatch.config.json showing every option',
  usage: 'promowatch init [--config FILE] [--force]',
  help: `  --config FILE   where to write (default: $PROMOWATCH_CONFIG or ./promowatch.config.json)
  --force         overwrite an existing file
  -h, --help      show this help`,
  options: { config: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  async run(values, _pos, io) {
    const file = resolveConfigPath(values.config as string | undefined, io.env);
    if (existsSync(file) && !values.force) {
      io.err(
        `promowatch init: ${file} already exists; pass --force to overwrite it, or --config FILE to write elsewhere`,
      );
      return EXIT.usage;
    }
    writeFileSync(file, exampleConfigText(JOBS), { mode: 0o644 });
    io.out(`Wrote ${file}.`);
    io.out('Every option is in it, explained in // comments; options shown commented out are off.');
    io.out(
      'Next: edit sites[].baseUrl, remove the providers and channels you do not use, put secrets in the',
    );
    io.out(
      'environment or in .env next to the config (never in the file itself), then run: promowatch start',
    );
    return EXIT.ok;
  },
};
