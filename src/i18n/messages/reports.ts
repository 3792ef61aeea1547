// Messages of the reports area. Russian wording follows src/i18n/glossary.md.
import type { Catalog } from '../catalog.ts';

export const en = {};

export const ru: Catalog<typeof en> = {};
