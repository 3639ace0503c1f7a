import { createJobSearch } from '../../src/server/features/jobs/search.service.ts';
import type { JobSearch } from '../../src/server/features/jobs/search.service.ts';
import { RecordingMail } from './recording-mail.ts';
import { testApp, type TestApp } from './test-app.ts';

/**
 * The whole app (saved jobs and job alerts are wired in buildApp), the default content pack, mail recorded in memory, and the search the digests use
 * (its cache off, so a test sees a job it has just added).
 */
export async function savedTestApp(options: { publicUrl?: string } = {}): Promise<TestApp & { mail: RecordingMail; search: JobSearch }> {
  const mail = new RecordingMail();
  const t = await testApp({ ...(options.publicUrl ? { env: { PUBLIC_URL: options.publicUrl } } : {}), deps: { mail } });
  const teamName = (slug: string) => t.app.content.current()?.teams.find((team) => team.slug === slug)?.name;
  const search = createJobSearch({ db: t.database.db, publicUrl: t.config.publicUrl, teamName, cacheEntries: 0 });
  return Object.assign(t, { mail, search });
}
