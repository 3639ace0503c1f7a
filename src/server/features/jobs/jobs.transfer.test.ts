import { sql } from 'drizzle-orm';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { jobInputSchema, type JobInput } from '../../../shared/contracts/jobs.ts';
import { generateDemoJobs } from './demo-jobs.ts';
import { countRequisitions, titleWordsOf } from './jobs.repository.ts';
import { csvField, csvRows, exportJobs, importJobs, JobFileError, JobImportRefusedError, jsonRecords, scanJsonText, type TransferFormat } from './jobs.transfer.ts';

let source: TestApp;
let target: TestApp;
let dir: string;
let seeded: JobInput[];
beforeAll(async () => {
  [source, target] = await Promise.all([testApp(), testApp()]);
  dir = await mkdtemp(join(tmpdir(), 'dayone-transfer-'));
  seeded = [...awkwardJobs(), ...generateDemoJobs({ count: 40, seed: 7, teams, principles, now: new Date() })];
  const seedFile = join(dir, 'seed.json');
  await writeFile(seedFile, JSON.stringify(seeded));
  await importJobs({ db: source.database.db, file: seedFile });
});
afterAll(() => Promise.all([source.close(), target.close()]));

const teams = ['amazon-web-services', 'legal', 'e-commerce', 'worldwide-operations-customer-service'];
const principles = ['customer-obsession', 'ownership', 'dive-deep', 'frugality', 'earn-trust', 'think-big'];

/** Jobs that exercise every field, including awkward text for CSV. */
function awkwardJobs(): JobInput[] {
  return [
    buildJob({
      requisitionId: 'REQ-X-1',
      title: 'Senior SDE, "Payments", Ünïcode',
      description: 'Line one, with a comma.\n\n- a "quoted" item\r\n- another; with a semicolon, a {brace} and C:\\back\\slashes\n\tA tab, a \\N that is text,\n\\.\nand a line of just that.',
      basicQualifications: ['Knows A, B and C', 'Writes "clear" prose', 'Reads {braces}, \\backslashes\\ and NULL'],
      preferredQualifications: [],
      questions: [
        { label: 'Authorized to work?', kind: 'yes_no', required: true },
        { label: 'Pick, one', kind: 'single_choice', options: ['A, a', 'B "b"', 'C\tc \\N'] },
        { label: 'Pick many', kind: 'multiple_choice', options: ['x', 'y', 'z'], required: false },
        { label: 'Why?', kind: 'long_text' },
        { label: 'Link', kind: 'short_text' },
        { label: 'Years', kind: 'number' },
      ],
      closesAt: new Date(Date.now() + 30 * 86_400_000),
      headcount: 3,
    }),
    buildJob({ requisitionId: 'REQ-X-2', status: 'draft', postedAt: null, pay: null, principles: [], workplaceType: 'remote', locations: [], applicantCountries: ['US', 'CA'] }),
    buildJob({ requisitionId: 'REQ-X-3', pay: { currency: 'EUR', min: 21.5, max: 27.25, unit: 'HOUR' }, locations: [{ city: 'Zürich', country: 'CH' }] }),
  ];
}

