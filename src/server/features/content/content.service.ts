import type { FastifyBaseLogger } from 'fastify';
import { formatPackIssue, parseContentPack } from '../../../domain/content-pack.ts';
import type { ContentPack, ContentSnapshot, PackIssue, PublishedEntry } from '../../../shared/contracts/content.ts';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { renderMarkdown } from '../../markdown.ts';
import { readPackFolder } from './content.pack.ts';
import { findAllContent, findContentVersion, replaceContent } from './content.repository.ts';

/** A content pack that cannot be loaded; `issues` names each file and field at fault. */
export class ContentPackError extends AppError {
  constructor(
    readonly dir: string,
    readonly issues: PackIssue[],
  ) {
    super(422, 'invalid_content_pack', `The content pack in ${dir} has ${issues.length} problem(s):\n${issues.map((i) => `  ${formatPackIssue(i)}`).join('\n')}`);
  }
}

/** What a load did, for the command's message. */
export interface LoadedPack {
  version: number;
  teams: number;
  principles: number;
  /** Questions in the pack, over all principles. */
  questions: number;
  /** Principles whose questions an admin edited, left as they were. */
  keptEditedQuestions: number;
}

export interface ContentService {
  /** The content every public page renders from; undefined until a pack has been loaded. */
  current(): ContentSnapshot | undefined;
  /** Re-reads the content when another node (or the CLI) loaded a new version. Returns true when it changed. */
  refresh(): Promise<boolean>;
  /**
   * Validates the pack in `dir` and loads it in one transaction; a pack with problems changes nothing.
   * Questions of principles an admin has edited are kept, unless `resetEditedQuestions`.
   */
  loadPack(options: { dir: string; resetEditedQuestions?: boolean }): Promise<LoadedPack>;
  /** Loads the pack in `dir` only when the database holds no content yet (the first start). */
  loadPackIfEmpty(options: { dir: string }): Promise<boolean>;
  /** Calls `listener` after each change of the snapshot. */
  onChange(listener: (snapshot: ContentSnapshot) => void): void;
}

export function createContentService({ db, log }: { db: Db; log?: FastifyBaseLogger }): ContentService {
  let snapshot: ContentSnapshot | undefined;
  const listeners: Array<(s: ContentSnapshot) => void> = [];

  async function refresh(): Promise<boolean> {
    const version = await findContentVersion(db);
    if (version === undefined || version === snapshot?.version) return false;
    const rows = await findAllContent(db);
    if (!rows.site) return false;
    const publish = (e: (typeof rows.teams)[number]): PublishedEntry => ({
      slug: e.slug,
      name: e.name,
      summary: e.summary,
      html: renderMarkdown(e.bodyMd),
      updatedAt: e.updatedAt,
    });
    snapshot = {
      version: rows.site.contentVersion,
      organization: rows.site.organization,
      culture: { title: rows.site.title, summary: rows.site.summary, html: renderMarkdown(rows.site.bodyMd), updatedAt: rows.site.updatedAt },
      teams: rows.teams.map(publish),
      principles: rows.principles.map(publish),
    };
    log?.info({ contentVersion: snapshot.version }, 'content refreshed');
    for (const listener of listeners) listener(snapshot);
    return true;
  }

  async function readPack(dir: string): Promise<ContentPack> {
    const result = parseContentPack(await readPackFolder(dir));
    if (!result.ok) throw new ContentPackError(dir, result.issues);
    return result.pack;
  }

  return {
    current: () => snapshot,
    refresh,
    onChange: (listener) => void listeners.push(listener),
    async loadPack({ dir, resetEditedQuestions = false }) {
      const pack = await readPack(dir);
      const { version, questions } = await db.transaction((tx) => replaceContent(tx, pack, { resetEditedQuestions }));
      await refresh();
      return {
        version,
        teams: pack.teams.length,
        principles: pack.principles.length,
        questions: Object.values(pack.questions).reduce((n, list) => n + list.length, 0),
        keptEditedQuestions: questions.keptEdited,
      };
    },
    async loadPackIfEmpty({ dir }) {
      if ((await findContentVersion(db)) !== undefined) return false;
      const pack = await readPack(dir);
      await db.transaction(async (tx) => {
        // Another node may have loaded it while we read the files.
        if ((await findContentVersion(tx)) === undefined) await replaceContent(tx, pack);
      });
      await refresh();
      return true;
    },
  };
}
