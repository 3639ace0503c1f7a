import type { ContentSnapshot, PublishedEntry } from '../../shared/contracts/content.ts';
import { Breadcrumb, Layout, Prose } from '../ui/Layout.tsx';
import type { PageMeta } from '../ui/Document.tsx';
import type { ReactElement } from 'react';

/** A page ready to render: its metadata and its body inside the layout. */
export interface Page {
  meta: PageMeta;
  body: ReactElement;
}

function EntryCards({ entries, base, numbered }: { entries: PublishedEntry[]; base: string; numbered?: boolean }) {
  return (
    <ul className={numbered ? 'cards cards--numbered' : 'cards'}>
      {entries.map((entry, index) => (
        <li key={entry.slug} className="card">
          {numbered ? (
            <span className="card__number" aria-hidden="true">
              {String(index + 1).padStart(2, '0')}
            </span>
          ) : null}
          <h3 className="card__title">
            <a href={`${base}/${entry.slug}`} className="card__link">
              {entry.name}
            </a>
          </h3>
          <p className="card__summary">{entry.summary}</p>
        </li>
      ))}
    </ul>
  );
}

export function homePage(content: ContentSnapshot): Page {
  const { culture, organization } = content;
  return {
    meta: { title: culture.title, description: culture.summary, path: '/' },
    body: (
      <Layout organization={organization} section="home">
        <section className="hero" aria-labelledby="hero-title">
          <div className="container">
            <p className="eyebrow">Careers at {organization}</p>
            <h1 id="hero-title" className="hero__title">
              {culture.title}
            </h1>
            <p className="hero__lead">{culture.summary}</p>
            <form className="hero__search" method="get" action="/jobs" role="search" aria-label="Jobs">
              <label htmlFor="hero-q" className="hero__search-label">
                Search open jobs
              </label>
              <div className="hero__search-row">
                <input id="hero-q" name="q" type="search" placeholder="Try “software engineer” or “finance”" autoComplete="off" />
                <button type="submit" className="button button--primary">
                  Search jobs
                </button>
              </div>
            </form>
            <p className="hero__actions">
              <a className="button button--ghost" href="/jobs">
                See all open jobs
              </a>
              <a className="button button--ghost" href="/principles">
                Read our {content.principles.length} principles
              </a>
              <a className="button button--ghost" href="/teams">
                Meet our {content.teams.length} teams
              </a>
            </p>
          </div>
        </section>
        <div className="container">
          <section className="section section--narrow" aria-labelledby="culture-title">
            <h2 id="culture-title" className="section__title">
              What Day 1 means here
            </h2>
            <Prose html={culture.html} />
          </section>
          <section className="section" aria-labelledby="principles-title">
            <div className="section__head">
              <h2 id="principles-title" className="section__title">
                Our principles
              </h2>
              <a href="/principles" className="section__more">
                All principles<span className="visually-hidden"> in detail</span>
              </a>
            </div>
            <p className="section__intro">
              Every interview here assesses two or three of these principles, so you always know what we are looking for.
            </p>
            <EntryCards entries={content.principles} base="/principles" numbered />
          </section>
          <section className="section" aria-labelledby="teams-title">
            <div className="section__head">
              <h2 id="teams-title" className="section__title">
                Business teams
              </h2>
              <a href="/teams" className="section__more">
                All teams<span className="visually-hidden"> in detail</span>
              </a>
            </div>
            <EntryCards entries={content.teams} base="/teams" />
          </section>
        </div>
      </Layout>
    ),
  };
}

export function teamsPage(content: ContentSnapshot): Page {
  return {
    meta: {
      title: 'Business teams',
      description: `The ${content.teams.length} business teams of ${content.organization}: what each one does and who it hires.`,
      path: '/teams',
    },
    body: (
      <Layout organization={content.organization} section="teams">
        <div className="container">
          <header className="page-head">
            <h1>Business teams</h1>
            <p className="page-head__lead">
              {content.organization} is organized into {content.teams.length} business teams. Each one owns its customers,
              its products and its hiring.
            </p>
          </header>
          <EntryCards entries={content.teams} base="/teams" />
        </div>
      </Layout>
    ),
  };
}

export function principlesPage(content: ContentSnapshot): Page {
  return {
    meta: {
      title: 'Leadership principles',
      description: `The ${content.principles.length} principles ${content.organization} hires by, and what each one looks like in an interview.`,
      path: '/principles',
    },
    body: (
      <Layout organization={content.organization} section="principles">
        <div className="container">
          <header className="page-head">
            <h1>Leadership principles</h1>
            <p className="page-head__lead">
              These {content.principles.length} principles describe how we work and decide. They are also how we hire: each
              interviewer is assigned a few of them and looks for real examples from your experience.
            </p>
          </header>
          <EntryCards entries={content.principles} base="/principles" numbered />
        </div>
      </Layout>
    ),
  };
}

