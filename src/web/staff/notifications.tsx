import type { Page } from '../careers/pages.tsx';
import { CsrfField } from '../account/forms.tsx';
import { Pager, UnreadTag, When, type NotificationView } from './home.tsx';
import { staffPage, type StaffChrome } from './layout.tsx';

export interface NotificationsView {
  items: NotificationView[];
  unread: number;
  newer?: string | undefined;
  older?: string | undefined;
}

/** /staff/notifications: every notification of the user, newest first; unread ones say so in words. */
export function notificationsPage({ chrome, view }: { chrome: StaffChrome; view: NotificationsView }): Page {
  return staffPage({
    chrome,
    title: 'Notifications',
    path: '/staff/notifications',
    section: 'notifications',
    lead: view.unread > 0 ? `${view.unread} unread.` : view.items.length > 0 ? 'Everything is read.' : undefined,
    actions:
      view.unread > 0 ? (
        <form method="post" action="/staff/notifications/read" className="inline-form">
          <CsrfField token={chrome.csrf} />
          <button type="submit" className="button button--outline">
            Mark all as read
          </button>
        </form>
      ) : undefined,
    children: (
      <>
        {view.items.length === 0 ? (
          <p>You have no notifications. You will get one when someone mentions you in a note or a job waits for you.</p>
        ) : (
          <ul className="notification-list">
            {view.items.map((n) => (
              <li key={n.id} className={n.read ? 'notification' : 'notification notification--unread'}>
                <div className="notification__body">
                  {n.read ? null : <UnreadTag />} <a href={n.href}>{n.text}</a>
                  <span className="notification__when">
                    <When at={n.createdAt} />
                  </span>
                </div>
                {n.read ? null : (
                  <form method="post" action="/staff/notifications/read" className="inline-form">
                    <CsrfField token={chrome.csrf} />
                    <input type="hidden" name="id" value={String(n.id)} />
                    <button type="submit" className="button button--outline button--small">
                      Mark as read<span className="visually-hidden">: {n.text}</span>
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
        <Pager label="Pages of notifications" newer={view.newer} older={view.older} />
      </>
    ),
  });
}
