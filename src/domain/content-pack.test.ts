import { describe, expect, it } from 'vitest';
import { packFiles } from '../../test/support/packs.ts';
import { formatPackIssue, parseContentPack, type PackFile } from './content-pack.ts';

const asFiles = (files: Record<string, string>): PackFile[] => Object.entries(files).map(([path, text]) => ({ path, text }));
const issuesOf = (overrides: Record<string, string | undefined>) => {
  const result = parseContentPack(asFiles(packFiles(overrides)));
  if (result.ok) throw new Error('expected the pack to be refused');
  return result.issues.map(formatPackIssue);
};

describe('parseContentPack', () => {
  it('reads the culture page, teams and principles in their declared order', () => {
    const result = parseContentPack(asFiles(packFiles()));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pack.culture).toEqual({ organization: 'Acme', title: 'Build with care', summary: 'How Acme works.', bodyMd: 'We build with care.' });
    expect(result.pack.teams.map((t) => [t.slug, t.position])).toEqual([['robots', 1], ['rockets', 2]]);
    expect(result.pack.principles.map((p) => p.name)).toEqual(['Be kind', 'Be brave']);
  });

  it('takes the slug from the file name unless the front matter sets one', () => {
    const result = parseContentPack(
      asFiles(packFiles({ 'teams/robots.md': '---\nname: Robots\nslug: bots\norder: 1\nsummary: Makes robots.\n---\n' })),
    );
    expect(result.ok && result.pack.teams.map((t) => t.slug)).toEqual(['bots', 'rockets']);
  });

  it('accepts any number of principles, such as sixteen', () => {
    const extra: Record<string, string> = {};
    for (let i = 1; i <= 16; i++) extra[`principles/p-${i}.md`] = `---\nname: Principle ${i}\norder: ${i + 2}\nsummary: S${i}.\n---\n`;
    const result = parseContentPack(asFiles(packFiles(extra)));
    expect(result.ok && result.pack.principles).toHaveLength(18);
  });

  it('ignores files outside culture.md, teams/ and principles/', () => {
    const result = parseContentPack(asFiles(packFiles({ 'README.md': 'no front matter here', 'teams/nested/x.md': 'junk' })));
    expect(result.ok).toBe(true);
  });

  it('refuses a pack without a culture page', () => {
    expect(issuesOf({ 'culture.md': undefined })).toEqual(['culture.md: is missing: every pack needs a culture page']);
  });

  it('names the file and field when a name is missing', () => {
    expect(issuesOf({ 'teams/robots.md': '---\norder: 1\nsummary: Makes robots.\n---\n' })).toEqual(['teams/robots.md: name: is required']);
  });

  it('names an unknown field', () => {
    expect(issuesOf({ 'principles/be-kind.md': '---\nname: Be kind\norder: 1\nsummary: K.\ncolour: blue\n---\n' })).toEqual([
      'principles/be-kind.md: colour: is not a known field',
    ]);
  });

  it('refuses a duplicate slug and names both files', () => {
    expect(issuesOf({ 'teams/other.md': '---\nname: Other\nslug: robots\norder: 3\nsummary: O.\n---\n' })).toEqual([
      'teams/robots.md: slug: duplicate slug "robots", already used by teams/other.md',
    ]);
  });

  it('refuses two entries with the same name in any letter case', () => {
    expect(issuesOf({ 'principles/kind.md': '---\nname: BE KIND\norder: 3\nsummary: K.\n---\n' })).toEqual([
      'principles/kind.md: name: duplicate name "BE KIND", already used by principles/be-kind.md',
    ]);
  });

  it('refuses an order that is not a whole number, and empty text', () => {
    expect(issuesOf({ 'teams/robots.md': '---\nname: "  "\norder: first\nsummary: R.\n---\n' })).toEqual([
      'teams/robots.md: name: must not be empty',
      'teams/robots.md: order: must be a whole number',
    ]);
  });

  it('refuses a file without front matter and front matter that is not YAML', () => {
    const issues = issuesOf({ 'teams/robots.md': 'Just text', 'teams/rockets.md': '---\nname: [unclosed\n---\n' });
    expect(issues[0]).toBe('teams/robots.md: must start with front matter between two --- lines');
    expect(issues[1]).toMatch(/^teams\/rockets\.md: front matter is not valid YAML/);
  });

  it('refuses a file name that cannot be a slug', () => {
    expect(issuesOf({ 'teams/Big Robots.md': '---\nname: Big robots\norder: 3\nsummary: B.\n---\n' })).toEqual([
      'teams/Big Robots.md: slug: the file name "Big Robots" is not a valid slug; rename the file or set slug',
    ]);
  });

  it('reports every problem at once rather than the first', () => {
    const issues = issuesOf({
      'culture.md': '---\ntitle: T\nsummary: S\n---\n',
      'teams/robots.md': '---\norder: 1\nsummary: R.\nextra: 1\n---\n',
    });
    expect(issues).toEqual(['culture.md: organization: is required', 'teams/robots.md: name: is required', 'teams/robots.md: extra: is not a known field']);
  });
});

