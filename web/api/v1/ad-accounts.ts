// /api/v1 ad account writes: add one to a site, replace its settings, remove it. The same rules as the
// Ads page's form (web/pages/ads.ts): platforms from the registry, the platform's id rule, credentials
// only as environment variable names (a pasted secret is refused, never stored or echoed).
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  accountProblems,
  deleteAccount,
  findAccount,
  getAccount,
  insertAccount,
  normalisedExternalId,
  updateAccountSettings,
  type AccountProblemWords,
} from '../../../src/ads/store.ts';
import { AD_PLATFORMS, platformById } from '../../../src/ads/registry.ts';
import type { AdAccount } from '../../../src/ads/types.ts';
import { credentialKeys, looksLikeSecret } from '../../pages/ads-accounts.ts';
import {
  ApiError,
  errorResponses,
  ErrorSchema,
  IdParam,
  json,
  pathSite,
  SiteParam,
  v1Resource,
  type V1Env,
} from './common.ts';
import type { SiteFrom } from '../../access.ts';

/** Routes about one account find its site through the account's id in the path. */
const AD_ACCOUNT: SiteFrom = { id: 'adAccount' };

const CredentialEnv = z.record(z.string(), z.string()).openapi({
  description:
    'Per-account credentials as names of environment variables on the server (never the secrets): ' +
    "the platform's secret setting → variable name. Empty: the providers section of the config.",
  example: { token: 'DIRECT_TOKEN_CLIENT2' },
});

/** What a person may change after adding an account: the Ads page's form without platform, id, currency. */
const SettingsSchema = z
  .object({
    name: z.string().max(200).openapi({ example: 'Studio — Direct' }),
    timeZone: z.string().openapi({ example: 'Europe/Moscow' }),
    costIncludesVat: z.boolean().openapi({ description: 'The platform reports cost with VAT' }),
    monthlyBudgetMicros: z.number().int().min(0).nullable().openapi({
      description: 'Integer micros of the account currency; null for no budget',
      example: 150_000_000_000,
    }),
    lookbackDays: z
      .number()
      .int()
      .min(1)
      .max(90)
      .nullable()
      .openapi({ description: 'Days re-pulled on every sync; null for the default' }),
    credentialEnv: CredentialEnv,
  })
  .openapi('AdAccountSettings');

const NewAccountSchema = SettingsSchema.extend({
  platform: z
    .string()
    .openapi({ example: 'yandex-direct', description: AD_PLATFORMS.map((p) => p.id).join(', ') }),
  externalId: z.string().max(100).openapi({ example: 'studio-direct' }),
  currency: z.string().openapi({ example: 'RUB' }),
  monthlyBudgetMicros: SettingsSchema.shape.monthlyBudgetMicros.default(null),
  lookbackDays: SettingsSchema.shape.lookbackDays.default(null),
  costIncludesVat: z.boolean().default(false),
  credentialEnv: CredentialEnv.default({}),
}).openapi('NewAdAccount');

export const AdAccountFullSchema = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    platform: z.string().openapi({ example: 'yandex-direct' }),
    externalId: z.string(),
    name: z.string(),
    currency: z.string(),
    timeZone: z.string(),
    costIncludesVat: z.boolean(),
    monthlyBudgetMicros: z.number().int().nullable(),
    lookbackDays: z.number().int().nullable(),
    credentialEnv: CredentialEnv,
  })
  .openapi('AdAccountWithSettings');

/** An account as the API shows it: credentials by the name of their variable, never a value. */
const view = (a: AdAccount): z.infer<typeof AdAccountFullSchema> => ({
  id: a.id,
  siteId: a.siteId,
  platform: a.platform,
  externalId: a.externalId,
  name: a.name,
  currency: a.currency,
  timeZone: a.timeZone,
  costIncludesVat: a.costIncludesVat,
  monthlyBudgetMicros: a.monthlyBudgetMicros,
  lookbackDays: a.lookbackDays,
  credentialEnv: Object.fromEntries(Object.entries(a.credentials).map(([k, v]) => [k, v.env])),
});

// accountProblems() says one problem per field in the reader's language; wrapping its words tells which
// field each came from, so the API's error can name it.
const FIELD_OF: Record<keyof AccountProblemWords, string> = {
  platform: 'platform',
  externalIdEmpty: 'externalId',
  externalId: 'externalId',
  nameEmpty: 'name',
  currency: 'currency',
  timeZoneEmpty: 'timeZone',
  timeZone: 'timeZone',
  budgetNegative: 'monthlyBudgetMicros',
  credential: 'credentialEnv',
  lookback: 'lookbackDays',
};

function firstProblem(c: Context<V1Env>, account: Parameters<typeof accountProblems>[0]): ApiError | null {
  const said: string[] = [];
  const words = c.get('t').ads.problems;
  const tagged = {};
  for (const [k, w] of Object.entries(words)) {
    const field = FIELD_OF[k as keyof AccountProblemWords];
    Object.defineProperty(tagged, k, {
      get: () => {
        if (typeof w !== 'function') return (said.push(field), w);
        return (...args: unknown[]) => (said.push(field), (w as (...a: unknown[]) => string)(...args));
      },
    });
  }
  const problems = accountProblems(account, tagged as AccountProblemWords);
  if (!problems.length) return null;
  const field = said[0] ?? 'body';
  return new ApiError('invalid', c.get('t').api.errors.invalid(field, problems[0]!), field);
}

