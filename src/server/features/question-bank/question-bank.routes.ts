import type { FastifyReply, FastifyRequest } from 'fastify';
import { can } from '../../../domain/policy.ts';
import { questionBankPage, questionFormPage, type QuestionFormValues } from '../../../web/staff/question-bank.tsx';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { parseId, type StaffExtension, type StaffScope } from '../staff/staff.scope.ts';
import {
  addQuestion,
  deleteQuestion,
  loadQuestionBank,
  moveQuestion,
  principleForNewQuestion,
  questionForEdit,
  typedQuestion,
  updateQuestion,
} from './question-bank.service.ts';

type Body = Record<string, unknown>;

/** Notices after a redirect, by name, so that a link cannot make the page say anything else. */
const NOTICES: Record<string, string> = {
  created: 'The question is added. Interview kits show it from now on.',
  saved: 'Your changes are saved.',
  unchanged: 'The question was already like this; nothing changed.',
  moved: 'The question is moved.',
  'not-moved': 'The question is already at that end of the list.',
  deleted: 'The question is deleted. The audit log keeps its text.',
};

const BASE = '/staff/question-bank';

const idOf = (request: FastifyRequest): number => {
  const id = parseId((request.params as Record<string, string>).id);
  if (id === undefined) throw new NotFoundError('There is no such question.');
  return id;
};

const slugOf = (request: FastifyRequest): string => (request.params as Record<string, string>).slug ?? '';

/**
 * The question bank under /staff/question-bank: everyone in the workspace reads it
 * ('workspace.view'); admins add, edit, reorder and delete questions ('settings.manage').
 */
export function questionBankExtension(): StaffExtension {
  return (scope: StaffScope) => {
    const { db } = scope;
    const back = (reply: FastifyReply, notice: string, anchor: string) => reply.redirect(`${BASE}?notice=${notice}#${anchor}`, 303);

    scope.route({
      method: 'GET',
      url: BASE,
      action: 'workspace.view',
      handler: async (request, reply, { user }) => {
        const notice = NOTICES[((request.query ?? {}) as Record<string, string>).notice ?? ''];
        const principles = await loadQuestionBank({ db });
        return scope.show(reply, questionBankPage({ chrome: await scope.chrome(request, reply), principles, canEdit: can(user, 'settings.manage'), notice }));
      },
    });

    scope.route({
      method: 'GET',
      url: `${BASE}/principles/:slug/new`,
      action: 'settings.manage',
      handler: async (request, reply) => {
        const principle = await principleForNewQuestion({ db, slug: slugOf(request) });
        const values: QuestionFormValues = { question: '', followUps: '', strongEvidence: '' };
        return scope.show(reply, questionFormPage({ chrome: await scope.chrome(request, reply), principle, values }));
      },
    });

    scope.route({
      method: 'POST',
      url: `${BASE}/principles/:slug/new`,
      action: 'settings.manage',
      handler: async (request, reply, { user }) => {
        const slug = slugOf(request);
        const values = typedQuestion((request.body ?? {}) as Body);
        try {
          const { id } = await addQuestion({ db, slug, values, by: user.id });
          return back(reply, 'created', `q-${id}`);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          const principle = await principleForNewQuestion({ db, slug });
          return scope.show(reply, questionFormPage({ chrome: await scope.chrome(request, reply), principle, values, errors: error.fields }), 400);
        }
      },
    });

    scope.route({
      method: 'GET',
      url: `${BASE}/questions/:id`,
      action: 'settings.manage',
      handler: async (request, reply) => {
        const found = await questionForEdit({ db, id: idOf(request) });
        return scope.show(reply, questionFormPage({ chrome: await scope.chrome(request, reply), principle: found.principle, questionId: found.id, values: found.values }));
      },
    });

    scope.route({
      method: 'POST',
      url: `${BASE}/questions/:id`,
      action: 'settings.manage',
      handler: async (request, reply, { user }) => {
        const id = idOf(request);
        const values = typedQuestion((request.body ?? {}) as Body);
        try {
          const { changed } = await updateQuestion({ db, id, values, by: user.id });
          return back(reply, changed ? 'saved' : 'unchanged', `q-${id}`);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          const found = await questionForEdit({ db, id });
          return scope.show(reply, questionFormPage({ chrome: await scope.chrome(request, reply), principle: found.principle, questionId: id, values, errors: error.fields }), 400);
        }
      },
    });

    scope.route({
      method: 'POST',
      url: `${BASE}/questions/:id/move`,
      action: 'settings.manage',
      handler: async (request, reply, { user }) => {
        const id = idOf(request);
        const direction = ((request.body ?? {}) as Body).direction;
        if (direction !== 'up' && direction !== 'down') throw new ValidationError('Choose to move the question up or down.', [{ field: 'direction', message: 'Choose up or down' }]);
        const { moved } = await moveQuestion({ db, id, direction, by: user.id });
        return back(reply, moved ? 'moved' : 'not-moved', `q-${id}`);
      },
    });

    scope.route({
      method: 'POST',
      url: `${BASE}/questions/:id/delete`,
      action: 'settings.manage',
      handler: async (request, reply, { user }) => {
        const { principle } = await deleteQuestion({ db, id: idOf(request), by: user.id });
        return back(reply, 'deleted', `p-${principle}`);
      },
    });
  };
}
