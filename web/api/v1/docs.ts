// The API's docs page: the OpenAPI document rendered as plain HTML on our own origin (no CDN, no
// script), so it works offline and under the strict Content-Security-Policy.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { V1Env } from './common.ts';

type Json = Record<string, unknown>;
type Doc = { paths?: Record<string, Record<string, Json>>; components?: { schemas?: Record<string, Json> } };

const refName = (ref: string) => ref.replace('#/components/schemas/', '');

/** A schema in one line: a link for a named one, else its type ("array of Keyword", "string | null"). */
function typeOf(s: Json | undefined): HtmlEscapedString | Promise<HtmlEscapedString> | string {
  if (!s) return '';
  if (typeof s.$ref === 'string') return html`<a href="#schema-${refName(s.$ref)}">${refName(s.$ref)}</a>`;
  if (s.type === 'array') return html`array of ${typeOf(s.items as Json)}`;
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(s.anyOf))
    return html`${(s.anyOf as Json[]).map((x, i) => html`${i ? ' | ' : ''}${typeOf(x)}`)}`;
  if (Array.isArray(s.type)) return (s.type as string[]).join(' | ');
  return String(s.type ?? 'any');
}

function properties(s: Json) {
  const props = (s.properties ?? {}) as Record<string, Json>;
  const required = new Set((s.required ?? []) as string[]);
  return html`<table>
${Object.entries(props).map(
  ([k, p]) =>
    html`<tr><td><code>${k}</code>${required.has(k) ? ' *' : ''}</td><td>${typeOf(p)}</td><td>${String(p.description ?? '')}${p.example === undefined ? '' : html` <code>${JSON.stringify(p.example)}</code>`}</td></tr>`,
)}
</table>`;
}

export function docsPage(c: Context<V1Env>, doc: Doc) {
  const t = c.get('t').api.docs;
  const lang = c.get('lang');
  const ops = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const body = html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main class="api-docs">
<h1>${t.title}</h1>
<p>${t.intro}</p>
<p><a href="/api/v1/openapi.json">${t.document}</a></p>
${ops.map(({ path, method, op }) => {
  const params = (op.parameters ?? []) as Json[];
  const bodySchema = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
  const responses = (op.responses ?? {}) as Record<string, Json>;
  return html`<section id="${method}-${path}">
<h2><code>${method.toUpperCase()} /api/v1${path}</code></h2>
<p>${String(op.summary ?? '')}</p>
${
  params.length
    ? html`<h3>${t.parameters}</h3><table>${params.map(
        (p) =>
          html`<tr><td><code>${String(p.name)}</code></td><td>${String(p.in)}</td><td>${typeOf(p.schema as Json)}</td><td>${p.required ? t.required : ''}</td></tr>`,
      )}</table>`
    : ''
}
${bodySchema ? html`<h3>${t.body}</h3><p>${typeOf(bodySchema['application/json']?.schema as Json)}</p>` : ''}
<h3>${t.responses}</h3>
<ul>${Object.entries(responses).map(([status, r]) => {
    const schema = ((r.content as Record<string, Json> | undefined)?.['application/json']?.schema ??
      undefined) as Json | undefined;
    return html`<li><code>${status}</code> ${String(r.description ?? '')} ${schema ? typeOf(schema) : ''}</li>`;
  })}</ul>
</section>`;
})}
<h2>${t.schemas}</h2>
${Object.entries(doc.components?.schemas ?? {}).map(
  ([name, s]) =>
    html`<section id="schema-${name}"><h3>${name}</h3>${s.description ? html`<p>${String(s.description)}</p>` : ''}${s.type === 'object' ? properties(s) : html`<p>${typeOf(s)}</p>`}</section>`,
)}
</main></body></html>`;
  return c.html(body);
}
