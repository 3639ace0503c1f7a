import type { OutgoingMail } from '../mail/mail.types.ts';

// The emails of offers. What goes to candidates names the job title and when to answer, never the
// terms: those are behind the account's sign-in, where the letter is too.

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "5 December 2026", the same on every server. */
export const dayText = (at: Date) => at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A plain message: paragraphs, then a link with its label, then the signature. */
function message(options: { kind: string; to: string; subject: string; lines: string[]; link: { label: string; url: string }; signature: string }): OutgoingMail {
  const { lines, link, signature } = options;
  return {
    kind: options.kind,
    to: options.to,
    subject: options.subject,
    text: [...lines, '', `${link.label}:`, link.url, '', `— ${signature}`].join('\n'),
    html: [...lines.map((l) => `<p>${escape(l)}</p>`), `<p><a href="${escape(link.url)}">${escape(link.label)}</a></p>`, `<p>— ${escape(signature)}</p>`].join('\n'),
  };
}

/** To an approver whose turn it is. */
export function approvalWaitingMail(o: { to: string; approver: string; candidate: string; title: string; submitter: string; url: string; organization: string }): OutgoingMail {
  return message({
    kind: 'offer_approval_waiting',
    to: o.to,
    subject: `Offer to approve: ${o.title}`,
    lines: [
      `Hello ${o.approver},`,
      `${o.submitter} submitted an offer for ${o.title} to ${o.candidate}, and it is your turn to approve it. It goes to the candidate only once every approver in the chain has approved.`,
    ],
    link: { label: 'Review the offer', url: o.url },
    signature: `${o.organization} Hiring`,
  });
}

/** To whoever drafted the offer, when an approver sends it back. */
export function approvalRejectedMail(o: { to: string; candidate: string; title: string; approver: string; comment: string; url: string; organization: string }): OutgoingMail {
  return message({
    kind: 'offer_approval_rejected',
    to: o.to,
    subject: `Offer sent back: ${o.title}`,
    lines: [`${o.approver} did not approve the offer for ${o.title} to ${o.candidate}. It is a draft again.`, `Their comment: ${o.comment}`],
    link: { label: 'Open the offer', url: o.url },
    signature: `${o.organization} Hiring`,
  });
}

/** To the candidate: an offer waits in their account. */
export function offerExtendedMail(o: { to: string; name: string; title: string; expiresAt: Date; url: string; organization: string }): OutgoingMail {
  return message({
    kind: 'offer_extended',
    to: o.to,
    subject: `An offer from ${o.organization}: ${o.title}`,
    lines: [
      `Hello ${o.name || 'there'},`,
      `We are delighted to offer you the position of ${o.title}. The offer and its letter are in your account, where you can accept or decline it.`,
      `Please answer by the end of ${dayText(o.expiresAt)} (UTC).`,
    ],
    link: { label: 'Read your offer', url: o.url },
    signature: `${o.organization} Careers`,
  });
}

/** To the candidate, once, when less than two days remain. */
export function offerExpiringMail(o: { to: string; name: string; title: string; expiresAt: Date; url: string; organization: string }): OutgoingMail {
  return message({
    kind: 'offer_expiring',
    to: o.to,
    subject: `Your offer for ${o.title} expires soon`,
    lines: [
      `Hello ${o.name || 'there'},`,
      `Your offer for ${o.title} can be answered until the end of ${dayText(o.expiresAt)} (UTC). After that it expires.`,
      'If you need more time or have a question, reply to your recruiter before then.',
    ],
    link: { label: 'Read and answer your offer', url: o.url },
    signature: `${o.organization} Careers`,
  });
}

/** To the candidate, when staff withdraw an offer they had received. The reason stays internal. */
export function offerRescindedMail(o: { to: string; name: string; title: string; url: string; organization: string }): OutgoingMail {
  return message({
    kind: 'offer_rescinded',
    to: o.to,
    subject: `Your offer for ${o.title} was withdrawn`,
    lines: [
      `Hello ${o.name || 'there'},`,
      `We are sorry to tell you that we have withdrawn our offer for ${o.title}. It can no longer be accepted.`,
      'Your recruiter will be in touch to explain.',
    ],
    link: { label: 'See your account', url: o.url },
    signature: `${o.organization} Careers`,
  });
}

/** To the job's hiring manager and recruiters: the candidate answered, or the offer expired. */
export function offerOutcomeMail(o: {
  to: string;
  outcome: 'accepted' | 'declined' | 'expired';
  candidate: string;
  title: string;
  closedAsFilled: boolean;
  url: string;
  organization: string;
}): OutgoingMail {
  const lines =
    o.outcome === 'accepted'
      ? [
          `${o.candidate} accepted the offer for ${o.title}. The application is now hired.`,
          o.closedAsFilled ? 'That was the job’s last open seat: the job is closed as filled and no longer shown on the careers site.' : 'The job’s open headcount is one lower.',
        ]
      : o.outcome === 'declined'
        ? [`${o.candidate} declined the offer for ${o.title}. Any reason they gave is on the offer page.`]
        : [`The offer for ${o.title} to ${o.candidate} expired without an answer.`];
  return message({
    kind: `offer_${o.outcome}`,
    to: o.to,
    subject: `Offer ${o.outcome}: ${o.candidate}, ${o.title}`,
    lines,
    link: { label: 'Open the offer', url: o.url },
    signature: `${o.organization} Hiring`,
  });
}