describe('parseContentPack: the question bank', () => {
  const question = (n: number) =>
    `  - question: Tell me about a time you were kind, number ${n}.\n    followUps:\n      - What did you do?\n      - What happened next?\n    strongEvidence: A concrete act with a result.\n`;
  const file = (...entries: string[]) => `# Questions for Be kind\nquestions:\n${entries.join('')}`;

  it('reads the questions of each principle from questions/<slug>.yaml, in the order written', () => {
    const result = parseContentPack(asFiles(packFiles({ 'questions/be-kind.yaml': file(question(1), question(2), question(3)) })));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pack.questions['be-kind']).toHaveLength(3);
    expect(result.pack.questions['be-kind']?.[1]).toEqual({
      question: 'Tell me about a time you were kind, number 2.',
      followUps: ['What did you do?', 'What happened next?'],
      strongEvidence: 'A concrete act with a result.',
    });
  });

  it('keeps a pack valid when a principle has no questions file, and accepts .yml', () => {
    const result = parseContentPack(asFiles(packFiles({ 'questions/be-brave.yml': file(question(1)) })));
    expect(result.ok && result.pack.questions).toEqual({ 'be-brave': [expect.objectContaining({ question: 'Tell me about a time you were kind, number 1.' })] });
  });

  it('matches the principle’s slug, even when its front matter sets one', () => {
    const result = parseContentPack(
      asFiles(packFiles({ 'principles/be-kind.md': '---\nname: Be kind\nslug: kindness\norder: 1\nsummary: K.\n---\n', 'questions/kindness.yaml': file(question(1)) })),
    );
    expect(result.ok && Object.keys(result.pack.questions)).toEqual(['kindness']);
  });

  it('refuses questions for a principle the pack does not have', () => {
    expect(issuesOf({ 'questions/be-bold.yaml': file(question(1)) })).toEqual([
      'questions/be-bold.yaml: there is no principle "be-bold" in this pack; name the file after a principle’s slug',
    ]);
  });

  it('names the question and field of an incomplete question, counting from 1', () => {
    const broken = file(
      question(1),
      '  - question: "  "\n    followUps: []\n',
      '  - question: Tell me about a time.\n    followUps: [Why?]\n    strongEvidence: Detail.\n    rating: 5\n',
    );
    expect(issuesOf({ 'questions/be-kind.yaml': broken })).toEqual([
      'questions/be-kind.yaml: questions.2.question: must not be empty',
      'questions/be-kind.yaml: questions.2.followUps: must list at least one follow-up prompt',
      'questions/be-kind.yaml: questions.2.strongEvidence: is required',
      'questions/be-kind.yaml: questions.3.rating: is not a known field',
    ]);
    expect(issuesOf({ 'questions/be-kind.yaml': file('  - question: Q?\n    followUps: [Why?, ""]\n    strongEvidence: Detail.\n') })).toEqual([
      'questions/be-kind.yaml: questions.1.followUps.2: must not be empty',
    ]);
  });

  it('refuses a file that is not a questions list, an empty list, bad YAML, and a repeated question', () => {
    expect(issuesOf({ 'questions/be-kind.yaml': '- question: Q?\n' })).toEqual(['questions/be-kind.yaml: must hold a "questions:" list']);
    expect(issuesOf({ 'questions/be-kind.yaml': 'questions: []\n' })).toEqual([
      'questions/be-kind.yaml: questions: must list at least one question (delete the file to have none)',
    ]);
    expect(issuesOf({ 'questions/be-kind.yaml': 'question: Q?\n' })).toEqual([
      'questions/be-kind.yaml: questions: is required',
      'questions/be-kind.yaml: question: is not a known field',
    ]);
    expect(issuesOf({ 'questions/be-kind.yaml': 'questions:\n  - question: [unclosed\n' })[0]).toMatch(/^questions\/be-kind\.yaml: is not valid YAML/);
    expect(issuesOf({ 'questions/be-kind.yaml': file(question(1), question(1)) })).toEqual(['questions/be-kind.yaml: questions.2.question: repeats question 1']);
    expect(issuesOf({ 'questions/be-kind.yaml': file('  - Just a line\n') })).toEqual([
      'questions/be-kind.yaml: questions.1: must be a question with question, followUps and strongEvidence',
    ]);
  });

  it('refuses two files for one principle', () => {
    expect(issuesOf({ 'questions/be-kind.yaml': file(question(1)), 'questions/be-kind.yml': file(question(2)) })).toEqual([
      'questions/be-kind.yml: holds questions for "be-kind" as well as questions/be-kind.yaml; keep one file per principle',
    ]);
  });

  it('does not blame the questions of a principle whose own file is broken', () => {
    expect(issuesOf({ 'principles/be-kind.md': '---\norder: 1\nsummary: K.\n---\n', 'questions/be-kind.yaml': file(question(1)) })).toEqual([
      'principles/be-kind.md: name: is required',
    ]);
  });
});
