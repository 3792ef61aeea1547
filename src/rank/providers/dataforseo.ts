// DataForSEO rank provider: reads organic results from the SERP API's live "advanced" endpoints.
import { z } from 'zod';
import { httpUrl, obj, secretRef } from '../../config/fields.ts';
import { endpoints, quotas } from '../../config/example-parts.ts';
import { quotaFields } from '../quota.ts';
import { apiClient, bodyExcerpt, retryAfterMs, scrub, type ApiClient } from '../../fetch/index.ts';
import { transportFailure } from '../provider-errors.ts';
import type {
  Engine,
  Keyword,
  KeywordSettings,
  ProviderDeps,
  Resolved,
  ProviderErrorKind,
  SerpItem,
  SerpPage,
  SerpProvider,
} from '../types.ts';
import { ProviderError } from '../types.ts';

const ID = 'dataforseo';
const DEFAULT_BASE = 'https://api.dataforseo.com';
// Live mode answers in about 6 s on average, but a depth-100 page can take far longer.
const TIMEOUT_MS = 120_000;
// A depth-100 "advanced" answer is a few MB of JSON at most.
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const SHOWN_CHARS = 300;
// DataForSEO's limit is 2000 calls a minute: without a Retry-After, a minute is the wait that surely helps.
const DEFAULT_RETRY_MS = 60_000;

/**
 * Yandex regions (`lr`) as DataForSEO names them: its Yandex locations are Google's geotargets
 * (https://docs.dataforseo.com/v3/serp/yandex/locations/), not Yandex region ids, so each one is mapped by hand.
 */
const YANDEX_REGIONS: Record<number, string> = {
  213: 'Moscow,Moscow,Russia',
  2: 'Saint Petersburg,Saint Petersburg,Russia',
  225: 'Russia',
};

// ISO 3166-1 alpha-2 → numeric (from the iso-codes tables). DataForSEO's country location codes are
// Google's geotarget ids, which for countries are 2000 + the ISO numeric code (United States 2840).
const ISO_NUMERIC: ReadonlyMap<string, number> = new Map(
  (
    'ad020 ae784 af004 ag028 ai660 al008 am051 ao024 aq010 ar032 as016 at040 au036 aw533 ax248 az031 ' +
    'ba070 bb052 bd050 be056 bf854 bg100 bh048 bi108 bj204 bl652 bm060 bn096 bo068 bq535 br076 bs044 ' +
    'bt064 bv074 bw072 by112 bz084 ca124 cc166 cd180 cf140 cg178 ch756 ci384 ck184 cl152 cm120 cn156 ' +
    'co170 cr188 cu192 cv132 cw531 cx162 cy196 cz203 de276 dj262 dk208 dm212 do214 dz012 ec218 ee233 ' +
    'eg818 eh732 er232 es724 et231 fi246 fj242 fk238 fm583 fo234 fr250 ga266 gb826 gd308 ge268 gf254 ' +
    'gg831 gh288 gi292 gl304 gm270 gn324 gp312 gq226 gr300 gs239 gt320 gu316 gw624 gy328 hk344 hm334 ' +
    'hn340 hr191 ht332 hu348 id360 ie372 il376 im833 in356 io086 iq368 ir364 is352 it380 je832 jm388 ' +
    'jo400 jp392 ke404 kg417 kh116 ki296 km174 kn659 kp408 kr410 kw414 ky136 kz398 la418 lb422 lc662 ' +
    'li438 lk144 lr430 ls426 lt440 lu442 lv428 ly434 ma504 mc492 md498 me499 mf663 mg450 mh584 mk807 ' +
    'ml466 mm104 mn496 mo446 mp580 mq474 mr478 ms500 mt470 mu480 mv462 mw454 mx484 my458 mz508 na516 ' +
    'nc540 ne562 nf574 ng566 ni558 nl528 no578 np524 nr520 nu570 nz554 om512 pa591 pe604 pf258 pg598 ' +
    'ph608 pk586 pl616 pm666 pn612 pr630 ps275 pt620 pw585 py600 qa634 re638 ro642 rs688 ru643 rw646 ' +
    'sa682 sb090 sc690 sd729 se752 sg702 sh654 si705 sj744 sk703 sl694 sm674 sn686 so706 sr740 ss728 ' +
    'st678 sv222 sx534 sy760 sz748 tc796 td148 tf260 tg768 th764 tj762 tk772 tl626 tm795 tn788 to776 ' +
    'tr792 tt780 tv798 tw158 tz834 ua804 ug800 um581 us840 uy858 uz860 va336 vc670 ve862 vg092 vi850 ' +
    'vn704 vu548 wf876 ws882 ye887 yt175 za710 zm894 zw716 '
  )
    .trim()
    .split(' ')
    .map((e) => [e.slice(0, 2), Number(e.slice(2))] as const),
);

