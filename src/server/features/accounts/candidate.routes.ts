import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { profilePage, withdrawPage, type ProfileFormState } from '../../../web/account/candidate.tsx';
import type { Db } from '../../db/client.ts';
import { AppError, NotFoundError, ValidationError } from '../../errors.ts';
import type { FileStore } from '../../files/file-store.ts';
import { MAX_RESUME_BYTES } from '../applications/resumes.ts';
import type { AccountExtension } from './accounts.routes.ts';
import {
  addCandidateResume,
  deleteCandidateResume,
  findCandidateApplication,
  findCandidateProfile,
  listCandidateResumes,
  readCandidateResume,
  updateCandidateProfile,
  withdrawApplication,
} from './candidate.service.ts';
import { CSRF_FIELD } from './csrf.ts';
import type { Candidate } from './sessions.ts';

type Body = Record<string, unknown>;

const PROFILE_NOTICES: Record<string, string> = {
  saved: 'Your profile is saved.',
  'resume-added': 'Your resume is added. It is the one we offer when you apply.',
  'resume-deleted': 'The resume is deleted.',
};

/** Ids in URLs are positive integers; anything else is a 404 like an id that is not yours. */
function parseId(raw: string): number {
  if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) throw new NotFoundError('There is no such page in your account.');
  return Number(raw);
}

/**
 * The signed-in candidate's applications (withdraw), profile and resumes, in the account scope.
 * All of it is personal data linked to the address, so it needs a verified address: before
 * that, the pages send the candidate to /account (which offers the confirmation link) and
 * anything naming an id answers 404, as for an id of someone else.
 */
