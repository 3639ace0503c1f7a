import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ContentSnapshot } from '../../../shared/contracts/content.ts';
import type { Page } from '../../../web/careers/pages.tsx';
import { renderPage } from '../../../web/render.tsx';
import { describeSearch } from '../../../web/saved/describe.ts';
import { alertsPage, badUnsubscribeLinkPage, newAlertPage, signInNeededPage, unsubscribedPage, unsubscribePage } from '../../../web/saved/pages.tsx';
import type { SiteContext } from '../../../web/ui/Document.tsx';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { AppError, ValidationError } from '../../errors.ts';
import type { AccountScope } from '../accounts/accounts.routes.ts';
import type { ContentService } from '../content/content.service.ts';
import { alertSearch, createAlert, deleteAlert, findSignedAlert, listAlerts, unsubscribeAlert } from './alerts.service.ts';
import { idParam, signedInPost, type Body } from './http.ts';
import type { SavedJobsDeps } from './saved.routes.ts';

const NOTICES: Record<string, string> = {
  created: 'Your alert is saved. We will email you when new jobs match this search.',
  exists: 'You already follow this search at that frequency.',
  deleted: 'The alert is deleted. We will send no more emails for it.',
};

const teamNameOf = (content: ContentService) => (slug: string) => content.current()?.teams.find((t) => t.slug === slug)?.name;

/** The search in a request's query, or a 400 when it is none. */
function searchOf(query: unknown) {
  const search = alertSearch((query ?? {}) as Record<string, unknown>);
  if (!search) throw new ValidationError('This search cannot be followed: open it again from the jobs page.');
  return search;
}

/** Job alerts of the signed-in candidate, in the account scope (registered by savedJobsExtension). */
export function alertsRoutes({ app, csrf, show, organization }: AccountScope, { db, search, teamName }: SavedJobsDeps): void {

  app.get<{ Querystring: { notice?: string } }>('/account/alerts', async (request, reply) => {
    const candidate = request.candidate;
    if (!candidate) return reply.redirect('/account/sign-in', 303);
    const alerts = await listAlerts({ db, personId: candidate.personId, teamName });
    return show(reply, alertsPage({ organization: organization(), csrf: csrf.token(request, reply), alerts, notice: NOTICES[request.query.notice ?? ''] }));
  });

  app.get('/account/alerts/new', async (request, reply) => {
    const followed = searchOf(request.query);
    const candidate = request.candidate;
    if (!candidate) return reply.redirect(`/account/alerts/sign-in-needed${followed.query ? `?${followed.query}` : ''}`, 303);
    const { total } = await search.search(followed.params, { pageSize: 1, facets: false });
    return show(
      reply,
      newAlertPage({
        organization: organization(),
        csrf: csrf.token(request, reply),
        query: followed.query,
        description: describeSearch(followed.params, teamName),
        total,
        emailVerified: candidate.emailVerified,
      }),
    );
  });

  app.get('/account/alerts/sign-in-needed', (request, reply) => {
    const followed = searchOf(request.query);
    return show(reply, signInNeededPage({ organization: organization(), kind: 'alert', back: `/jobs${followed.query ? `?${followed.query}` : ''}` }));
  });

  app.post('/account/alerts', async (request, reply) => {
    const candidate = signedInPost(csrf, request, reply);
    if (!candidate) return reply;
    const body = (request.body ?? {}) as Body;
    const followed = searchOf(typeof body.query === 'string' ? body.query : '');
    if (!candidate.emailVerified) throw new AppError(403, 'email_unconfirmed', 'Please confirm your email address first: we only send alerts to confirmed addresses.');
    try {
      const { created } = await createAlert({ db, personId: candidate.personId, query: followed.query, frequency: String(body.frequency ?? '') });
      return reply.redirect(`/account/alerts?notice=${created ? 'created' : 'exists'}`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      const { total } = await search.search(followed.params, { pageSize: 1, facets: false });
      const page = newAlertPage({
        organization: organization(),
        csrf: csrf.token(request, reply),
        query: followed.query,
        description: describeSearch(followed.params, teamName),
        total,
        emailVerified: true,
        errors: error.fields.length ? error.fields : [{ field: '', message: error.message }],
      });
      return show(reply, page, error.status);
    }
  });

  app.post<{ Params: { id: string } }>('/account/alerts/:id/delete', async (request, reply) => {
    const candidate = signedInPost(csrf, request, reply);
    if (!candidate) return reply;
    await deleteAlert({ db, personId: candidate.personId, alertId: idParam(request.params.id) });
    return reply.redirect('/account/alerts?notice=deleted', 303);
  });
}

/** What the unsubscribe links need. */
export interface AlertsPublicDeps {
  db: Db;
  config: Config;
  site: (snapshot: ContentSnapshot | undefined) => SiteContext;
  content: ContentService;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * The one-click unsubscribe link of every digest: /alerts/unsubscribe?alert=<id>&sig=<HMAC>.
 * It needs no sign-in; the signature is the permission. GET shows a button and changes nothing
 * (mail scanners follow links); POST with the same parameters deletes the alert, which is also
 * what a mail client's one-click List-Unsubscribe-Post (RFC 8058) sends. A wrong signature is a 400.
 */
export function alertsPublicRoutes(app: FastifyInstance, deps: AlertsPublicDeps): void {
  void app.register(async (scope) => {
    const { db, config, site, content } = deps;
    const secret = config.sessionSecret;
    if (!secret) throw new Error('Job alert unsubscribe links need config.sessionSecret (see withSessionSecret)');
    const teamName = teamNameOf(content);
    const organization = () => content.current()?.organization ?? 'Day One';
    // The body (RFC 8058's "List-Unsubscribe=One-Click") says nothing the URL does not.
    if (!scope.hasContentTypeParser(FORM)) scope.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 1024 }, (_r, _body, done) => done(null, {}));

    const show = (reply: FastifyReply, page: Page, status = 200) =>
      reply.code(status).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').type('text/html; charset=utf-8').send(renderPage(page, site(content.current())));

    /** Runs a use case that checks the signature; a wrong one answers the 400 page. */
    async function signed(reply: FastifyReply, use: () => Promise<Page>): Promise<FastifyReply> {
      try {
        return show(reply, await use());
      } catch (error) {
        if (error instanceof AppError && error.code === 'invalid_link') return show(reply, badUnsubscribeLinkPage({ organization: organization() }), 400);
        throw error;
      }
    }

    type Query = { Querystring: { alert?: string; sig?: string } };

    scope.get<Query>('/alerts/unsubscribe', (request, reply) =>
      signed(reply, async () => {
        const { alert, sig } = request.query;
        const found = await findSignedAlert({ db, secret, alertId: alert, sig, teamName });
        const action = `/alerts/unsubscribe?alert=${found.id}&sig=${encodeURIComponent(String(sig))}`;
        return unsubscribePage({ organization: organization(), action, description: found.view?.description });
      }),
    );

    scope.post<Query>('/alerts/unsubscribe', (request, reply) =>
      signed(reply, async () => {
        await unsubscribeAlert({ db, secret, alertId: request.query.alert, sig: request.query.sig });
        return unsubscribedPage({ organization: organization() });
      }),
    );
  });
}
