import type { Page } from '../careers/pages.tsx';
import { Pager, When } from './home.tsx';
import { staffPage, type StaffChrome } from './layout.tsx';

export interface MailRowView {
  id: number;
  to: string;
  subject: string;
  kind: string;
  /** Where the message is, in words: kept in the outbox, sent, queued, retrying. */
  status: string;
  sentAt: Date | null;
  createdAt: Date;
}

export interface OutboxView {
  messages: MailRowView[];
  /** Whether mail goes out through SMTP or stays here. */
  smtp: boolean;
  newer?: string | undefined;
  older?: string | undefined;
}

/** A piece of a message body: plain text, or a link to this site. */
export type BodyPart = { text: string } | { text: string; href: string };

export interface MailMessageView extends MailRowView {
  body: BodyPart[];
  lastError: string | null;
  attempts: number;
  ical: { method: string; content: string } | null;
  hasHtml: boolean;
}

/** /staff/outbox: every email the app stored, newest first. */
export function outboxPage({ chrome, view }: { chrome: StaffChrome; view: OutboxView }): Page {
  return staffPage({
    chrome,
    title: 'Outbox',
    path: '/staff/outbox',
    section: 'outbox',
    wide: true,
    lead: view.smtp
      ? 'Every email the app sent or is sending through the mail server, newest first.'
      : 'No mail server is configured, so emails stay here instead of being sent. Open one to read it and follow its links.',
    children: (
      <>
        {view.messages.length === 0 ? (
          <p>No email has been sent yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">Emails, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">To</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {view.messages.map((m) => (
                  <tr key={m.id}>
                    <td>{m.to}</td>
                    <td>
                      <a href={`/staff/outbox/${m.id}`}>{m.subject || '(no subject)'}</a>
                    </td>
                    <td>
                      <code>{m.kind}</code>
                    </td>
                    <td>
                      {m.status}
                      {m.sentAt ? (
                        <>
                          {' '}
                          <When at={m.sentAt} />
                        </>
                      ) : null}
                    </td>
                    <td>
                      <When at={m.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager label="Pages of the outbox" newer={view.newer} older={view.older} />
      </>
    ),
  });
}

/** /staff/outbox/:id: one email's text, with links to this site made clickable. */
export function mailMessagePage({ chrome, message }: { chrome: StaffChrome; message: MailMessageView }): Page {
  return staffPage({
    chrome,
    title: message.subject || '(no subject)',
    path: `/staff/outbox/${message.id}`,
    section: 'outbox',
    lead: (
      <>
        <a href="/staff/outbox">Back to the outbox</a>
      </>
    ),
    children: (
      <>
        <dl className="mail-facts">
          <dt>To</dt>
          <dd>{message.to}</dd>
          <dt>Kind</dt>
          <dd>
            <code>{message.kind}</code>
          </dd>
          <dt>Created</dt>
          <dd>
            <When at={message.createdAt} />
          </dd>
          <dt>Status</dt>
          <dd>
            {message.status}
            {message.sentAt ? (
              <>
                {' '}
                <When at={message.sentAt} />
              </>
            ) : null}
            {message.attempts > 0 ? ` (${message.attempts} attempt${message.attempts === 1 ? '' : 's'})` : ''}
          </dd>
          {message.lastError ? (
            <>
              <dt>Last error</dt>
              <dd>{message.lastError}</dd>
            </>
          ) : null}
        </dl>
        <section aria-labelledby="mail-body-title">
          <h2 id="mail-body-title">Text</h2>
          <p className="field__hint">Only links to this site are clickable.{message.hasHtml ? ' The email also has an HTML version with the same content.' : ''}</p>
          <pre className="mail-body">
            {message.body.map((part, index) =>
              'href' in part ? (
                <a key={index} href={part.href}>
                  {part.text}
                </a>
              ) : (
                part.text
              ),
            )}
          </pre>
        </section>
        {message.ical ? (
          <details className="mail-ical">
            <summary>Calendar invite ({message.ical.method})</summary>
            <pre className="mail-body">{message.ical.content}</pre>
          </details>
        ) : null}
      </>
    ),
  });
}
