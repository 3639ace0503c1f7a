import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { BankQuestion } from '../../../shared/contracts/content.ts';
import type { Db } from '../../db/client.ts';
import { principleQuestions, principles } from '../../db/schema/index.ts';
import { EDITED_QUESTIONS_SETTING } from '../content/content.repository.ts';
import { getSetting, putSetting } from '../staff/settings.repository.ts';

export type QuestionRow = typeof principleQuestions.$inferSelect;

/** Every principle in its order, for the question bank page. */
export async function findPrinciples(db: Db): Promise<Array<{ id: number; slug: string; name: string }>> {
  return db.select({ id: principles.id, slug: principles.slug, name: principles.name }).from(principles).orderBy(asc(principles.position), asc(principles.name));
}

export async function findPrincipleBySlug(db: Db, slug: string): Promise<{ id: number; slug: string; name: string } | undefined> {
  const [row] = await db.select({ id: principles.id, slug: principles.slug, name: principles.name }).from(principles).where(eq(principles.slug, slug));
  return row;
}

/** Every question, by principle and position (ties by id, so an order is always the same). */
export async function findAllQuestions(db: Db): Promise<QuestionRow[]> {
  return db.select().from(principleQuestions).orderBy(asc(principleQuestions.principleId), asc(principleQuestions.position), asc(principleQuestions.id));
}

/** One principle's questions in order. */
export async function findQuestionsOf(db: Db, principleId: number): Promise<QuestionRow[]> {
  return db
    .select()
    .from(principleQuestions)
    .where(eq(principleQuestions.principleId, principleId))
    .orderBy(asc(principleQuestions.position), asc(principleQuestions.id));
}

/** A question with its principle's slug and name. */
export async function findQuestion(db: Db, id: number): Promise<(QuestionRow & { principleSlug: string; principleName: string }) | undefined> {
  const [row] = await db
    .select({ question: principleQuestions, principleSlug: principles.slug, principleName: principles.name })
    .from(principleQuestions)
    .innerJoin(principles, eq(principles.id, principleQuestions.principleId))
    .where(eq(principleQuestions.id, id));
  return row ? { ...row.question, principleSlug: row.principleSlug, principleName: row.principleName } : undefined;
}

/** The questions of the principles with these slugs, in order, with each question's principle slug. */
export async function findQuestionsBySlugs(db: Db, slugs: string[]): Promise<Array<BankQuestion & { slug: string }>> {
  if (slugs.length === 0) return [];
  return db
    .select({ slug: principles.slug, question: principleQuestions.question, followUps: principleQuestions.followUps, strongEvidence: principleQuestions.strongEvidence })
    .from(principleQuestions)
    .innerJoin(principles, eq(principles.id, principleQuestions.principleId))
    .where(inArray(principles.slug, slugs))
    .orderBy(asc(principles.slug), asc(principleQuestions.position), asc(principleQuestions.id));
}

export async function insertQuestion(tx: Db, values: BankQuestion & { principleId: number; position: number }): Promise<QuestionRow> {
  const [row] = await tx.insert(principleQuestions).values(values).returning();
  return row!;
}

export async function updateQuestionText(tx: Db, id: number, values: BankQuestion): Promise<void> {
  await tx
    .update(principleQuestions)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(principleQuestions.id, id));
}

export async function setQuestionPosition(tx: Db, id: number, position: number): Promise<void> {
  await tx.update(principleQuestions).set({ position, updatedAt: sql`now()` }).where(eq(principleQuestions.id, id));
}

export async function deleteQuestionRow(tx: Db, id: number, principleId: number): Promise<void> {
  await tx.delete(principleQuestions).where(and(eq(principleQuestions.id, id), eq(principleQuestions.principleId, principleId)));
}

/** Ids of the principles whose questions an admin has changed. */
export async function findEditedPrinciples(db: Db): Promise<Set<number>> {
  return new Set((await getSetting<number[]>(db, EDITED_QUESTIONS_SETTING)) ?? []);
}

/** Notes that an admin changed a principle's questions, so content loads leave them alone. */
export async function markPrincipleEdited(tx: Db, principleId: number): Promise<void> {
  const edited = await findEditedPrinciples(tx);
  if (edited.has(principleId)) return;
  await putSetting(tx, EDITED_QUESTIONS_SETTING, [...edited, principleId].sort((a, b) => a - b));
}
