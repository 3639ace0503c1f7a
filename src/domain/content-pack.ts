import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import {
  cultureFrontMatterSchema,
  entryFrontMatterSchema,
  slugSchema,
  type ContentEntry,
  type ContentPack,
  type PackIssue,
} from '../shared/contracts/content.ts';

/** A file of a pack as read from disk: its path relative to the pack folder, and its text. */
export interface PackFile {
  path: string;
  text: string;
}

export type PackResult = { ok: true; pack: ContentPack } | { ok: false; issues: PackIssue[] };

const FRONT_MATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * Turns the files of a content pack into a validated pack, or lists every problem found:
 * a missing culture page, bad front matter, a missing or unknown field, a duplicate slug or name.
 * Files other than `culture.md`, `teams/*.md` and `principles/*.md` are ignored (a README, say).
 */
export function parseContentPack(files: PackFile[]): PackResult {
  const issues: PackIssue[] = [];
  const culture = files.find((f) => f.path === 'culture.md');
  let parsedCulture: ContentPack['culture'] | undefined;
  if (!culture) {
    issues.push({ file: 'culture.md', message: 'is missing: every pack needs a culture page' });
  } else {
    const doc = readDocument(culture, issues);
    const data = doc && validate(cultureFrontMatterSchema, doc.data, culture.path, issues);
    if (doc && data) parsedCulture = { ...data, bodyMd: doc.body };
  }
  const teams = parseEntries(files, 'teams', issues);
  const principles = parseEntries(files, 'principles', issues);
  if (issues.length > 0 || !parsedCulture) return { ok: false, issues };
  return { ok: true, pack: { culture: parsedCulture, teams, principles } };
}

function parseEntries(files: PackFile[], folder: 'teams' | 'principles', issues: PackIssue[]): ContentEntry[] {
  const entries: Array<ContentEntry & { file: string }> = [];
  const inFolder = files
    .filter((f) => f.path.startsWith(`${folder}/`) && f.path.endsWith('.md') && !f.path.slice(folder.length + 1).includes('/'))
    .sort((a, b) => a.path.localeCompare(b.path));
  for (const file of inFolder) {
    const doc = readDocument(file, issues);
    const data = doc && validate(entryFrontMatterSchema, doc.data, file.path, issues);
    if (!doc || !data) continue;
    let slug = data.slug;
    if (!slug) {
      const fromName = file.path.slice(folder.length + 1, -'.md'.length);
      if (!slugSchema.safeParse(fromName).success) {
        issues.push({ file: file.path, field: 'slug', message: `the file name "${fromName}" is not a valid slug; rename the file or set slug` });
        continue;
      }
      slug = fromName;
    }
    entries.push({ file: file.path, slug, name: data.name, summary: data.summary, bodyMd: doc.body, position: data.order });
  }
  for (const [key, label] of [['slug', 'slug'], ['name', 'name']] as const) {
    const seen = new Map<string, string>();
    for (const entry of entries) {
      const value = key === 'name' ? entry.name.toLowerCase() : entry.slug;
      const first = seen.get(value);
      if (first) issues.push({ file: entry.file, field: key, message: `duplicate ${label} "${entry[key]}", already used by ${first}` });
      else seen.set(value, entry.file);
    }
  }
  return entries
    .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
    .map(({ file: _file, ...entry }) => entry);
}

function readDocument(file: PackFile, issues: PackIssue[]): { data: unknown; body: string } | undefined {
  const match = FRONT_MATTER.exec(file.text);
  if (!match) {
    issues.push({ file: file.path, message: 'must start with front matter between two --- lines' });
    return undefined;
  }
  try {
    const data: unknown = parseYaml(match[1] ?? '') ?? {};
    return { data, body: file.text.slice(match[0].length).trim() };
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
    issues.push({ file: file.path, message: `front matter is not valid YAML: ${detail}` });
    return undefined;
  }
}

function validate<T extends z.ZodType>(schema: T, data: unknown, file: string, issues: PackIssue[]): z.infer<T> | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    issues.push({ file, message: 'front matter must be a set of "field: value" lines' });
    return undefined;
  }
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ file, field: key, message: 'is not a known field' });
    } else {
      issues.push({ file, field: issue.path.join('.'), message: issue.message });
    }
  }
  return undefined;
}

/** One line per issue, as the CLI prints them: `teams/legal.md: name: is required`. */
export function formatPackIssue(issue: PackIssue): string {
  return issue.field ? `${issue.file}: ${issue.field}: ${issue.message}` : `${issue.file}: ${issue.message}`;
}
