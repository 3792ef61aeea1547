// The API's docs page in Russian: every text of the OpenAPI document has a translation made for its
// current English (so a new route, or a reworded one, fails here until translated), the Russian page
// shows no English, and whatever the document holds is escaped.
import * as cheerio from 'cheerio';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/messages/api-docs.ts';
import { messages, type Lang } from '../../src/i18n/index.ts';
import type { V1Env } from '../../web/api/v1/common.ts';
import { docsPage, operationsOf, textsOf, translate, type OpenApiDoc } from '../../web/api/v1/docs.ts';
import { englishIn, visibleText } from '../i18n/english-left.ts';
import { apiSetup } from './setup.ts';

async function served() {
  const s = await apiSetup();
  const doc = (await (await s.call(null, '/api/v1/openapi.json')).json()) as OpenApiDoc;
  return { ...s, doc };
}

/** The texts of a document with no Russian made for their English, as "where: English". */
const untranslated = (doc: OpenApiDoc) =>
  textsOf(doc)
    .filter((x) => translate('ru', x).lang !== 'ru')
    .map((x) => `${x.keys[0]!.join(' › ')}: ${x.english}`);

describe('/api/v1/docs in Russian', () => {
  it('has Russian for every text of the document, made for its current English', async () => {
    const { doc } = await served();
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThanOrEqual(30);
    // Every operation says what it does (the page would show an empty line otherwise).
    expect(ops.filter((o) => !o.summary).map((o) => o.key)).toEqual([]);
    expect(textsOf(doc).length).toBeGreaterThan(ops.length * 2);
    expect(untranslated(doc)).toEqual([]);
  });

  it('reports a new route, a reworded summary and a new field that have no Russian yet', async () => {
    const { doc } = await served();
    const changed: OpenApiDoc = {
      paths: {
        ...doc.paths,
        '/sites': { get: { ...doc.paths!['/sites']!.get, summary: 'Every site the key reaches' } },
        '/sites/{site}/notes': {
          get: { summary: 'Notes of a site', responses: { 200: { description: 'Notes' } } },
        },
      },
      components: {
        schemas: {
          ...doc.components!.schemas,
          Note: { type: 'object', properties: { text: { type: 'string', description: 'What was noted' } } },
        },
      },
    };
    expect(untranslated(changed).sort()).toEqual([
      'fields › Note.text: What was noted',
      'operations › GET /sites › summary: Every site the key reaches',
      'operations › GET /sites/{site}/notes › responses › 200: Notes',
      'operations › GET /sites/{site}/notes › summary: Notes of a site',
    ]);
  });

  it('keeps no translation of a route the document does not have', async () => {
    const { doc } = await served();
    const documented = new Set(operationsOf(doc).map((o) => o.key));
    expect(Object.keys(en.operations).filter((k) => !documented.has(k))).toEqual([]);
  });

  it('serves the page in Russian with no English text, by ?lang= and by Accept-Language', async () => {
    const { call, doc } = await served();
    const english = textsOf(doc)
      .map((x) => x.english)
      .filter((x) => x.length >= 4);
    for (const [path, headers] of [
      ['/api/v1/docs?lang=ru', {}],
      ['/api/v1/docs', { 'accept-language': 'ru-RU,ru;q=0.9' }],
    ] as const) {
      const res = await call(null, path, { headers });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(cheerio.load(html)('html').attr('lang')).toBe('ru');
      const shown = visibleText(html);
      expect([path, englishIn(shown)]).toEqual([path, []]);
      expect([path, english.filter((x) => shown.includes(x))]).toEqual([path, []]);
      expect(shown).toContain('Отслеживаемые запросы сайта');
      expect(html).toContain('GET /api/v1/sites/{site}/keywords');
    }
    // The checks can fail: the same page in English is full of both.
    const inEnglish = visibleText(await (await call(null, '/api/v1/docs?lang=en')).text());
    expect(englishIn(inEnglish).length).toBeGreaterThan(10);
    expect(english.filter((x) => inEnglish.includes(x)).length).toBeGreaterThan(40);
  });

  it('keeps the OpenAPI document itself in English', async () => {
    const s = await apiSetup();
    const res = await s.call(null, '/api/v1/openapi.json', { headers: { 'accept-language': 'ru' } });
    const doc = (await res.json()) as OpenApiDoc;
    expect(doc.paths!['/sites/{site}/keywords']!.get!.summary).toBe('Tracked keywords of a site');
  });

  it('escapes every text, name and value of the document it renders', async () => {
    const evil = `<img src=x onerror=alert(1)>"'&<script>`;
    const hostile: OpenApiDoc = {
      paths: {
        [`/x/{id}/${evil}`]: {
          get: {
            summary: evil,
            description: evil,
            parameters: [
              { name: evil, in: evil, required: true, schema: { type: evil, description: evil } },
              { name: 'site', in: 'path', schema: { enum: [evil], anyOf: [{ $ref: evil }] } },
            ],
            requestBody: {
              content: { 'application/json': { schema: { $ref: `#/components/schemas/${evil}` } } },
            },
            responses: {
              [evil]: {
                description: evil,
                content: {
                  [evil]: {},
                  'application/json': { schema: { type: 'array', items: { enum: [evil] } } },
                },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          [evil]: {
            type: 'object',
            description: evil,
            required: [evil],
            properties: { [evil]: { type: [evil, 'null'], description: evil, example: evil } },
          },
          Other: {
            allOf: [{ $ref: `#/components/schemas/${evil}` }, { properties: { x: { description: evil } } }],
          },
        },
      },
    };
    for (const lang of ['en', 'ru'] as Lang[]) {
      const app = new Hono<V1Env>();
      app.use(async (c, next) => {
        c.set('lang', lang);
        c.set('t', messages(lang));
        await next();
      });
      app.get('/docs', (c) => docsPage(c, hostile));
      const page = await (await app.request('/docs')).text();
      const $ = cheerio.load(page);
      expect($('img, script, [onerror]').length).toBe(0);
      expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
      // Untranslated text is marked as English for screen readers.
      if (lang === 'ru') expect($('span[lang="en"]').length).toBeGreaterThan(3);
    }
  });
});