/** The task sent for one keyword (https://docs.dataforseo.com/v3/serp/google/organic/live/advanced/). */
export function dataForSeoTask(keyword: Keyword, depth: number): Record<string, unknown> {
  const gl = keyword.gl?.trim().toLowerCase() || null;
  const hl = keyword.hl?.trim() || null;
  return {
    keyword: encodeKeyword(keyword.query),
    ...taskLocation(keyword, gl),
    // language_code is required; without hl, Russian for Yandex and Russian-speaking countries, else English.
    language_code: hl ?? (keyword.engine === 'yandex' || ['ru', 'by', 'kz'].includes(gl ?? '') ? 'ru' : 'en'),
    device: keyword.device,
    depth,
  };
}

/**
 * DataForSEO decodes %## in `keyword` and turns "+" into a space, so a literal "%" or "+" has to be sent
 * as %25 / %2B; everything else (Cyrillic, emoji, quotes) travels as-is inside the UTF-8 JSON body.
 */
export function encodeKeyword(query: string): string {
  return query.replace(/%/g, '%25').replace(/\+/g, '%2B');
}

function taskLocation(keyword: Keyword, gl: string | null): Record<string, string | number> {
  const lr = keyword.lr ?? null;
  const known = lr === null ? undefined : YANDEX_REGIONS[lr];
  if (keyword.engine === 'yandex' && known) return { location_name: known };
  // DataForSEO writes location names without spaces after the commas: "Austin,Texas,United States".
  const location = keyword.location?.trim().replace(/\s*,\s*/g, ',') || null;
  if (location) return { location_name: location };
  if (keyword.engine === 'yandex' && lr !== null)
    throw new ProviderError(
      ID,
      'http',
      `no DataForSEO location is known for Yandex region lr=${lr} (known: ${Object.entries(YANDEX_REGIONS)
        .map(([id, name]) => `${id} ${name.split(',')[0]}`)
        .join(', ')}); give the keyword a location such as "Kazan,Tatarstan,Russia" instead`,
    );
  if (gl) {
    const numeric = ISO_NUMERIC.get(gl === 'uk' ? 'gb' : gl);
    if (numeric === undefined)
      throw new ProviderError(
        ID,
        'http',
        `"${gl}" is not a country code, so no DataForSEO location can be chosen`,
      );
    return { location_code: 2000 + numeric };
  }
  throw new ProviderError(
    ID,
    'http',
    `DataForSEO needs a region for "${keyword.query}": give the keyword a country (gl), a location${
      keyword.engine === 'yandex' ? ' or a Yandex region (lr)' : ''
    }`,
  );
}

/**
 * Reads a live/advanced answer. Only `type: "organic"` items count, at their `rank_group` (the rank among
 * organic results); `rank_absolute` counts ads, featured snippets and "people also ask" too. A non-20000
 * `status_code` on the envelope or on the task becomes a ProviderError (https://docs.dataforseo.com/v3/appendix/errors/).
 */
export function parseDataForSeo(json: unknown, opts: { retryAfterMs?: number } = {}): SerpItem[] {
  const read = readAnswer(json);
  if ('problem' in read)
    throw new ProviderError(
      ID,
      read.kind,
      read.problem,
      read.kind === 'rate-limit' ? opts.retryAfterMs : undefined,
    );
  return read.items;
}