/** Variable names in, the store's references out; a pasted secret or another platform's setting is refused. */
function credentialsOf(c: Context<V1Env>, platform: string, given: Record<string, string>) {
  const t = c.get('t').ads.form;
  const known = platformById(platform);
  const label = known?.label[c.get('lang')] ?? platform;
  const out: Record<string, { env: string }> = {};
  for (const [key, raw] of Object.entries(given)) {
    const env = raw.trim();
    const field = `credentialEnv.${key}`;
    // Said without repeating what was sent: it may be the secret itself.
    if (looksLikeSecret(env))
      throw new ApiError('invalid', c.get('t').api.errors.invalid(field, t.secretPasted(key)), field);
    if (known && !credentialKeys(platform).includes(key))
      throw new ApiError(
        'invalid',
        c
          .get('t')
          .api.errors.invalid(field, t.notCredentialOf(key, label, credentialKeys(platform).join(', '))),
        field,
      );
    out[key] = { env };
  }
  return out;
}

export const adAccountsV1 = v1Resource();

adAccountsV1.route(
  'write',
  'path',
  createRoute({
    method: 'post',
    path: '/sites/{site}/ad-accounts',
    summary:
      'Add an ad account to a site (as the Ads page does); its statistics come with the next pull-ads run',
    request: {
      params: SiteParam,
      body: { content: { 'application/json': { schema: NewAccountSchema } }, required: true },
    },
    responses: {
      201: json(AdAccountFullSchema, 'The account as added'),
      ...errorResponses,
      409: json(ErrorSchema, 'This platform account is already added (to this or another site)'),
    },
  }),
  async (c) => {
    const { sql, now } = c.get('deps');
    const site = pathSite(c);
    const b = c.req.valid('json');
    const platform = b.platform.trim();
    const input = {
      platform,
      externalId: b.externalId.trim(),
      name: b.name.trim(),
      currency: b.currency.trim().toUpperCase(),
      timeZone: b.timeZone.trim(),
      costIncludesVat: b.costIncludesVat,
      monthlyBudgetMicros: b.monthlyBudgetMicros,
      lookbackDays: b.lookbackDays,
      credentials: {},
    };
    // The platform first: which credentials it reads depends on it.
    const bad = firstProblem(c, input);
    if (bad) throw bad;
    input.credentials = credentialsOf(c, platform, b.credentialEnv);
    const externalId = normalisedExternalId(platform, input.externalId);
    const existing = await findAccount(sql, platform, externalId);
    if (existing) {
      const label = platformById(platform)?.label[c.get('lang')] ?? platform;
      const t = c.get('t').ads.form;
      // Another site's account is not named beyond what the caller sent.
      const message =
        existing.siteId === site.id
          ? t.alreadyAdded(label, externalId)
          : t.alreadyAddedElsewhere(label, externalId);
      throw new ApiError('conflict', message, 'externalId');
    }
    const id = await insertAccount(sql, site.id, input, now());
    return c.json(view((await getAccount(sql, id))!), 201);
  },
);

adAccountsV1.route(
  'write',
  AD_ACCOUNT,
  createRoute({
    method: 'put',
    path: '/ad-accounts/{id}',
    summary:
      "Replace an ad account's settings (name, time zone, VAT, budget, lookback, credential variables); the same body twice leaves the same account",
    request: {
      params: IdParam,
      body: { content: { 'application/json': { schema: SettingsSchema } }, required: true },
    },
    responses: { 200: json(AdAccountFullSchema, 'The account as it now is'), ...errorResponses },
  }),
  async (c) => {
    const { sql } = c.get('deps');
    const account = await getAccount(sql, c.req.valid('param').id);
    if (!account) throw new ApiError('not_found', c.get('t').api.errors.notFound);
    const b = c.req.valid('json');
    const settings = {
      name: b.name.trim(),
      timeZone: b.timeZone.trim(),
      costIncludesVat: b.costIncludesVat,
      monthlyBudgetMicros: b.monthlyBudgetMicros,
      lookbackDays: b.lookbackDays,
      credentials: credentialsOf(c, account.platform, b.credentialEnv),
    };
    const bad = firstProblem(c, { ...account, ...settings });
    if (bad) throw bad;
    await updateAccountSettings(sql, account.id, settings);
    return c.json(view((await getAccount(sql, account.id))!), 200);
  },
);

adAccountsV1.route(
  'write',
  AD_ACCOUNT,
  createRoute({
    method: 'delete',
    path: '/ad-accounts/{id}',
    summary:
      'Remove an ad account with its statistics and sync history; an account already gone answers 204 too',
    request: { params: IdParam },
    responses: { 204: { description: 'Removed, or already gone' }, ...errorResponses },
  }),
  async (c) => {
    const account = await getAccount(c.get('deps').sql, c.req.valid('param').id);
    // Gone already (or never there): the caller's wish holds, so the answer is the same.
    if (account) await deleteAccount(c.get('deps').sql, account.siteId, account.id);
    return c.body(null, 204);
  },
);
