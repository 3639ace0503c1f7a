import type { ReactNode } from 'react';
import type { FormError } from '../../shared/contracts/account.ts';
import { STAFF_ROLE_LABELS, type StaffRole } from '../../domain/policy.ts';
import type { Page } from '../careers/pages.tsx';
import { CsrfField, ErrorSummary } from '../account/forms.tsx';

/** What the frame of every staff page needs. */
export interface StaffChrome {
  organization: string;
  /** Who is signed in; null on the sign-in pages. */
  user: { name: string; role: StaffRole; demo: boolean } | null;
  /** The anti-forgery token for the forms of this page (the sign-out form among them). */
  csrf: string;
  /** Unread in-app notifications. */
  unread: number;
  isAdmin: boolean;
  /** Which workspace-wide pages the user may open (the policy decides; the menu only follows). */
  may: { users: boolean; settings: boolean; audit: boolean; outbox: boolean; reports: boolean };
}

export type StaffSection = 'home' | 'jobs' | 'users' | 'audit' | 'outbox' | 'notifications' | 'settings' | 'reports' | 'questions' | 'offers' | 'none';

/**
 * A staff page: never indexed, titled "Error: …" when a form was refused, with the workspace
 * navigation (admin entries for admins only) and a sign-out button.
 */
export function staffPage({
  chrome,
  title,
  path,
  section,
  errors = [],
  lead,
  actions,
  wide = false,
  scripts = [],
  children,
}: {
  chrome: StaffChrome;
  title: string;
  path: string;
  section: StaffSection;
  errors?: FormError[];
  lead?: ReactNode;
  /** Buttons or links beside the heading. */
  actions?: ReactNode;
  /** Full width (the pipeline board) instead of the reading width. */
  wide?: boolean;
  scripts?: string[];
  children: ReactNode;
}): Page {
  const refused = errors.length > 0;
  return {
    meta: { title: refused ? `Error: ${title}` : title, description: `${title} in the ${chrome.organization} hiring workspace.`, path, noindex: true },
    body: (
      <StaffLayout chrome={chrome} section={section} scripts={scripts}>
        <div className={wide ? 'container container--wide staff' : 'container staff'}>
          <ErrorSummary errors={errors} />
          <header className="page-head page-head--compact staff__head">
            <div>
              <h1>{title}</h1>
              {lead ? <p className="page-head__lead">{lead}</p> : null}
            </div>
            {actions ? <div className="staff__actions">{actions}</div> : null}
          </header>
          {children}
        </div>
      </StaffLayout>
    ),
  };
}

function StaffLayout({ chrome, section, scripts, children }: { chrome: StaffChrome; section: StaffSection; scripts: string[]; children: ReactNode }) {
  const nav: Array<{ href: string; label: string; section: StaffSection; shown: boolean }> = [
    { href: '/staff', label: 'Home', section: 'home', shown: true },
    { href: '/staff/jobs', label: 'Jobs', section: 'jobs', shown: true },
    { href: '/staff/notifications', label: chrome.unread > 0 ? `Notifications (${chrome.unread} unread)` : 'Notifications', section: 'notifications', shown: true },
    { href: '/staff/offers', label: 'Offers', section: 'offers', shown: true },
    { href: '/staff/question-bank', label: 'Question bank', section: 'questions', shown: true },
    { href: '/staff/reports/self-identification', label: 'Reports', section: 'reports', shown: chrome.may.reports },
    { href: '/staff/users', label: 'Users', section: 'users', shown: chrome.may.users },
    { href: '/staff/settings', label: 'Settings', section: 'settings', shown: chrome.may.settings },
    { href: '/staff/audit', label: 'Audit log', section: 'audit', shown: chrome.may.audit },
    { href: '/staff/outbox', label: 'Outbox', section: 'outbox', shown: chrome.may.outbox },
  ];
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="site-header site-header--staff">
        <div className="container container--wide site-header__inner">
          <a className="brand" href="/staff">
            <span className="brand__mark" aria-hidden="true">
              1
            </span>
            <span>
              {chrome.organization} <span className="brand__suffix">Hiring</span>
            </span>
          </a>
          {chrome.user ? (
            <nav aria-label="Workspace">
              <ul className="nav">
                {nav
                  .filter((item) => item.shown)
                  .map((item) => (
                    <li key={item.href}>
                      <a href={item.href} className="nav__link" aria-current={item.section === section ? 'page' : undefined}>
                        {item.label}
                      </a>
                    </li>
                  ))}
                <li>
                  <form method="post" action="/staff/sign-out" className="nav__form">
                    <CsrfField token={chrome.csrf} />
                    <button type="submit" className="nav__link nav__button">
                      Sign out
                    </button>
                  </form>
                </li>
              </ul>
            </nav>
          ) : null}
        </div>
        {chrome.user ? (
          <p className="container container--wide staff-who">
            Signed in as {chrome.user.name} · {STAFF_ROLE_LABELS[chrome.user.role]}
            {chrome.user.demo ? ' · demo account' : ''}
          </p>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <div className="container container--wide site-footer__inner">
          <p>
            {chrome.organization} hiring workspace. Everything you change here is recorded in the audit log. <a href="/">Public careers site</a>
          </p>
        </div>
      </footer>
      {scripts.map((src) => (
        <script key={src} type="module" src={src} />
      ))}
    </>
  );
}

/** A small form that posts one action (a button) with the CSRF token and optional hidden values. */
export function ActionForm({
  action,
  csrf,
  label,
  hidden = {},
  variant = 'solid',
}: {
  action: string;
  csrf: string;
  label: string;
  hidden?: Record<string, string>;
  variant?: 'solid' | 'outline' | 'danger';
}) {
  return (
    <form method="post" action={action} className="inline-form">
      <CsrfField token={csrf} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={`button button--${variant}`}>
        {label}
      </button>
    </form>
  );
}

/** Names as a list, one per line: principle names may hold commas ("Are right, a lot"), so never join them with commas. */
export function NameList({ names, empty }: { names: readonly string[]; empty: string }) {
  if (names.length === 0) return <>{empty}</>;
  return (
    <ul className="name-list">
      {names.map((name) => (
        <li key={name}>{name}</li>
      ))}
    </ul>
  );
}