type Problem = { kind: ProviderErrorKind; problem: string };

function readAnswer(json: unknown): { items: SerpItem[] } | Problem {
  if (!isObject(json)) return { kind: 'malformed', problem: 'the answer is not a JSON object' };
  const top = statusProblem(json);
  if (top) return top === 'empty' ? { items: [] } : top;
  if (!Array.isArray(json.tasks) || json.tasks.length === 0)
    return { kind: 'malformed', problem: 'the answer has no tasks' };
  const task: unknown = json.tasks[0];
  if (!isObject(task)) return { kind: 'malformed', problem: 'the task is not an object' };
  const failed = statusProblem(task);
  if (failed) return failed === 'empty' ? { items: [] } : failed;
  if (task.result === null) return { items: [] };
  if (!Array.isArray(task.result)) return { kind: 'malformed', problem: 'the task has no result list' };
  const result: unknown = task.result[0];
  if (result === undefined) return { items: [] };
  if (!isObject(result)) return { kind: 'malformed', problem: 'the result is not an object' };
  // items is null when the search engine showed nothing at all.
  if (result.items === null || result.items === undefined) return { items: [] };
  if (!Array.isArray(result.items)) return { kind: 'malformed', problem: 'result.items is not a list' };
  const items: SerpItem[] = [];
  for (const it of result.items) {
    if (!isObject(it) || it.type !== 'organic') continue;
    const rank = it.rank_group;
    if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1) continue;
    if (typeof it.url !== 'string' || it.url === '') continue;
    items.push({ position: rank, url: it.url, title: typeof it.title === 'string' ? it.title : null });
  }
  return { items: items.sort((a, b) => a.position - b.position) };
}

/** What a DataForSEO status code means for the tracker; null for 20000 (Ok). */
function statusProblem(obj: Record<string, unknown>): Problem | 'empty' | null {
  const code = obj.status_code;
  if (code === 20000 || code === undefined) return null;
  const message = typeof obj.status_message === 'string' ? shorten(obj.status_message) : 'no message';
  if (typeof code !== 'number') return { kind: 'malformed', problem: 'status_code is not a number' };
  if (code === 40102) return 'empty'; // "No Search Results."
  const text = `status ${code} "${message}"`;
  if (code === 40100 || code === 40104)
    return { kind: 'auth', problem: `${text}; check providers.dataForSeo.login and its password` };
  if (code === 40202) return { kind: 'rate-limit', problem: text };
  if (code >= 40200 && code < 40300)
    return { kind: 'quota', problem: `${text}; top up the DataForSEO balance or raise the account's limits` };
  return { kind: 'http', problem: text };
}

type Settings = Resolved<z.output<typeof dataForSeoSettingsSchema>> & KeywordSettings;

async function fetchSerp(keyword: Keyword, deps: ProviderDeps<Settings>): Promise<SerpPage> {
  const settings = deps.settings;
  const task = dataForSeoTask(keyword, settings.depth);
  const credential = Buffer.from(`${settings.login}:${settings.password}`).toString('base64');
  const secrets = [settings.password, credential];
  const what = `DataForSEO (${keyword.engine}, "${keyword.query}")`;
  const api = apiClient(deps, {
    service: what,
    baseUrl: settings.baseUrl ?? DEFAULT_BASE,
    secrets,
    headers: { authorization: `Basic ${credential}`, accept: 'application/json' },
    timeoutMs: TIMEOUT_MS,
    maxBytes: MAX_BODY_BYTES,
  });
  const url = api.url(`v3/serp/${keyword.engine}/organic/live/advanced`);
  // One task a keyword, posted alone: one request against the quota.
  await deps.onRequest?.();
  const answer = await post(api, url, [task], what, deps.signal);
  const wait = retryAfterMs(answer.headers.get('retry-after'), deps.now()) ?? DEFAULT_RETRY_MS;
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    if (answer.status !== 200)
      throw httpError(what, answer.status, bodyExcerpt(answer.body, secrets), null, wait, secrets);
    throw new ProviderError(
      ID,
      'malformed',
      scrub(
        `${what} answered with something that is not JSON: ${bodyExcerpt(answer.body, secrets)}`,
        secrets,
      ),
    );
  }
  const read = readAnswer(json);
  if (answer.status !== 200) {
    const text = 'problem' in read ? read.problem : bodyExcerpt(answer.body, secrets);
    throw httpError(what, answer.status, text, 'problem' in read ? read.kind : null, wait, secrets);
  }
  if ('problem' in read)
    throw new ProviderError(
      ID,
      read.kind,
      scrub(`${what}: ${read.problem}`, secrets),
      read.kind === 'rate-limit' ? wait : undefined,
    );
  const items = read.items.filter((i) => i.position <= settings.depth);
  return { items, depth: settings.depth, raw: answer.body };
}