export function candidateRoutes({ db, files }: { db: Db; files: FileStore }): AccountExtension {
  return async ({ app, csrf, show, organization }) => {
    /** The verified candidate, or null after answering (sign-in for the signed out, /account for the unverified). */
    function verified(request: FastifyRequest, reply: FastifyReply): Candidate | null {
      const candidate = request.candidate;
      if (!candidate) {
        void reply.redirect('/account/sign-in', 303);
        return null;
      }
      if (!candidate.emailVerified) {
        void reply.redirect('/account', 303);
        return null;
      }
      return candidate;
    }

    /** For anything that names an application or resume: signed out → sign in; checks the form token; unverified → 404. */
    function owner(request: FastifyRequest, reply: FastifyReply, post: boolean): Candidate | null {
      const candidate = request.candidate;
      if (!candidate) {
        void reply.redirect('/account/sign-in', 303);
        return null;
      }
      if (post) csrf.verify(request, ((request.body ?? {}) as Body)[CSRF_FIELD], { signedIn: true });
      if (!candidate.emailVerified) throw new NotFoundError('There is no such page in your account.');
      return candidate;
    }

    async function showProfile(
      request: FastifyRequest,
      reply: FastifyReply,
      candidate: Candidate,
      options: { status?: number; state?: ProfileFormState; resumeErrors?: ProfileFormState['errors']; notice?: string } = {},
    ) {
      const state = options.state ?? { values: await findCandidateProfile({ db, personId: candidate.personId }), errors: [] };
      const resumes = await listCandidateResumes({ db, personId: candidate.personId });
      return show(
        reply,
        profilePage({
          organization: organization(),
          csrf: csrf.token(request, reply),
          state,
          resumes,
          ...(options.resumeErrors ? { resumeErrors: options.resumeErrors } : {}),
          ...(options.notice ? { notice: options.notice } : {}),
        }),
        options.status,
      );
    }

    // ── Withdraw an application ────────────────────────────────────────────
    app.get<{ Params: { id: string } }>('/account/applications/:id/withdraw', async (request, reply) => {
      const candidate = owner(request, reply, false);
      if (!candidate) return reply;
      const application = await findCandidateApplication({ db, personId: candidate.personId, applicationId: parseId(request.params.id) });
      if (!application.active) throw new AppError(409, 'application_closed', 'This application is already closed, so there is nothing to withdraw.');
      return show(reply, withdrawPage({ organization: organization(), csrf: csrf.token(request, reply), application }));
    });

    app.post<{ Params: { id: string } }>('/account/applications/:id/withdraw', async (request, reply) => {
      const candidate = owner(request, reply, true);
      if (!candidate) return reply;
      await withdrawApplication({ db, personId: candidate.personId, applicationId: parseId(request.params.id) });
      return reply.redirect('/account?notice=withdrawn', 303);
    });

    // ── Profile ────────────────────────────────────────────────────────────
    app.get<{ Querystring: { notice?: string } }>('/account/profile', async (request, reply) => {
      const candidate = verified(request, reply);
      if (!candidate) return reply;
      const notice = PROFILE_NOTICES[request.query.notice ?? ''];
      return showProfile(request, reply, candidate, notice ? { notice } : {});
    });

    app.post('/account/profile', async (request, reply) => {
      if (!request.candidate) return reply.redirect('/account/sign-in', 303);
      const body = (request.body ?? {}) as Body;
      csrf.verify(request, body[CSRF_FIELD], { signedIn: true });
      const candidate = verified(request, reply);
      if (!candidate) return reply;
      try {
        await updateCandidateProfile({ db, personId: candidate.personId, fields: body });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const typed = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).slice(0, 500) : '');
        const values = { email: candidate.email, name: typed('name'), phone: typed('phone'), location: typed('location'), linkedin: typed('linkedin'), github: typed('github'), portfolio: typed('portfolio') };
        return showProfile(request, reply, candidate, { status: 400, state: { values, errors: error.fields } });
      }
      return reply.redirect('/account/profile?notice=saved', 303);
    });

    // ── Resumes ────────────────────────────────────────────────────────────
    await app.register(async (uploads) => {
      // Multipart only for the upload: one file of at most 10 MB, and a few small fields.
      await uploads.register(multipart, { limits: { fileSize: MAX_RESUME_BYTES, files: 1, fields: 5, fieldSize: 1000, parts: 6 } });

      uploads.post('/account/resumes', async (request, reply) => {
        if (!request.candidate) return reply.redirect('/account/sign-in', 303);
        if (!request.isMultipart()) throw new AppError(415, 'unsupported_media_type', 'Send the resume as multipart/form-data.');
        let token: string | undefined;
        let file: { filename: string; bytes: Buffer } | undefined;
        try {
          for await (const part of request.parts()) {
            if (part.type === 'file') {
              const bytes = await part.toBuffer();
              if (part.fieldname === 'resume' && (bytes.length > 0 || part.filename)) file = { filename: part.filename, bytes };
            } else if (part.fieldname === CSRF_FIELD && typeof part.value === 'string') {
              token = part.value;
            }
          }
        } catch (error) {
          const status = (error as { statusCode?: number }).statusCode;
          if (status === 413) throw new AppError(413, 'file_too_large', 'The resume is larger than 10 MB. Send a smaller file.');
          if (status && status >= 400 && status < 500) throw error;
          throw new AppError(400, 'unreadable_form', 'The form could not be read. Please send it again.');
        }
        // The token is checked before anything is stored.
        csrf.verify(request, token, { signedIn: true });
        const candidate = verified(request, reply);
        if (!candidate) return reply;
        if (!file) return showProfile(request, reply, candidate, { status: 400, resumeErrors: [{ field: 'resume', message: 'Choose a resume file to upload' }] });
        try {
          await addCandidateResume({ db, files, personId: candidate.personId, file });
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          return showProfile(request, reply, candidate, { status: 400, resumeErrors: error.fields });
        }
        return reply.redirect('/account/profile?notice=resume-added', 303);
      });
    });

    app.post<{ Params: { id: string } }>('/account/resumes/:id/delete', async (request, reply) => {
      const candidate = owner(request, reply, true);
      if (!candidate) return reply;
      await deleteCandidateResume({ db, files, personId: candidate.personId, resumeId: parseId(request.params.id), log: request.log });
      return reply.redirect('/account/profile?notice=resume-deleted', 303);
    });

    app.get<{ Params: { id: string } }>('/account/resumes/:id/file', async (request, reply) => {
      const candidate = owner(request, reply, false);
      if (!candidate) return reply;
      const resume = await readCandidateResume({ db, files, personId: candidate.personId, resumeId: parseId(request.params.id) });
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', attachment(resume.filename))
        .type(resume.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : resume.contentType)
        .send(resume.bytes);
    });
  };
}

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
