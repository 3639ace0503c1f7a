import { TEMPLATE_KEYS, type TemplateKey } from '../../../domain/templates.ts';
import { settingsPage } from '../../../web/staff/settings.tsx';
import { ValidationError } from '../../errors.ts';
import type { StaffScope } from '../staff/staff.scope.ts';
import { loadTemplateForms, normalizeTemplate, previewTemplate, saveEmailTemplate, templateKey, templateLabel } from './settings.service.ts';

type Body = Record<string, unknown>;

/** The notice after a save, from the query string of the redirect. */
function noticeOf(query: unknown): string | undefined {
  const q = (query ?? {}) as Record<string, unknown>;
  const known = (v: unknown): v is TemplateKey => typeof v === 'string' && (TEMPLATE_KEYS as readonly string[]).includes(v);
  if (known(q.saved)) return `Saved the ${templateLabel(q.saved).toLowerCase()}. Emails sent from now on use it.`;
  if (known(q.unchanged)) return `The ${templateLabel(q.unchanged).toLowerCase()} was already like this; nothing changed.`;
  return undefined;
}

/** /staff/settings: the email templates, for admins ('settings.manage'). */
export function settingsRoutes(scope: StaffScope): void {
  const { db } = scope;

  scope.route({
    method: 'GET',
    url: '/staff/settings',
    action: 'settings.manage',
    handler: async (request, reply) => {
      const templates = await loadTemplateForms({ db, organization: scope.organization() });
      return scope.show(reply, settingsPage({ chrome: await scope.chrome(request, reply), view: { templates, notice: noticeOf(request.query) } }));
    },
  });

  scope.route({
    method: 'POST',
    url: '/staff/settings',
    action: 'settings.manage',
    handler: async (request, reply, { user }) => {
      const body = (request.body ?? {}) as Body;
      const key = templateKey(body.key);
      const template = normalizeTemplate(body);
      const organization = scope.organization();
      const show = async (posted: Parameters<typeof loadTemplateForms>[0]['posted'], status: number) =>
        scope.show(reply, settingsPage({ chrome: await scope.chrome(request, reply), view: { templates: await loadTemplateForms({ db, organization, posted }) } }), status);

      if (body.intent === 'preview') {
        return show({ key, template, errors: [], preview: previewTemplate({ key, template, organization }) }, 200);
      }
      try {
        const { changed } = await saveEmailTemplate({ db, key, template, by: user.id });
        return reply.redirect(`/staff/settings?${changed ? 'saved' : 'unchanged'}=${key}#${key}-title`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return show({ key, template, errors: error.fields }, 400);
      }
    },
  });
}
