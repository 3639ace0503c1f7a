import { saveJobPage, savedJobsPage, signInNeededPage } from '../../../web/saved/pages.tsx';
import type { Db } from '../../db/client.ts';
import type { AccountExtension, AccountScope } from '../accounts/accounts.routes.ts';
import type { JobSearch } from '../jobs/search.service.ts';
import { alertsRoutes } from './alerts.routes.ts';
import { idParam, signedInPost, type Body } from './http.ts';
import { findJobToSave, listSavedJobs, saveJob, unsaveJob } from './saved.service.ts';

/** What saved jobs and job alerts need, wired by hand in buildApp. */
export interface SavedJobsDeps {
  db: Db;
  /** Counts the jobs a search matches today, on the page that creates its alert. */
  search: JobSearch;
  /** A team's name by its slug, for searches in words (from the loaded content). */
  teamName: (slug: string) => string | undefined;
}

const NOTICES: Record<string, string> = {
  saved: 'The job is in your saved jobs.',
  removed: 'The job is no longer in your saved jobs.',
};

/**
 * Saved jobs and job alerts, inside the account scope (session, cookies, form posts). Public
 * pages are cached and carry no session, so they only link here; the signed-in page holds the
 * button with the anti-forgery token.
 */
export function savedJobsExtension(deps: SavedJobsDeps): AccountExtension {
  return async (scope) => {
    savedJobsRoutes(scope, deps);
    alertsRoutes(scope, deps);
  };
}

function savedJobsRoutes({ app, csrf, show, organization }: AccountScope, { db }: SavedJobsDeps): void {
  app.get<{ Querystring: { notice?: string } }>('/account/saved-jobs', async (request, reply) => {
    const candidate = request.candidate;
    if (!candidate) return reply.redirect('/account/sign-in', 303);
    const jobs = await listSavedJobs({ db, personId: candidate.personId });
    return show(reply, savedJobsPage({ organization: organization(), csrf: csrf.token(request, reply), jobs, notice: NOTICES[request.query.notice ?? ''] }));
  });

  app.get<{ Querystring: { job?: string } }>('/account/saved-jobs/new', async (request, reply) => {
    const jobId = idParam(request.query.job);
    const candidate = request.candidate;
    if (!candidate) return reply.redirect(`/account/saved-jobs/sign-in-needed?job=${jobId}`, 303);
    const job = await findJobToSave({ db, jobId });
    const saved = (await listSavedJobs({ db, personId: candidate.personId })).some((s) => s.id === jobId);
    return show(reply, saveJobPage({ organization: organization(), csrf: csrf.token(request, reply), job, saved }));
  });

  app.get<{ Querystring: { job?: string } }>('/account/saved-jobs/sign-in-needed', (request, reply) => {
    const jobId = idParam(request.query.job);
    return show(reply, signInNeededPage({ organization: organization(), kind: 'save', back: `/jobs/${jobId}` }));
  });

  app.post('/account/saved-jobs', async (request, reply) => {
    const candidate = signedInPost(csrf, request, reply);
    if (!candidate) return reply;
    await saveJob({ db, personId: candidate.personId, jobId: idParam((request.body as Body | undefined)?.job) });
    return reply.redirect('/account/saved-jobs?notice=saved', 303);
  });

  app.post<{ Params: { id: string } }>('/account/saved-jobs/:id/delete', async (request, reply) => {
    const candidate = signedInPost(csrf, request, reply);
    if (!candidate) return reply;
    await unsaveJob({ db, personId: candidate.personId, jobId: idParam(request.params.id) });
    return reply.redirect('/account/saved-jobs?notice=removed', 303);
  });
}
