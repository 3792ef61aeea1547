// The API's docs page: the OpenAPI document rendered as plain HTML on our own origin (no CDN, no
// script), so it works offline and under the strict Content-Security-Policy, in the reader's language.
// The document itself (/api/v1/openapi.json) stays English: it is a machine contract that client
// generators and validators read, and its English is the reference the translations follow. Its texts
// are translated here, by where they stand (src/i18n/messages/api-docs.ts); a text whose translation
// is missing, or was made for other English, shows in English, marked lang="en" — and
// tests/api/docs-i18n.test.ts fails for it.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { isLang, LANGS, messages, type Lang, type Messages } from '../../../src/i18n/index.ts';
import type { V1Env } from './common.ts';

type Json = Record<string, unknown>;
type Html = HtmlEscapedString | Promise<HtmlEscapedString>;
export type OpenApiDoc = {
  paths?: Record<string, Record<string, Json>>;
  components?: { schemas?: Record<string, Json> };
};

/** A text of the document as the page shows it: its English, and where in the api-docs catalogue a
 * translation may stand, most particular first (a route's own text for a parameter, then the shared one). */
export type DocText = { english: string; keys: string[][] };

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);
const refName = (ref: string) => ref.replace('#/components/schemas/', '');
const described = (s: unknown) =>
  s && typeof s === 'object' && typeof (s as Json).description === 'string'
    ? ((s as Json).description as string)
    : undefined;
const text = (english: string | undefined, ...keys: string[][]): DocText | undefined =>
  english === undefined ? undefined : { english, keys };

/** Every operation of the document with the texts the page shows of it. */
export function operationsOf(doc: OpenApiDoc) {
  return Object.entries(doc.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => {
        const key = `${method.toUpperCase()} ${path}`;
        const own = ['operations', key];
        return {
          key,
          path,
          method,
          op,
          summary: text(typeof op.summary === 'string' ? op.summary : undefined, [...own, 'summary']),
          description: text(described(op), [...own, 'description']),
          params: ((op.parameters ?? []) as Json[]).map((p) => ({
            p,
            description: text(
              described(p) ?? described(p.schema),
              [...own, 'parameters', String(p.name)],
              ['parameters', String(p.name)],
            ),
          })),
          responses: Object.entries((op.responses ?? {}) as Record<string, Json>).map(([status, r]) => ({
            status,
            r,
            description: text(described(r), [...own, 'responses', status], ['responses', status]),
          })),
        };
      }),
  );
}

/** A schema's parts as the page shows them: other schemas it takes all fields of, and its own fields. */
function partsOf(s: Json): ({ ref: string } | { object: Json })[] {
  if (Array.isArray(s.allOf)) return (s.allOf as Json[]).flatMap(partsOf);
  if (typeof s.$ref === 'string') return [{ ref: refName(s.$ref) }];
  if (s.type === 'object' || s.properties) return [{ object: s }];
  return [];
}

/** Every named schema with the texts the page shows of it. */
export function schemasOf(doc: OpenApiDoc) {
  return Object.entries(doc.components?.schemas ?? {}).map(([name, s]) => ({
    name,
    s,
    description: text(described(s), ['schemas', name]),
    parts: partsOf(s).map((part) =>
      'ref' in part
        ? part
        : {
            required: new Set((part.object.required ?? []) as string[]),
            fields: Object.entries((part.object.properties ?? {}) as Record<string, Json>).map(
              ([field, p]) => ({
                field,
                p,
                description: text(described(p), ['fields', `${name}.${field}`], ['fields', field]),
              }),
            ),
          },
    ),
  }));
}

/** Every text of the document the docs page shows. */
export function textsOf(doc: OpenApiDoc): DocText[] {
  const ops = operationsOf(doc).flatMap((o) => [
    o.summary,
    o.description,
    ...o.params.map((p) => p.description),
    ...o.responses.map((r) => r.description),
  ]);
  const schemas = schemasOf(doc).flatMap((s) => [
    s.description,
    ...s.parts.flatMap((part) => ('fields' in part ? part.fields.map((f) => f.description) : [])),
  ]);
  return [...ops, ...schemas].filter((t): t is DocText => t !== undefined);
}

const at = (catalogue: unknown, key: string[]) =>
  key.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Json)[k] : undefined), catalogue);

