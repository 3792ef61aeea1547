// The one place the program's task kinds are registered, so `promowatch worker` and `promowatch start`
// know the same kinds. Each area adds one line when it moves its heavy work onto the queue, e.g.
//   registerTaskKind(linkCheckTask);   // src/backlinks/link-check-task.ts, kind 'links'
// (crawl batches → 'crawl', backlink checks, static and rendered → 'links', browser result pages →
// 'serp', a report's PDF and charts in Chromium → 'render'). Job runs ('job') are added by the CLI
// (jobs/job-task.ts), since src/ does not import jobs/.
import { crawlBatchTask } from '../audit/crawl-task.ts';
import { linkCheckTask } from '../backlinks/link-check-task.ts';
import { serpTaskKind } from '../rank/serp-task.ts';
import { renderTaskKind } from '../report/render-task.ts';
import { registerTaskKind, taskKinds, type TaskRegistry } from './registry.ts';

let done = false;

/** Registers every kind once; returns the program's registry. */
export function programTaskKinds(): TaskRegistry {
  if (!done) {
    done = true;
    // registerTaskKind(…) lines go here.
    registerTaskKind(crawlBatchTask);
    registerTaskKind(linkCheckTask);
    registerTaskKind(serpTaskKind);
    registerTaskKind(renderTaskKind);
  }
  return taskKinds;
}
