import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleConfig } from '../../src/config/example.ts';
import { ConfigError, loadConfig, validateConfig } from '../../src/config/load.ts';
import { JOB_NAMES, JOBS } from '../../jobs/index.ts';
import { tempDir } from '../helpers.ts';

const base = () => ({
  sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' }],
});

function problems(input: unknown): string[] {
  try {
    validateConfig(input, JOB_NAMES);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
}

function writeConfig(obj: unknown, env?: string): string {
  const dir = tempDir();
  const file = join(dir, 'promowatch.config.json');
  writeFileSync(file, typeof obj === 'string' ? obj : JSON.stringify(obj));
  if (env !== undefined) writeFileSync(join(dir, '.env'), env);
  return file;
}

describe('validateConfig()', () => {
  it('accepts a minimal config and fills in the defaults', () => {
    const c = validateConfig(base(), JOB_NAMES);
    expect(c.web).toMatchObject({ host: '127.0.0.1', port: 8787 });
    expect(c.sites[0]!.uptime.paths).toEqual(['/']);
    expect(c.timeZone).toBe('UTC');
  });

  it('accepts the example that `init` writes', () => {
    expect(() => validateConfig(exampleConfig(JOBS), JOB_NAMES)).not.toThrow();
  });

  it('refuses a literal secret, without echoing it', () => {
    const p = problems({ ...base(), providers: { serpApi: { apiKey: 'sk-live-123456' } } });
    expect(p).toEqual([
      expect.stringMatching(
        /^Config: providers\.serpApi\.apiKey is a literal secret; .* write \{"env": "VAR_NAME"\} here$/,
      ),
    ]);
    expect(p.join()).not.toContain('sk-live-123456');
  });

  it('refuses a literal secret in a notification channel', () => {
    const p = problems({
      ...base(),
      notifications: { channels: [{ type: 'telegram', name: 't', botToken: '123:ABC', chatId: '1' }] },
    });
    expect(p[0]).toMatch(/^Config: notifications\.channels\[0\]\.botToken is a literal secret/);
    expect(p.join()).not.toContain('123:ABC');
  });

  it('does not echo credentials written in the wrong place', () => {
    const p = problems({
      sites: [{ name: 'studio', baseUrl: 'https://admin:hunter2@studio.example/?token=abc' }],
      web: { auth: 'hunter2-password' },
      providers: { serpApi: 'sk-live-999' },
    });
    expect(p).toHaveLength(3);
    expect(p[0]).toMatch(
      /^Config: sites\[0\]\.baseUrl must be .*got "https:\/\/studio\.example\/" \(credentials and query hidden\)$/,
    );
    for (const secret of ['hunter2', 'abc', 'sk-live-999']) expect(p.join('\n')).not.toContain(secret);
  });

  it('refuses an env reference that looks like a pasted secret', () => {
    const p = problems({ ...base(), providers: { serpApi: { apiKey: { env: 'sk_live_abc123' } } } });
    expect(p[0]).toMatch(/providers\.serpApi\.apiKey must be a reference to an environment variable/);
    expect(p[0]).not.toContain('sk_live_abc123');
  });

  it('names an unknown key and the keys that are allowed', () => {
    expect(problems({ ...base(), web: { prot: 80 } })).toEqual([
      'Config: web has unknown key "prot" (expected: host, language, port, trustProxy, auth)',
    ]);
  });

  it('trusts no proxy by default, and takes proxy addresses and CIDR ranges of either family', () => {
    expect(validateConfig(base(), JOB_NAMES).web.trustProxy).toBe(false);
    const proxies = ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'];
    expect(validateConfig({ ...base(), web: { trustProxy: proxies } }, JOB_NAMES).web.trustProxy).toEqual(
      proxies,
    );
  });

  it('refuses a trusted proxy that is not an address or a CIDR range, naming the entry', () => {
    expect(
      problems({
        ...base(),
        web: { trustProxy: ['10.0.0.0/8', 'nginx', '10.0.0.0/33', '::1/129', '10.0.0.1/'] },
      }),
    ).toEqual([
      'Config: web.trustProxy[1] must be an IP address or a CIDR range like "10.0.0.0/8" or "fd00::/8", got "nginx"',
      'Config: web.trustProxy[2] must be an IP address or a CIDR range like "10.0.0.0/8" or "fd00::/8", got "10.0.0.0/33"',
      'Config: web.trustProxy[3] must be an IP address or a CIDR range like "10.0.0.0/8" or "fd00::/8", got "::1/129"',
      'Config: web.trustProxy[4] must be an IP address or a CIDR range like "10.0.0.0/8" or "fd00::/8", got "10.0.0.1/"',
    ]);
    expect(problems({ ...base(), web: { trustProxy: true } })).toEqual([
      'Config: web.trustProxy must be false or a list of proxy addresses and CIDR ranges, like ["127.0.0.1", "10.0.0.0/8"], got true',
    ]);
  });

  it('names an unknown key at the top level', () => {
    expect(problems({ ...base(), site: [] })[0]).toMatch(
      /^Config: the top level has unknown key "site" \(expected: .*sites/,
    );
  });

  it('explains a bad cron expression with the field at fault', () => {
    const p = problems({ ...base(), jobs: { uptime: { schedule: '0 8 * * xyz' } } });
    expect(p).toEqual([
      expect.stringMatching(
        /^Config: jobs\.uptime\.schedule must be a cron expression .*dayOfWeek "xyz".*, got "0 8 \* \* xyz"$/,
      ),
    ]);
  });

  it('explains a cron expression with the wrong number of fields', () => {
    expect(problems({ ...base(), jobs: { uptime: { schedule: '61 * * *' } } })[0]).toMatch(
      /expected 5 or 6 fields but got 4/,
    );
  });

  it('refuses a job name that does not exist', () => {
    expect(problems({ ...base(), jobs: { uptyme: {} } })[0]).toMatch(
      /^Config: jobs\.uptyme is not a job \(expected one of: uptime, crawl-site, check-backlinks, track-rankings, pull-ads, weekly-report, db-maintenance/,
    );
  });

  it('refuses a URL without a scheme, naming the field and the value', () => {
    expect(problems({ sites: [{ name: 'studio', baseUrl: 'studio.example' }] })).toEqual([
      'Config: sites[0].baseUrl must be an absolute http(s) URL without user or password in it, got "studio.example"',
    ]);
  });

  it('refuses a URL carrying a password', () => {
    expect(problems({ sites: [{ name: 'studio', baseUrl: 'https://u:p@studio.example/' }] })[0]).toMatch(
      /sites\[0\]\.baseUrl must be/,
    );
  });

  it('refuses an unknown time zone', () => {
    expect(
      problems({ sites: [{ name: 'studio', baseUrl: 'https://s.example/', timeZone: 'Moscow' }] })[0],
    ).toBe('Config: sites[0].timeZone must be an IANA time zone name like "Europe/Moscow", got "Moscow"');
  });

  it('refuses two sites with the same name', () => {
    const s = base().sites[0]!;
    expect(problems({ sites: [s, s] })[0]).toBe(
      'Config: sites[1].name repeats the site name "studio", got "studio"',
    );
  });

  it('names the type it expected', () => {
    expect(problems({ ...base(), web: { port: '8787' } })[0]).toBe(
      'Config: web.port must be a number, got "8787"',
    );
  });

  it('lists every problem, one line each', () => {
    expect(problems({ sites: [{ name: 'Bad Name', baseUrl: 'x' }], web: { port: -1 } })).toHaveLength(3);
  });
});

describe('loadConfig()', () => {
  it('says how to create the file when it is missing', () => {
    expect(() => loadConfig(join(tempDir(), 'nope.json'), {}, JOB_NAMES)).toThrow(
      /not found; run "promowatch init"/,
    );
  });

  it('reports a JSON syntax error with its line and column', () => {
    // A missing comma (a trailing comma is allowed: the file may be edited JSON with comments).
    const file = writeConfig(
      '{\n  "sites": [\n    {"name": "studio" "baseUrl": "https://studio.example/"}\n  ]\n}',
    );
    expect(() => loadConfig(file, {}, JOB_NAMES)).toThrow(/is not valid JSON: .* at line 3, column \d+/);
  });

  it('reads secrets from .env next to the config, with the real environment winning', () => {
    const file = writeConfig(
      {
        ...base(),
        providers: {
          serpApi: { apiKey: { env: 'SERPAPI_KEY' } },
          meta: { accessToken: { env: 'META_TOKEN' } },
        },
      },
      '# secrets\nSERPAPI_KEY="from-dotenv"\nexport META_TOKEN=meta-from-dotenv # trailing comment\n',
    );
    const loaded = loadConfig(file, { META_TOKEN: 'meta-from-env' }, JOB_NAMES);
    expect(loaded.secret(loaded.config.providers.serpApi!.apiKey, 'providers.serpApi.apiKey')).toBe(
      'from-dotenv',
    );
    expect(loaded.secret(loaded.config.providers.meta!.accessToken, 'providers.meta.accessToken')).toBe(
      'meta-from-env',
    );
  });

  it('names the field and the variable when a referenced secret is not set', () => {
    const file = writeConfig({ ...base(), providers: { serpApi: { apiKey: { env: 'SERPAPI_KEY' } } } });
    const loaded = loadConfig(file, {}, JOB_NAMES);
    expect(() => loaded.secret(loaded.config.providers.serpApi!.apiKey, 'providers.serpApi.apiKey')).toThrow(
      /providers\.serpApi\.apiKey refers to environment variable SERPAPI_KEY, which is not set/,
    );
  });

  it('names the line of a malformed .env without printing its value', () => {
    const file = writeConfig(base(), 'GOOD=1\nthis is not an assignment s3cr3t\n');
    let message = '';
    try {
      loadConfig(file, {}, JOB_NAMES);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/\.env line 2 must look like NAME=value/);
    expect(message).not.toContain('s3cr3t');
  });
});
