import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { defaultContentDir } from '../../../../test/support/test-app.ts';
import { freshDatabase, testEngine, type TestDatabase } from '../../../../test/support/test-db.ts';
import { catalogState, jobs } from '../../db/schema/index.ts';
import { createContentService } from '../content/content.service.ts';
import { watchCatalogVersion, type CatalogVersion } from './catalog-version.ts';
import { createJobs } from './jobs.service.ts';

describe(`the catalogue version on ${testEngine}`, () => {
  let database: TestDatabase;
  let version: CatalogVersion;
  let statements: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    database = await freshDatabase();
    await database.migrate();
    await createContentService({ db: database.db }).loadPack({ dir: defaultContentDir });
    version = await watchCatalogVersion(database);
    statements = vi.spyOn(database.db, 'execute');
  });
  afterAll(async () => {
    await version.close();
    await database.close();
  });

  const stored = async () => (await database.db.select({ version: catalogState.version }).from(catalogState))[0]?.version ?? 0;
  const openJob = async (title: string) => (await createJobs({ db: database.db, inputs: [buildJob({ title })] })).ids[0]!;

  it('is never older than a change that committed before the read, whether by a single statement or a transaction', async () => {
    expect(await version.read()).toBe(await stored());
    const id = await openJob('Harbor Systems Engineer');
    expect(await version.read()).toBe(await stored());
    const before = await version.read();
    await database.db.update(jobs).set({ title: 'Harbor Platform Engineer' }).where(eq(jobs.id, id));
    expect(await version.read()).toBe(before + 1);
    await database.db.transaction(async (tx) => {
      await tx.update(jobs).set({ title: 'Harbor Ledger Engineer' }).where(eq(jobs.id, id));
      await tx.update(jobs).set({ title: 'Harbor Ledger Analyst' }).where(eq(jobs.id, id));
    });
    expect(await version.read()).toBe(before + 3);
    // The bulk import raises it directly.
    await database.db.execute(sql`update catalog_state set version = version + 1 where id = 1`);
    expect(await version.read()).toBe(before + 4);
  });

  it('keeps its value through a transaction that rolls back', async () => {
    const id = await openJob('Quiet Ledger Analyst');
    const before = await version.read();
    await expect(
      database.db.transaction(async (tx) => {
        await tx.update(jobs).set({ title: 'Loud Ledger Analyst' }).where(eq(jobs.id, id));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await version.read()).toBe(before);
    expect(await stored()).toBe(before);
  });

  it('answers reads made while changes commit with a value at least as new as every change that finished first', async () => {
    const id = await openJob('Busy Harbor Engineer');
    for (let i = 0; i < 20; i++) {
      const during = version.read();
      const change = database.db.update(jobs).set({ title: `Busy Harbor Engineer ${i}` }).where(eq(jobs.id, id));
      const [seen] = await Promise.all([during, change]);
      const after = await stored();
      expect(seen).toBeLessThanOrEqual(after);
      expect(await version.read()).toBe(after);
    }
  });

  it(testEngine === 'pglite' ? 'runs no statement on PGlite while nothing changed: the process hears its own commits' : 'reads the server once per read, since another node may have changed it', async () => {
    await version.read();
    statements.mockClear();
    for (let i = 0; i < 5; i++) await version.read();
    expect(statements).toHaveBeenCalledTimes(testEngine === 'pglite' ? 0 : 5);
  });

  it('stops quietly when its database was closed first', async () => {
    const other = await freshDatabase();
    await other.migrate();
    const watched = await watchCatalogVersion(other);
    expect(await watched.read()).toBe(0);
    await other.close();
    await expect(watched.close()).resolves.toBeUndefined();
  });
});
