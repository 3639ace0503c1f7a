// The catalogue version every search checks (raised by a trigger on each change to public jobs).
// On a server each node reads it per search, its reads shared by the searches that ask at once.
// On PGlite the process owns the database and hears its own commits: the last read stays true
// until a commit that raised the version notifies, so a search costs no statement at all.
import type { Database } from '../../db/client.ts';
import { sharedRead } from '../../db/shared-read.ts';
import { findCatalogVersion } from './search.repository.ts';

/** The channel the catalogue trigger notifies (migration catalog_version_notify). */
const CHANNEL = 'catalog_version';

export interface CatalogVersion {
  /** The version now: never one older than a commit that returned before the call. */
  read(): Promise<number>;
  /** Stops listening (a no-op on a server). */
  close(): Promise<void>;
}

/** Reads the catalogue version of `database`, listening to its commits where it can. */
export async function watchCatalogVersion(database: Pick<Database, 'db' | 'listenToCommits'>): Promise<CatalogVersion> {
  const readNow = () => findCatalogVersion(database.db);
  if (!database.listenToCommits) return { read: sharedRead(readNow), close: async () => {} };
  // The read started since the last notice. A caller given it asked after it started and before
  // any later commit's notice (the notice drops it), so what it reads is current for the caller.
  let last: Promise<number> | undefined;
  const stop = await database.listenToCommits(CHANNEL, () => {
    last = undefined;
  });
  return {
    read: () => {
      if (last) return last;
      const current = readNow();
      last = current;
      current.catch(() => {
        if (last === current) last = undefined;
      });
      return current;
    },
    close: stop,
  };
}
