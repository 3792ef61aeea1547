// Worker thread entry: parses pages for the crawler on another core. Loads the TypeScript sources
// through tsx, as the CLI does, so it works without a build step.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { parsePage } = await import('./parse-page.ts');
parentPort.on('message', ({ id, input }) => {
  try {
    parentPort.postMessage({ id, output: parsePage(input) });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
parentPort.postMessage({ ready: true });
