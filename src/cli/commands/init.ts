// `promowatch init`: writes an example config that shows every option.
import { existsSync, writeFileSync } from 'node:fs';
import { resolveConfigPath } from '../../config/load.ts';
import { exampleConfig } from '../../config/example.ts';
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
      io.err(`${file} already exists; pass --force to overwrite it`);
      return EXIT.usage;
    }
    writeFileSync(file, JSON.stringify(exampleConfig(), null, 2) + '\n', { mode: 0o644 });
    io.out(`Wrote ${file}.`);
    io.out('Next: edit sites[].baseUrl, put secrets in the environment or in .env next to the config');
    io.out('(never in the file itself), then run: promowatch start');
    return EXIT.ok;
  },
};
