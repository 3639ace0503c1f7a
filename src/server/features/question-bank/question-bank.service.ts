import { questionFormSchema, type BankQuestion } from '../../../shared/contracts/content.ts';
import type { FormError } from '../../../shared/contracts/account.ts';
import type { BankPrincipleView, QuestionFormValues } from '../../../web/staff/question-bank.tsx';
import type { Db } from '../../db/client.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { lockContent } from '../content/content.repository.ts';
import { recordStaffAudit } from '../staff/staff.repository.ts';
import {
  deleteQuestionRow,
  findAllQuestions,
  findEditedPrinciples,
  findPrincipleBySlug,
  findPrinciples,
  findQuestion,
  findQuestionsBySlugs,
  findQuestionsOf,
  insertQuestion,
  markPrincipleEdited,
  setQuestionPosition,
  updateQuestionText,
  type QuestionRow,
} from './question-bank.repository.ts';

/**
 * The questions of each of these principles, in the order admins gave them, for the interview
 * kits. Every slug asked for is in the map (with an empty list when the principle has no
 * questions or does not exist), so a kit can show "no questions yet" without checking.
 */
export async function questionsForPrinciples({ db, slugs }: { db: Db; slugs: string[] }): Promise<Map<string, BankQuestion[]>> {
  const bank = new Map<string, BankQuestion[]>(slugs.map((slug) => [slug, []]));
  for (const { slug, ...question } of await findQuestionsBySlugs(db, [...new Set(slugs)])) bank.get(slug)!.push(question);
  return bank;
}

/** Every principle in order with its questions, and whether an admin has changed them. */
export async function loadQuestionBank({ db }: { db: Db }): Promise<BankPrincipleView[]> {
  const [principleRows, questionRows, edited] = await Promise.all([findPrinciples(db), findAllQuestions(db), findEditedPrinciples(db)]);
  return principleRows.map((p) => ({
    slug: p.slug,
    name: p.name,
    edited: edited.has(p.id),
    questions: questionRows
      .filter((q) => q.principleId === p.id)
      .map((q) => ({ id: q.id, question: q.question, followUps: q.followUps, strongEvidence: q.strongEvidence })),
  }));
}

/** The principle a new question is for; a 404 when there is none with this slug. */
export async function principleForNewQuestion({ db, slug }: { db: Db; slug: string }): Promise<{ slug: string; name: string }> {
  const principle = await findPrincipleBySlug(db, slug);
  if (!principle) throw new NotFoundError('There is no such principle.');
  return { slug: principle.slug, name: principle.name };
}

/** A question as the edit form shows it first; a 404 when it is gone. */
export async function questionForEdit({ db, id }: { db: Db; id: number }): Promise<{ id: number; principle: { slug: string; name: string }; values: QuestionFormValues }> {
  const row = await findQuestion(db, id);
  if (!row) throw new NotFoundError('There is no such question. Someone may have deleted it.');
  return { id, principle: { slug: row.principleSlug, name: row.principleName }, values: { question: row.question, followUps: row.followUps.join('\n'), strongEvidence: row.strongEvidence } };
}

/** What a question form posted, as typed (to show again), with the field names of the form. */
export function typedQuestion(body: Record<string, unknown>): QuestionFormValues {
  const text = (name: string) => {
    const value = body[name];
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first.slice(0, 20_000) : '';
  };
  return { question: text('question'), followUps: text('followUps'), strongEvidence: text('strongEvidence') };
}

/** The question in a form, or a ValidationError naming each field at fault. */
function validQuestion(values: QuestionFormValues): BankQuestion {
  const result = questionFormSchema.safeParse({
    question: values.question.replace(/\s+/g, ' '),
    followUps: values.followUps,
    strongEvidence: values.strongEvidence.replace(/\r\n?/g, '\n'),
  });
  if (result.success) return result.data;
  const errors: FormError[] = [];
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (!errors.some((e) => e.field === field)) errors.push({ field, message: issue.message });
  }
  throw new ValidationError('The question is not complete.', errors);
}

/** What an audit event records of a question. */
const snapshot = (row: Pick<QuestionRow, 'position' | 'question' | 'followUps' | 'strongEvidence'>, principle: string) => ({
  principle,
  position: row.position,
  question: row.question,
  followUps: row.followUps,
  strongEvidence: row.strongEvidence,
});

