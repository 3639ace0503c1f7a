import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.ts';
import type { SearchIndexSync } from '../jobs/search-index/search-index.sync.ts';

/** Liveness and readiness probes for load balancers and orchestrators. */
export function healthRoutes(app: FastifyInstance, { database, searchIndex }: { database: Database; searchIndex?: SearchIndexSync }): void {
  // The process id tells which of several server processes (WEB_CONCURRENCY) answered.
  app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok', pid: process.pid }));

  app.get('/readyz', async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    try {
      await database.ping();
      // Searches work while the index loads (in SQL, slower at scale); the probe says which.
      return reply.send({ status: 'ready', database: database.engine, ...(searchIndex ? { searchIndex: searchIndex.ready() ? 'ready' : 'loading' } : {}) });
    } catch (error) {
      request.log.warn({ err: error }, 'database is not reachable');
      return reply.code(503).send({ code: 'not_ready', message: 'The database is not reachable.' });
    }
  });
}
