// The message catalogue: one file per area under messages/, each with an English reference and a
// Russian catalogue of the same shape (checked by tsc). Pages, charts, the weekly report and alerts
// take `messages(lang)` and a `formatter(lang, timeZone)`; nothing a person reads is written elsewhere.
// Choice: typed functions over Intl (PluralRules, NumberFormat, DateTimeFormat, RelativeTimeFormat)
// rather than an ICU MessageFormat library — parameters are checked by the compiler, plural data comes
// from the CLDR tables Node and browsers ship, and no message string is parsed at run time.
import { fixedStrings } from './catalog.ts';
import { LANGS, type Lang } from './lang.ts';
import * as access from './messages/access.ts';
import * as ads from './messages/ads.ts';
import * as api from './messages/api.ts';
import * as apiDocs from './messages/api-docs.ts';
import * as alerts from './messages/alerts.ts';
import * as audit from './messages/audit.ts';
import * as backlinks from './messages/backlinks.ts';
import * as common from './messages/common.ts';
import * as jobs from './messages/jobs.ts';
import * as overview from './messages/overview.ts';
import * as rankings from './messages/rankings.ts';
import * as report from './messages/report.ts';
import * as reports from './messages/reports.ts';
import * as share from './messages/share.ts';
import * as users from './messages/users.ts';
import * as auditLog from './messages/audit-log.ts';
import * as ops from './messages/ops.ts';

/** Every area's catalogue. Adding an area = a file under messages/ + one line here. */
const AREAS = {
  common,
  overview,
  jobs,
  audit,
  backlinks,
  rankings,
  ads,
  reports,
  report,
  alerts,
  users,
  api,
  apiDocs,
  access,
  share,
  auditLog,
  ops,
};

type Areas = typeof AREAS;
export type Messages = { [K in keyof Areas]: Areas[K]['en'] };

function pick(lang: Lang): Messages {
  return Object.fromEntries(Object.entries(AREAS).map(([k, v]) => [k, v[lang]])) as Messages;
}

const BUILT = Object.fromEntries(LANGS.map((l) => [l, pick(l)])) as Record<Lang, Messages>;

export function messages(lang: Lang): Messages {
  return BUILT[lang];
}

/** Every fixed English string with its key: tests look for them in Russian output. */
export function englishStrings(): [key: string, text: string][] {
  return fixedStrings(BUILT.en);
}

export {
  DEFAULT_LANG,
  LANGS,
  isLang,
  fromAcceptLanguage,
  NUMBER_LOCALE,
  DATE_LOCALE,
  type Lang,
} from './lang.ts';
export { formatter, type Formatter } from './format.ts';
export { pluralForm, type PluralForms } from './plural.ts';
