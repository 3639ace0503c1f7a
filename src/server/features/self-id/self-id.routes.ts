import { can } from '../../../domain/policy.ts';
import { selfIdReportPage } from '../../../web/staff/self-identification.tsx';
import { AppError } from '../../errors.ts';
import { parseId, type StaffExtension } from '../staff/staff.scope.ts';
import { selfIdReport, setSelfIdentification } from './self-id.service.ts';

const PATH = '/staff/reports/self-identification';

/** The aggregate self-identification report (admins and recruiters) and the admin's switch. */
export function selfIdExtension(): StaffExtension {
  return (scope) => {
    scope.route({
      method: 'GET',
      url: PATH,
      action: 'reports.view',
      handler: async (request, reply, { user }) => {
        const query = request.query as { job?: string; saved?: string };
        const report = await selfIdReport({ db: scope.db, jobId: parseId(query.job) });
        const page = selfIdReportPage({ chrome: await scope.chrome(request, reply), report, canSwitch: can(user, 'settings.manage'), saved: query.saved === '1' });
        return scope.show(reply, page);
      },
    });
    scope.route({
      method: 'POST',
      url: PATH,
      action: 'settings.manage',
      handler: async (request, reply, { user }) => {
        const value = (request.body as { enabled?: unknown }).enabled;
        if (value !== 'yes' && value !== 'no') throw new AppError(400, 'invalid_switch', 'Send enabled=yes or enabled=no.');
        await setSelfIdentification({ db: scope.db, enabled: value === 'yes', by: user.id });
        return reply.redirect(`${PATH}?saved=1`, 303);
      },
    });
  };
}
