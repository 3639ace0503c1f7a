import type { OutgoingMail } from '../mail/mail.types.ts';

// The debrief's emails to staff. They carry a link and the decision at most: never evidence,
// signals, votes, reasons or the memo, which stay behind the sign-in and the sealing rule.

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function message({ kind, to, subject, lines, action, organization }: { kind: string; to: string; subject: string; lines: string[]; action: { label: string; url: string }; organization: string }): OutgoingMail {
  return {
    kind,
    to,
    subject,
    text: [...lines, '', `${action.label}:`, action.url, '', `— ${organization} Hiring`].join('\n'),
    html: [...lines.map((l) => `<p>${escape(l)}</p>`), `<p><a href="${escape(action.url)}">${escape(action.label)}</a></p>`, `<p>— ${escape(organization)} Hiring</p>`].join('\n'),
  };
}

/** To each loop member and the job's recruiters when the debrief opens. */
export function debriefReadyMail(options: { to: string; name: string; candidate: string; jobTitle: string; url: string; organization: string }): OutgoingMail {
  return message({
    kind: 'debrief_ready',
    to: options.to,
    subject: `Debrief ready: ${options.candidate} for ${options.jobTitle}`,
    lines: [
      `Hello ${options.name},`,
      `The debrief of ${options.candidate}’s interview loop for ${options.jobTitle} is open.`,
      'All the submitted feedback is in the debrief room. Read it there, then record your final vote; the bar raiser records the decision.',
    ],
    action: { label: 'Open the debrief room', url: options.url },
    organization: options.organization,
  });
}

/** To each loop member and the job's recruiters once the bar raiser has decided: the decision only. */
export function decisionMadeMail(options: { to: string; name: string; candidate: string; jobTitle: string; decision: string; url: string; organization: string }): OutgoingMail {
  return message({
    kind: 'debrief_decided',
    to: options.to,
    subject: `Decision made: ${options.candidate} for ${options.jobTitle}`,
    lines: [`Hello ${options.name},`, `The bar raiser recorded the decision on ${options.candidate} for ${options.jobTitle}: ${options.decision}.`, 'The decision is final.'],
    action: { label: 'See the debrief', url: options.url },
    organization: options.organization,
  });
}
