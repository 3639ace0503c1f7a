import { z } from 'zod';
import { mailMessagePage, outboxPage } from '../../../web/staff/outbox.tsx';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { parseId, type StaffScope } from '../staff/staff.scope.ts';
import { loadMailMessage, loadOutbox } from './outbox.service.ts';

const cursor = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number)
  .optional();
const outboxQuery = z.object({ before: cursor, after: cursor });

/** /staff/outbox and one message at /staff/outbox/:id, for admins ('outbox.view'). */
export function outboxRoutes(scope: StaffScope): void {
  const { db, config } = scope;

  scope.route({
    method: 'GET',
    url: '/staff/outbox',
    action: 'outbox.view',
    handler: async (request, reply) => {
      const query = outboxQuery.safeParse(request.query ?? {});
      if (!query.success) throw new ValidationError('The page link is broken; start again from the first page of the outbox.');
      const view = await loadOutbox({ db, ...query.data, smtp: Boolean(config.smtpUrl) });
      return scope.show(reply, outboxPage({ chrome: await scope.chrome(request, reply), view }));
    },
  });

  scope.route({
    method: 'GET',
    url: '/staff/outbox/:id',
    action: 'outbox.view',
    handler: async (request, reply) => {
      const id = parseId((request.params as { id?: string }).id);
      if (id === undefined) throw new NotFoundError('There is no such email in the outbox.');
      const message = await loadMailMessage({ db, id, publicUrl: config.publicUrl });
      return scope.show(reply, mailMessagePage({ chrome: await scope.chrome(request, reply), message }));
    },
  });
}
