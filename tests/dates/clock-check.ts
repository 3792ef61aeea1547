// Checks that a faked clock (libfaketime, see run.sh) reaches every clock the suite reads: Node's,
// SQLite's date('now') and Chromium's. Usage: node --import tsx tests/dates/clock-check.ts EXPECTED_ISO
// Exits 1, saying which clock is off, when one of them is more than two minutes from EXPECTED_ISO.
import BetterSqlite3 from 'better-sqlite3';
import { launchChromium } from '../../src/browser/launcher.ts';

const expected = Date.parse(process.argv[2] ?? '');
if (Number.isNaN(expected)) {
  process.stderr.write(
    `clock-check: expected an ISO instant as the argument, got "${process.argv[2] ?? ''}"\n`,
  );
  process.exit(2);
}

const db = new BetterSqlite3(':memory:');
// SQLite's 'now' has no zone suffix: it is UTC.
const sqlite = Date.parse(`${db.prepare(`SELECT datetime('now')`).pluck().get() as string}Z`);
db.close();
const browser = await launchChromium();
let chromium: number;
try {
  const page = await browser.newPage();
  chromium = await page.evaluate(() => Date.now());
} finally {
  await browser.close();
}
const clocks = { node: Date.now(), sqlite, chromium };

let off = false;
for (const [name, t] of Object.entries(clocks)) {
  const bad = Math.abs(t - expected) > 120_000;
  off ||= bad;
  process.stdout.write(
    `  ${name.padEnd(9)} ${new Date(t).toISOString()}${bad ? '  ← not the faked time' : ''}\n`,
  );
}
process.stdout.write(`  local     ${new Date().toString()} (TZ=${process.env.TZ ?? ''})\n`);
process.exit(off ? 1 : 0);
