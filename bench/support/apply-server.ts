// The app as `npm start` builds it, with the apply rate limit lifted (every request of the
// benchmark comes from one address), on PGlite in a fresh folder or on DATABASE_URL.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { createJobs } from '../../src/server/features/jobs/jobs.service.ts';
import { startQueue } from '../../src/server/queue.ts';

const dataDir = process.env.DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'dayone-bench-apply-')));
const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret' });
const database = await openDatabase({ url: config.databaseUrl, dataDir });
await database.migrate();
const queue = await startQueue(database);
const app = await buildApp({ config, database, queue, applyLimit: { limit: 1_000_000, windowSeconds: 3600 } });
await app.content.loadPackIfEmpty({ dir: 'content/default' });
const { ids } = await createJobs({
  db: database.db,
  inputs: [
    {
      title: 'Benchmark Engineer',
      team: 'amazon-web-services',
      category: 'Software Development',
      level: 4,
      employmentType: 'FULL_TIME',
      workplaceType: 'remote',
      applicantCountries: ['US'],
      description: 'A job to apply to, many times.',
      principles: ['ownership'],
    },
  ],
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url, jobPath: `/jobs/${ids[0]}/benchmark-engineer/apply`, dataDir })}\n`);
process.on('SIGTERM', () =>
  void app
    .close()
    .then(() => queue.stop({ graceful: false }))
    .then(() => database.close())
    .then(() => process.exit(0)),
);