/** DataForSEO answers 200 except for 401, 402, 404 and 500 (https://docs.dataforseo.com/v3/appendix/errors/). */
function httpError(
  what: string,
  status: number,
  text: string,
  bodyKind: ProviderErrorKind | null,
  wait: number,
  secrets: string[],
): ProviderError {
  const head = `${what} answered HTTP ${status}: ${text}`;
  if (status === 401)
    return new ProviderError(
      ID,
      'auth',
      scrub(
        `${head}${/check providers/.test(text) ? '' : '; check providers.dataForSeo.login and its password'}`,
        secrets,
      ),
    );
  if (status === 402)
    return new ProviderError(
      ID,
      'quota',
      scrub(`${head}${/top up/.test(text) ? '' : '; top up the DataForSEO balance'}`, secrets),
    );
  if (status === 429 || bodyKind === 'rate-limit')
    return new ProviderError(ID, 'rate-limit', scrub(head, secrets), wait);
  if (status === 404)
    return new ProviderError(ID, 'http', scrub(`${head}; check providers.dataForSeo.baseUrl`, secrets));
  return new ProviderError(
    ID,
    bodyKind === 'auth' || bodyKind === 'quota' ? bodyKind : 'http',
    scrub(head, secrets),
  );
}

/** The `providers.dataForSeo` block. */
export const dataForSeoSettingsSchema = obj({
  baseUrl: httpUrl.optional(),
  login: z.string().min(1),
  password: secretRef,
  ...quotaFields,
});

export const dataForSeo: SerpProvider<z.output<typeof dataForSeoSettingsSchema>, 'dataForSeo'> = {
  kind: 'serp',
  id: ID,
  label: { en: 'DataForSEO', ru: 'DataForSEO' },
  configKey: 'dataForSeo',
  settings: dataForSeoSettingsSchema,
  secrets: ['password'],
  example: {
    ...endpoints({ baseUrl: DEFAULT_BASE }),
    login: 'you@studio.example.com',
    password: { env: 'DATAFORSEO_PASSWORD' },
    ...quotas({ dailyQuota: 2000 }),
  },
  colour: '#16a34a',
  capabilities: {
    engines: ['google', 'yandex', 'bing'],
    devices: ['desktop', 'mobile'],
    countries: true,
    maxDepth: 700,
    fullSerp: true,
    // One task a keyword, whatever its depth.
    quotaUnit: 'request',
    needsBrowser: false,
    optIn: false,
    pause: null,
    priority: 30,
  },
  fetchPositions: fetchSerp,
};

// ---- HTTP plumbing ----

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

/** One POST through the API client (redirects not followed: a followed 302 would turn it into a GET). */
async function post(
  api: ApiClient,
  url: URL,
  tasks: unknown[],
  what: string,
  signal?: AbortSignal,
): Promise<Answer> {
  try {
    const a = await api.request(url, { method: 'POST', json: tasks, expect: 'bytes', statuses: 'any' });
    // TextDecoder drops a leading byte-order mark, so a JSON body that starts with one still parses.
    return { status: a.status, headers: a.headers, body: new TextDecoder('utf-8').decode(a.body) };
  } catch (err) {
    transportFailure(
      ID,
      err,
      { what, origin: url.origin, check: 'providers.dataForSeo.baseUrl and the network' },
      signal,
    );
  }
}

function shorten(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
