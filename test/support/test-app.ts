import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../src/server/app.ts';
import { loadConfig, type Config } from '../../src/server/config.ts';
import { testDatabase, type TestDatabase } from './test-db.ts';

export const defaultContentDir = new URL('../../content/default', import.meta.url).pathname;

/** Settings for tests: quiet logs, a temporary data folder, a fixed public URL. */
export async function testConfig(env: Record<string, string> = {}): Promise<Config> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dayone-test-'));
  return loadConfig({
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    PUBLIC_URL: 'https://careers.example.test',
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    ...env,
  });
}

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

/** The whole app on a fresh database with the default content pack loaded, ready for `app.inject`. */
export async function testApp(
  options: {
    contentDir?: string | false;
    /** A small sitemap file limit, to see /sitemap.xml become an index. */
    sitemapUrlLimit?: number;
    /** Settings to change, as environment variables (e.g. PUBLIC_URL). */
    env?: Record<string, string>;
    /** Extra dependencies of buildApp, such as a recording mail or small rate limits. */
    deps?: Pick<AppDeps, 'mail' | 'accountLimits' | 'accountExtensions' | 'staffExtensions' | 'staffIdleMinutes' | 'staffSignInLimits' | 'staffWaiting' | 'queue'>;
    /** Registers routes not yet wired into buildApp, before the app is ready. */
    routes?: (app: FastifyInstance, deps: { config: Config; database: TestDatabase }) => void;
  } = {},
): Promise<TestApp> {
  const config = await testConfig(options.env);
  const database = await testDatabase();
  const app = await buildApp({ config, database, ...options.deps, ...(options.sitemapUrlLimit ? { sitemapUrlLimit: options.sitemapUrlLimit } : {}) });
  options.routes?.(app, { config, database });
  if (options.contentDir !== false) await app.content.loadPack({ dir: options.contentDir ?? defaultContentDir });
  await app.ready();
  return {
    app,
    database,
    config,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
