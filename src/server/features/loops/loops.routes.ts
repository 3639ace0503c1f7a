import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isTimeZone } from '../../../domain/icalendar.ts';
import type { FormError } from '../../../shared/contracts/account.ts';
import { COMMON_TIME_ZONES, loopPage, loopPath, type LoopFormState } from '../../../web/staff/loop.tsx';
import { AppError } from '../../errors.ts';
import { redirectOrShowAgain } from '../staff/forms.ts';
import { parseId, type StaffContext, type StaffExtension, type StaffScope } from '../staff/staff.scope.ts';
import {
  adjustLoopPlan,
  cancelInterview,
  confirmLoopPlan,
  MAX_MINUTES,
  MIN_MINUTES,
  planApplicationLoop,
  scheduleInterview,
  showLoop,
  type ScheduleRequest,
} from './loops.service.ts';

type Body = Record<string, unknown>;

/** A form value that may come once (a string) or repeated (checkboxes), as a list of strings. */
const many = (raw: unknown): string[] => (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string');
const str = (v: unknown, max = 10_000) => (typeof v === 'string' ? v.slice(0, max) : '');
const idOf = (v: unknown) => (typeof v === 'string' ? (parseId(v.trim()) ?? null) : null);

/** The server's own zone: the schedule form's default. */
export function defaultTimeZone(): string {
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isTimeZone(zone) ? zone : 'UTC';
}

/** The zones the schedule form offers: the default first, then the common ones. */
export function offeredZones(): string[] {
  const first = defaultTimeZone();
  return [first, ...COMMON_TIME_ZONES.filter((z) => z !== first)];
}

const NOTICES: Record<string, string> = {
  planned: 'The loop is planned. Check the rules below, adjust if needed, then confirm the pre-brief.',
  adjusted: 'The plan is saved and checked again.',
  confirmed: 'The pre-brief is confirmed.',
  scheduled: 'The interview is scheduled and the invitation was sent to the interviewer and the candidate.',
  'scheduled-moved': 'The interview is scheduled and the invitation was sent. The application moved to the onsite loop stage.',
  cancelled: 'The interview is cancelled; the interviewer and the candidate were sent the cancellation.',
};

const noticeOf = (query: unknown) => {
  const key = (query as Record<string, unknown> | undefined)?.notice;
  return typeof key === 'string' ? (NOTICES[key] ?? null) : null;
};

const httpsUrl = z
  .string()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && url.hostname !== '';
    } catch {
      return false;
    }
  });

/** The schedule form as typed. */
type ScheduleValues = Omit<NonNullable<LoopFormState['schedule']>, 'interviewId'>;

/** The schedule form, checked field by field; field names are those of the form, without the interview's prefix. */
export function readSchedule(body: Body): { values: ScheduleValues; request?: ScheduleRequest; errors: FormError[] } {
  const values = {
    date: str(body.date, 20).trim(),
    time: str(body.time, 20).trim(),
    timeZone: str(body.timeZone, 100).trim(),
    duration: str(body.duration, 20).trim(),
    room: str(body.room, 200).trim(),
    videoUrl: str(body.videoUrl, 2000).trim(),
  };
  const errors: FormError[] = [];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.date)) errors.push({ field: 'date', message: 'Enter the date as YYYY-MM-DD' });
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(values.time)) errors.push({ field: 'time', message: 'Enter the start time as HH:MM, 24-hour clock' });
  if (!isTimeZone(values.timeZone)) errors.push({ field: 'timeZone', message: 'Choose a time zone from the list' });
  const minutes = /^\d{1,4}$/.test(values.duration) ? Number(values.duration) : NaN;
  if (!(minutes >= MIN_MINUTES && minutes <= MAX_MINUTES)) errors.push({ field: 'duration', message: `Enter a duration from ${MIN_MINUTES} to ${MAX_MINUTES} minutes` });
  if (values.videoUrl && !httpsUrl.safeParse(values.videoUrl).success) errors.push({ field: 'videoUrl', message: 'Enter the video link as an https:// address' });
  if (!values.room && !values.videoUrl) errors.push({ field: 'room', message: 'Give a room or a video link' });
  if (errors.length) return { values, errors };
  return {
    values,
    errors,
    request: { date: values.date, time: values.time, timeZone: values.timeZone, durationMinutes: minutes, room: values.room || null, videoUrl: values.videoUrl || null },
  };
}

/**
 * The loop planner page of an application (plan, adjust, pre-brief), and the scheduling of its
 * interviews with calendar invitations, as one staff extension. Every route goes through
 * scope.route: the session, the CSRF token and the policy ('loop.view', 'loop.plan') first.
 */
