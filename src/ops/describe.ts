// Words for an OpsError, from the ops catalogue (the CLI speaks the catalogue's English).
import type { Messages } from '../i18n/index.ts';
import type { OpsProblem } from './backup.ts';

export function describeProblem(t: Messages['ops'], p: OpsProblem): string {
  switch (p.kind) {
    case 'missing':
      return t.problems.missing(p.file);
    case 'not-sqlite':
      return t.problems.notSqlite(p.file, p.detail);
    case 'not-promowatch':
      return t.problems.notPromowatch(p.file);
    case 'too-new':
      return t.problems.tooNew(p.file, p.found, p.known);
    case 'corrupt':
      return t.problems.corrupt(p.file, p.detail);
    case 'same-file':
      return t.problems.sameFile(p.file);
    case 'unreachable':
      return t.problems.unreachable(p.file, p.detail);
    case 'not-promowatch-db':
      return t.problems.notPromowatchDb(p.file);
    case 'in-use':
      return p.why.by === 'scheduler'
        ? t.problems.inUseScheduler(p.file, p.why.heartbeatAt)
        : t.problems.inUseProcess(p.file, p.why.pid);
  }
}