function EntryPage({
  content,
  entry,
  section,
  list,
  kind,
  number,
}: {
  content: ContentSnapshot;
  entry: PublishedEntry;
  section: 'teams' | 'principles';
  list: PublishedEntry[];
  kind: string;
  number?: number;
}) {
  const index = list.findIndex((e) => e.slug === entry.slug);
  const previous = list[index - 1];
  const next = list[index + 1];
  return (
    <Layout organization={content.organization} section={section}>
      <div className="container">
        <Breadcrumb
          links={[
            { href: '/', label: 'Home' },
            { href: `/${section}`, label: section === 'teams' ? 'Teams' : 'Principles' },
          ]}
          current={entry.name}
        />
        <article className="entry">
          <header className="page-head">
            <p className="eyebrow">{number ? `${kind} ${number} of ${list.length}` : kind}</p>
            <h1>{entry.name}</h1>
            <p className="page-head__lead">{entry.summary}</p>
          </header>
          <Prose html={entry.html} className="section--narrow" />
        </article>
        <nav aria-label={`More ${section}`} className="pager">
          {previous ? (
            <a href={`/${section}/${previous.slug}`} className="pager__link" rel="prev">
              <span className="pager__label">Previous</span> {previous.name}
            </a>
          ) : (
            <span />
          )}
          {next ? (
            <a href={`/${section}/${next.slug}`} className="pager__link pager__link--next" rel="next">
              <span className="pager__label">Next</span> {next.name}
            </a>
          ) : null}
        </nav>
      </div>
    </Layout>
  );
}

export function teamPage(content: ContentSnapshot, team: PublishedEntry): Page {
  return {
    meta: { title: team.name, description: team.summary, path: `/teams/${team.slug}`, ogType: 'article' },
    body: <EntryPage content={content} entry={team} section="teams" list={content.teams} kind="Business team" />,
  };
}

export function principlePage(content: ContentSnapshot, principle: PublishedEntry): Page {
  const number = content.principles.findIndex((p) => p.slug === principle.slug) + 1;
  return {
    meta: { title: principle.name, description: principle.summary, path: `/principles/${principle.slug}`, ogType: 'article' },
    body: (
      <EntryPage content={content} entry={principle} section="principles" list={content.principles} kind="Principle" number={number} />
    ),
  };
}

/** The 404 page: says what was not found and offers the ways on. */
export function notFoundPage(content: ContentSnapshot | undefined, path: string): Page {
  const organization = content?.organization ?? 'Day One';
  const section = path.startsWith('/teams/') ? 'teams' : path.startsWith('/principles/') ? 'principles' : undefined;
  const suggestions = section && content ? content[section] : undefined;
  return {
    meta: { title: 'Page not found', description: 'The page you asked for does not exist.', path, noindex: true },
    body: (
      <Layout organization={organization} section="none">
        <div className="container">
          <header className="page-head">
            <p className="eyebrow">Error 404</p>
            <h1>We couldn’t find that page</h1>
            <p className="page-head__lead">
              There is nothing at <code>{path}</code>. It may have moved, or the link may have a typo.
            </p>
          </header>
          {suggestions ? (
            <section className="section" aria-labelledby="suggestions-title">
              <h2 id="suggestions-title" className="section__title">
                {section === 'teams' ? 'All our teams' : 'All our principles'}
              </h2>
              <EntryCards entries={suggestions} base={`/${section}`} numbered={section === 'principles'} />
            </section>
          ) : (
            <ul className="link-list">
              <li>
                <a href="/">Read about our culture</a>
              </li>
              <li>
                <a href="/teams">Browse the business teams</a>
              </li>
              <li>
                <a href="/principles">Read the leadership principles</a>
              </li>
            </ul>
          )}
        </div>
      </Layout>
    ),
  };
}

/** Any other error, in the site's frame, with a plain message and the way home. */
export function errorPage(content: ContentSnapshot | undefined, status: number, message: string): Page {
  return {
    meta: { title: status >= 500 ? 'Something went wrong' : 'Request not accepted', description: message, path: '/', noindex: true },
    body: (
      <Layout organization={content?.organization ?? 'Day One'} section="none">
        <div className="container">
          <header className="page-head">
            <p className="eyebrow">Error {status}</p>
            <h1>{status >= 500 ? 'Something went wrong' : 'We could not do that'}</h1>
            <p className="page-head__lead">{message}</p>
            <p>
              <a href="/">Go to the home page</a>
            </p>
          </header>
        </div>
      </Layout>
    ),
  };
}
