import type { PlatformAdapter } from './adapter.ts';
import { accela } from './accela/adapter.ts';
import { arcgis } from './arcgis/adapter.ts';
import { ladbs } from './ladbs/adapter.ts';
import { socrata } from './socrata/adapter.ts';

/** Adapters by platform name: a catalog entry's `platform` picks one. */
export const ADAPTERS: Readonly<Record<string, PlatformAdapter>> = {
  [ladbs.platform]: ladbs,
  [accela.platform]: accela,
  [socrata.platform]: socrata,
  [arcgis.platform]: arcgis,
};
