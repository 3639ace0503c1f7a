import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import {
  cultureFrontMatterSchema,
  entryFrontMatterSchema,
  packQuestionSchema,
  questionFileSchema,
  slugSchema,
  type BankQuestion,
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
 * a missing culture page, bad front matter, a missing or unknown field, a duplicate slug or name,
 * a question file for a principle the pack does not have, an incomplete question.
 * Files other than `culture.md`, `teams/*.md`, `principles/*.md` and `questions/*.yaml` (or `.yml`)
 * are ignored (a README, say).
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
  const before = issues.length;
  const principles = parseEntries(files, 'principles', issues);
  // A principle file that failed to parse still vouches for its questions file, so that one
  // mistake is not reported twice.
  const known = new Set(principles.map((p) => p.slug));
  if (issues.length > before) for (const file of filesIn(files, 'principles', ['.md'])) known.add(stem(file.path));
  const questions = parseQuestions(files, known, issues);
  if (issues.length > 0 || !parsedCulture) return { ok: false, issues };
  return { ok: true, pack: { culture: parsedCulture, teams, principles, questions } };
}

/** The files directly inside `folder` (not in its subfolders) with one of the endings, by path. */
function filesIn(files: PackFile[], folder: string, endings: string[]): PackFile[] {
  return files
    .filter((f) => f.path.startsWith(`${folder}/`) && !f.path.slice(folder.length + 1).includes('/') && endings.some((e) => f.path.endsWith(e)))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** The file name without folder and extension. */
const stem = (path: string) => path.slice(path.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');

/**
 * Reads `questions/<principle-slug>.yaml`: a `questions:` list whose entries have `question`,
 * `followUps` and `strongEvidence`. Fields are named as `questions.2.followUps`, counting from
 * 1 as a person reading the file does.
 */
function parseQuestions(files: PackFile[], principles: Set<string>, issues: PackIssue[]): Record<string, BankQuestion[]> {
  const bank: Record<string, BankQuestion[]> = {};
  const seen = new Map<string, string>();
  for (const file of filesIn(files, 'questions', ['.yaml', '.yml'])) {
    const slug = stem(file.path);
    if (!principles.has(slug)) {
      const hint = slugSchema.safeParse(slug).success ? '' : ' (the file name must be the principle’s slug)';
      issues.push({ file: file.path, message: `there is no principle "${slug}" in this pack${hint}; name the file after a principle’s slug` });
      continue;
    }
    const first = seen.get(slug);
    if (first) {
      issues.push({ file: file.path, message: `holds questions for "${slug}" as well as ${first}; keep one file per principle` });
      continue;
    }
    seen.set(slug, file.path);
    let data: unknown;
    try {
      data = parseYaml(file.text) ?? {};
    } catch (error) {
      const detail = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
      issues.push({ file: file.path, message: `is not valid YAML: ${detail}` });
      continue;
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      issues.push({ file: file.path, message: 'must hold a "questions:" list' });
      continue;
    }
    const shape = questionFileSchema.safeParse(data);
    if (!shape.success) {
      pushIssues(shape.error.issues, file.path, issues);
      continue;
    }
    const questions: BankQuestion[] = [];
    const texts = new Map<string, number>();
    shape.data.questions.forEach((raw, index) => {
      const at = ['questions', index];
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        issues.push({ file: file.path, field: fieldName(at), message: 'must be a question with question, followUps and strongEvidence' });
        return;
      }
      const parsed = packQuestionSchema.safeParse(raw);
      if (!parsed.success) {
        pushIssues(parsed.error.issues, file.path, issues, at);
        return;
      }
      const key = parsed.data.question.toLowerCase();
      const earlier = texts.get(key);
      if (earlier !== undefined) {
        issues.push({ file: file.path, field: fieldName([...at, 'question']), message: `repeats question ${earlier}` });
        return;
      }
      texts.set(key, index + 1);
      questions.push(parsed.data);
    });
    bank[slug] = questions;
  }
  return bank;
}

/** `['questions', 1, 'followUps', 0]` → `questions.2.followUps.1`: list positions counted from 1. */
function fieldName(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part) => (typeof part === 'number' ? String(part + 1) : String(part))).join('.');
}

function pushIssues(found: z.core.$ZodIssue[], file: string, issues: PackIssue[], prefix: ReadonlyArray<PropertyKey> = []): void {
  for (const issue of found) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ file, field: fieldName([...prefix, ...issue.path, key]), message: 'is not a known field' });
    } else {
      issues.push({ file, field: fieldName([...prefix, ...issue.path]), message: issue.message });
    }
  }
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
