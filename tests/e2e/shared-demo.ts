// The demos the browser tests share: which ones (fixed days, two weeks of history) and what a build hands
// over. Most files look at 2026-11-01 (a Sunday, the 1st: the budget pace reaches back into October); the
// Overview's fold test needs a day mid-month.
import type { Config } from '../../src/config/schema.ts';

/** The fixed days the shared build makes a demo for, in the order it builds them. */
export const SHARED_DAYS = ['2026-11-01', '2026-11-18'] as const;
export type SharedDay = (typeof SHARED_DAYS)[number];

/** Days of site history each shared demo backfills. */
export const SHARED_HISTORY_DAYS = 14;

/** What tests/e2e/build-demo.ts writes to ready-<day>.json once that day's demo is built. */
export interface BuiltDemo {
  /** demo.db and its evidence/ folder, as the build finished them. */
  folder: string;
  /** On a PostgreSQL run, the cluster's database holding a verified copy of demo.db (test files clone it). */
  pgDatabase: string | null;
  /** Where the build's database lived: the evidence screenshots' stored paths start with it. */
  liveFolder: string;
  config: Config;
  nowMs: number;
  /** How long the build took: the demo's clock had run on by this much when its dashboard opened. */
  elapsedMs: number;
  reportPath: string | null;
}
