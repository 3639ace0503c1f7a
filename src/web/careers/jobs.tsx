import { Fragment } from 'react';
import type { ParsedQuery } from '../../domain/search-query.ts';
import { highlight } from '../../domain/search-query.ts';
import type { ContentSnapshot } from '../../shared/contracts/content.ts';
import {
  EMPLOYMENT_TYPE_LABELS,
  jobPath,
  levelLabel,
  locationLabel,
  PAY_UNIT_LABELS,
  WORKPLACE_TYPE_LABELS,
  type PayRange,
  type PublicJob,
} from '../../shared/contracts/jobs.ts';
import {
  NEAR_RADII_KM,
  PAGE_SIZE,
  searchQueryString,
  type Facet,
  type FacetValue,
  type JobSummary,
  type SearchParams,
  type SearchResult,
} from '../../shared/contracts/search.ts';
import { Breadcrumb, Layout, Prose } from '../ui/Layout.tsx';
import { jobPostingJsonLd, jsonLdText } from './job-posting.ts';
import type { Page } from './pages.tsx';
import { Pagination } from '../ui/Pagination.tsx';

/** "USD 120,000–180,000 per year". */
export function formatPay(pay: Pick<PayRange, 'currency' | 'min' | 'max' | 'unit'>): string {
  const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  const range = pay.min === pay.max ? number.format(pay.min) : `${number.format(pay.min)}–${number.format(pay.max)}`;
  return `${pay.currency} ${range} ${PAY_UNIT_LABELS[pay.unit as PayRange['unit']] ?? ''}`.trim();
}

