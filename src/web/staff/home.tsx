import type { Page } from '../careers/pages.tsx';
import { staffPage, type StaffChrome } from './layout.tsx';

/** One thing waiting for the user: a job to approve, a job with applications to screen… */
export interface WaitingItem {
  title: string;
  href: string;
  /** A short line under the title, e.g. the requisition id and since when it waits. */
  detail?: string;
  /** Further links, e.g. one per stage of the pipeline board. */
  links?: Array<{ href: string; label: string }>;
}

/** A group of the "Waiting for you" section; the service computes one per source. */
export interface WaitingGroup {
  key: string;
  title: string;
  /** What the page says when the group has nothing. */
  empty: string;
  items: WaitingItem[];
}

/** One line of recent activity: "<actor> <text> <link><after>", with an optional comment. */
export interface ActivityItem {
  at: Date;
  actor: string;
  text: string;
  link: { href: string; text: string };
  after: string;
  note?: string;
}

export interface NotificationView {
  id: number;
  text: string;
  href: string;
  read: boolean;
  createdAt: Date;
}

export interface HomeView {
  waiting: WaitingGroup[];
  activity: ActivityItem[];
  notifications: { unread: number; newest: NotificationView[] };
}

/** "4 Mar 2026, 14:05 UTC": staff work across time zones, so times say which one they are in. */
export function formatWhen(at: Date): string {
  const date = at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const time = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' });
  return `${date}, ${time} UTC`;
}

/** A moment as a <time> element (shared by the workspace's own pages). */
export function When({ at }: { at: Date }) {
  return <time dateTime={at.toISOString()}>{formatWhen(at)}</time>;
}

/** "Newer" and "Older" links of a list read page by page (shared by the workspace's own pages). */
export function Pager({ label, newer, older }: { label: string; newer?: string | undefined; older?: string | undefined }) {
  if (!newer && !older) return null;
  return (
    <nav className="pagination staff-pager" aria-label={label}>
      <ul>
        {newer ? (
          <li>
            <a href={newer} rel="prev">
              Newer
            </a>
          </li>
        ) : null}
        {older ? (
          <li>
            <a href={older} rel="next">
              Older
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/** The unread marker: words, so it does not rely on colour or weight alone. */
export function UnreadTag() {
  return <span className="status-tag status-tag--unread">Unread</span>;
}

/** /staff: what waits for the user, their notifications and what happened lately on their jobs. */
export function homePage({ chrome, view }: { chrome: StaffChrome; view: HomeView }): Page {
  const waitingCount = view.waiting.reduce((n, g) => n + g.items.length, 0);
  return staffPage({
    chrome,
    title: 'Home',
    path: '/staff',
    section: 'home',
    lead: chrome.user ? `Welcome, ${chrome.user.name}.` : undefined,
    children: (
      <div className="staff-grid staff-grid--two">
        <div>
          <section className="panel" aria-labelledby="waiting-title">
            <h2 id="waiting-title">Waiting for you</h2>
            {waitingCount === 0 ? <p>Nothing is waiting for you right now.</p> : null}
            {view.waiting.map((group) => (
              <section key={group.key} className="waiting-group" aria-labelledby={`waiting-${group.key}`}>
                <h3 id={`waiting-${group.key}`}>
                  {group.title} <span className="count">({group.items.length})</span>
                </h3>
                {group.items.length === 0 ? (
                  <p className="muted">{group.empty}</p>
                ) : (
                  <ul className="waiting-list">
                    {group.items.map((item) => (
                      <li key={item.href}>
                        <a href={item.href}>{item.title}</a>
                        {item.detail ? <span className="waiting-list__detail"> {item.detail}</span> : null}
                        {item.links?.length ? (
                          <ul className="waiting-list__links">
                            {item.links.map((link) => (
                              <li key={link.href}>
                                <a href={link.href}>{link.label}</a>
                              </li>
                            ))}
                          </ul>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            ))}
          </section>
          <section className="panel" aria-labelledby="activity-title">
            <h2 id="activity-title">Recent activity on your jobs</h2>
            {view.activity.length === 0 ? (
              <p>Nothing has happened on your jobs yet.</p>
            ) : (
              <ol className="activity">
                {view.activity.map((item, index) => (
                  <li key={`${item.link.href}:${item.at.toISOString()}:${index}`} className="activity__item">
                    <p className="activity__text">
                      <strong>{item.actor}</strong> {item.text} <a href={item.link.href}>{item.link.text}</a>
                      {item.after}
                    </p>
                    {item.note ? <p className="activity__note">“{item.note}”</p> : null}
                    <p className="activity__when">
                      <When at={item.at} />
                    </p>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>
        <aside className="panel home-aside" aria-labelledby="notifications-title">
          <h2 id="notifications-title">Notifications</h2>
          <p>{view.notifications.unread === 0 ? 'You have no unread notifications.' : `You have ${view.notifications.unread} unread notification${view.notifications.unread === 1 ? '' : 's'}.`}</p>
          {view.notifications.newest.length > 0 ? (
            <ul className="notification-list notification-list--compact">
              {view.notifications.newest.map((n) => (
                <li key={n.id} className={n.read ? 'notification' : 'notification notification--unread'}>
                  {n.read ? null : <UnreadTag />} <a href={n.href}>{n.text}</a>
                  <span className="notification__when">
                    <When at={n.createdAt} />
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
          <p>
            <a href="/staff/notifications">All notifications</a>
          </p>
        </aside>
      </div>
    ),
  });
}
