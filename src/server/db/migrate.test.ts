import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { freshDatabase, testEngine } from '../../../test/support/test-db.ts';
import { DatabaseInUseError, migrationsFolder, openPglite } from './client.ts';

const tableNames = async (database: Awaited<ReturnType<typeof freshDatabase>>) => {
  // Both drivers answer with { rows }.
  const result = (await database.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  )) as unknown as { rows: Array<{ table_name: string }> };
  return result.rows.map((r) => r.table_name);
};

describe(`migrations on ${testEngine}`, () => {
  it('create every table on an empty database and do nothing the second time', async () => {
    const database = await freshDatabase();
    try {
      await database.migrate();
      expect(await tableNames(database)).toEqual(expect.arrayContaining(['principles', 'site', 'teams']));
      await database.migrate();
    } finally {
      await database.close();
    }
  });

  it('apply all pending migrations or none: a failing one leaves the database unchanged', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dayone-migrations-'));
    await cp(migrationsFolder, folder, { recursive: true });
    const journalFile = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: Array<{ idx: number; when: number; tag: string; breakpoints: boolean; version: string }> };
    const last = journal.entries.at(-1)!;
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1, tag: '99999999999999_broken' });
    await writeFile(journalFile, JSON.stringify(journal));
    await writeFile(join(folder, '99999999999999_broken.sql'), 'CREATE TABLE "half_done" (id int);\n--> statement-breakpoint\nSELECT * FROM "no_such_table";');

    const database = await freshDatabase();
    try {
      await expect(database.migrate(folder)).rejects.toThrow();
      expect(await tableNames(database)).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it('ship as timestamped SQL files listed in the journal', async () => {
    const files = (await readdir(migrationsFolder)).filter((f) => f.endsWith('.sql'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/^\d{14}_[a-z0-9_]+\.sql$/);
  });
});

describe('the embedded database folder', () => {
  it('cannot be opened by a second holder while the first has it', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'dayone-lock-')), 'pglite');
    const first = await openPglite(dir);
    try {
      // The lock names this process; pretend the holder is another live process (our parent).
      await writeFile(join(dir, '..', 'pglite.lock'), String(process.ppid));
      await expect(openPglite(dir)).rejects.toBeInstanceOf(DatabaseInUseError);
    } finally {
      await first.close();
    }
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'dayone-lock-')), 'pglite');
    await openPglite(dir).then((d) => d.close());
    await writeFile(join(dir, '..', 'pglite.lock'), '999999999');
    const database = await openPglite(dir);
    await database.ping();
    await database.close();
  });
});