/** "25 Nov 2026", in UTC so every node renders the same bytes. */
export function formatDate(date: Date | string): string {
  return new Date(date).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

function Marked({ text, query }: { text: string; query: ParsedQuery }) {
  return (
    <>
      {highlight(text, query).map((piece, i) => (piece.match ? <mark key={i}>{piece.text}</mark> : <Fragment key={i}>{piece.text}</Fragment>))}
    </>
  );
}

const FACET_TITLES: Record<Exclude<Facet, 'posted'>, string> = {
  team: 'Team',
  category: 'Category',
  workplace: 'Workplace',
  type: 'Employment type',
  level: 'Level',
  country: 'Country',
  city: 'City',
};

function CheckboxFacet({ facet, values, selected }: { facet: Exclude<Facet, 'posted'>; values: FacetValue[]; selected: string[] }) {
  // Selected values stay listed even when another filter leaves them with no jobs.
  const shown = [...values];
  for (const value of selected) if (!shown.some((v) => v.value === value)) shown.push({ value, label: value, count: 0 });
  if (shown.length === 0) return null;
  return (
    <fieldset className="facet">
      <legend className="facet__title">{FACET_TITLES[facet]}</legend>
      <ul className="facet__list">
        {shown.map((v) => {
          const id = `f-${facet}-${v.value.replace(/[^a-zA-Z0-9]+/g, '-')}`;
          return (
            <li key={v.value} className="facet__option">
              <input type="checkbox" id={id} name={facet} value={v.value} defaultChecked={selected.includes(v.value)} />
              <label htmlFor={id}>
                {v.label} <span className="facet__count">({v.count.toLocaleString('en-US')})</span>
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

function ActiveFilters({ params }: { params: SearchParams }) {
  const chips: Array<{ label: string; href: string }> = [];
  const without = (overrides: Partial<SearchParams>) => `/jobs${searchQueryString(params, { ...overrides, page: 1 })}`;
  for (const key of ['team', 'category', 'workplace', 'type', 'level', 'country', 'city'] as const) {
    for (const value of params[key] as Array<string | number>) {
      const rest = (params[key] as Array<string | number>).filter((v) => v !== value);
      const label =
        key === 'workplace'
          ? WORKPLACE_TYPE_LABELS[value as keyof typeof WORKPLACE_TYPE_LABELS]
          : key === 'type'
            ? EMPLOYMENT_TYPE_LABELS[value as keyof typeof EMPLOYMENT_TYPE_LABELS]
            : key === 'level'
              ? levelLabel(Number(value))
              : String(value);
      chips.push({ label, href: without({ [key]: rest } as Partial<SearchParams>) });
    }
  }
  if (params.near) chips.push({ label: `Within ${params.km} km of ${params.near}`, href: without({ near: undefined }) });
  if (params.posted) chips.push({ label: `Posted in the past ${params.posted} day${params.posted === 1 ? '' : 's'}`, href: without({ posted: undefined }) });
  if (params.pay !== undefined) chips.push({ label: `Pays at least ${params.currency ?? ''} ${params.pay.toLocaleString('en-US')} a year`, href: without({ pay: undefined, currency: undefined }) });
  if (chips.length === 0) return null;
  return (
    <ul className="chips" aria-label="Active filters">
      {chips.map((chip) => (
        <li key={chip.href + chip.label}>
          <a className="chip" href={chip.href}>
            {chip.label}
            <span className="visually-hidden">: remove this filter</span>
            <span aria-hidden="true"> ×</span>
          </a>
        </li>
      ))}
      <li>
        <a className="chip chip--clear" href={`/jobs${searchQueryString({ q: params.q })}`}>
          Clear all filters
        </a>
      </li>
    </ul>
  );
}

function ResultCard({ job, query }: { job: JobSummary; query: ParsedQuery }) {
  return (
    <li className="result">
      <h3 className="result__title">
        <a href={new URL(job.url).pathname}>
          <Marked text={job.title} query={query} />
        </a>
      </h3>
      <p className="result__meta">
        <span>{job.team.name}</span>
        <span>{job.location}</span>
        <span>{WORKPLACE_TYPE_LABELS[job.workplaceType as keyof typeof WORKPLACE_TYPE_LABELS]}</span>
        <span>{EMPLOYMENT_TYPE_LABELS[job.employmentType as keyof typeof EMPLOYMENT_TYPE_LABELS]}</span>
        <span>{levelLabel(job.level)}</span>
      </p>
      {job.pay ? <p className="result__pay">{formatPay(job.pay as PayRange)}</p> : null}
      <p className="result__excerpt">
        <Marked text={job.excerpt} query={query} />
      </p>
      <p className="result__date">
        Posted <time dateTime={job.postedAt}>{formatDate(job.postedAt)}</time>
      </p>
      <p>
        <a href={`/account/saved-jobs/new?job=${job.id}`}>
          Save job<span className="visually-hidden">: {job.title}</span>
        </a>
      </p>
    </li>
  );
}

function ResultPages({ result }: { result: SearchResult }) {
  return <Pagination page={result.page} pageCount={result.pageCount} href={(page) => `/jobs${searchQueryString(result.params, { page })}`} label="Pages of results" />;
}

/** The job search page: one GET form holds the whole state, so it works without JavaScript and every state has a URL. */
export function jobsPage(content: ContentSnapshot, result: SearchResult, query: ParsedQuery, enhance: string): Page {
  const { params } = result;
  const heading = params.q ? `Jobs matching “${params.q}”` : 'Open jobs';
  const first = (result.page - 1) * PAGE_SIZE + 1;
  const last = first + result.jobs.length - 1;
  return {
    meta: {
      title: params.q ? `${params.q} jobs` : 'Search jobs',
      description: `${result.total.toLocaleString('en-US')} open job${result.total === 1 ? '' : 's'} at ${content.organization}. Search by words, team, location, workplace and more.`,
      path: `/jobs${searchQueryString(params)}`,
      // Filter pages are useful landing pages; arbitrary typed words are not pages to index.
      noindex: params.q !== '',
      feed: { href: `/feeds/jobs.rss${searchQueryString({ ...params, page: 1, sort: undefined })}`, title: 'New jobs for this search (RSS)' },
    },
    body: (
      <Layout organization={content.organization} section="jobs" scripts={[enhance]}>
        <div className="container">
          <form className="search" method="get" action="/jobs" role="search" aria-label="Jobs" data-enhance="search">
            <header className="page-head page-head--compact">
              <h1>Find your next job</h1>
            </header>
            <div className="search__bar">
              <div className="field field--grow">
                <label htmlFor="q">Keywords</label>
                <input
                  id="q"
                  name="q"
                  type="search"
                  defaultValue={params.q}
                  maxLength={200}
                  autoComplete="off"
                  aria-describedby="q-hint"
                />
                <p id="q-hint" className="field__hint">
                  Use "quotes" for a phrase and -word to leave a word out.
                </p>
              </div>
              <div className="field">
                <label htmlFor="near">Near a city</label>
                <input id="near" name="near" type="text" list="near-cities" defaultValue={params.near ?? ''} maxLength={160} autoComplete="address-level2" />
                <datalist id="near-cities">
                  {result.facets.city.map((c) => (
                    <option key={c.value} value={c.value} />
                  ))}
                </datalist>
              </div>
              <div className="field">
                <label htmlFor="km">Distance</label>
                <select id="km" name="km" defaultValue={String(params.km)}>
                  {NEAR_RADII_KM.map((km) => (
                    <option key={km} value={km}>
                      {km} km
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className="button button--solid">
                Search
              </button>
            </div>
            <div className="search__layout">
              <aside className="filters" aria-labelledby="filters-title">
                <h2 id="filters-title" className="filters__title">
                  Filters
                </h2>
                {(['team', 'category', 'workplace', 'type', 'level', 'country', 'city'] as const).map((facet) => (
                  <CheckboxFacet key={facet} facet={facet} values={result.facets[facet]} selected={(params[facet] as Array<string | number>).map(String)} />
                ))}
                <fieldset className="facet">
                  <legend className="facet__title">Date posted</legend>
                  <ul className="facet__list">
                    <li className="facet__option">
                      <input type="radio" id="f-posted-any" name="posted" value="" defaultChecked={!params.posted} />
                      <label htmlFor="f-posted-any">Any time</label>
                    </li>
                    {result.facets.posted.map((v) => (
                      <li key={v.value} className="facet__option">
                        <input type="radio" id={`f-posted-${v.value}`} name="posted" value={v.value} defaultChecked={String(params.posted) === v.value} />
                        <label htmlFor={`f-posted-${v.value}`}>
                          {v.label} <span className="facet__count">({v.count.toLocaleString('en-US')})</span>
                        </label>
                      </li>
                    ))}
                  </ul>
                </fieldset>
                <fieldset className="facet">
                  <legend className="facet__title">Minimum pay per year</legend>
                  <div className="facet__pay">
                    <div className="field">
                      <label htmlFor="pay">Amount</label>
                      <input id="pay" name="pay" type="number" inputMode="numeric" min={0} step={1000} defaultValue={params.pay ?? ''} />
                    </div>
                    <div className="field">
                      <label htmlFor="currency">Currency</label>
                      <input id="currency" name="currency" type="text" maxLength={3} defaultValue={params.currency ?? ''} placeholder="USD" />
                    </div>
                  </div>
                </fieldset>
                <button type="submit" className="button button--solid filters__apply">
                  Apply filters
                </button>
              </aside>
              <section className="results" id="results" aria-labelledby="results-title">
                <div className="results__head">
                  <h2 id="results-title" className="results__title" tabIndex={-1}>
                    {heading}
                  </h2>
                  <div className="field field--inline">
                    <label htmlFor="sort">Sort by</label>
                    <select id="sort" name="sort" defaultValue={params.sort ?? 'relevance'}>
                      <option value="relevance">Relevance</option>
                      <option value="newest">Newest</option>
                    </select>
                  </div>
                </div>
                <p className="results__count" role="status">
                  {result.total === 0
                    ? 'No jobs match.'
                    : `Showing ${first.toLocaleString('en-US')}–${last.toLocaleString('en-US')} of ${result.total.toLocaleString('en-US')} job${result.total === 1 ? '' : 's'}.`}
                </p>
                {result.corrections.length ? (
                  <p className="results__note">
                    Also showing jobs with{' '}
                    {result.corrections.map((c, i) => (
                      <Fragment key={c.from}>
                        {i > 0 ? ', ' : ''}“{c.to}” (you typed “{c.from}”)
                      </Fragment>
                    ))}
                    .
                  </p>
                ) : null}
                <ActiveFilters params={params} />
                <p className="results__feed">
                  <a href={`/feeds/jobs.rss${searchQueryString({ ...params, page: 1, sort: undefined })}`}>Follow this search by RSS</a>
                </p>
                <p className="results__feed">
                  <a href={`/account/alerts/new${searchQueryString({ ...params, page: 1, sort: undefined })}`}>Email me new jobs for this search</a>
                </p>
                {result.total === 0 ? (
                  <div className="empty">
                    <p>Try fewer words or fewer filters.</p>
                    {result.relax.length ? (
                      <ul className="link-list">
                        {result.relax.map((r) => (
                          <li key={r.param}>
                            <a href={`/jobs${searchQueryString(params, { [r.param]: r.param === 'q' ? '' : Array.isArray(params[r.param]) ? [] : undefined, page: 1 } as Partial<SearchParams>)}`}>
                              Remove the {r.label} filter: {r.total.toLocaleString('en-US')} job{r.total === 1 ? '' : 's'}
                            </a>
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </div>
                ) : (
                  <ol className="results__list" start={first}>
                    {result.jobs.map((job) => (
                      <ResultCard key={job.id} job={job} query={query} />
                    ))}
                  </ol>
                )}
                <ResultPages result={result} />
              </section>
            </div>
          </form>
        </div>
      </Layout>
    ),
  };
}

function JobFacts({ job }: { job: PublicJob }) {
  return (
    <dl className="facts">
      <div>
        <dt>Team</dt>
        <dd>
          <a href={`/teams/${job.team.slug}`}>{job.team.name}</a>
        </dd>
      </div>
      <div>
        <dt>Location</dt>
        <dd>{locationLabel(job)}</dd>
      </div>
      <div>
        <dt>Workplace</dt>
        <dd>{WORKPLACE_TYPE_LABELS[job.workplaceType]}</dd>
      </div>
      <div>
        <dt>Employment</dt>
        <dd>{EMPLOYMENT_TYPE_LABELS[job.employmentType]}</dd>
      </div>
      <div>
        <dt>Level</dt>
        <dd>{levelLabel(job.level)}</dd>
      </div>
      <div>
        <dt>Category</dt>
        <dd>{job.category}</dd>
      </div>
      {job.pay ? (
        <div>
          <dt>Pay</dt>
          <dd>{formatPay(job.pay)}</dd>
        </div>
      ) : null}
      <div>
        <dt>Posted</dt>
        <dd>
          <time dateTime={job.postedAt.toISOString()}>{formatDate(job.postedAt)}</time>
        </dd>
      </div>
      {job.closesAt ? (
        <div>
          <dt>Applications close</dt>
          <dd>
            <time dateTime={job.closesAt.toISOString()}>{formatDate(job.closesAt)}</time>
          </dd>
        </div>
      ) : null}
      <div>
        <dt>Job ID</dt>
        <dd>{job.requisitionId}</dd>
      </div>
    </dl>
  );
}

function SimilarJobs({ jobs, title }: { jobs: PublicJob[]; title: string }) {
  if (jobs.length === 0) return null;
  return (
    <section className="section" aria-labelledby="similar-title">
      <h2 id="similar-title" className="section__title">
        {title}
      </h2>
      <ul className="cards">
        {jobs.map((job) => (
          <li key={job.id} className="card">
            <h3 className="card__title">
              <a className="card__link" href={jobPath(job)}>
                {job.title}
              </a>
            </h3>
            <p className="card__summary">
              {job.team.name} · {locationLabel(job)}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A job's page: every field, its principles, similar jobs, and one JSON-LD JobPosting. */
export function jobPage(
  content: ContentSnapshot,
  job: PublicJob,
  options: { descriptionHtml: string; similar: PublicJob[]; publicUrl: string; applyUrl: string | undefined },
): Page {
  const summaries = new Map(content.principles.map((p) => [p.slug, p.summary]));
  const posting = jobPostingJsonLd(job, {
    organization: content.organization,
    publicUrl: options.publicUrl,
    descriptionHtml: options.descriptionHtml,
    directApply: options.applyUrl !== undefined,
  });
  return {
    meta: {
      title: job.title,
      description: `${job.title} in ${job.team.name}, ${locationLabel(job)}. ${job.pay ? `${formatPay(job.pay)}.` : ''}`.trim(),
      path: jobPath(job),
      ogType: 'article',
    },
    body: (
      <Layout organization={content.organization} section="jobs" jsonLd={jsonLdText(posting)}>
        <div className="container">
          <Breadcrumb links={[{ href: '/jobs', label: 'Jobs' }, { href: `/jobs?team=${job.team.slug}`, label: job.team.name }]} current={job.title} />
          <article className="job">
            <header className="page-head">
              <p className="eyebrow">{job.team.name}</p>
              <h1>{job.title}</h1>
              <p className="page-head__lead">
                {locationLabel(job)} · {WORKPLACE_TYPE_LABELS[job.workplaceType]} · {EMPLOYMENT_TYPE_LABELS[job.employmentType]}
              </p>
              {options.applyUrl ? (
                <p>
                  <a className="button button--solid" href={options.applyUrl}>
                    Apply for this job
                  </a>
                </p>
              ) : null}
              <p>
                <a href={`/account/saved-jobs/new?job=${job.id}`}>Save job</a>
              </p>
            </header>
            <div className="job__layout">
              <div className="job__main">
                <section aria-labelledby="about-title">
                  <h2 id="about-title">About the role</h2>
                  <Prose html={options.descriptionHtml} />
                </section>
                {job.basicQualifications.length ? (
                  <section aria-labelledby="basic-title">
                    <h2 id="basic-title">Basic qualifications</h2>
                    <ul className="prose">
                      {job.basicQualifications.map((q) => (
                        <li key={q}>{q}</li>
                      ))}
                    </ul>
                  </section>
                ) : null}
                {job.preferredQualifications.length ? (
                  <section aria-labelledby="preferred-title">
                    <h2 id="preferred-title">Preferred qualifications</h2>
                    <ul className="prose">
                      {job.preferredQualifications.map((q) => (
                        <li key={q}>{q}</li>
                      ))}
                    </ul>
                  </section>
                ) : null}
                {job.principles.length ? (
                  <section aria-labelledby="principles-title">
                    <h2 id="principles-title">Principles this role emphasizes</h2>
                    <p>
                      Your interviewers will each ask about two or three of these, looking for real examples from your experience.{' '}
                      <a href={preparePath(job)}>How to prepare for your interviews</a>
                    </p>
                    <ul className="principle-list">
                      {job.principles.map((p) => (
                        <li key={p.slug}>
                          <a href={`/principles/${p.slug}`}>{p.name}</a>
                          {summaries.get(p.slug) ? <span className="principle-list__summary"> — {summaries.get(p.slug)}</span> : null}
                        </li>
                      ))}
                    </ul>
                  </section>
                ) : null}
              </div>
              <aside className="job__aside" aria-label="Job details">
                <JobFacts job={job} />
              </aside>
            </div>
          </article>
          <SimilarJobs jobs={options.similar} title="Similar jobs" />
        </div>
      </Layout>
    ),
  };
}

/** A job that is no longer open answers 410 Gone with open jobs like it. */
export function closedJobPage(content: ContentSnapshot, job: { id: number; slug: string; title: string }, similar: PublicJob[]): Page {
  return {
    meta: { title: `${job.title} (closed)`, description: 'This job is no longer open.', path: jobPath(job), noindex: true },
    body: (
      <Layout organization={content.organization} section="jobs">
        <div className="container">
          <header className="page-head">
            <p className="eyebrow">No longer open</p>
            <h1>{job.title}</h1>
            <p className="page-head__lead">This job is no longer taking applications. These open jobs are like it.</p>
            <p>
              <a href="/jobs">Search all open jobs</a>
            </p>
          </header>
          <SimilarJobs jobs={similar} title="Open jobs like this one" />
        </div>
      </Layout>
    ),
  };
}


/** Where a job's preparation page lives. */
export const preparePath = (job: { id: number; slug: string }) => `${jobPath(job)}/prepare`;

/**
 * How to prepare for this job's interviews: how a loop works, how to tell a story with
 * evidence, and each principle the job emphasizes in full, with what interviewers listen for.
 */
export function preparePage(content: ContentSnapshot, job: PublicJob): Page {
  const byslug = new Map(content.principles.map((p) => [p.slug, p]));
  const principles = job.principles.flatMap((p) => (byslug.get(p.slug) ? [byslug.get(p.slug)!] : []));
  return {
    meta: {
      title: `Prepare for your interviews: ${job.title}`,
      description: `How interviews for ${job.title} work and the ${principles.length} principles they assess.`,
      path: preparePath(job),
      ogType: 'article',
    },
    body: (
      <Layout organization={content.organization} section="jobs">
        <div className="container">
          <Breadcrumb links={[{ href: '/jobs', label: 'Jobs' }, { href: jobPath(job), label: job.title }]} current="Prepare" />
          <header className="page-head">
            <p className="eyebrow">Interview preparation</p>
            <h1>Prepare for your interviews</h1>
            <p className="page-head__lead">
              {job.title}, {job.team.name}. Nothing here is a trick: this is exactly what your interviewers will look for.
            </p>
          </header>
          <div className="prose">
            <h2>How the interviews work</h2>
            <ol>
              <li>Each interviewer is assigned two or three of the principles below, and together they cover all of them.</li>
              <li>They ask about real situations from your past work and follow up for detail. There are no brain teasers.</li>
              <li>Each interviewer writes down your examples and decides on their own, before hearing anyone else.</li>
              <li>
                One interviewer comes from outside the hiring team. They make sure every hire raises the standard of the whole organization, not just
                fills a seat.
              </li>
            </ol>
            <h2>Tell each story with evidence</h2>
            <p>
              For every example, say what the <strong>situation</strong> was, what <strong>task</strong> fell to you, the <strong>actions</strong> you
              took yourself (say "I", not "we"), and the <strong>result</strong>, with numbers where you have them. Recent examples are better than
              old ones, and it is fine to talk about something that went wrong and what you learned.
            </p>
          </div>
          <section className="section" aria-labelledby="prepare-principles">
            <h2 id="prepare-principles" className="section__title">
              The {principles.length} principles this role emphasizes
            </h2>
            {principles.map((p) => (
              <article key={p.slug} className="prepare-principle" aria-labelledby={`pp-${p.slug}`}>
                <h3 id={`pp-${p.slug}`}>
                  <a href={`/principles/${p.slug}`}>{p.name}</a>
                </h3>
                <p className="page-head__lead">{p.summary}</p>
                <Prose html={p.html} />
              </article>
            ))}
          </section>
          <p>
            <a className="button button--solid" href={jobPath(job)}>
              Back to the job
            </a>
          </p>
        </div>
      </Layout>
    ),
  };
}