/** A text in `lang`: the translation kept under the first key whose English is the document's text —
 * so one made for other (older) English is never shown — else the English itself. */
export function translate(lang: Lang, t: DocText): { text: string; lang: Lang } {
  const english = messages('en').apiDocs;
  const local = messages(lang).apiDocs;
  for (const key of t.keys) {
    const said = at(local, key);
    if (at(english, key) === t.english && typeof said === 'string') return { text: said, lang };
  }
  return { text: t.english, lang: 'en' };
}

/** A text with `machine words` (field names, commands: the same in every language) set as code. */
const withCode = (s: string): Html =>
  html`${s.split('`').map((part, i) => (i % 2 ? html`<code>${part}</code>` : part))}`;

/** A schema in one line: a link for a named one, else its type ("array of Keyword", "string | null"). */
function typeOf(s: Json | undefined, m: Messages): Html | string {
  if (!s) return '';
  if (typeof s.$ref === 'string')
    return html`<a href="#schema-${refName(s.$ref)}"><code>${refName(s.$ref)}</code></a>`;
  if (s.type === 'array') return html`${m.apiDocs.page.arrayOf} ${typeOf(s.items as Json, m)}`;
  if (Array.isArray(s.enum)) return html`<code>${s.enum.map((v) => JSON.stringify(v)).join(' | ')}</code>`;
  const union = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (Array.isArray(union)) return html`${union.map((x, i) => html`${i ? ' | ' : ''}${typeOf(x, m)}`)}`;
  if (Array.isArray(s.allOf))
    return html`${(s.allOf as Json[]).map((x, i) => html`${i ? ' & ' : ''}${typeOf(x, m)}`)}`;
  if (Array.isArray(s.type)) return html`<code>${(s.type as string[]).join(' | ')}</code>`;
  return html`<code>${String(s.type ?? 'any')}</code>`;
}

/** An example value of a schema, for the curl line: the documented example, else a placeholder. */
function exampleOf(s: Json | undefined, schemas: Record<string, Json>, depth = 0): unknown {
  if (!s || depth > 6) return null;
  if (typeof s.$ref === 'string') return exampleOf(schemas[refName(s.$ref)], schemas, depth + 1);
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (Array.isArray(s.allOf))
    return Object.assign({}, ...(s.allOf as Json[]).map((x) => exampleOf(x, schemas, depth + 1)));
  if (s.type === 'array') return [exampleOf(s.items as Json, schemas, depth + 1)];
  if (s.type === 'object' || s.properties) {
    const required = new Set((s.required ?? []) as string[]);
    const props = Object.entries((s.properties ?? {}) as Record<string, Json>).filter(
      ([k, p]) => required.has(k) || p.example !== undefined,
    );
    return Object.fromEntries(props.map(([k, p]) => [k, exampleOf(p, schemas, depth + 1)]));
  }
  const type = Array.isArray(s.type) ? (s.type as string[]).find((x) => x !== 'null') : s.type;
  return type === 'integer' || type === 'number' ? 1 : type === 'boolean' ? true : '…';
}

