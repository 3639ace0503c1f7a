import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packFiles, writePack } from '../../../../test/support/packs.ts';
import { createStaff } from '../../../../test/support/staff.ts';
import { defaultContentDir } from '../../../../test/support/test-app.ts';
import { testDatabase, testEngine, type TestDatabase } from '../../../../test/support/test-db.ts';
import { parseContentPack } from '../../../domain/content-pack.ts';
import { principleQuestions } from '../../db/schema/index.ts';
import { addQuestion, questionsForPrinciples, updateQuestion } from '../question-bank/question-bank.service.ts';
import { ContentPackError, createContentService } from './content.service.ts';
import { readPackFolder } from './content.pack.ts';
import { findAllContent } from './content.repository.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

describe(`content packs on ${testEngine}`, () => {
  it('loads a pack into an empty database on first start, and only then', async () => {
    const content = createContentService({ db: database.db });
    expect(await content.loadPackIfEmpty({ dir: await writePack(packFiles()) })).toBe(true);
    expect(content.current()?.teams.map((t) => t.name)).toEqual(['Robots', 'Rockets']);
    const other = await writePack(packFiles({ 'teams/robots.md': '---\nname: Changed\norder: 1\nsummary: S.\n---\n' }));
    expect(await content.loadPackIfEmpty({ dir: other })).toBe(false);
    expect(content.current()?.teams[0]?.name).toBe('Robots');
  });

  it('refuses a broken pack naming file and field, and keeps the content it had', async () => {
    const content = createContentService({ db: database.db });
    await content.loadPack({ dir: await writePack(packFiles()) });
    const before = await findAllContent(database.db);
    const broken = await writePack(
      packFiles({
        'culture.md': '---\norganization: Other\ntitle: New title\nsummary: S.\n---\n',
        'teams/robots.md': '---\norder: 1\nsummary: Makes robots.\n---\n',
      }),
    );
    const error = await content.loadPack({ dir: broken }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentPackError);
    expect((error as ContentPackError).issues).toEqual([{ file: 'teams/robots.md', field: 'name', message: 'is required' }]);
    expect(await findAllContent(database.db)).toEqual(before);
  });

  it('keeps ids and dates of unchanged entries, dates changes, and drops what the pack dropped', async () => {
    const content = createContentService({ db: database.db });
    await content.loadPack({ dir: await writePack(packFiles()) });
    const before = await findAllContent(database.db);
    await new Promise((r) => setTimeout(r, 20));
    const next = await writePack(
      packFiles({
        'teams/rockets.md': '---\nname: Rockets\norder: 2\nsummary: Makes bigger rockets.\n---\nThe rockets team.\n',
        'principles/be-brave.md': undefined,
      }),
    );
    const loaded = await content.loadPack({ dir: next });
    const after = await findAllContent(database.db);
    const robots = (rows: typeof before) => rows.teams.find((t) => t.slug === 'robots')!;
    const rockets = (rows: typeof before) => rows.teams.find((t) => t.slug === 'rockets')!;
    expect(robots(after)).toEqual(robots(before));
    expect(rockets(after).id).toBe(rockets(before).id);
    expect(rockets(after).updatedAt.getTime()).toBeGreaterThan(rockets(before).updatedAt.getTime());
    expect(after.principles.map((p) => p.slug)).toEqual(['be-kind']);
    expect(loaded).toMatchObject({ teams: 2, principles: 1, version: before.site!.contentVersion + 1 });
  });

  it('lets another node notice a load through refresh', async () => {
    const nodeA = createContentService({ db: database.db });
    const nodeB = createContentService({ db: database.db });
    await nodeA.loadPack({ dir: await writePack(packFiles()) });
    await nodeB.refresh();
    await nodeA.loadPack({ dir: await writePack(packFiles({ 'teams/robots.md': '---\nname: Droids\norder: 1\nsummary: S.\n---\n' })) });
    expect(nodeB.current()?.teams[0]?.name).toBe('Robots');
    expect(await nodeB.refresh()).toBe(true);
    expect(nodeB.current()?.teams[0]?.name).toBe('Droids');
    expect(await nodeB.refresh()).toBe(false);
  });

  it('names a missing pack folder', async () => {
    const content = createContentService({ db: database.db });
    await expect(content.loadPack({ dir: '/no/such/pack' })).rejects.toThrow('The content pack folder /no/such/pack does not exist');
  });
});

