// The weekly report as HTML: a standalone page (dashboard permalink, PDF) with inline SVG charts and a print
// stylesheet, and an e-mail variant with inline CSS, table layout and charts as cid: images.
import { createHash } from 'node:crypto';
import { reportCharts } from './charts.ts';
import { esc, head, sections, type Block, type Cell, type Head, type Section } from './sections.ts';
import { reportSubject, reportText } from './text.ts';
import type { RenderedReport, ReportData } from './types.ts';
import { wording } from './wording.ts';

// ---- The standalone page (dashboard permalink, PDF) -------------------------------------------------

/** The page's only CSS. No style attributes anywhere, so a CSP that allows just this block's hash holds. */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { margin: 0; background: #f3f4f6; color: #1f2937; font: 14px/1.45 Arial, Helvetica, sans-serif; }
main { max-width: 760px; margin: 0 auto; padding: 24px 32px; background: #fff; }
h1 { font-size: 20px; margin: 0 0 6px; }
h2 { font-size: 17px; margin: 0 0 8px; padding-bottom: 4px; border-bottom: 2px solid #e5e7eb; }
h3 { font-size: 14px; margin: 14px 0 4px; }
p { margin: 4px 0; }
.meta { color: #4b5563; }
a { color: #1a4d8f; }
section { margin-top: 28px; }
figure { margin: 12px 0; }
figure svg { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid #e5e7eb; }
th { background: #f9fafb; font-weight: bold; }
td.r, th.r { text-align: right; white-space: nowrap; }
td.url { word-break: break-all; }
.bad { color: #b42318; }
.good { color: #067647; }
.none { color: #6b7280; }
footer { margin-top: 28px; color: #6b7280; font-size: 12px; }
@media screen and (max-width: 600px) {
  main { padding: 16px 12px; }
  table { display: block; overflow-x: auto; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { background: #fff; }
  main { max-width: none; padding: 0; }
  figure, tr, p { break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; }
}
`;

/**
 * Content-Security-Policy for serving `html`: nothing loads, nothing runs; only the one style block
 * (by hash) and nothing else applies.
 */
export const REPORT_HTML_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(REPORT_CSS).digest('base64')}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function docCell(c: Cell, tag: 'td' | 'th'): string {
  const o = typeof c === 'string' ? { text: c } : c;
  const cls = [o.tone, o.url ? 'url' : '', o.right ? 'r' : ''].filter(Boolean).join(' ');
  return `<${tag}${cls ? ` class="${cls}"` : ''}>${esc(o.text, 500)}</${tag}>`;
}

function docBlock(b: Block): string {
  if (b.kind === 'text') return `<p${b.tone ? ` class="${b.tone}"` : ''}>${esc(b.text, 1000)}</p>`;
  if (b.kind === 'chart') return `<figure>${b.chart.svg}</figure>`;
  if (b.rows.length === 0) return `<p class="none">${esc(b.title)}: ${esc(b.none)}</p>`;
  const right = b.rows[0]!.map((c) => typeof c !== 'string' && c.right === true);
  return (
    `<h3>${esc(b.title)}</h3><table><thead><tr>` +
    b.head.map((h, i) => docCell({ text: h, right: right[i] ?? false }, 'th')).join('') +
    `</tr></thead><tbody>` +
    b.rows.map((r) => `<tr>${r.map((c) => docCell(c, 'td')).join('')}</tr>`).join('') +
    `</tbody></table>`
  );
}

function documentHtml(h: Head, secs: Section[], subject: string): string {
  const body = secs
    .map((s) =>
      s.empty
        ? `<section class="empty"><h2>${esc(s.title)}</h2><p class="none">${esc(s.empty)}</p></section>`
        : `<section class="has-data"><h2>${esc(s.title)}</h2>${s.blocks.map(docBlock).join('')}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${h.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(subject, 300)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header><h1>${esc(h.title)}</h1>${h.lines.map((l) => `<p class="meta">${esc(l)}</p>`).join('')}${
    h.url
      ? `<p class="meta">${esc(h.urlLabel)}: <a href="${esc(h.url, 2000)}">${esc(h.url, 2000)}</a></p>`
      : ''
  }</header>
${body}
<footer>${esc(h.footer)}</footer>
</main>
</body>
</html>
`;
}

// ---- The e-mail variant ------------------------------------------------------------------------------

/** Mail clients drop <style> and external CSS; every rule is a style attribute, every layout a table. */
const S = {
  body: 'margin:0;padding:0;background:#f3f4f6;',
  outer: 'background:#f3f4f6;',
  card: 'width:100%;max-width:640px;background:#ffffff;border:1px solid #e5e7eb;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.45;color:#1f2937;',
  pad: 'padding:16px 24px;border-top:1px solid #e5e7eb;',
  h1: 'margin:0 0 6px;font-size:20px;line-height:1.3;font-weight:bold;color:#111827;',
  h2: 'margin:0 0 8px;font-size:17px;line-height:1.3;font-weight:bold;color:#111827;',
  h3: 'margin:14px 0 4px;font-size:14px;font-weight:bold;color:#111827;',
  p: 'margin:4px 0;',
  meta: 'margin:2px 0;color:#4b5563;',
  none: 'margin:4px 0;color:#6b7280;',
  link: 'color:#1a4d8f;word-break:break-all;',
  table: 'border-collapse:collapse;width:100%;font-size:13px;',
  th: 'text-align:left;vertical-align:top;padding:4px 6px;border-bottom:1px solid #e5e7eb;background:#f9fafb;font-weight:bold;',
  td: 'text-align:left;vertical-align:top;padding:4px 6px;border-bottom:1px solid #e5e7eb;',
  img: 'display:block;width:100%;max-width:592px;height:auto;border:0;margin:12px 0;',
  footer: 'padding:12px 24px;border-top:1px solid #e5e7eb;color:#6b7280;font-size:12px;',
  bad: 'color:#b42318;',
  good: 'color:#067647;',
  right: 'text-align:right;white-space:nowrap;',
  url: 'word-break:break-all;',
} as const;

/** The card's inner width: 640 minus 2 × 24 px padding. Charts scale down to it. */
const EMAIL_CHART_WIDTH = 592;

function mailCell(c: Cell, tag: 'td' | 'th'): string {
  const o = typeof c === 'string' ? { text: c } : c;
  const style = S[tag] + (o.right ? S.right : '') + (o.url ? S.url : '') + (o.tone ? S[o.tone] : '');
  return `<${tag} style="${style}"${o.right ? ' align="right"' : ''}>${esc(o.text, 500)}</${tag}>`;
}

function mailBlock(b: Block): string {
  if (b.kind === 'text') return `<p style="${S.p}${b.tone ? S[b.tone] : ''}">${esc(b.text, 1000)}</p>`;
  if (b.kind === 'chart') {
    const c = b.chart;
    const height = Math.round((c.height * EMAIL_CHART_WIDTH) / c.width);
    return `<img src="cid:${esc(c.id)}@promowatch" width="${EMAIL_CHART_WIDTH}" height="${height}" alt="${esc(c.title)}" style="${S.img}">`;
  }
  if (b.rows.length === 0) return `<p style="${S.none}">${esc(b.title)}: ${esc(b.none)}</p>`;
  const right = b.rows[0]!.map((c) => typeof c !== 'string' && c.right === true);
  return (
    `<p style="${S.h3}">${esc(b.title)}</p>` +
    `<table width="100%" cellpadding="0" cellspacing="0" border="0" style="${S.table}"><tr>` +
    b.head.map((h, i) => mailCell({ text: h, right: right[i] ?? false }, 'th')).join('') +
    `</tr>` +
    b.rows.map((r) => `<tr>${r.map((c) => mailCell(c, 'td')).join('')}</tr>`).join('') +
    `</table>`
  );
}

function emailDocument(h: Head, secs: Section[], subject: string): string {
  const rows = secs.map(
    (s) =>
      `<tr><td style="${S.pad}"><p style="${S.h2}">${esc(s.title)}</p>` +
      (s.empty ? `<p style="${S.none}">${esc(s.empty)}</p>` : s.blocks.map(mailBlock).join('')) +
      `</td></tr>`,
  );
  return `<!doctype html>
<html lang="${h.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(subject, 300)}</title>
</head>
<body style="${S.body}">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="${S.outer}"><tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0" style="${S.card}">
<tr><td style="padding:20px 24px;"><p style="${S.h1}">${esc(h.title)}</p>${h.lines.map((l) => `<p style="${S.meta}">${esc(l)}</p>`).join('')}${
    h.url
      ? `<p style="${S.meta}">${esc(h.urlLabel)}: <a href="${esc(h.url, 2000)}" style="${S.link}">${esc(h.url, 2000)}</a></p>`
      : ''
  }</td></tr>
${rows.join('\n')}
<tr><td style="${S.footer}">${esc(h.footer)}</td></tr>
</table>
</td></tr></table>
</body>
</html>
`;
}

/** Subject, text, both HTML variants and the charts of one weekly report, in the report's language. */
export function renderReport(data: ReportData, opts: { url?: string } = {}): RenderedReport {
  const w = wording(data);
  const charts = reportCharts(data);
  const secs = sections(w, data, charts);
  const subject = reportSubject(data);
  const h = head(w, data, opts.url);
  return {
    subject,
    html: documentHtml(h, secs, subject),
    emailHtml: emailDocument(h, secs, subject),
    text: reportText(data, opts),
    charts,
  };
}
