// A `promowatch worker` process for bench:scale: the real command (main(['worker', …])) with the program's
// task kinds, plus the benchmark's stand-in `links` kind while the program has none of its own.
// Usage: worker-entry.ts <concurrency>. Database and config come from the environment, as for promowatch.
import { main, processIo } from '../../../src/cli/main.ts';
import { programTaskKinds } from '../../../src/queue/kinds.ts';
import { registryWithLinks } from './links-kind.ts';

registryWithLinks(programTaskKinds());
const code = await main(
  ['worker', '--kinds', 'links', '--concurrency', process.argv[2] ?? '16'],
  processIo(),
);
process.stderr.write('', () => process.exit(code));
