import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.ts';

/** Liveness and readiness probes for load balancers and orchestrators. */
export function healthRoutes(app: FastifyInstance, { database }: { database: Database }): void {
  app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    try {
      await database.ping();
      return reply.send({ status: 'ready', database: database.engine });
    } catch (error) {
      request.log.warn({ err: error }, 'database is not reachable');
      return reply.code(503).send({ code: 'not_ready', message: 'The database is not reachable.' });
    }
  });
}
