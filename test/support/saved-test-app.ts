import { buildApp } from '../../src/server/app.ts';
import { createJobSearch } from '../../src/server/features/jobs/search.service.ts';
import type { JobSearch } from '../../src/server/features/jobs/search.service.ts';
import { alertsPublicRoutes } from '../../src/server/features/saved/alerts.routes.ts';
import { savedJobsExtension } from '../../src/server/features/saved/saved.routes.ts';
import { RecordingMail } from './recording-mail.ts';
import { defaultContentDir, testConfig, type TestApp } from './test-app.ts';
import { testDatabase } from './test-db.ts';

/**
 * The whole app with saved jobs and job alerts registered (as buildApp will once they are
 * wired), the default content pack, mail recorded in memory, and the search the digests use
 * (its cache off, so a test sees a job it has just added).
 */
export async function savedTestApp(options: { publicUrl?: string } = {}): Promise<TestApp & { mail: RecordingMail; search: JobSearch }> {
  const config = await testConfig(options.publicUrl ? { PUBLIC_URL: options.publicUrl } : {});
  const database = await testDatabase();
  const mail = new RecordingMail();
  // The app's content is known once the app exists; team names are looked up when asked.
  const teamName = (slug: string) => app.content.current()?.teams.find((team) => team.slug === slug)?.name;
  const search = createJobSearch({ db: database.db, publicUrl: config.publicUrl, teamName, cacheEntries: 0 });
  const app = await buildApp({ config, database, mail, accountExtensions: [savedJobsExtension({ db: database.db, search, teamName })] });
  let stylesheet = '';
  const site = () => ({ organization: app.content.current()?.organization ?? 'Day One', publicUrl: config.publicUrl, stylesheet });
  alertsPublicRoutes(app, { db: database.db, config, site, content: app.content });
  await app.content.loadPack({ dir: defaultContentDir });
  await app.ready();
  // Public pages name the hashed stylesheet; read it from one, so the unsubscribe pages are styled alike.
  stylesheet = /href="(\/assets\/app\.[^"]+\.css)"/.exec((await app.inject({ method: 'GET', url: '/jobs' })).body)?.[1] ?? '';
  return {
    app,
    database,
    config,
    mail,
    search,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
