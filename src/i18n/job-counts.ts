// A job run's counts in words ("pages: 3, answering: 3, not answering: 0"): each count under its label for
// that job in the jobs catalogue, an unknown one by its key. The Jobs page and `promowatch run` both say
// them so, in the reader's language (the CLI in English).
import type { Formatter } from './format.ts';
import type { Messages } from './index.ts';

type JobWords = Messages['jobs'];

export function jobCountsText(
  t: JobWords,
  fmt: Formatter,
  job: string,
  counts: Record<string, number>,
): string {
  const labels: Record<string, string> = Object.hasOwn(t.counts, job)
    ? t.counts[job as keyof JobWords['counts']]
    : {};
  return Object.entries(counts)
    .map(([k, v]) => `${Object.hasOwn(labels, k) ? labels[k] : k}: ${fmt.number(v, 2)}`)
    .join(', ');
}
