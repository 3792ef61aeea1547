// Messages of operations (src/ops): backup and restore on the command line, and what retention pruned.
import type { Catalog } from '../catalog.ts';

export const en = {
  backup: {
    done: (file: string, size: string, version: number, sites: number, runs: string) =>
      `Backup written to ${file} (${size}, schema version ${version}, ${sites} site(s), ${runs} job runs); it passed the integrity check.`,
  },
  restore: {
    kept: (file: string) => `The database it replaced is kept as ${file}.`,
    done: (file: string, version: number, sites: number, runs: string) =>
      `Restored into ${file} (schema version ${version}, ${sites} site(s), ${runs} job runs); it passed the integrity check. The next start brings its schema up to date.`,
    forced:
      'Restoring although the database looks in use (--force): restart every promowatch process on it now.',
  },
  checkDb: {
    ok: (file: string, size: string, version: number, sites: number, runs: string) =>
      `${file} is whole (${size}, schema version ${version}, ${sites} site(s), ${runs} job runs): it passed the integrity check.`,
    okPostgres: (where: string, size: string, version: number, tables: number, sites: number, runs: string) =>
      `${where} reads whole (${size}, schema version ${version}, every row of its ${tables} tables read, ${sites} site(s), ${runs} job runs).`,
  },
  problems: {
    missing: (file: string) => `${file} does not exist.`,
    unreachable: (where: string, detail: string) =>
      `Could not read the PostgreSQL database ${where} (${detail}); nothing was changed.`,
    notPromowatchDb: (where: string) =>
      `${where} is a PostgreSQL database, but not a promowatch one (no promowatch tables or schema version); nothing was changed.`,
    notSqlite: (file: string, detail: string) =>
      `${file} is not an SQLite database (${detail}); give a file written by "promowatch backup".`,
    notPromowatch: (file: string) =>
      `${file} is an SQLite database, but not a promowatch one (it has no promowatch tables); nothing was changed.`,
    tooNew: (file: string, found: number, known: number) =>
      `${file} has schema version ${found}, but this promowatch knows versions up to ${known}: upgrade promowatch first; nothing was changed.`,
    corrupt: (file: string, detail: string) =>
      `${file} failed SQLite's integrity check (${detail}); nothing was changed. Try an older backup.`,
    inUseScheduler: (file: string, at: string) =>
      `${file} is in use: a promowatch scheduler wrote its heartbeat at ${at}. Stop "promowatch start" (and every "serve") first, or pass --force.`,
    sameFile: (file: string) =>
      `${file} is the database itself: give the backup file to restore from, or another --db.`,
    inUseProcess: (file: string, pid: number) =>
      `${file} is open in process ${pid}. Stop every promowatch process using it first, or pass --force.`,
  },
};

export const ru: Catalog<typeof en> = {
  backup: {
    done: (file, size, version, sites, runs) =>
      `Резервная копия записана в ${file} (${size}, версия схемы ${version}, сайтов: ${sites}, запусков задач: ${runs}); проверка целостности пройдена.`,
  },
  restore: {
    kept: (file) => `Заменённая база сохранена как ${file}.`,
    done: (file, version, sites, runs) =>
      `База восстановлена в ${file} (версия схемы ${version}, сайтов: ${sites}, запусков задач: ${runs}); проверка целостности пройдена. При следующем запуске схема обновится до текущей.`,
    forced:
      'Восстанавливаем, хотя база похоже занята (--force): сейчас же перезапустите все процессы promowatch, которые с ней работают.',
  },
  checkDb: {
    ok: (file, size, version, sites, runs) =>
      `${file} в порядке (${size}, версия схемы ${version}, сайтов: ${sites}, запусков задач: ${runs}): проверка целостности пройдена.`,
    okPostgres: (where, size, version, tables, sites, runs) =>
      `${where} читается целиком (${size}, версия схемы ${version}, прочитаны все строки всех таблиц: ${tables}, сайтов: ${sites}, запусков задач: ${runs}).`,
  },
  problems: {
    missing: (file) => `Файла ${file} нет.`,
    unreachable: (where, detail) =>
      `Не удалось прочитать базу PostgreSQL ${where} (${detail}); ничего не изменено.`,
    notPromowatchDb: (where) =>
      `${where} — база PostgreSQL, но не promowatch (в ней нет таблиц promowatch или версии схемы); ничего не изменено.`,
    notSqlite: (file, detail) =>
      `${file} — не база SQLite (${detail}); укажите файл, записанный командой «promowatch backup».`,
    notPromowatch: (file) =>
      `${file} — база SQLite, но не promowatch (в ней нет таблиц promowatch); ничего не изменено.`,
    tooNew: (file, found, known) =>
      `У ${file} версия схемы ${found}, а эта версия promowatch знает схемы только до ${known}: сначала обновите promowatch; ничего не изменено.`,
    corrupt: (file, detail) =>
      `${file} не прошёл проверку целостности SQLite (${detail}); ничего не изменено. Попробуйте более раннюю копию.`,
    inUseScheduler: (file, at) =>
      `${file} занята: планировщик promowatch отметился в ${at}. Сначала остановите «promowatch start» (и все «serve») или добавьте --force.`,
    sameFile: (file) => `${file} — это сама база: укажите файл резервной копии или другую --db.`,
    inUseProcess: (file, pid) =>
      `${file} открыта процессом ${pid}. Сначала остановите все процессы promowatch, которые её используют, или добавьте --force.`,
  },
};
