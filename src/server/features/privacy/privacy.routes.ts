import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { confirmDeletePage, CONFIRM_WORD, deletedPage, yourDataPage } from '../../../web/privacy/pages.tsx';
import type { Db } from '../../db/client.ts';
import type { FileStore } from '../../files/file-store.ts';
import type { AccountExtension } from '../accounts/accounts.routes.ts';
import { CSRF_FIELD } from '../accounts/csrf.ts';
import { clearSessionCookie, type Candidate } from '../accounts/sessions.ts';
import { erasePerson, exportPersonalData } from './privacy.service.ts';

/** What the privacy pages need, wired by hand in buildApp. */
export interface PrivacyDeps {
  db: Db;
  files: FileStore;
  /** The site's address: written into the export, and whether cookies are Secure. */
  publicUrl: string;
  log?: FastifyBaseLogger;
}

type Body = Record<string, unknown>;

/**
 * The candidate's privacy rights, as pages in the account scope: /account/data to download
 * everything (a zip) or to delete the account and data (confirmed by typing DELETE). Only
 * the signed-in person's own data, and only once their address is confirmed: an account
 * someone else opened with your address can neither read nor erase your applications.
 */
export function privacyExtension(deps: PrivacyDeps): AccountExtension {
  return ({ app, csrf, show, organization }) => {
    // deps are read per request, not here: tests fill them in once the database exists.

    /** The signed-in candidate with a confirmed address; otherwise answers (sign-in, or the page saying to confirm) and null. */
    function owner(request: FastifyRequest, reply: FastifyReply, { post }: { post: boolean }): Candidate | null {
      const candidate = request.candidate;
      if (!candidate) {
        void reply.redirect('/account/sign-in', 303);
        return null;
      }
      if (post) csrf.verify(request, ((request.body ?? {}) as Body)[CSRF_FIELD], { signedIn: true });
      if (!candidate.emailVerified) {
        show(reply, yourDataPage({ organization: organization(), csrf: csrf.token(request, reply), emailVerified: false }), post ? 403 : 200);
        return null;
      }
      return candidate;
    }

    app.get('/account/data', (request, reply) => {
      const candidate = owner(request, reply, { post: false });
      if (!candidate) return reply;
      return show(reply, yourDataPage({ organization: organization(), csrf: csrf.token(request, reply), emailVerified: true }));
    });

    app.post('/account/data/export', async (request, reply) => {
      const candidate = owner(request, reply, { post: true });
      if (!candidate) return reply;
      const { filename, stream } = await exportPersonalData({ db: deps.db, files: deps.files, personId: candidate.personId, publicUrl: deps.publicUrl });
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .type('application/zip')
        .send(stream);
    });

    app.get('/account/data/delete', (request, reply) => {
      const candidate = owner(request, reply, { post: false });
      if (!candidate) return reply;
      return show(reply, confirmDeletePage({ organization: organization(), csrf: csrf.token(request, reply) }));
    });

    app.post('/account/data/delete', async (request, reply) => {
      const candidate = owner(request, reply, { post: true });
      if (!candidate) return reply;
      const typed = (request.body as Body).confirm;
      const confirm = typeof typed === 'string' ? typed.trim().slice(0, 50) : '';
      if (confirm.toUpperCase() !== CONFIRM_WORD) {
        const message = `Type ${CONFIRM_WORD} to confirm that your account and data should be deleted`;
        return show(
          reply,
          confirmDeletePage({ organization: organization(), csrf: csrf.token(request, reply), state: { values: { confirm }, errors: [{ field: 'confirm', message }] } }),
          400,
        );
      }
      await erasePerson({ db: deps.db, files: deps.files, personId: candidate.personId, reason: 'candidate_request', ...(deps.log ? { log: deps.log } : {}) });
      clearSessionCookie(reply, deps.publicUrl.startsWith('https:'));
      return reply.redirect('/account/deleted', 303);
    });

    app.get('/account/deleted', (_request, reply) => show(reply, deletedPage({ organization: organization() })));
  };
}
