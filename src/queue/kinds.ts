// The one place the program's task kinds are registered, so `promowatch worker` and `promowatch start`
// know the same kinds. Each area adds one line when it moves its heavy work onto the queue, e.g.
//   registerTaskKind(linkCheckTask);   // src/backlinks/link-check-task.ts, kind 'links'
// (crawl batches → 'crawl', backlink checks → 'links', browser result pages → 'serp', donor page
// rendering → 'render', report rendering → 'report'). Until then no kind is registered here.
import { linkCheckTask } from '../backlinks/link-check-task.ts';
import { taskKinds, type TaskRegistry } from './registry.ts';

let done = false;

/** Registers every kind once; returns the program's registry. */
export function programTaskKinds(): TaskRegistry {
  if (!done) {
    done = true;
    // registerTaskKind(…) lines go here.
    taskKinds.register(linkCheckTask);
  }
  return taskKinds;
}