export function loopsExtension(): StaffExtension {
  return (scope: StaffScope) => {
    const { db, mail, config } = scope;
    const by = (context: StaffContext) => ({ id: context.user.id, role: context.user.role });

    async function render(request: FastifyRequest, reply: FastifyReply, context: StaffContext, options: { errors?: FormError[]; form?: LoopFormState; status?: number } = {}) {
      const view = await showLoop({ db, applicationId: context.applicationId!, viewer: by(context), teamRole: context.teamRole });
      const chrome = await scope.chrome(request, reply);
      return scope.show(
        reply,
        loopPage({ chrome, view, notice: options.errors?.length ? null : noticeOf(request.query), errors: options.errors ?? [], form: options.form ?? {}, zones: offeredZones() }),
        options.status ?? 200,
      );
    }

    const back = (context: StaffContext, notice: string, anchor = '') => `${loopPath(context.applicationId!)}?notice=${notice}${anchor}`;

    /** Runs a change; a refusal shows the page again with the form as typed. */
    async function attempt(
      request: FastifyRequest,
      reply: FastifyReply,
      context: StaffContext,
      form: LoopFormState,
      change: () => Promise<string>,
      prefix = '',
    ) {
      return redirectOrShowAgain(reply, change, (errors, status) => render(request, reply, context, { errors, form, status }), prefix);
    }

    scope.route({
      method: 'GET',
      url: '/staff/applications/:id/loop',
      action: 'loop.view',
      target: { kind: 'application', param: 'id' },
      handler: (request, reply, context) => render(request, reply, context),
    });

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/loop/plan',
      action: 'loop.plan',
      target: { kind: 'application', param: 'id' },
      handler: (request, reply, context) => {
        const body = (request.body ?? {}) as Body;
        const ids = many(body.interviewers).map(idOf);
        const preferredBarRaiserId = str(body.barRaiser, 20).trim() === '' ? null : idOf(body.barRaiser);
        const plan = { interviewerIds: ids.filter((id): id is number => id !== null), preferredBarRaiserId, allowDuplicates: body.allowDuplicates === 'yes' };
        const errors: FormError[] = [];
        if (ids.some((id) => id === null)) errors.push({ field: 'interviewers', message: 'Choose interviewers from the list' });
        if (preferredBarRaiserId === null && str(body.barRaiser, 20).trim() !== '') errors.push({ field: 'barRaiser', message: 'Choose a bar raiser from the list' });
        if (errors.length) return render(request, reply, context, { errors, form: { plan }, status: 400 });
        return attempt(request, reply, context, { plan }, async () => {
          await planApplicationLoop({ db, applicationId: context.applicationId!, request: plan, by: by(context), publicUrl: config.publicUrl });
          return back(context, 'planned');
        });
      },
    });

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/loop/adjust',
      action: 'loop.plan',
      target: { kind: 'application', param: 'id' },
      handler: (request, reply, context) => {
        const body = (request.body ?? {}) as Body;
        const principles = new Map<number, string[]>();
        let forged = false;
        for (const [key, value] of Object.entries(body)) {
          const match = /^principles-(\d{1,9})$/.exec(key);
          if (!match) continue;
          const id = parseId(match[1]);
          if (id === undefined) forged = true;
          else principles.set(id, [...new Set(many(value).map((s) => s.trim().slice(0, 200)))]);
        }
        const rawBarRaiser = str(body.barRaiser, 20).trim();
        const barRaiser = rawBarRaiser === '' ? null : idOf(rawBarRaiser);
        const adjust = { principles: Object.fromEntries(principles), barRaiser };
        if (forged || (rawBarRaiser !== '' && barRaiser === null)) {
          return render(request, reply, context, { errors: [{ field: 'adjust-bar-raiser', message: 'Choose the bar raiser among the loop’s interviewers' }], form: { adjust }, status: 400 });
        }
        // Interviews whose boxes are all unticked send nothing: they are read as holding no principle.
        return attempt(request, reply, context, { adjust }, async () => {
          await adjustLoopPlan({ db, applicationId: context.applicationId!, request: { principles, barRaiserInterviewId: barRaiser }, by: by(context) });
          return back(context, 'adjusted');
        });
      },
    });

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/loop/confirm',
      action: 'loop.confirm',
      target: { kind: 'application', param: 'id' },
      handler: (request, reply, context) => {
        const body = (request.body ?? {}) as Body;
        const reason = str(body.reason, 2000);
        return attempt(request, reply, context, { confirmReason: reason }, async () => {
          await confirmLoopPlan({ db, applicationId: context.applicationId!, reason, by: by(context) });
          return back(context, 'confirmed');
        });
      },
    });

    const interviewIdOf = (request: FastifyRequest) => {
      const id = parseId((request.params as Record<string, string>).interviewId);
      if (id === undefined) throw new AppError(404, 'not_found', 'There is no such interview in this loop.');
      return id;
    };

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/loop/interviews/:interviewId/schedule',
      action: 'loop.plan',
      target: { kind: 'application', param: 'id' },
      handler: (request, reply, context) => {
        const interviewId = interviewIdOf(request);
        const prefix = `i${interviewId}-`;
        const { values, request: asked, errors } = readSchedule((request.body ?? {}) as Body);
        const form: LoopFormState = { schedule: { interviewId, ...values } };
        if (!asked) return render(request, reply, context, { errors: errors.map((e) => ({ ...e, field: prefix + e.field })), form, status: 400 });
        return attempt(
          request,
          reply,
          context,
          form,
          async () => {
            const { moved } = await scheduleInterview({
              db,
              mail,
              applicationId: context.applicationId!,
              interviewId,
              request: asked,
              by: by(context),
              organization: scope.organization(),
              publicUrl: config.publicUrl,
            });
            return back(context, moved ? 'scheduled-moved' : 'scheduled', `#interview-${interviewId}`);
          },
          prefix,
        );
      },
    });

    scope.route({
      method: 'POST',
      url: '/staff/applications/:id/loop/interviews/:interviewId/cancel',
      action: 'loop.plan',
      target: { kind: 'application', param: 'id' },
      handler: (request, reply, context) => {
        const interviewId = interviewIdOf(request);
        return attempt(request, reply, context, {}, async () => {
          await cancelInterview({ db, mail, applicationId: context.applicationId!, interviewId, by: by(context), organization: scope.organization(), publicUrl: config.publicUrl });
          return back(context, 'cancelled', `#interview-${interviewId}`);
        });
      },
    });
  };
}
