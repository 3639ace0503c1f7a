import { asc, eq, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { principles, site, teams } from '../../db/schema/index.ts';
import type { ContentEntry, ContentPack } from '../../../shared/contracts/content.ts';

export async function findContentVersion(db: Db): Promise<number | undefined> {
  const rows = await db.select({ version: site.contentVersion }).from(site).where(eq(site.id, 1));
  return rows[0]?.version;
}

export async function findAllContent(db: Db) {
  const [siteRows, teamRows, principleRows] = await Promise.all([
    db.select().from(site).where(eq(site.id, 1)),
    db.select().from(teams).orderBy(asc(teams.position), asc(teams.name)),
    db.select().from(principles).orderBy(asc(principles.position), asc(principles.name)),
  ]);
  return { site: siteRows[0], teams: teamRows, principles: principleRows };
}

/**
 * Makes the stored content equal to the pack: upserts by slug (touching `updated_at` only
 * where something changed, so sitemaps keep honest dates), deletes what the pack dropped, and
 * raises the content version. Call inside a transaction.
 */
export async function replaceContent(tx: Db, pack: ContentPack): Promise<{ version: number }> {
  // Serializes concurrent loads from several nodes.
  await tx.execute(sql`select pg_advisory_xact_lock(7240012)`);
  await upsertEntries(tx, teams, pack.teams);
  await upsertEntries(tx, principles, pack.principles);
  const { culture } = pack;
  const rows = await tx
    .insert(site)
    .values({ id: 1, ...culture })
    .onConflictDoUpdate({
      target: site.id,
      set: { ...culture, contentVersion: sql`${site.contentVersion} + 1`, updatedAt: sql`now()` },
    })
    .returning({ version: site.contentVersion });
  return { version: rows[0]!.version };
}

async function upsertEntries(tx: Db, table: typeof teams | typeof principles, entries: ContentEntry[]): Promise<void> {
  const slugs = entries.map((e) => e.slug);
  await (slugs.length ? tx.delete(table).where(notInArray(table.slug, slugs)) : tx.delete(table));
  if (entries.length === 0) return;
  await tx
    .insert(table)
    .values(entries)
    .onConflictDoUpdate({
      target: table.slug,
      set: {
        name: sql`excluded.name`,
        summary: sql`excluded.summary`,
        bodyMd: sql`excluded.body_md`,
        position: sql`excluded.position`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`(${table.name}, ${table.summary}, ${table.bodyMd}, ${table.position}) is distinct from (excluded.name, excluded.summary, excluded.body_md, excluded.position)`,
    });
}