async function exportToFile(t: TestApp, format: TransferFormat): Promise<string> {
  const lines: string[] = [];
  await exportJobs({ db: t.database.db, format, write: (l) => void lines.push(l), pageSize: 7 });
  const file = join(dir, `export-${Math.random().toString(36).slice(2)}.${format}`);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

async function exported(t: TestApp) {
  const lines: string[] = [];
  await exportJobs({ db: t.database.db, format: 'json', write: (l) => void lines.push(l) });
  return JSON.parse(lines.join('\n')) as Array<Record<string, unknown>>;
}

describe(`importing and exporting jobs on ${testEngine}`, () => {
  it.each(['json', 'csv'] as const)('round-trips every field of every job through %s export and import', async (format) => {
    const fresh = await testApp();
    try {
      const file = await exportToFile(source, format);
      const before = await exported(source);
      expect(before).toHaveLength(seeded.length);
      const result = await importJobs({ db: fresh.database.db, file });
      expect(result).toEqual({ imported: seeded.length, skipped: [], format });
      const after = await exported(fresh);
      expect(after).toEqual(before);

      // What was exported is what was first given, read through the schema.
      const byRequisition = new Map(after.map((j) => [j.requisitionId, j]));
      for (const input of seeded.filter((j) => j.requisitionId)) {
        expect(byRequisition.get(input.requisitionId)).toEqual(JSON.parse(JSON.stringify(jobInputSchema.parse(input))));
      }
    } finally {
      await fresh.close();
    }
  });

  it('writes a file batch by batch in file order, as in one go', async () => {
    const fresh = await testApp();
    try {
      const file = await exportToFile(source, 'json');
      expect(await importJobs({ db: fresh.database.db, file, batchSize: 4 })).toEqual({ imported: seeded.length, skipped: [], format: 'json' });
      expect(await exported(fresh)).toEqual(await exported(source));
    } finally {
      await fresh.close();
    }
  });

  it('stores each job\'s search document, title words and catalogue version as a job written on its own', async () => {
    const rows = async <T>(t: TestApp, query: ReturnType<typeof sql>) => ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
    const fresh = await testApp();
    try {
      const version = async () => (await rows<{ version: number }>(fresh, sql`select version from catalog_state`))[0]!.version;
      const before = await version();
      await importJobs({ db: fresh.database.db, file: await exportToFile(source, 'json'), batchSize: 5 });
      expect(await version()).toBeGreaterThan(before);
      // Into an empty catalogue: one entry says every job changed (each node loads afresh), not a row per job; the trigger is back on.
      expect(await rows(fresh, sql`select job_id from job_changes`)).toEqual([{ job_id: null }]);
      expect(await rows(fresh, sql`select tgenabled from pg_trigger where tgname = 'jobs_catalog_insert'`)).toEqual([{ tgenabled: 'O' }]);
      const differing = await rows<{ n: number }>(
        fresh,
        sql`select count(*)::int as n from jobs j join teams t on t.id = j.team_id
            where j.search_doc is distinct from setweight(to_tsvector('english', j.title), 'A')
              || setweight(to_tsvector('english', j.category || ' ' || t.name), 'B')
              || setweight(to_tsvector('english', j.description_md || ' ' || array_to_string(j.basic_qualifications || j.preferred_qualifications, ' ')), 'C')
              or j.title_doc is distinct from to_tsvector('english', j.title)`,
      );
      expect(differing[0]!.n).toBe(0);
      const words = await rows<{ word: string; jobs: number }>(fresh, sql`select word, jobs from title_words order by word`);
      const expected = new Map<string, number>();
      for (const job of seeded.map((j) => jobInputSchema.parse(j)).filter((j) => j.status === 'open')) {
        for (const word of new Set(titleWordsOf(job.title))) expected.set(word, (expected.get(word) ?? 0) + 1);
      }
      expect(words).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([word, jobs]) => ({ word, jobs })));
    } finally {
      await fresh.close();
    }
  });

  it('leaves nothing behind when the file breaks after batches were written', async () => {
    const before = await exported(target);
    const file = join(dir, 'broken-late.json');
    const jobs = JSON.stringify(Array.from({ length: 6 }, () => buildJob()));
    await writeFile(file, `${jobs.slice(0, -1)}, {"title": "cut short"`);
    await expect(importJobs({ db: target.database.db, file, batchSize: 2 })).rejects.toBeInstanceOf(JobFileError);
    expect(await exported(target)).toEqual(before);
    const staging = (await target.database.db.execute(sql`select tablename from pg_tables where tablename like 'job\_import%'`)) as unknown as { rows: unknown[] };
    expect(staging.rows).toEqual([]);
  });

  it('leaves an empty catalogue empty, its keys, indexes and trigger as they were, when the file breaks after batches were written', async () => {
    const fresh = await testApp();
    try {
      const rows = async <T>(query: ReturnType<typeof sql>) => ((await fresh.database.db.execute(query)) as unknown as { rows: T[] }).rows;
      const catalogue = () =>
        rows<{ name: string }>(sql`
          select conname::text as name from pg_constraint where conrelid in ('jobs'::regclass, 'job_principles'::regclass, 'job_questions'::regclass)
          union all select indexname::text from pg_indexes where tablename in ('jobs', 'job_principles', 'job_questions')
          union all select tgname::text || ':' || tgenabled::text from pg_trigger where tgrelid = 'jobs'::regclass and not tgisinternal
          order by 1`);
      const before = await catalogue();
      const file = join(dir, 'broken-late-empty.json');
      const jobs = JSON.stringify(Array.from({ length: 6 }, () => buildJob()));
      await writeFile(file, `${jobs.slice(0, -1)}, {"title": "cut short"`);
      await expect(importJobs({ db: fresh.database.db, file, batchSize: 2 })).rejects.toBeInstanceOf(JobFileError);
      expect(await rows(sql`select count(*)::int as n from jobs`)).toEqual([{ n: 0 }]);
      expect(await catalogue()).toEqual(before);
    } finally {
      await fresh.close();
    }
  });

  it('refuses a JSON file with bad rows, naming each row by its position in the array, and imports nothing', async () => {
    const before = await countRequisitions(target.database.db);
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify([buildJob(), buildJob({ team: 'no-such-team' }), buildJob(), buildJob({ level: 42, title: 'x' })]));
    const error = await importJobs({ db: target.database.db, file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobImportRefusedError);
    expect((error as JobImportRefusedError).invalidRows).toBe(2);
    expect((error as JobImportRefusedError).issues).toEqual([
      { row: 2, field: 'team', message: 'no team has the slug "no-such-team"' },
      { row: 4, field: 'title', message: expect.stringContaining('2') },
      { row: 4, field: 'level', message: expect.stringContaining('8') },
    ]);
    expect(await countRequisitions(target.database.db)).toBe(before);
  });

  it('refuses a row whose text holds a lone surrogate (a JSON escape) with the field named, before anything reaches the database', async () => {
    const before = await countRequisitions(target.database.db);
    const file = join(dir, 'surrogate.json');
    await writeFile(file, `[${JSON.stringify(buildJob())},\n${JSON.stringify(buildJob()).replace('"description":"', '"description":"\\ud800 ')}]`);
    const error = await importJobs({ db: target.database.db, file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobImportRefusedError);
    expect((error as JobImportRefusedError).issues).toEqual([{ row: 2, field: 'description', message: expect.stringContaining('surrogate') }]);
    expect(await countRequisitions(target.database.db)).toBe(before);
  });

  it('imports the valid rows of a CSV file with --skip-invalid and reports every skipped row by its spreadsheet row', async () => {
    const before = await countRequisitions(target.database.db);
    const file = join(dir, 'mixed.csv');
    await writeFile(
      file,
      [
        '\uFEFFtitle,team,category,level,employmentType,workplaceType,locations,description,principles',
        'Data Engineer,legal,Data,3,FULL_TIME,hybrid,"[{""city"":""Paris"",""country"":""FR""}]","Two lines,\nof text",ownership;dive-deep',
        'Bad Level,legal,Data,nine,FULL_TIME,remote,,Text,',
        'No Place,legal,Data,3,FULL_TIME,on_site,,Text,',
        'Broken JSON,legal,Data,3,FULL_TIME,on_site,[{,Text,',
        'Remote Role,legal,Data,3,PART_TIME,remote,"[{""city"":""Lagos"",""country"":""ng""}]",Text,frugality',
      ].join('\r\n'),
    );
    const result = await importJobs({ db: target.database.db, file, skipInvalid: true });
    expect(result.imported).toBe(2);
    expect(result.skipped).toEqual([
      { row: 3, field: 'level', message: expect.any(String) },
      { row: 4, field: 'locations', message: 'an on-site or hybrid job needs at least one location' },
      { row: 5, field: 'locations', message: 'is not valid JSON' },
    ]);
    expect(await countRequisitions(target.database.db)).toBe(before + 2);
  });

  it('refuses requisition ids used twice in a file or already taken', async () => {
    const file = join(dir, 'dupes.json');
    await writeFile(file, JSON.stringify([buildJob({ requisitionId: 'DUP-1' }), buildJob({ requisitionId: 'DUP-1' })]));
    const error = (await importJobs({ db: target.database.db, file }).catch((e: unknown) => e)) as JobImportRefusedError;
    expect(error.issues).toEqual([{ row: 2, field: 'requisitionId', message: '"DUP-1" is also used by row 1' }]);

    await writeFile(file, JSON.stringify([buildJob({ requisitionId: 'DUP-2' })]));
    await importJobs({ db: target.database.db, file });
    const again = (await importJobs({ db: target.database.db, file }).catch((e: unknown) => e)) as JobImportRefusedError;
    expect(again.issues).toEqual([{ row: 1, field: 'requisitionId', message: 'a job with requisition id "DUP-2" already exists' }]);
  });

  it('imports the rest with --skip-invalid when some requisition ids are already taken', async () => {
    const file = join(dir, 'taken.json');
    await writeFile(file, JSON.stringify([buildJob({ requisitionId: 'TAKEN-1' })]));
    await importJobs({ db: target.database.db, file });
    const before = await countRequisitions(target.database.db);
    await writeFile(file, JSON.stringify([buildJob({ requisitionId: 'FREE-1' }), buildJob({ requisitionId: 'TAKEN-1' }), buildJob({ requisitionId: 'FREE-2' })]));
    const result = await importJobs({ db: target.database.db, file, skipInvalid: true, batchSize: 2 });
    expect(result.imported).toBe(2);
    expect(result.skipped).toEqual([{ row: 2, field: 'requisitionId', message: 'a job with requisition id "TAKEN-1" already exists' }]);
    expect(await countRequisitions(target.database.db)).toBe(before + 2);
    expect((await exported(target)).slice(-2).map((j) => j.requisitionId)).toEqual(['FREE-1', 'FREE-2']);
  });

  it('numbers later jobs past imported REQ- ids so they never collide', async () => {
    const file = join(dir, 'numbered.json');
    await writeFile(file, JSON.stringify([buildJob({ requisitionId: 'REQ-0000500' })]));
    await importJobs({ db: target.database.db, file });
    await writeFile(file, JSON.stringify([buildJob()]));
    await importJobs({ db: target.database.db, file });
    const ids = (await exported(target)).map((j) => j.requisitionId);
    expect(ids.at(-1)).toBe('REQ-0000501');
  });

  it('refuses files that are not jobs at all with a clear message', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['a.csv', 'title,team,colour\n', /unknown column\(s\) "colour"/],
      ['b.csv', 'title,team\n', /lacks the required column\(s\) category, level/],
      ['c.json', '{"title": "x"}', /must start with \[/],
      ['d.json', '[{"title": "x"}', /ends before the closing \]/],
      ['e.csv', 'title,team,category,level,employmentType,workplaceType,description\n"open,', /never closed/],
    ];
    for (const [name, text, message] of cases) {
      await writeFile(join(dir, name), text);
      const error = await importJobs({ db: target.database.db, file: join(dir, name) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JobFileError);
      expect((error as Error).message).toMatch(message);
    }
    await expect(importJobs({ db: target.database.db, file: join(dir, 'missing.json') })).rejects.toThrow('does not exist');
  });

  it('chooses the format by content when the extension says nothing', async () => {
    const file = join(dir, 'jobs.txt');
    await writeFile(file, `  ${JSON.stringify([buildJob()])}`);
    expect((await importJobs({ db: target.database.db, file })).format).toBe('json');
    const csv = await exportToFile(source, 'csv');
    const renamed = join(dir, 'jobs-csv.data');
    await writeFile(renamed, (await readFile(csv, 'utf8')).replace(/REQ-/g, 'CSV-'));
    expect((await importJobs({ db: target.database.db, file: renamed })).format).toBe('csv');
  });
});

