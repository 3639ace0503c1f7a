import type { JobSummary } from '../../../shared/contracts/search.ts';
import type { OutgoingMail } from '../mail/mail.types.ts';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * One alert's digest: the new jobs, a link to the whole search, and a one-click unsubscribe
 * link that needs no sign-in (its page asks for one button press, so a mail scanner following
 * links unsubscribes no one).
 */
export function alertDigestMail({
  to,
  organization,
  description,
  frequency,
  jobs,
  more,
  searchUrl,
  unsubscribeUrl,
  alertsUrl,
}: {
  to: string;
  organization: string;
  description: string;
  frequency: 'daily' | 'weekly';
  jobs: JobSummary[];
  /** True when there may be more new jobs than the digest lists. */
  more: boolean;
  searchUrl: string;
  unsubscribeUrl: string;
  alertsUrl: string;
}): OutgoingMail {
  const count = `${jobs.length}${more ? '+' : ''} new job${jobs.length === 1 && !more ? '' : 's'}`;
  const subject = `${count}: ${description.length > 80 ? `${description.slice(0, 79)}…` : description}`;
  const when = frequency === 'daily' ? 'once a day' : 'once a week, on Mondays';
  const line = (job: JobSummary) => `${job.title} — ${job.team.name} · ${job.location}`;
  const text = [
    `New jobs at ${organization} for your alert: ${description}`,
    '',
    ...jobs.flatMap((job, i) => [`${i + 1}. ${line(job)}`, `   ${job.url}`]),
    '',
    more ? 'There are more new jobs than fit in one email. See them all, newest first:' : 'See every job for this search, newest first:',
    searchUrl,
    '',
    `You get this email ${when} because you asked for it on ${organization} Careers.`,
    'Stop these emails with one click (no sign-in needed):',
    unsubscribeUrl,
    `Manage your alerts: ${alertsUrl}`,
    '',
    `— ${organization} Careers`,
  ].join('\n');
  const html = [
    `<p>New jobs at ${escape(organization)} for your alert: <strong>${escape(description)}</strong></p>`,
    '<ol>',
    ...jobs.map((job) => `<li><a href="${escape(job.url)}">${escape(job.title)}</a> — ${escape(job.team.name)} · ${escape(job.location)}</li>`),
    '</ol>',
    `<p><a href="${escape(searchUrl)}">${more ? 'There are more: see all new jobs for this search' : 'See every job for this search'}</a></p>`,
    `<p>You get this email ${when} because you asked for it on ${escape(organization)} Careers. ` +
      `<a href="${escape(unsubscribeUrl)}">Stop these emails</a> (no sign-in needed) or <a href="${escape(alertsUrl)}">manage your alerts</a>.</p>`,
    `<p>— ${escape(organization)} Careers</p>`,
  ].join('\n');
  // One-click unsubscribe from the mail client's own button (RFC 2369 and RFC 8058): the client
  // POSTs "List-Unsubscribe=One-Click" to the same signed link, which needs no sign-in.
  const headers = { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
  return { kind: 'job_alert_digest', to, subject, text, html, headers };
}
