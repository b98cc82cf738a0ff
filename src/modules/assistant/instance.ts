import type { Platform } from '../../platform/platform.ts';
import { catalogueReady, listServices } from '../services/index.ts';
import { Assistant } from './respond.ts';

/**
 * One assistant per platform, built on first use from the catalogue in the database (so officials'
 * changes to entries show) and kept: the intent model trains in about a second.
 */
const built = new WeakMap<Platform, Promise<Assistant>>();

export function assistantOf(platform: Platform): Promise<Assistant> {
  let a = built.get(platform);
  if (!a) {
    a = (async () => {
      await catalogueReady(platform);
      return Assistant.build(await listServices(platform.db), platform);
    })();
    a.catch(() => built.delete(platform));
    built.set(platform, a);
  }
  return a;
}