/** A questions file of `n` questions whose texts start with `prefix`. */
const questionsFile = (prefix: string, n = 3) =>
  'questions:\n' +
  Array.from({ length: n }, (_, i) => `  - question: ${prefix} ${i + 1}?\n    followUps: [What did you do?, What happened?]\n    strongEvidence: A concrete act.\n`).join('');

describe(`the question bank in content packs on ${testEngine}`, () => {
  const texts = async (slugs = ['be-kind', 'be-brave']) => {
    const bank = await questionsForPrinciples({ db: database.db, slugs });
    return Object.fromEntries([...bank].map(([slug, list]) => [slug, list.map((q) => q.question)]));
  };
  const withQuestions = (overrides: Record<string, string | undefined> = {}) =>
    writePack(packFiles({ 'questions/be-kind.yaml': questionsFile('Kind'), 'questions/be-brave.yaml': questionsFile('Brave'), ...overrides }));

  it('ships at least three complete behavioural questions for each of the default pack’s principles', async () => {
    const result = parseContentPack(await readPackFolder(defaultContentDir));
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.pack.principles).toHaveLength(14);
    for (const principle of result.pack.principles) {
      const questions = result.pack.questions[principle.slug] ?? [];
      expect(questions.length, principle.slug).toBeGreaterThanOrEqual(3);
      for (const q of questions) {
        expect(q.question, principle.slug).toMatch(/^Tell me about /);
        expect(q.followUps.length, q.question).toBeGreaterThanOrEqual(2);
        expect(q.followUps.length, q.question).toBeLessThanOrEqual(3);
        expect(q.strongEvidence.length, q.question).toBeGreaterThan(40);
      }
    }
    const all = Object.values(result.pack.questions).flat().map((q) => q.question.toLowerCase());
    expect(new Set(all).size).toBe(all.length);
  });

  it('loads the default pack’s questions into the database with the rest of the pack', async () => {
    const content = createContentService({ db: database.db });
    const loaded = await content.loadPack({ dir: defaultContentDir });
    expect(loaded).toMatchObject({ principles: 14, keptEditedQuestions: 0 });
    expect(loaded.questions).toBeGreaterThanOrEqual(42);
    const bank = await questionsForPrinciples({ db: database.db, slugs: ['ownership', 'dive-deep'] });
    expect(bank.get('ownership')?.[0]?.question).toBe('Tell me about a time you fixed a problem that was not your job to fix.');
    expect(bank.get('dive-deep')).toHaveLength(3);
  });

  it('loads questions on first start, and a broken questions file changes nothing at all', async () => {
    const fresh = await testDatabase();
    try {
      const content = createContentService({ db: fresh.db });
      await content.loadPackIfEmpty({ dir: await withQuestions() });
      expect((await questionsForPrinciples({ db: fresh.db, slugs: ['be-kind'] })).get('be-kind')).toHaveLength(3);
      const before = await fresh.db.select().from(principleQuestions).orderBy(asc(principleQuestions.id));
      const broken = await withQuestions({ 'teams/robots.md': '---\nname: Droids\norder: 1\nsummary: S.\n---\n', 'questions/be-kind.yaml': 'questions:\n  - question: Only text?\n' });
      const error = await content.loadPack({ dir: broken }).catch((e: unknown) => e);
      expect((error as ContentPackError).issues.map((i) => `${i.field}: ${i.message}`)).toEqual(['questions.1.followUps: is required', 'questions.1.strongEvidence: is required']);
      expect(await fresh.db.select().from(principleQuestions).orderBy(asc(principleQuestions.id))).toEqual(before);
      expect((await findAllContent(fresh.db)).teams[0]?.name).toBe('Robots');
    } finally {
      await fresh.close();
    }
  });

  it('brings the pack’s changes to principles nobody has edited, and keeps ids when nothing changed', async () => {
    const content = createContentService({ db: database.db });
    await content.loadPack({ dir: await withQuestions() });
    const ids = await database.db.select({ id: principleQuestions.id }).from(principleQuestions).orderBy(asc(principleQuestions.id));
    await content.loadPack({ dir: await withQuestions() });
    expect(await database.db.select({ id: principleQuestions.id }).from(principleQuestions).orderBy(asc(principleQuestions.id))).toEqual(ids);

    await content.loadPack({ dir: await withQuestions({ 'questions/be-kind.yaml': questionsFile('Gentle', 4), 'questions/be-brave.yaml': undefined }) });
    expect(await texts()).toEqual({ 'be-kind': ['Gentle 1?', 'Gentle 2?', 'Gentle 3?', 'Gentle 4?'], 'be-brave': [] });
  });

  it('keeps an admin’s edits through a reload of the pack, for every question of that principle', async () => {
    const admin = await createStaff(database.db, { role: 'admin' });
    const content = createContentService({ db: database.db });
    await content.loadPack({ dir: await withQuestions() });
    const kindFirst = (await database.db.select().from(principleQuestions)).find((q) => q.question === 'Kind 1?')!;
    await updateQuestion({ db: database.db, id: kindFirst.id, values: { question: 'Kind, edited?', followUps: 'Why?', strongEvidence: 'Edited.' }, by: admin.id });

    const loaded = await content.loadPack({ dir: await withQuestions({ 'questions/be-kind.yaml': questionsFile('Pack kind'), 'questions/be-brave.yaml': questionsFile('Pack brave') }) });
    expect(loaded.keptEditedQuestions).toBe(1);
    expect(await texts()).toEqual({ 'be-kind': ['Kind, edited?', 'Kind 2?', 'Kind 3?'], 'be-brave': ['Pack brave 1?', 'Pack brave 2?', 'Pack brave 3?'] });

    await addQuestion({ db: database.db, slug: 'be-brave', values: { question: 'Brave, added?', followUps: 'How?', strongEvidence: 'Added.' }, by: admin.id });
    await content.loadPack({ dir: await withQuestions() });
    expect(await texts()).toEqual({ 'be-kind': ['Kind, edited?', 'Kind 2?', 'Kind 3?'], 'be-brave': ['Pack brave 1?', 'Pack brave 2?', 'Pack brave 3?', 'Brave, added?'] });

    const reset = await content.loadPack({ dir: await withQuestions(), resetEditedQuestions: true });
    expect(reset.keptEditedQuestions).toBe(0);
    expect(await texts()).toEqual({ 'be-kind': ['Kind 1?', 'Kind 2?', 'Kind 3?'], 'be-brave': ['Brave 1?', 'Brave 2?', 'Brave 3?'] });
    await content.loadPack({ dir: await withQuestions({ 'questions/be-kind.yaml': questionsFile('Later') }) });
    expect((await texts())['be-kind']).toEqual(['Later 1?', 'Later 2?', 'Later 3?']);
  });

  it('forgets an edited principle the pack drops, so that adding it back starts from the pack', async () => {
    const admin = await createStaff(database.db, { role: 'admin' });
    const content = createContentService({ db: database.db });
    await content.loadPack({ dir: await withQuestions() });
    await addQuestion({ db: database.db, slug: 'be-brave', values: { question: 'Extra?', followUps: 'How?', strongEvidence: 'Added.' }, by: admin.id });
    await content.loadPack({ dir: await withQuestions({ 'principles/be-brave.md': undefined, 'questions/be-brave.yaml': undefined }) });
    expect((await texts())['be-brave']).toEqual([]);
    await content.loadPack({ dir: await withQuestions() });
    expect((await texts())['be-brave']).toEqual(['Brave 1?', 'Brave 2?', 'Brave 3?']);
  });
});