/** A curl command for one operation: the key from $PROMOWATCH_KEY, path values from shell variables. */
function curlOf(origin: string, o: ReturnType<typeof operationsOf>[number], schemas: Record<string, Json>) {
  const content = ((o.op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
  const body = content['application/json']?.schema as Json | undefined;
  const ok = ((o.op.responses as Record<string, Json> | undefined)?.['200']?.content ?? {}) as Json;
  const lines = [
    `curl${o.method === 'get' ? '' : ` -X ${o.method.toUpperCase()}`} -H "Authorization: Bearer $PROMOWATCH_KEY"`,
  ];
  if (body) {
    const json = JSON.stringify(exampleOf(body, schemas), null, 2).replaceAll("'", `'\\''`);
    lines.push(`-H "Content-Type: application/json" -d '${json}'`);
  }
  if ('application/pdf' in ok) lines.push('-o report.pdf');
  lines.push(`"${origin}/api/v1${o.path.replace(/\{(\w+)\}/g, '$$$1')}"`);
  return lines.join(' \\\n  ');
}

export function docsPage(c: Context<V1Env>, doc: OpenApiDoc) {
  // ?lang= picks the language too: this page has no layout (so no language form), and a link to the
  // docs in Russian can be handed on as it is.
  const asked = c.req.query('lang');
  const lang: Lang = isLang(asked) ? asked : c.get('lang');
  const m = messages(lang);
  const t = m.api.docs;
  const p = m.apiDocs.page;
  const say = (x: DocText | undefined): Html | string => {
    if (!x) return '';
    const shown = translate(lang, x);
    return shown.lang === lang
      ? withCode(shown.text)
      : html`<span lang="${shown.lang}">${withCode(shown.text)}</span>`;
  };
  const schemas = doc.components?.schemas ?? {};
  const origin = new URL(c.req.url).origin;
  const body = html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main class="api-docs">
<nav class="lang-switcher" aria-label="${p.languages}">${LANGS.map(
    (l) =>
      html`<a href="?lang=${l}" lang="${l}" hreflang="${l}"${l === lang ? html` aria-current="page"` : ''}>${m.common.languageNames[l]}</a> `,
  )}</nav>
<h1>${t.title}</h1>
<p>${t.intro}</p>
<p><a href="/api/v1/openapi.json">${t.document}</a></p>
<p>${withCode(p.curlHint)}</p>
${operationsOf(doc).map((o) => {
  const content = ((o.op.requestBody as Json | undefined)?.content ?? undefined) as
    Record<string, Json> | undefined;
  return html`<section id="${o.method}-${o.path}">
<h2><code>${o.method.toUpperCase()} /api/v1${o.path}</code></h2>
<p>${say(o.summary)}</p>
${o.description ? html`<p>${say(o.description)}</p>` : ''}
${
  o.params.length
    ? html`<h3>${t.parameters}</h3><table><thead><tr><th>${p.name}</th><th>${p.where}</th><th>${p.type}</th><th>${p.description}</th></tr></thead><tbody>${o.params.map(
        ({ p: param, description }) => {
          const where = (p.in as Record<string, string>)[String(param.in)];
          return html`<tr><td><code>${String(param.name)}</code></td><td>${where ?? html`<code>${String(param.in)}</code>`}${param.required ? html`, ${t.required}` : ''}</td><td>${typeOf(param.schema as Json, m)}</td><td>${say(description)}</td></tr>`;
        },
      )}</tbody></table>`
    : ''
}
${content ? html`<h3>${t.body}</h3><p>${typeOf(content['application/json']?.schema as Json, m)}</p>` : ''}
<h3>${t.responses}</h3>
<ul>${o.responses.map(({ status, r, description }) => {
    const types = (r.content ?? {}) as Record<string, Json>;
    const json = types['application/json']?.schema as Json | undefined;
    const other = Object.keys(types).filter((x) => x !== 'application/json');
    return html`<li><code>${status}</code> ${say(description)} ${json ? typeOf(json, m) : ''}${other.map((x) => html` <code>${x}</code>`)}</li>`;
  })}</ul>
<details><summary>${p.curl}</summary><pre><code>${curlOf(origin, o, schemas)}</code></pre></details>
</section>`;
})}
<h2>${t.schemas}</h2>
<p>${p.requiredMark}</p>
${schemasOf(doc).map(
  (s) =>
    html`<section id="schema-${s.name}"><h3><code>${s.name}</code></h3>${s.description ? html`<p>${say(s.description)}</p>` : ''}${
      s.parts.length
        ? s.parts.map((part, i) =>
            'ref' in part
              ? html`<p>${p.allFieldsOf} <a href="#schema-${part.ref}"><code>${part.ref}</code></a>${i < s.parts.length - 1 ? p.andAlso : ''}</p>`
              : html`<table><thead><tr><th>${p.field}</th><th>${p.type}</th><th>${p.description}</th></tr></thead><tbody>${part.fields.map(
                  ({ field, p: prop, description }) =>
                    html`<tr><td><code>${field}</code>${part.required.has(field) ? ' *' : ''}</td><td>${typeOf(prop, m)}</td><td>${say(description)}${prop.example === undefined ? '' : html`${description ? html`<br>` : ''}${t.example}: <code>${JSON.stringify(prop.example)}</code>`}</td></tr>`,
                )}</tbody></table>`,
          )
        : html`<p>${typeOf(s.s, m)}</p>`
    }</section>`,
)}
</main></body></html>`;
  return c.html(body);
}
