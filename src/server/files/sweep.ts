import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { resumes } from '../db/schema/index.ts';
import { nodeId, pendingMarker } from './file-store.ts';

const KEY = /^[0-9a-f-]{36}$/;

/**
 * Run at start, before taking requests. A file is written before the transaction that records
 * it, so a process killed in between leaves it behind. Files no row refers to are removed: at
 * once when this node wrote them (it has just started, so none of its uploads is in flight),
 * otherwise only past `olderThanMs`, since another node sharing the folder may be about to
 * record one. Markers of recorded files are cleared.
 */
export async function sweepOrphanFiles({ db, dir, olderThanMs }: { db: Db; dir: string; olderThanMs: number }): Promise<number> {
  const me = await nodeId(dir);
  const buckets = (await readdir(dir).catch(() => [] as string[])).filter((b) => /^[0-9a-f]{2}$/.test(b));
  let removed = 0;
  const cutoff = Date.now() - olderThanMs;
  for (const bucket of buckets) {
    const names = (await readdir(join(dir, bucket)).catch(() => [] as string[])).filter((n) => KEY.test(n));
    for (let i = 0; i < names.length; i += 500) {
      const batch = names.slice(i, i + 500);
      const referenced = new Set(
        (await db.select({ key: resumes.storageKey }).from(resumes).where(inArray(resumes.storageKey, batch))).map((r) => r.key),
      );
      for (const name of batch) {
        const mine = pendingMarker(dir, me, name);
        if (referenced.has(name)) {
          await rm(mine, { force: true });
          continue;
        }
        const path = join(dir, bucket, name);
        const ownUpload = await stat(mine).then(() => true, () => false);
        const info = await stat(path).catch(() => undefined);
        if (info && (ownUpload || info.mtimeMs <= cutoff)) {
          await rm(path, { force: true });
          await rm(mine, { force: true });
          removed += 1;
        }
      }
    }
  }
  return removed;
}
