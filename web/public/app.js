// promowatch dashboard script: site switcher, and charts drawn from the JSON endpoints under /api.
// Served from our origin; no inline scripts anywhere, so the Content-Security-Policy can forbid them.
// Kept as one file past 400 lines: a plain script with no bundler, so a split would mean more requests
// and a load order to keep; it only draws what the JSON endpoints hand it.
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
// A colour the server sends must be #rrggbb: the bars append an alpha to it.
const HEX = /^#[0-9a-f]{6}$/i;
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
  // Ads: spend stacked by platform, each in the colour its platform file declares (the dataset's
  // `colour`, src/ads/platforms/); whatever is outside the biggest few is grey.
  'other campaigns': '#9ca3af',
  'other accounts': '#9ca3af',
};

// Numbers the one way the cards do (src/i18n/format.ts): money with kopecks only under 100, the currency's
// narrow symbol, the page's locale; axes shorten big numbers ("17 тыс. ₽", "17K").
const numberFormats = new Map();
function nf(options) {
  const key = JSON.stringify(options);
  if (!numberFormats.has(key)) numberFormats.set(key, new Intl.NumberFormat(LOCALE, options));
  return numberFormats.get(key);
}
const CURRENCY = /^[A-Z]{3}$/;
function formatValue(value, format, currency, axis) {
  if (value === null || value === undefined || Number.isNaN(value)) return '';
  const big = axis && Math.abs(value) >= 10_000;
  const short = big ? { notation: 'compact', maximumFractionDigits: 1 } : null;
  if (format === 'money' && currency && CURRENCY.test(currency)) {
    const cents = !big && !Number.isInteger(value) && Math.abs(value) < 100;
    const digits = cents
      ? { minimumFractionDigits: 2, maximumFractionDigits: 2 }
      : { maximumFractionDigits: 0 };
    return nf({ style: 'currency', currency, currencyDisplay: 'narrowSymbol', ...digits, ...short }).format(
      value,
    );
  }
  if (format === 'ratio' && !axis)
    return nf({ minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
  if (format === 'percent') return nf({ style: 'percent', maximumFractionDigits: 1 }).format(value / 100);
  return nf(short || { maximumFractionDigits: 2 }).format(value);
}

/** Room for the x axis: a date label is about 50 px, so one tick per ~70 px never lets two touch. */
const tickLimit = (width) => Math.max(2, Math.min(12, Math.floor(width / 70)));

const MARKER_R = 8;
const MARKER_ROW = 2 * MARKER_R + 3;
const eventDayFormat = new Intl.DateTimeFormat(DATE_LOCALE, {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const eventDay = (day) => eventDayFormat.format(new Date(`${day}T12:00:00Z`));

/** Where an event falls on the x axis: on its labelled day, or in proportion between two labels. */
function eventX(chart, day) {
  const x = chart.scales.x;
  const labels = chart.data.labels;
  const index = labels.indexOf(day);
  if (index >= 0) return x.getPixelForValue(index);
  // A week or month label holds the days after it; a crawl each week sits between two days.
  const after = labels.findIndex((l) => String(l) > day);
  if (after <= 0) return null;
  const t0 = Date.parse(labels[after - 1].length === 7 ? `${labels[after - 1]}-01` : labels[after - 1]);
  const t1 = Date.parse(labels[after].length === 7 ? `${labels[after]}-01` : labels[after]);
  const f = (Date.parse(day) - t0) / (t1 - t0);
  return x.getPixelForValue(after - 1) + f * (x.getPixelForValue(after) - x.getPixelForValue(after - 1));
}

/**
 * Dated events ("site relaunch") as numbered markers above the plot, each with a thin dashed line down to
 * the axis; their words are in the list under the chart and on hover or tap. No text is drawn on the
 * canvas, so titles never run into each other or into the data. Markers closer than their width go into a
 * second row (the top padding grows for it).
 */
const eventMarkers = {
  id: 'promowatchEvents',
  afterDatasetsDraw(chart, _args, options) {
    const events = (options && options.dated) || [];
    const area = chart.chartArea;
    const markers = [];
    if (chart.scales.x && events.length) {
      const rows = [];
      events.forEach((e, i) => {
        const px = eventX(chart, e.day);
        if (px === null || px < area.left - 1 || px > area.right + 1) return;
        let row = 0;
        while (rows[row] !== undefined && px - rows[row] < 2 * MARKER_R + 2) row++;
        rows[row] = px;
        markers.push({
          n: i + 1,
          day: e.day,
          title: e.title,
          x: px,
          y: area.top - MARKER_R - 3 - row * MARKER_ROW,
          r: MARKER_R,
          row,
        });
      });
      const ctx = chart.ctx;
      ctx.save();
      for (const m of markers) {
        ctx.strokeStyle = '#6b7280';
        ctx.lineWidth = 1;
        ctx.setLineDash([4, 4]);
        ctx.beginPath();
        ctx.moveTo(m.x, m.y + m.r);
        ctx.lineTo(m.x, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = '#374151';
        ctx.beginPath();
        ctx.arc(m.x, m.y, m.r, 0, 2 * Math.PI);
        ctx.fill();
        ctx.fillStyle = '#fff';
        ctx.font = 'bold 10px system-ui, sans-serif';
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.fillText(String(m.n), m.x, m.y + 0.5);
      }
      ctx.restore();
      // A second row of markers needs more room above the plot: grow the padding once, then redraw.
      const needed = MARKER_ROW * Math.max(1, rows.length) + 4;
      const padding = chart.options.layout.padding;
      if (padding.top < needed && !chart.$eventsGrown) {
        chart.$eventsGrown = true;
        requestAnimationFrame(() => {
          chart.options.layout.padding = { ...padding, top: needed };
          chart.update('none');
        });
      }
    }
    // For the markers' tooltips, and for the browser tests that check nothing overlaps.
    chart.$events = markers;
  },
  afterEvent(chart, args) {
    const e = args.event;
    const tip = chart.$eventTip;
    if (!tip) return;
    const hit = (chart.$events || []).find((m) => Math.hypot(e.x - m.x, e.y - m.y) <= m.r + 4);
    if (!hit) {
      tip.hidden = true;
      return;
    }
    // textContent: a typed title stays text.
    tip.textContent = `${hit.n}. ${eventDay(hit.day)} — ${hit.title}`;
    tip.hidden = false;
    const box = chart.canvas.parentNode.clientWidth;
    const left = Math.max(0, Math.min(hit.x - tip.offsetWidth / 2, box - tip.offsetWidth));
    tip.style.left = `${left}px`;
    tip.style.top = `${hit.y + hit.r + 4}px`;
  },
};

/** The events under a chart, numbered as their markers: the words the canvas leaves out. */
function eventList(events) {
  const ol = document.createElement('ol');
  ol.className = 'chart-events';
  events.forEach((e, i) => {
    const li = document.createElement('li');
    const n = document.createElement('span');
    n.className = 'marker';
    n.textContent = String(i + 1);
    const day = document.createElement('time');
    day.dateTime = e.day;
    day.textContent = eventDay(e.day);
    li.append(n, day, ` — ${e.title}`);
    ol.append(li);
  });
  return ol;
}

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

/** The canvas in a box of its own with a CSS height: chart.js sizes it to that box and follows its resizes. */
function boxOf(canvas) {
  if (canvas.parentNode.classList.contains('chart-box')) return canvas.parentNode;
  const box = document.createElement('div');
  box.className = 'chart-box';
  canvas.replaceWith(box);
  box.append(canvas);
  return box;
}

function draw(canvas, data) {
  const spec = data.charts[canvas.dataset.chart];
  if (!spec) throw new Error(`no chart ${canvas.dataset.chart} in ${canvas.dataset.src}`);
  const box = boxOf(canvas);
  // The label holding today, not over yet (the Ads API says which): dashed, paler, and named in the tooltip.
  const partial = typeof data.partialIndex === 'number' ? data.partialIndex : -1;
  const datasets = spec.datasets.map((d, i) => {
    // `key` is the stable name (a state, a platform); `label` is what the reader sees, in their language.
    const colour =
      (HEX.test(d.colour || '') && d.colour) ||
      STATUS_COLOURS[d.key || d.label] ||
      PALETTE[i % PALETTE.length];
    const line = spec.type === 'line';
    return {
      ...d,
      borderColor: colour,
      backgroundColor: line ? colour : (ctx) => (ctx.dataIndex === partial ? colour + '55' : colour + 'cc'),
      ...(line
        ? {
            segment: {
              borderDash: (ctx) => (partial >= 0 && ctx.p1DataIndex >= partial ? [5, 4] : undefined),
            },
            pointBackgroundColor: (ctx) => (ctx.dataIndex === partial ? '#fff' : colour),
          }
        : { borderWidth: (ctx) => (ctx.dataIndex === partial ? 1 : 0) }),
      spanGaps: false,
      tension: 0.2,
    };
  });
  // Money in the dataset's currency, or the one currency of the whole chart.
  const currencyOf = (d) => (d && d.currency) || data.currency || null;
  const currencies = [...new Set(spec.datasets.map(currencyOf))];
  const axisCurrency = currencies.length === 1 ? currencies[0] : null;
  const hasMin = spec.yMin !== undefined && spec.yMin !== null;
  const scales = {
    x: {
      stacked: Boolean(spec.stacked),
      ticks: {
        maxRotation: 0,
        minRotation: 0,
        autoSkip: true,
        autoSkipPadding: 12,
        maxTicksLimit: tickLimit(box.clientWidth || 600),
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
      ticks: spec.reverse
        ? { precision: 0 }
        : { callback: (value) => formatValue(value, spec.format, axisCurrency, true) },
      title: { display: Boolean(spec.yTitle), text: spec.yTitle },
    },
  };
  // Datasets with yAxisID 'y2' (clicks beside visibility) get their own axis on the right.
  if (datasets.some((d) => d.yAxisID === 'y2'))
    scales.y2 = {
      position: 'right',
      beginAtZero: true,
      grid: { drawOnChartArea: false },
      ticks: { callback: (value) => formatValue(value, undefined, null, true) },
      title: { display: Boolean(spec.y2Title), text: spec.y2Title },
    };
  const events = data.events || [];
  const chart = new Chart(canvas, {
    type: spec.type,
    data: { labels: data.labels, datasets },
    options: {
      locale: LOCALE,
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      // Room above the plot for the event markers.
      layout: { padding: { top: events.length ? MARKER_ROW + 4 : 0 } },
      interaction: { mode: 'index', intersect: false },
      scales,
      onResize(c, size) {
        c.options.scales.x.ticks.maxTicksLimit = tickLimit(size.width);
      },
      plugins: {
        // Not "events": chart.js reads a plugin's `events` option as the DOM events it listens to.
        promowatchEvents: { dated: events },
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            title: (items) => {
              if (!items.length) return '';
              const day = labelText(items[0].label, true);
              return items[0].dataIndex === partial && I18N.partialDay ? `${day} — ${I18N.partialDay}` : day;
            },
            label: (item) => {
              const d = spec.datasets[item.datasetIndex];
              const value = spec.reverse
                ? formatValue(item.raw, undefined, null, false)
                : formatValue(item.raw, spec.format, currencyOf(d), false);
              return `${item.dataset.label}: ${value}`;
            },
            // The day's events under its numbers, so a tap on the day tells them too.
            afterBody: (items) =>
              items.length
                ? events
                    .map((e, i) =>
                      e.day === data.labels[items[0].dataIndex] ? `${i + 1}. ${e.title}` : null,
                    )
                    .filter(Boolean)
                : [],
          },
        },
      },
    },
    plugins: [eventMarkers],
  });
  const figure = box.parentNode;
  if (events.length) {
    const tip = document.createElement('div');
    tip.className = 'chart-event-tip';
    tip.hidden = true;
    tip.setAttribute('role', 'tooltip');
    box.append(tip);
    chart.$eventTip = tip;
    box.after(eventList(events));
  }
  const notes = [];
  if (partial >= 0 && !spec.note && I18N.partialDay) notes.push(['partial', I18N.partialDay]);
  if (spec.note) notes.push(['', spec.note]);
  for (const [cls, text] of notes) {
    const p = document.createElement('p');
    p.className = cls ? `chart-note ${cls}` : 'chart-note';
    p.textContent = text;
    figure.append(p);
  }
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
