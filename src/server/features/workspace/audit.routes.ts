import { Readable } from 'node:stream';
import { auditPage } from '../../../web/staff/audit.tsx';
import { ValidationError } from '../../errors.ts';
import type { StaffScope } from '../staff/staff.scope.ts';
import { exportAuditCsv, loadAuditPage, parseAuditQuery } from './audit.service.ts';

/** /staff/audit and its CSV export, for admins ('audit.view'). Both only read. */
export function auditRoutes(scope: StaffScope): void {
  const { db } = scope;

  scope.route({
    method: 'GET',
    url: '/staff/audit',
    action: 'audit.view',
    handler: async (request, reply) => {
      const query = parseAuditQuery(request.query);
      const view = await loadAuditPage({ db, query });
      return scope.show(reply, auditPage({ chrome: await scope.chrome(request, reply), view: { ...view, errors: query.errors } }), query.errors.length ? 400 : 200);
    },
  });

  scope.route({
    method: 'GET',
    url: '/staff/audit.csv',
    action: 'audit.view',
    handler: async (request, reply) => {
      const query = parseAuditQuery(request.query);
      if (query.errors.length) throw new ValidationError(`The filters are not valid: ${query.errors.map((e) => e.message).join('; ')}.`, query.errors);
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="audit-log-${stamp}.csv"`)
        .header('x-content-type-options', 'nosniff')
        .type('text/csv; charset=utf-8')
        .send(Readable.from(exportAuditCsv({ db, filters: query.filters }), { objectMode: false }));
    },
  });
}
