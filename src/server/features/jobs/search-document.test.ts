import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { generateDemoJobsChunks } from './demo-jobs.ts';
import { importJobInputs } from './jobs.transfer.ts';
import { documentText, parseTextsWith, SearchDocuments, type DocumentTexts } from './search-document.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const rows = async <T>(query: ReturnType<typeof sql>) => ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;

/** What PostgreSQL makes of each job's texts, as searchDocSql weighs and joins them. */
async function databaseDocuments(jobs: DocumentTexts[]): Promise<string[]> {
  const found = await rows<{ doc: string }>(sql`
    select (setweight(to_tsvector('english', j->>0), 'A') || setweight(to_tsvector('english', j->>1), 'B')
      || setweight(to_tsvector('english', j->>2), 'C'))::text as doc
    from json_array_elements(${JSON.stringify(jobs)}::json) with ordinality as x(j, n) order by n`);
  return found.map((r) => r.doc);
}

/** A small deterministic generator, so a failure names texts that can be made again. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Pieces PostgreSQL's parser reads in many ways: stopwords, compounds, hosts, emails, URLs, paths, numbers, versions, entities, non-Latin scripts. */
const PIECES = [
  'the', 'and', 'of', 'customer', 'customers', 'engineering', 'full-time', 'well-being', 'e-commerce', 'co-op', 'e.g.', 'U.S.',
  'node.js', 'C++', 'C#', '.NET', 'a@b.com', 'first.last@example.org', 'http://example.com/a?b=c', 'https://x.org', 'www.amazon.jobs',
  '/usr/local/bin', 'C:\\tmp', '1.5', '-3', '+44', '2.0.1', '1,000', '10k', '3D', 'B2B', 'S3', 'COVID-19', '24/7', '$120,000', '50%',
  "don't", 'don’t', "'quoted'", '"double"', 'São', 'Zürich', 'İstanbul', 'ﬁnance', 'Ærø', 'straße', 'ΑΒΓ', '日本語', 'Москва', '🚀',
  '&amp;', '&', '&#169;', 'x_y', '**bold**', '#tag', '(parens)', '[link](https://a.io)', '—', '–', '…', 'a\u00a0b', 'zero\u200bwidth',
  'back\\slash', 'qzx', 'QZX', 'i', 'a', 's', 't', '-', '--', '.', '...', ':', 'x:y', 'key=value', '~home', 'v1.2-beta', '0.5em',
  'abc-123-def', '123-abc', 'half-2', 'one.two.three', 'ab.cd-ef', 'x.y@z', 'foo/bar.baz', '1e10', '-1.5e-3', '127.0.0.1:8080',
];
const SEPARATORS = [' ', ' ', ' ', '\n', '\n\n', '\t', ' \r\n', '', '-', '.', ',', '/', '@'];

function randomText(next: () => number, pieces: number): string {
  let text = next() < 0.2 ? SEPARATORS[Math.floor(next() * SEPARATORS.length)]! : '';
  for (let i = 0; i < pieces; i++) {
    text += PIECES[Math.floor(next() * PIECES.length)]!;
    text += SEPARATORS[Math.floor(next() * SEPARATORS.length)]!;
  }
  return text;
}

describe(`search documents built in Node on ${testEngine}`, () => {
  it('equal what PostgreSQL computes for demo jobs, byte for byte', async () => {
    const [chunk] = [...generateDemoJobsChunks({ count: 400, chunkSize: 400, seed: 7, now: new Date('2026-01-01'), teams: ['amazon-web-services', 'legal'], principles: [] })];
    const jobs: DocumentTexts[] = chunk!.map((j) => [j.title, `${j.category} Legal`, `${j.description} ${[...j.basicQualifications!, ...j.preferredQualifications!].join(' ')}`]);
    const built = await new SearchDocuments(parseTextsWith(t.database.db)).build(jobs);
    expect(built.every((d) => d !== null)).toBe(true);
    expect(built.map((d) => documentText(d!))).toEqual(await databaseDocuments(jobs));
  });

  it('equal what PostgreSQL computes for texts made to trip its parser, split anywhere by whitespace', async () => {
    const next = random(20261206);
    const jobs: DocumentTexts[] = Array.from({ length: 600 }, () => [randomText(next, 4), randomText(next, 3), randomText(next, 40)]);
    // A small memory forces chunks to be forgotten and asked for again midway.
    const documents = new SearchDocuments(parseTextsWith(t.database.db), 500);
    const built = [...(await documents.build(jobs.slice(0, 300))), ...(await documents.build(jobs.slice(300)))];
    const expected = await databaseDocuments(jobs);
    const mismatches = jobs.flatMap((texts, i) => (built[i] && documentText(built[i]) !== expected[i] ? [{ texts, built: documentText(built[i]), expected: expected[i] }] : []));
    expect(mismatches).toEqual([]);
    expect(built.filter((d) => d === null).length).toBeLessThan(10);
  });

  it('leaves to PostgreSQL what it cannot vouch for: tags, text that is not well-formed, very long chunks, a word repeated past the position limits', async () => {
    const built = await new SearchDocuments(parseTextsWith(t.database.db)).build([
      ['Engineer', 'Legal', 'Write <b>bold</b> code'],
      ['Engineer', 'Legal', 'A lone \ud800 surrogate'],
      ['Engineer', 'Legal', `see ${'x'.repeat(600)}`],
      ['Engineer', 'Legal', 'customer '.repeat(300)],
      ['Engineer', 'Legal', 'the '.repeat(17_000)],
      ['Engineer', 'Legal', 'customer '.repeat(200)],
    ]);
    expect(built.slice(0, 5)).toEqual([null, null, null, null, null]);
    expect(built[5]).not.toBeNull();
  });

  it('gives an import the documents PostgreSQL would, jobs it can build and jobs it cannot alike', async () => {
    const next = random(42);
    const jobs = [
      ...Array.from({ length: 40 }, () => buildJob({ title: `Engineer ${randomText(next, 2)}`.trim().slice(0, 120), description: randomText(next, 30) || 'text' })),
      buildJob({ description: 'Uses <em>tags</em> in the text' }),
      buildJob({ description: 'the '.repeat(400) + 'end' }),
    ];
    const { imported } = await importJobInputs({ db: t.database.db, chunks: [jobs], batchSize: 8 });
    expect(imported).toBe(jobs.length);
    const differing = await rows<{ title: string }>(sql`
      select j.title from jobs j join teams t on t.id = j.team_id
      where j.search_doc <> setweight(to_tsvector('english', j.title), 'A') || setweight(to_tsvector('english', j.category || ' ' || t.name), 'B')
        || setweight(to_tsvector('english', j.description_md || ' ' || array_to_string(j.basic_qualifications || j.preferred_qualifications, ' ')), 'C')`);
    expect(differing).toEqual([]);
  });
});
