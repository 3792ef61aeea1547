// A `promowatch worker --kinds links` process for tests/queue/links-workers.test.ts: the real command
// (main(['worker', …])) with the program's real `links` kind. One thing is added: after a task has stored
// its check, the worker waits 150–300 ms before telling the queue — as a slow acknowledgement on a busy
// network would — so a worker killed mid-run is likely to die holding tasks whose checks are already
// stored. Their retries must then store nothing more: that is what makes the test catch a handler that
// is not idempotent.
import { linkCheckTask } from '../../src/backlinks/link-check-task.ts';
import { main, processIo } from '../../src/cli/main.ts';

const handler = linkCheckTask.handler;
linkCheckTask.handler = async (task, ctx) => {
  const out = await handler(task, ctx);
  await new Promise((r) => setTimeout(r, 150 + Math.random() * 150));
  return out;
};

const code = await main(['worker', '--kinds', 'links', '--concurrency', '4'], processIo());
process.stderr.write('', () => process.exit(code));
