import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packFiles, writePack } from '../../../../test/support/packs.ts';
import { testDatabase, testEngine, type TestDatabase } from '../../../../test/support/test-db.ts';
import { ContentPackError, createContentService } from './content.service.ts';
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
