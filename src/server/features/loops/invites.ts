import { buildInvite, type CalendarPerson } from '../../../domain/icalendar.ts';
import { fromAddress } from '../mail/mail.service.ts';
import type { OutgoingMail } from '../mail/mail.types.ts';

// The emails that carry an interview's calendar invitation: one to the interviewer, one to the
// candidate, each with its own wording and the same event (UID, SEQUENCE, times, people).

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const ROLE_WORDS: Record<string, string> = {
  interviewer: 'interviewer',
  bar_raiser: 'bar raiser',
  hiring_manager: 'hiring manager',
  shadow: 'shadow',
};

/** What one invitation (or its cancellation) is about. */
export interface InviteFacts {
  method: 'REQUEST' | 'CANCEL';
  interviewId: number;
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  /** The IANA zone the time was chosen in (the candidate's, as the form asks). */
  timeZone: string;
  room: string | null;
  videoUrl: string | null;
  role: string;
  jobTitle: string;
  organization: string;
  publicUrl: string;
  interviewer: CalendarPerson;
  /** Null when the person's data was erased: they get no email and are no attendee. */
  candidate: CalendarPerson | null;
  /** Names of the principles the interview assesses, in order. */
  principles: string[];
  now: Date;
}

/** The organizer of every invitation: the organization's no-reply address, as mail is sent from it. */
export function organizerOf(organization: string, publicUrl: string): CalendarPerson {
  const from = fromAddress(organization, publicUrl);
  const match = /^"(.*)" <(.+)>$/.exec(from);
  return match ? { name: match[1]!, email: match[2]! } : { name: organization, email: from };
}

/** "Tuesday 10 June 2025, 09:00" in `timeZone`. */
export function formatInZone(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

const clock = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

/** "Tuesday 10 June 2025, 09:00–10:00 Europe/Berlin time (07:00–08:00 UTC, 10 June 2025)". */
export function describeWhen(start: Date, end: Date, timeZone: string): string {
  const utcDay = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(start);
  const local = `${formatInZone(start, timeZone)}–${clock(end, timeZone)} ${timeZone} time`;
  return timeZone === 'UTC' ? `${formatInZone(start, 'UTC')}–${clock(end, 'UTC')} UTC` : `${local} (${clock(start, 'UTC')}–${clock(end, 'UTC')} UTC, ${utcDay})`;
}

/** Where the interview happens, in words: the room, the video link, or both. */
export function describeWhere(room: string | null, videoUrl: string | null): string {
  if (room && videoUrl) return `In person in ${room}, or by video at ${videoUrl}`;
  if (room) return `In person, in ${room}`;
  return `By video call at ${videoUrl ?? ''}`;
}

const list = (items: readonly string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

function message(kind: string, to: string, subject: string, organization: string, lines: string[], link?: { label: string; url: string }): Omit<OutgoingMail, 'ical'> {
  const text = [...lines, ...(link ? ['', `${link.label}:`, link.url] : []), '', `— ${organization} Careers`].join('\n');
  const html = [
    ...lines.map((l) => `<p>${escape(l)}</p>`),
    ...(link ? [`<p><a href="${escape(link.url)}">${escape(link.label)}</a></p>`] : []),
    `<p>— ${escape(organization)} Careers</p>`,
  ].join('\n');
  return { kind, to, subject, text, html };
}

/**
 * The emails for one interview: the interviewer's (with a link to their kit) and the
 * candidate's (the time in the chosen zone and in UTC, the format, and the principles to be
 * discussed — nothing staff wrote about them). Both carry the same event, METHOD REQUEST or CANCEL.
 */
export function interviewInviteMails(facts: InviteFacts): OutgoingMail[] {
  const organizer = organizerOf(facts.organization, facts.publicUrl);
  const attendees = [facts.interviewer, ...(facts.candidate ? [facts.candidate] : [])];
  const location = [facts.room, facts.videoUrl].filter(Boolean).join(' · ');
  const cancelled = facts.method === 'CANCEL';
  const when = describeWhen(facts.start, facts.end, facts.timeZone);
  const where = describeWhere(facts.room, facts.videoUrl);
  const topics = facts.principles.length ? list(facts.principles) : 'to be confirmed';
  const invite = (summary: string) =>
    buildInvite({
      method: facts.method,
      uid: facts.uid,
      sequence: facts.sequence,
      now: facts.now,
      start: facts.start,
      end: facts.end,
      summary,
      description: `Interview for ${facts.jobTitle} at ${facts.organization}. Principles to discuss: ${topics}.`,
      location,
      url: facts.videoUrl,
      organizer,
      attendees,
    });
  const candidateName = facts.candidate?.name || 'the candidate';
  const mails: OutgoingMail[] = [];

  const kitUrl = `${facts.publicUrl}/staff/interviews/${facts.interviewId}/kit`;
  const staffSubject = cancelled ? `Cancelled: interview with ${candidateName} for ${facts.jobTitle}` : `Interview with ${candidateName} for ${facts.jobTitle}`;
  mails.push({
    ...message(
      'interview_invite',
      facts.interviewer.email,
      staffSubject,
      facts.organization,
      cancelled
        ? [`Hello ${facts.interviewer.name},`, `The interview with ${candidateName} for ${facts.jobTitle} is cancelled.`, `It was planned for ${when}.`]
        : [
            `Hello ${facts.interviewer.name},`,
            `You interview ${candidateName} for ${facts.jobTitle} as the ${ROLE_WORDS[facts.role] ?? 'interviewer'}.`,
            `When: ${when}.`,
            `Where: ${where}.`,
            `Principles you assess: ${topics}.`,
          ],
      cancelled ? undefined : { label: 'Your interview kit', url: kitUrl },
    ),
    ical: { method: facts.method, content: invite(`Interview: ${candidateName} for ${facts.jobTitle}`) },
  });

  if (facts.candidate) {
    mails.push({
      ...message(
        'interview_invite',
        facts.candidate.email,
        cancelled ? `Cancelled: your interview for ${facts.jobTitle}` : `Your interview for ${facts.jobTitle} at ${facts.organization}`,
        facts.organization,
        cancelled
          ? [
              `Dear ${facts.candidate.name || 'candidate'},`,
              `Your interview for ${facts.jobTitle}, planned for ${when}, is cancelled.`,
              'We are sorry for the change; we will be in touch about what comes next.',
            ]
          : [
              `Dear ${facts.candidate.name || 'candidate'},`,
              `Your interview for ${facts.jobTitle} at ${facts.organization} is booked.`,
              `When: ${when}.`,
              `Format: ${where}.`,
              `What we will talk about: ${topics}. Come ready to describe real situations from your experience, what you did and what came of it.`,
              'The calendar invitation is attached; add it to your calendar to keep the time.',
            ],
      ),
      ical: { method: facts.method, content: invite(`Interview with ${facts.organization}: ${facts.jobTitle}`) },
    });
  }
  return mails;
}
