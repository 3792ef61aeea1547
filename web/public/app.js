// promowatch dashboard script: site switcher, and charts drawn from the JSON endpoints under /api.
// Served from our origin; no inline scripts anywhere, so the Content-Security-Policy can forbid them.
'use strict';

// The page's language (web/layout.ts puts it on <body>): numbers and dates on every chart follow it.
const LOCALE = document.body.dataset.locale || 'en-US';
const DATE_LOCALE = document.body.dataset.dateLocale || 'en-GB';
let I18N = {};
try {
  I18N = JSON.parse(document.body.dataset.i18n || '{}');
} catch {
  I18N = {};
}
const dayFormat = new Intl.DateTimeFormat(DATE_LOCALE, { day: 'numeric', month: 'short', timeZone: 'UTC' });
const dayLongFormat = new Intl.DateTimeFormat(DATE_LOCALE, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const monthFormat = new Intl.DateTimeFormat(DATE_LOCALE, {
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** An axis or tooltip label: ISO days and months in the page's language; anything else as it is. */
function labelText(label, long) {
  const s = String(label);
  if (/^\d{4}-\d{2}-\d{2}$/.test(s))
    return (long ? dayLongFormat : dayFormat).format(new Date(`${s}T12:00:00Z`));
  if (/^\d{4}-\d{2}$/.test(s)) return monthFormat.format(new Date(`${s}-15T12:00:00Z`));
  return s;
}

document.querySelectorAll('select[data-autosubmit]').forEach((select) => {
  select.addEventListener('change', () => select.form.submit());
});

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2'];
const STATUS_COLOURS = {
  ok: '#16a34a',
  failed: '#dc2626',
  interrupted: '#d97706',
  errors: '#dc2626',
  warnings: '#f59e0b',
  notices: '#6366f1',
  live: '#16a34a',
  devalued: '#f59e0b',
  lost: '#dc2626',
  // Rankings: keywords by position band, best to worst.
  'top 3': '#15803d',
  '4–10': '#65a30d',
  '11–30': '#f59e0b',
  '31–100': '#ea580c',
  'not in top 100': '#9ca3af',
  // Ads: spend stacked by platform; whatever is outside the biggest few is grey.
  'google-ads': '#4285f4',
  'yandex-direct': '#fc3f1d',
  'microsoft-ads': '#7fba00',
  meta: '#a855f7',
  'other campaigns': '#9ca3af',
  'other accounts': '#9ca3af',
};

// Draws each dated event ("site relaunch") as a dashed vertical line with its title, on every chart.
const eventLines = {
  id: 'promowatchEvents',
  afterDatasetsDraw(chart, _args, options) {
    const events = (options && options.events) || [];
    const x = chart.scales.x;
    const area = chart.chartArea;
    if (!x || !events.length) return;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = '#6b7280';
    ctx.fillStyle = '#374151';
    ctx.setLineDash([4, 4]);
    ctx.font = '11px system-ui, sans-serif';
    const labels = chart.data.labels;
    for (const e of events) {
      // Labels are dates in order. An event on a labelled day sits on it; one between two labels
      // (a crawl each week, say) sits in proportion between them.
      let px = null;
      const index = labels.indexOf(e.day);
      if (index >= 0) px = x.getPixelForValue(index);
      else {
        const after = labels.findIndex((l) => l > e.day);
        if (after > 0) {
          const t0 = Date.parse(labels[after - 1]);
          const t1 = Date.parse(labels[after]);
          const f = (Date.parse(e.day) - t0) / (t1 - t0);
          px =
            x.getPixelForValue(after - 1) + f * (x.getPixelForValue(after) - x.getPixelForValue(after - 1));
        }
      }
      if (px === null) continue;
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      // fillText draws text as pixels: a hostile title cannot become markup.
      ctx.fillText(String(e.title).slice(0, 40), px + 3, area.top + 10);
    }
    ctx.restore();
  },
};

const pending = new Map();
function load(src) {
  if (!pending.has(src)) {
    pending.set(
      src,
      fetch(src, { credentials: 'same-origin', headers: { accept: 'application/json' } }).then((r) => {
        if (!r.ok) throw new Error(`${src} answered ${r.status}`);
        return r.json();
      }),
    );
  }
  return pending.get(src);
}

function draw(canvas, data) {
  const spec = data.charts[canvas.dataset.chart];
  if (!spec) throw new Error(`no chart ${canvas.dataset.chart} in ${canvas.dataset.src}`);
  const datasets = spec.datasets.map((d, i) => {
    // `key` is the stable name (a state, a platform); `label` is what the reader sees, in their language.
    const colour = STATUS_COLOURS[d.key || d.label] || PALETTE[i % PALETTE.length];
    return {
      ...d,
      borderColor: colour,
      backgroundColor: spec.type === 'line' ? colour : colour + 'cc',
      spanGaps: false,
      tension: 0.2,
    };
  });
  const hasMin = spec.yMin !== undefined && spec.yMin !== null;
  const scales = {
    x: {
      stacked: Boolean(spec.stacked),
      ticks: {
        maxRotation: 0,
        autoSkip: true,
        callback(value) {
          return labelText(this.getLabelForValue(value), false);
        },
      },
    },
    y: {
      stacked: Boolean(spec.stacked),
      // A zoomed axis (a keyword between positions 3 and 6) starts at its yMin, not at 0.
      beginAtZero: !hasMin,
      min: hasMin ? spec.yMin : undefined,
      max: spec.yMax,
      // Positions: 1 is best and drawn at the top.
      reverse: Boolean(spec.reverse),
      ticks: spec.reverse ? { precision: 0 } : {},
      title: { display: Boolean(spec.yTitle), text: spec.yTitle },
    },
  };
  // Datasets with yAxisID 'y2' (clicks beside visibility) get their own axis on the right.
  if (datasets.some((d) => d.yAxisID === 'y2'))
    scales.y2 = {
      position: 'right',
      beginAtZero: true,
      grid: { drawOnChartArea: false },
      title: { display: Boolean(spec.y2Title), text: spec.y2Title },
    };
  const chart = new Chart(canvas, {
    type: spec.type,
    data: { labels: data.labels, datasets },
    options: {
      locale: LOCALE,
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      scales,
      plugins: {
        promowatchEvents: { events: data.events || [] },
        legend: { position: 'bottom' },
        tooltip: { callbacks: { title: (items) => (items.length ? labelText(items[0].label, true) : '') } },
      },
    },
    plugins: [eventLines],
  });
  canvas.dataset.drawn = String(
    datasets.reduce((n, d) => n + d.data.filter((v) => v !== null && v !== 0).length, 0),
  );
  return chart;
}

document.querySelectorAll('canvas[data-chart]').forEach((canvas) => {
  load(canvas.dataset.src)
    .then((data) => draw(canvas, data))
    .catch((err) => {
      const p = document.createElement('p');
      p.className = 'flash bad';
      // The sentence comes translated from the page; only the error's own text is put into it.
      p.textContent = (I18N.chartError || 'Could not draw this chart: {message}').replace(
        '{message}',
        err.message,
      );
      canvas.replaceWith(p);
    });
});
