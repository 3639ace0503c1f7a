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
