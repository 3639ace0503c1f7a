import type { Db } from '../../db/client.ts';
import { sweepWorkOptions, type Queue, type SweepPolling } from '../../queue.ts';
import type { Mail, OutgoingMail } from '../mail/mail.types.ts';
import { describeWhen } from './invites.ts';
import { claimOverdueFeedback } from './loops.repository.ts';

/** Feedback is due this long after an interview ends; the reminder goes once it is overdue. */
export const FEEDBACK_DUE_MS = 24 * 3600 * 1000;
/** The queue the reminder sweep runs on, and how often (every 15 minutes, UTC). */
export const FEEDBACK_REMINDER_QUEUE = 'loops.feedback-reminders';
export const FEEDBACK_REMINDER_CRON = '*/15 * * * *';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface ReminderDeps {
  db: Db;
  mail: Mail;
  publicUrl: string;
  /** The organization's name for the signature; "Day One" when not given. */
  organization?: string | (() => string);
}

function reminderMail(options: { to: string; name: string; jobTitle: string; when: string; url: string; organization: string }): OutgoingMail {
  const lines = [
    `Hello ${options.name},`,
    `Your feedback on the interview for ${options.jobTitle} (${options.when}) is not submitted yet.`,
    'The debrief waits for everyone’s feedback, and evidence is best written while it is fresh. Your feedback stays sealed from the others until you submit it.',
  ];
  return {
    kind: 'feedback_due',
    to: options.to,
    subject: `Feedback due: your interview for ${options.jobTitle}`,
    text: [...lines, '', 'Write your feedback:', options.url, '', `— ${options.organization} Careers`].join('\n'),
    html: [...lines.map((l) => `<p>${escape(l)}</p>`), `<p><a href="${escape(options.url)}">Write your feedback</a></p>`, `<p>— ${escape(options.organization)} Careers</p>`].join('\n'),
  };
}

/**
 * Emails each interviewer whose interview ended more than 24 hours before `now` and whose
 * feedback is missing or still a draft: once per interview (reminder_sent_at; a reschedule
 * clears it). The email links to the feedback form and holds nothing of anyone's feedback.
 */
export async function remindMissingFeedback({ db, mail, publicUrl, organization, now }: ReminderDeps & { now: Date }): Promise<{ reminded: number }> {
  const due = await claimOverdueFeedback(db, { now, graceMs: FEEDBACK_DUE_MS });
  const org = (typeof organization === 'function' ? organization() : organization) ?? 'Day One';
  for (const interview of due) {
    const end = new Date(interview.startsAt.getTime() + interview.durationMinutes * 60_000);
    await mail.send(
      reminderMail({
        to: interview.email,
        name: interview.name,
        jobTitle: interview.jobTitle,
        when: describeWhen(interview.startsAt, end, interview.timeZone ?? 'UTC'),
        url: `${publicUrl}/staff/interviews/${interview.id}/feedback`,
        organization: org,
      }),
    );
  }
  return { reminded: due.length };
}

/**
 * Schedules the reminder sweep every 15 minutes on pg-boss and works it on this node. Answers
 * a function that stops this node's worker (the schedule stays, for the other nodes).
 */
export async function registerFeedbackReminders(queue: Queue, deps: ReminderDeps & SweepPolling): Promise<() => Promise<void>> {
  await queue.createQueue(FEEDBACK_REMINDER_QUEUE);
  await queue.schedule(FEEDBACK_REMINDER_QUEUE, FEEDBACK_REMINDER_CRON, null, { tz: 'UTC' });
  await queue.work(FEEDBACK_REMINDER_QUEUE, sweepWorkOptions(deps), async () => {
    await remindMissingFeedback({ ...deps, now: new Date() });
  });
  return async () => {
    await queue.offWork(FEEDBACK_REMINDER_QUEUE);
  };
}
