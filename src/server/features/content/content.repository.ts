import { asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { principleQuestions, principles, site, teams } from '../../db/schema/index.ts';
import type { BankQuestion, ContentEntry, ContentPack } from '../../../shared/contracts/content.ts';
import { getSetting, putSetting } from '../staff/settings.repository.ts';

/**
 * The setting listing the principles (by id) whose questions an admin has changed in the
 * workspace; content loads leave those questions alone. Ids rather than slugs, so that a
 * principle removed from the pack and added again starts from the pack's questions.
 */
export const EDITED_QUESTIONS_SETTING = 'question_bank.edited_principles';

/** Serializes content loads and question bank edits, across nodes. Call first inside a transaction. */
export async function lockContent(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7240012)`);
}

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
 * raises the content version; then brings the question bank in line (see syncPackQuestions).
 * Call inside a transaction.
 */
export async function replaceContent(
  tx: Db,
  pack: ContentPack,
  options: { resetEditedQuestions?: boolean } = {},
): Promise<{ version: number; questions: QuestionSync }> {
  await lockContent(tx);
  await upsertEntries(tx, teams, pack.teams);
  await upsertEntries(tx, principles, pack.principles);
  const questions = await syncPackQuestions(tx, pack.questions, options.resetEditedQuestions ?? false);
  const { culture } = pack;
  const rows = await tx
    .insert(site)
    .values({ id: 1, ...culture })
    .onConflictDoUpdate({
      target: site.id,
      set: { ...culture, contentVersion: sql`${site.contentVersion} + 1`, updatedAt: sql`now()` },
    })
    .returning({ version: site.contentVersion });
  return { version: rows[0]!.version, questions };
}

/** What a load did to the question bank. */
export interface QuestionSync {
  /** Principles whose questions were replaced by the pack's. */
  replaced: number;
  /** Principles left as an admin edited them. */
  keptEdited: number;
}

/**
 * Makes each principle's questions equal to the pack's, except for principles an admin has
 * edited (unless `reset`, which hands every principle back to the pack). A principle the pack
 * gives no questions ends with none. Unchanged banks are not rewritten, so their ids stay.
 */
async function syncPackQuestions(tx: Db, bank: Record<string, BankQuestion[]>, reset: boolean): Promise<QuestionSync> {
  const all = await tx.select({ id: principles.id, slug: principles.slug }).from(principles);
  const stored = (await getSetting<number[]>(tx, EDITED_QUESTIONS_SETTING)) ?? [];
  const ids = new Set(all.map((p) => p.id));
  const edited = reset ? [] : stored.filter((id) => ids.has(id)).sort((a, b) => a - b);
  if (edited.length !== stored.length) await putSetting(tx, EDITED_QUESTIONS_SETTING, edited);

  const current = new Map<number, BankQuestion[]>();
  const rows = await tx.select().from(principleQuestions).orderBy(asc(principleQuestions.principleId), asc(principleQuestions.position), asc(principleQuestions.id));
  for (const row of rows) {
    const list = current.get(row.principleId) ?? [];
    list.push({ question: row.question, followUps: row.followUps, strongEvidence: row.strongEvidence });
    current.set(row.principleId, list);
  }

  const replace: number[] = [];
  const values: Array<typeof principleQuestions.$inferInsert> = [];
  for (const principle of all) {
    if (edited.includes(principle.id)) continue;
    const wanted = bank[principle.slug] ?? [];
    if (sameQuestions(current.get(principle.id) ?? [], wanted)) continue;
    replace.push(principle.id);
    wanted.forEach((q, index) => values.push({ principleId: principle.id, position: index + 1, ...q }));
  }
  if (replace.length) await tx.delete(principleQuestions).where(inArray(principleQuestions.principleId, replace));
  if (values.length) await tx.insert(principleQuestions).values(values);
  return { replaced: replace.length, keptEdited: edited.length };
}

function sameQuestions(a: BankQuestion[], b: BankQuestion[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (q, i) =>
        q.question === b[i]!.question &&
        q.strongEvidence === b[i]!.strongEvidence &&
        q.followUps.length === b[i]!.followUps.length &&
        q.followUps.every((f, j) => f === b[i]!.followUps[j]),
    )
  );
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
