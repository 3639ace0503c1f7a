import { and, asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { auditEvents, principleQuestions, principles } from '../../db/schema/index.ts';
import { questionsForPrinciples } from './question-bank.service.ts';

let t: TestApp;
let admin: { id: number };
let recruiter: { id: number };
let interviewer: { id: number };

beforeAll(async () => {
  t = await testApp();
  admin = await createStaff(t.database.db, { role: 'admin' });
  recruiter = await createStaff(t.database.db, { role: 'recruiter' });
  interviewer = await createStaff(t.database.db, { role: 'interviewer' });
});
afterAll(() => t.close());

const db = () => t.database.db;
const questionsOf = async (slug: string) => (await questionsForPrinciples({ db: db(), slugs: [slug] })).get(slug)!;
const rowsOf = async (slug: string) => {
  const [principle] = await db().select().from(principles).where(eq(principles.slug, slug));
  return db().select().from(principleQuestions).where(eq(principleQuestions.principleId, principle!.id)).orderBy(asc(principleQuestions.position));
};
const questionAudits = () => db().select().from(auditEvents).where(like(auditEvents.action, 'question.%')).orderBy(asc(auditEvents.id));
const signedIn = async (userId: number) => {
  const client = await staffClient(t.app, db(), userId);
  await client.get('/staff/question-bank');
  return client;
};

describe(`the question bank page on ${testEngine}`, () => {
  it('shows an interviewer every principle with its questions, follow-ups and strong evidence, without ways to change them', async () => {
    const res = await (await staffClient(t.app, db(), interviewer.id)).get('/staff/question-bank');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Question bank</h1>');
    expect(res.body).toContain('<h2 id="p-ownership">Ownership</h2>');
    expect(res.body).toContain('<a href="#p-dive-deep">Dive deep</a> <span class="muted">(3 questions)</span>');
    expect(res.body).toContain('Tell me about a time you fixed a problem that was not your job to fix.');
    expect(res.body).toContain('How did you involve the people who did own that area?');
    expect(res.body).toContain('What strong evidence sounds like');
    expect(res.body).not.toContain('Move up');
    expect(res.body).not.toContain('Add a question');
    expect(res.body).not.toContain('/staff/question-bank/questions/');
  });

  it('sends a signed-out visitor to sign in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/staff/question-bank' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/sign-in?next=%2Fstaff%2Fquestion-bank');
  });

  it('lets a recruiter read the bank but refuses every change with 403', async () => {
    const client = await signedIn(recruiter.id);
    const [question] = await rowsOf('ownership');
    const before = await rowsOf('ownership');
    expect((await client.get('/staff/question-bank')).statusCode).toBe(200);
    expect((await client.get('/staff/question-bank/principles/ownership/new')).statusCode).toBe(403);
    expect((await client.get(`/staff/question-bank/questions/${question!.id}`)).statusCode).toBe(403);
    const fields = { question: 'Tell me about a time?', followUps: 'Why?', strongEvidence: 'Good.' };
    expect((await client.post('/staff/question-bank/principles/ownership/new', fields)).statusCode).toBe(403);
    expect((await client.post(`/staff/question-bank/questions/${question!.id}`, fields)).statusCode).toBe(403);
    expect((await client.post(`/staff/question-bank/questions/${question!.id}/move`, { direction: 'down' })).statusCode).toBe(403);
    expect((await client.post(`/staff/question-bank/questions/${question!.id}/delete`)).statusCode).toBe(403);
    expect(await rowsOf('ownership')).toEqual(before);
    expect(await questionAudits()).toHaveLength(0);
  });

  it('lets an admin add a question at the end of a principle, recorded with its text', async () => {
    const client = await signedIn(admin.id);
    const form = await client.get('/staff/question-bank/principles/frugality/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Add a question to Frugality');
    expect(form.body).toContain('<label for="followUps">Follow-up prompts</label>');
    const res = await client.post('/staff/question-bank/principles/frugality/new', {
      question: 'Tell me about a time you reused something instead of buying new.',
      followUps: 'What did you reuse?\r\n\r\n  How did it hold up?  \r\n',
      strongEvidence: 'A real saving with no loss in quality.',
    });
    expect(res.statusCode).toBe(303);
    const questions = await rowsOf('frugality');
    const added = questions.at(-1)!;
    expect(res.headers.location).toBe(`/staff/question-bank?notice=created#q-${added.id}`);
    expect(questions.map((q) => q.position)).toEqual([1, 2, 3, 4]);
    expect(added).toMatchObject({ question: 'Tell me about a time you reused something instead of buying new.', followUps: ['What did you reuse?', 'How did it hold up?'] });
    const [event] = await questionAudits();
    expect(event).toMatchObject({ action: 'question.created', actorType: 'staff', actorId: admin.id, subjectType: 'principle_question', subjectId: String(added.id), before: null });
    expect(event!.after).toEqual({
      principle: 'frugality',
      position: 4,
      question: 'Tell me about a time you reused something instead of buying new.',
      followUps: ['What did you reuse?', 'How did it hold up?'],
      strongEvidence: 'A real saving with no loss in quality.',
    });
    const page = await client.get(res.headers.location as string);
    expect(page.body).toContain('The question is added.');
    expect(page.body).toContain('Changed in the workspace: loading the content pack again leaves these questions as they are.');
    expect(page.body).toContain('As the content pack has them');
  });

  it('refuses an incomplete question with a message beside each field, keeping everything typed', async () => {
    const client = await signedIn(admin.id);
    const before = (await questionAudits()).length;
    const res = await client.post('/staff/question-bank/principles/think-big/new', { question: '   ', followUps: '\n \n', strongEvidence: 'Kept <b>as typed</b>' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<title>Error: Add a question to Think big');
    expect(res.body).toContain('<a href="#question">Enter the question</a>');
    expect(res.body).toContain('<a href="#followUps">Enter at least one follow-up prompt, one per line</a>');
    expect(res.body).toContain('Kept &lt;b&gt;as typed&lt;/b&gt;</textarea>');
    expect(res.body).toContain('aria-describedby="question-hint question-error"');
    const long = await client.post('/staff/question-bank/principles/think-big/new', { question: 'Q?', followUps: `Fine\n${'x'.repeat(301)}`, strongEvidence: '' });
    expect(long.body).toContain('Keep each follow-up prompt to at most 300 characters');
    expect(long.body).toContain('Describe what strong evidence sounds like');
    expect(long.body).toContain(`Fine\n${'x'.repeat(301)}</textarea>`);
    expect(await questionsOf('think-big')).toHaveLength(3);
    expect(await questionAudits()).toHaveLength(before);
  });

  it('lets an admin edit a question, with the follow-ups one per line, recording before and after', async () => {
    const client = await signedIn(admin.id);
    const [first] = await rowsOf('earn-trust');
    const form = await client.get(`/staff/question-bank/questions/${first!.id}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`>${first!.followUps.join('\n')}</textarea>`);
    expect(form.body).toContain('Delete question');

    const refused = await client.post(`/staff/question-bank/questions/${first!.id}`, { question: 'Edited but unfinished?', followUps: 'One', strongEvidence: ' ' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Edited but unfinished?</textarea>');

    const before = (await questionAudits()).length;
    const res = await client.post(`/staff/question-bank/questions/${first!.id}`, { question: 'Tell me about an error of yours that hurt others.', followUps: 'Who knew first?\nWhat did you do?', strongEvidence: 'Told people early.' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/question-bank?notice=saved#q-${first!.id}`);
    expect((await questionsOf('earn-trust'))[0]).toEqual({ question: 'Tell me about an error of yours that hurt others.', followUps: ['Who knew first?', 'What did you do?'], strongEvidence: 'Told people early.' });
    const events = await questionAudits();
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({ action: 'question.updated', subjectId: String(first!.id) });
    expect(events.at(-1)!.before).toMatchObject({ principle: 'earn-trust', question: first!.question, followUps: first!.followUps });
    expect(events.at(-1)!.after).toMatchObject({ question: 'Tell me about an error of yours that hurt others.', followUps: ['Who knew first?', 'What did you do?'] });

    const same = await client.post(`/staff/question-bank/questions/${first!.id}`, { question: 'Tell me about an error of yours that hurt others.', followUps: 'Who knew first?\r\nWhat did you do?', strongEvidence: 'Told people early.' });
    expect(same.headers.location).toBe(`/staff/question-bank?notice=unchanged#q-${first!.id}`);
    expect(await questionAudits()).toHaveLength(before + 1);
  });

  it('lets an admin move a question up and down, and leaves one at the end of the list where it is', async () => {
    const client = await signedIn(admin.id);
    const [a, b, c] = await rowsOf('bias-for-action');
    const page = await client.get('/staff/question-bank');
    expect(page.body).toContain(`action="/staff/question-bank/questions/${a!.id}/move"`);
    expect(page.body).toContain('Move down<span class="visually-hidden">: question 1 of Bias for action</span>');

    const res = await client.post(`/staff/question-bank/questions/${a!.id}/move`, { direction: 'down' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/question-bank?notice=moved#q-${a!.id}`);
    expect((await rowsOf('bias-for-action')).map((q) => q.id)).toEqual([b!.id, a!.id, c!.id]);
    const [event] = (await questionAudits()).slice(-1);
    expect(event).toMatchObject({ action: 'question.updated', subjectId: String(a!.id), before: { position: 1 }, after: { position: 2 } });

    await client.post(`/staff/question-bank/questions/${c!.id}/move`, { direction: 'up' });
    expect((await rowsOf('bias-for-action')).map((q) => [q.id, q.position])).toEqual([[b!.id, 1], [c!.id, 2], [a!.id, 3]]);

    const count = (await questionAudits()).length;
    const stay = await client.post(`/staff/question-bank/questions/${b!.id}/move`, { direction: 'up' });
    expect(stay.headers.location).toBe(`/staff/question-bank?notice=not-moved#q-${b!.id}`);
    expect(await questionAudits()).toHaveLength(count);
    expect((await client.post(`/staff/question-bank/questions/${b!.id}/move`, { direction: 'sideways' })).statusCode).toBe(400);
  });

  it('lets an admin delete a question, closing the gap and keeping its text in the audit log', async () => {
    const client = await signedIn(admin.id);
    const [a, b, c] = await rowsOf('dive-deep');
    const res = await client.post(`/staff/question-bank/questions/${b!.id}/delete`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/question-bank?notice=deleted#p-dive-deep');
    expect((await rowsOf('dive-deep')).map((q) => [q.id, q.position])).toEqual([[a!.id, 1], [c!.id, 2]]);
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, 'question.deleted'), eq(auditEvents.subjectId, String(b!.id))));
    expect(event).toMatchObject({ actorId: admin.id, after: null, before: { principle: 'dive-deep', position: 2, question: b!.question } });
    expect((await client.post(`/staff/question-bank/questions/${b!.id}/delete`)).statusCode).toBe(404);
  });

  it('answers 404 for a question or principle that does not exist', async () => {
    const client = await signedIn(admin.id);
    expect((await client.get('/staff/question-bank/questions/999999')).statusCode).toBe(404);
    expect((await client.get('/staff/question-bank/questions/abc')).statusCode).toBe(404);
    expect((await client.get('/staff/question-bank/principles/no-such-principle/new')).statusCode).toBe(404);
    expect((await client.post('/staff/question-bank/principles/no-such-principle/new', { question: 'Q?', followUps: 'F', strongEvidence: 'S' })).statusCode).toBe(404);
    expect((await client.post('/staff/question-bank/questions/999999', { question: 'Q?', followUps: 'F', strongEvidence: 'S' })).statusCode).toBe(404);
    expect((await client.post('/staff/question-bank/questions/999999/move', { direction: 'up' })).statusCode).toBe(404);
  });

  it('refuses a change without the form’s anti-forgery token', async () => {
    const client = await signedIn(admin.id);
    const [first] = await rowsOf('think-big');
    expect((await client.post(`/staff/question-bank/questions/${first!.id}/delete`, { _csrf: null })).statusCode).toBe(403);
    expect(await rowsOf('think-big')).toHaveLength(3);
  });
});

describe(`questionsForPrinciples on ${testEngine}`, () => {
  it('answers each asked-for principle’s questions in order, and an empty list for one without any', async () => {
    const bank = await questionsForPrinciples({ db: db(), slugs: ['customer-obsession', 'no-such-principle', 'customer-obsession'] });
    expect([...bank.keys()]).toEqual(['customer-obsession', 'no-such-principle']);
    expect(bank.get('no-such-principle')).toEqual([]);
    const questions = bank.get('customer-obsession')!;
    expect(questions).toHaveLength(3);
    expect(Object.keys(questions[0]!).sort()).toEqual(['followUps', 'question', 'strongEvidence']);
    expect(questions[0]!.question).toMatch(/^Tell me about a time you changed what you were building/);
    expect(await questionsForPrinciples({ db: db(), slugs: [] })).toEqual(new Map());
  });
});