async function* inPieces(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function* bytesInPieces(text: string, size: number) {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('the CSV and JSON readers', () => {
  const csv = '\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\n\nplain,," "\n"last","row",end';
  const expected = [
    { fields: ['a', 'b', 'c'], line: 1 },
    { fields: ['x, y', 'say "hi"', 'two\nlines'], line: 2 },
    { fields: ['plain', '', ' '], line: 5 },
    { fields: ['last', 'row', 'end'], line: 6 },
  ];

  it.each([1, 2, 3, 5, 1000])('reads quotes, commas, line breaks and a BOM in chunks of %i characters', async (size) => {
    expect(await collect(csvRows(inPieces(csv, size)))).toEqual(expected);
  });

  it('writes fields that read back the same', async () => {
    const values = ['plain', 'a,b', 'say "hi"', 'two\nlines', ' edge ', '', 'ünï'];
    const text = `${values.map(csvField).join(',')}\n`;
    expect(await collect(csvRows(inPieces(text, 3)))).toEqual([{ fields: values, line: 1 }]);
  });

  it.each([1, 4, 64])('cuts a JSON array into its elements in chunks of %i bytes', async (size) => {
    const items = [{ a: 'x"]}\\', b: [1, { c: '[' }] }, { d: '\\\\"' }, 'str"ing', 42, null, { e: 'Zürich 😀' }];
    const text = `\uFEFF [\n${items.map((i) => JSON.stringify(i)).join(' ,\n')}\n] \n`;
    expect(await collect(jsonRecords(bytesInPieces(text, size)))).toEqual(items.map((value, i) => ({ row: i + 1, value })));
  });

  // jsonRecords reads a file of one job per line line by line and hands anything else to the
  // character scanner: whatever the layout, both must read the same rows and fail the same way.
  const job = (n: number) => JSON.stringify({ n, city: 'Zürich 😀', text: 'a "quoted" {brace}, a [bracket] and a \\ backslash' });
  const layouts: Record<string, string> = {
    'one job per line': `[\n${job(1)},\n${job(2)},\n${job(3)}\n]\n`,
    'a byte-order mark, CRLF and blanks': `\uFEFF  [\r\n${job(1)} , \r\n\t${job(2)}\r\n]\r\n`,
    'commas at the start of lines': `[\n${job(1)}\n,${job(2)}\n,${job(3)}]`,
    'two jobs on a line': `[\n${job(1)},\n${job(2)}, ${job(3)},\n${job(4)}\n]`,
    'the bracket on the first line': `[${job(1)},\n${job(2)}]`,
    'all on one line': `[${job(1)},${job(2)}]`,
    'pretty-printed': JSON.stringify([{ a: 1 }, { b: [2] }], null, 2),
    'a scalar among jobs': `[\n${job(1)},\n42,\n${job(2)}\n]`,
    'an empty array': '[ ]',
    'a broken job': `[\n${job(1)},\n{"n": 2, },\n${job(3)}\n]`,
    'a missing comma after non-ASCII text': `[\n${job(1)}\n${job(2)}\n]`,
    'two commas': `[\n${job(1)},,\n${job(2)}\n]`,
    'a comma before the bracket': `[\n${job(1)},\n]`,
    'text after the bracket': `[\n${job(1)}\n] x`,
    'no closing bracket': `[\n${job(1)},\n${job(2)}\n`,
    'a job cut short': `[\n${job(1)},\n{"n": 2`,
    'not an array': `${job(1)}\n`,
    'an empty file': '',
  };

  it.each(Object.keys(layouts))('reads %s line by line exactly as the character scanner does', async (layout) => {
    const text = layouts[layout]!;
    const settle = <T>(promise: Promise<T>) => promise.then((value) => ({ value }), (error: unknown) => ({ error: (error as Error).message }));
    const scanned = await settle(collect(scanJsonText(inPieces(text.replace(/^\uFEFF/, ''), 1 << 20), undefined)));
    for (const size of [1, 3, 7, 1 << 20]) expect(await settle(collect(jsonRecords(bytesInPieces(text, size))))).toEqual(scanned);
  });
});
