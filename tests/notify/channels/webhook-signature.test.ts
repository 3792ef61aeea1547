import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { exampleConfigText } from '../../../src/config/example.ts';
import { JOBS } from '../../../jobs/index.ts';
import { notify } from '../../../src/notify/index.ts';
import type { AlertMessage, ChannelConfig } from '../../../src/notify/types.ts';
import { testStore } from '../../helpers.ts';
import { recordingServer, testNotifyDeps } from '../servers.ts';

const SECRET = 'whsec_4c1d9e0b7a';
const message: AlertMessage = {
  siteName: 'studio',
  kind: 'job-failure',
  severity: 'critical',
  facts: { type: 'job-failed', job: 'crawl', runId: 41, error: 'https://studio.example/ answered HTTP 500' },
};

const hook = (signed: boolean): ChannelConfig =>
  ({
    type: 'webhook',
    name: 'ops-hook',
    url: { env: 'ALERT_WEBHOOK' },
    ...(signed ? { signingSecret: { env: 'ALERT_WEBHOOK_SECRET' } } : {}),
  }) as ChannelConfig;

// The receiver's check, as the README gives it to whoever writes one (kept word for word in sync).
function verifyPromowatch(secret: string, header: string | undefined, rawBody: string, nowSec: number) {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return false;
  if (Math.abs(nowSec - t) > 300) return false; // older than 5 minutes: a replay
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return timingSafeEqual(expected, Buffer.from(parts.v1!, 'hex'));
}

async function deliver(signed: boolean) {
  const srv = await recordingServer(() => ({ status: 204 }));
  const sql = await testStore();
  const t = testNotifyDeps({ ALERT_WEBHOOK: `${srv.base}/hook`, ALERT_WEBHOOK_SECRET: SECRET });
  const result = await notify(sql, [hook(signed)], null, message, t.deps, t.opts);
  expect(result).toEqual([{ channel: 'ops-hook', delivered: true }]);
  return { req: srv.requests[0]!, nowSec: Math.floor(t.deps.now().getTime() / 1000), log: t.log };
}

describe('webhook signature', () => {
  it('signs the exact body with the secret: a receiver verifies it and rejects a tampered body', async () => {
    const { req, nowSec } = await deliver(true);
    const header = req.headers['x-promowatch-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(req.headers['x-promowatch-timestamp']).toBe(String(nowSec));
    expect(header.startsWith(`t=${nowSec},`)).toBe(true);
    expect(verifyPromowatch(SECRET, header, req.body, nowSec)).toBe(true);
    expect(JSON.parse(req.body).site).toBe('studio');

    const tampered = req.body.replace('"critical"', '"info"');
    expect(tampered).not.toBe(req.body);
    expect(verifyPromowatch(SECRET, header, tampered, nowSec)).toBe(false);
    expect(verifyPromowatch('another-secret', header, req.body, nowSec)).toBe(false);
    // Played back later than the replay window allows.
    expect(verifyPromowatch(SECRET, header, req.body, nowSec + 301)).toBe(false);
  });

  it('sends no signature when no signing secret is configured, and never shows the secret', async () => {
    const { req } = await deliver(false);
    expect(req.headers['x-promowatch-signature']).toBeUndefined();
    expect(req.headers['x-promowatch-timestamp']).toBeUndefined();
  });

  it('documents signingSecret in the example config, commented out, as an env reference', async () => {
    const text = exampleConfigText(JOBS);
    expect(text).toMatch(/\/\/\s*"signingSecret": \{\s*"env": "ALERT_WEBHOOK_SECRET"\s*\}/);
  });
});