/**
 * Adds a question at the end of a principle's list, in one transaction with its audit event;
 * from then on content loads leave the principle's questions alone. Answers the new id.
 */
export async function addQuestion({ db, slug, values, by }: { db: Db; slug: string; values: QuestionFormValues; by: number }): Promise<{ id: number }> {
  const input = validQuestion(values);
  return db.transaction(async (tx) => {
    await lockContent(tx);
    const principle = await findPrincipleBySlug(tx, slug);
    if (!principle) throw new NotFoundError('There is no such principle.');
    const current = await findQuestionsOf(tx, principle.id);
    const position = Math.max(0, ...current.map((q) => q.position)) + 1;
    const row = await insertQuestion(tx, { principleId: principle.id, position, ...input });
    await markPrincipleEdited(tx, principle.id);
    await recordStaffAudit(tx, { actorId: by, action: 'question.created', subjectType: 'principle_question', subjectId: row.id, before: null, after: snapshot(row, slug) });
    return { id: row.id };
  });
}

/** Changes a question's text, follow-ups or strong-evidence note; answers whether anything changed. */
export async function updateQuestion({ db, id, values, by }: { db: Db; id: number; values: QuestionFormValues; by: number }): Promise<{ changed: boolean }> {
  const input = validQuestion(values);
  return db.transaction(async (tx) => {
    await lockContent(tx);
    const row = await findQuestion(tx, id);
    if (!row) throw new NotFoundError('There is no such question. Someone may have deleted it.');
    const same = row.question === input.question && row.strongEvidence === input.strongEvidence && row.followUps.join('\n') === input.followUps.join('\n');
    if (same) return { changed: false };
    await updateQuestionText(tx, id, input);
    await markPrincipleEdited(tx, row.principleId);
    await recordStaffAudit(tx, {
      actorId: by,
      action: 'question.updated',
      subjectType: 'principle_question',
      subjectId: id,
      before: snapshot(row, row.principleSlug),
      after: snapshot({ ...row, ...input }, row.principleSlug),
    });
    return { changed: true };
  });
}

/**
 * Moves a question one place up or down its principle's list. Positions are renumbered 1…n, so
 * the list stays tidy whatever it held before. A question already at that end stays put.
 */
export async function moveQuestion({ db, id, direction, by }: { db: Db; id: number; direction: 'up' | 'down'; by: number }): Promise<{ moved: boolean }> {
  return db.transaction(async (tx) => {
    await lockContent(tx);
    const row = await findQuestion(tx, id);
    if (!row) throw new NotFoundError('There is no such question. Someone may have deleted it.');
    const list = await findQuestionsOf(tx, row.principleId);
    const from = list.findIndex((q) => q.id === id);
    const to = direction === 'up' ? from - 1 : from + 1;
    if (to < 0 || to >= list.length) return { moved: false };
    [list[from], list[to]] = [list[to]!, list[from]!];
    for (const [index, q] of list.entries()) if (q.position !== index + 1) await setQuestionPosition(tx, q.id, index + 1);
    await markPrincipleEdited(tx, row.principleId);
    await recordStaffAudit(tx, {
      actorId: by,
      action: 'question.updated',
      subjectType: 'principle_question',
      subjectId: id,
      before: snapshot({ ...row, position: from + 1 }, row.principleSlug),
      after: snapshot({ ...row, position: to + 1 }, row.principleSlug),
    });
    return { moved: true };
  });
}

/** Deletes a question and closes the gap it leaves in its principle's list. */
export async function deleteQuestion({ db, id, by }: { db: Db; id: number; by: number }): Promise<{ principle: string }> {
  return db.transaction(async (tx) => {
    await lockContent(tx);
    const row = await findQuestion(tx, id);
    if (!row) throw new NotFoundError('There is no such question. Someone may have deleted it.');
    await deleteQuestionRow(tx, id, row.principleId);
    const rest = await findQuestionsOf(tx, row.principleId);
    for (const [index, q] of rest.entries()) if (q.position !== index + 1) await setQuestionPosition(tx, q.id, index + 1);
    await markPrincipleEdited(tx, row.principleId);
    await recordStaffAudit(tx, { actorId: by, action: 'question.deleted', subjectType: 'principle_question', subjectId: id, before: snapshot(row, row.principleSlug), after: null });
    return { principle: row.principleSlug };
  });
}
