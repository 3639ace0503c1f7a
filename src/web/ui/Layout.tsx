import type { ReactNode } from 'react';

export type Section = 'home' | 'jobs' | 'teams' | 'principles' | 'account' | 'none';

const nav: Array<{ href: string; label: string; section: Section }> = [
  { href: '/', label: 'Our culture', section: 'home' },
  { href: '/jobs', label: 'Jobs', section: 'jobs' },
  { href: '/teams', label: 'Teams', section: 'teams' },
  { href: '/principles', label: 'Principles', section: 'principles' },
  { href: '/account', label: 'Your account', section: 'account' },
];

/**
 * The frame of every public page: skip link, header with navigation, main landmark, footer.
 * `scripts` are same-origin module URLs that only enhance the page; `jsonLd` is structured data
 * already escaped for a script element (see jsonLdText).
 */
export function Layout({
  organization,
  section,
  children,
  scripts = [],
  jsonLd,
}: {
  organization: string;
  section: Section;
  children: ReactNode;
  scripts?: string[];
  jsonLd?: string;
}) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="site-header">
        <div className="container site-header__inner">
          <a className="brand" href="/">
            <span className="brand__mark" aria-hidden="true">
              1
            </span>
            <span>
              {organization} <span className="brand__suffix">Careers</span>
            </span>
          </a>
          <nav aria-label="Main">
            <ul className="nav">
              {nav.map((item) => (
                <li key={item.href}>
                  <a href={item.href} className="nav__link" aria-current={item.section === section ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <div className="container site-footer__inner">
          <p>
            © {organization}. We hire by principles: every interview assesses named principles, and every vote is written
            before anyone sees another.
          </p>
          <nav aria-label="Footer">
            <ul className="footer-nav">
              {nav.map((item) => (
                <li key={item.href}>
                  <a href={item.href}>{item.label}</a>
                </li>
              ))}
            </ul>
          </nav>
          <p className="site-footer__powered">Powered by Day One, open-source hiring software.</p>
        </div>
      </footer>
      {jsonLd ? <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd }} /> : null}
      {scripts.map((src) => (
        <script key={src} type="module" src={src} />
      ))}
    </>
  );
}

/** Sanitized HTML produced by the server's Markdown renderer. Never pass unsanitized input. */
export function Prose({ html, className }: { html: string; className?: string }) {
  return <div className={className ? `prose ${className}` : 'prose'} dangerouslySetInnerHTML={{ __html: html }} />;
}

/** The trail of links above a page's heading; the last step is the page itself. */
export function Breadcrumb({ links, current }: { links: Array<{ href: string; label: string }>; current: string }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <ol>
        {links.map((link) => (
          <li key={link.href}>
            <a href={link.href}>{link.label}</a>
          </li>
        ))}
        <li>
          <span aria-current="page">{current}</span>
        </li>
      </ol>
    </nav>
  );
}
