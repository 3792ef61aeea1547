#!/usr/bin/env node
// Entry point for `npx promowatch`: loads the TypeScript sources through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main, processIo } = await import('./main.ts');
const code = await main(process.argv.slice(2), processIo());
// Let stdout drain, then exit even if a library left a timer or socket open.
process.stdout.write('', () => process.exit(code));
