import type { PlatformAdapter } from './adapter.ts';
import { ladbs } from './ladbs/adapter.ts';

/** Adapters by platform name: a catalog entry's `platform` picks one. */
export const ADAPTERS: Readonly<Record<string, PlatformAdapter>> = {
  [ladbs.platform]: ladbs,
};
