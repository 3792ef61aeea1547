// A `promowatch worker` process for tests/queue/serp-workers.test.ts: the real command with the program's
// task kinds (`serp` among them) and the test's result-page provider listed, as a provider file and its
// line in src/rank/providers/index.ts would list it.
import { main, processIo } from '../../src/cli/main.ts';
import { registerRankProviderForTest } from '../../src/rank/providers/index.ts';
import { fakeBrowserSerp } from '../rank/fake-serp-provider.ts';

registerRankProviderForTest(fakeBrowserSerp);
const code = await main(['worker', '--kinds', 'serp', '--concurrency', '2'], processIo());
process.stderr.write('', () => process.exit(code));
