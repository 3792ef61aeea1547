// Report rendering through the queue: task kind `render` prints an archived report's PDF and rasterises
// its charts to PNG in a worker's Chromium, so the browser work of a big install's Monday runs on workers,
// not in the scheduler. The task stores the PDF on the report row and leaves the PNGs for the job that
// mails them; both are overwrites keyed by the report, so a retried task writes the same thing again.
import type { Sql } from '../db/store/types.ts';
import { fanOut } from '../queue/fan-out.ts';
import type { Task, TaskContext, TaskKind, TaskQueue } from '../queue/types.ts';
import { chartPngs, reportPdf } from './pdf.ts';
import type { ChartImage } from './types.ts';

export interface RenderTaskPayload {
  reportId: number;
  /** The report's charts as SVG (the ones its HTML shows), rasterised for e-mail clients. */
  charts: ChartImage[];
}

/** What a render left for its job: the PNG charts (base64), and what Chromium could not do. */
interface Handoff {
  pngs: { id: string; png: string }[] | null;
  problems: string[];
}

/** Where the task leaves its PNGs and problems for the job (`meta`, removed once read). */
export const renderHandoffKey = (reportId: number) => `report-task:${reportId}`;

async function handOff(sql: Sql, reportId: number, h: Handoff): Promise<void> {
  await sql.run(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    [renderHandoffKey(reportId), JSON.stringify(h)],
  );
}

/**
 * One try: each Chromium step on its own (a PDF that times out does not cost the charts), the PDF stored
 * on the report, the rest handed off. A step that failed fails the try after storing what worked, so the
 * task is retried — on another worker, whose Chromium may be in order.
 */
export async function runRenderTask(task: Task<RenderTaskPayload>, ctx: TaskContext): Promise<void> {
  const { reportId, charts } = task.payload;
  if (!ctx.browser) throw new Error('report task: this process has no browser to print the report with');
  const browser = ctx.browser;
  const row = await ctx.sql.get<{ html: string }>('SELECT html FROM reports WHERE id = ?', [reportId]);
  if (!row) throw new Error(`report task: report ${reportId} is no longer archived`);
  const problems: string[] = [];
  const step = async <T>(fn: () => Promise<T>): Promise<T | null> => {
    try {
      return await fn();
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
      return null;
    }
  };
  const pngs = await step(() => chartPngs(charts, browser));
  const pdf = await step(() => reportPdf(row.html, browser));
  await ctx.sql.transaction(async (tx) => {
    if (pdf) await tx.run('UPDATE reports SET pdf = ? WHERE id = ?', [pdf, reportId]);
    await handOff(tx, reportId, {
      pngs: pngs && pngs.map((p) => ({ id: p.id, png: p.png.toString('base64') })),
      problems,
    });
  });
  if (problems.length) throw new Error([...new Set(problems)].join('; '));
}

/** What the job gets back from a render on the queue. */
export interface Rendered {
  pdf: Buffer | null;
  pngs: { id: string; png: Buffer }[] | null;
  /** Why Chromium could not make the PDF or the PNGs, else null. */
  problem: string | null;
}

/** Reads (and removes) what the render task left for report `reportId`; `failure` is its final error. */
export async function collectRender(sql: Sql, reportId: number, failure: string | null): Promise<Rendered> {
  const row = await sql.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [
    renderHandoffKey(reportId),
  ]);
  await sql.run('DELETE FROM meta WHERE key = ?', [renderHandoffKey(reportId)]);
  const h: Handoff = row ? (JSON.parse(row.value) as Handoff) : { pngs: null, problems: [] };
  const pdf = await sql.get<{ pdf: Buffer | Uint8Array | null }>('SELECT pdf FROM reports WHERE id = ?', [
    reportId,
  ]);
  const problems = [...new Set([...h.problems, ...(failure && !h.problems.length ? [failure] : [])])];
  return {
    pdf: pdf?.pdf ? Buffer.from(pdf.pdf) : null,
    pngs: h.pngs && h.pngs.map((p) => ({ id: p.id, png: Buffer.from(p.png, 'base64') })),
    problem: problems.length ? problems.join('; ') : null,
  };
}

export const renderTaskKind: TaskKind<RenderTaskPayload> = {
  kind: 'render',
  handler: runRenderTask,
  // Once more elsewhere: a worker's Chromium may be broken while another's works.
  retryLimit: 1,
  // Printing takes seconds; each step gives up after 30 s.
  leaseSeconds: 180,
};

/**
 * Renders an archived report's PDF and PNG charts as a `report` task on the queue and waits for it: the
 * report row gets its PDF, the job gets the PNGs; a task that failed for good leaves what it could and
 * says why (the job then mails the charts as SVG, as without a browser).
 */
export async function renderOnQueue(
  queue: TaskQueue,
  sql: Sql,
  job: { reportId: number; charts: ChartImage[]; key: string },
  signal: AbortSignal,
): Promise<Rendered> {
  const r = await fanOut(
    queue,
    renderTaskKind.kind,
    [{ key: job.key, payload: { reportId: job.reportId, charts: job.charts } }],
    { signal },
  );
  return collectRender(sql, job.reportId, r.failed[0]?.error ?? null);
}
