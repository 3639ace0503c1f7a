import type { OutgoingMail } from '../mail/mail.types.ts';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Tells a hiring manager that a job waits for their approval, with the link to it. */
export function approvalWaitingMail({
  to,
  title,
  submitter,
  url,
  organization,
}: {
  to: string;
  title: string;
  submitter: string;
  url: string;
  organization: string;
}): OutgoingMail {
  const line = `${submitter} submitted the job “${title}” for your approval. It is not published until you approve it; you can also send it back with a comment.`;
  return {
    kind: 'job_approval_waiting',
    to,
    subject: `Approval needed: ${title}`,
    text: [line, '', 'Open the job:', url, '', `— ${organization} Hiring`].join('\n'),
    html: [`<p>${escape(line)}</p>`, `<p><a href="${escape(url)}">Open the job</a></p>`, `<p>— ${escape(organization)} Hiring</p>`].join('\n'),
  };
}
