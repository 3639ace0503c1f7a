import { jobPath, slugify, type EmploymentType, type PublicJob } from '../../../shared/contracts/jobs.ts';
import type { Db } from '../../db/client.ts';
import { streamPublicJobs } from '../jobs/jobs.repository.ts';
import { findContentDates, findOrganization, findPublicJobChunks, streamPublicJobUrls, type JobUrlRow } from './feeds.repository.ts';
import { fullJobHtml, payText } from './job-html.ts';
import { cdata, escapeXml, isoWithOffset, rfc1123 } from './xml.ts';

/** The sitemaps.org limit of URLs in one sitemap file. */
export const SITEMAP_URL_LIMIT = 50_000;

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** An XML document produced piece by piece, so a feed of many jobs never sits in memory whole. */
export type XmlDocument = AsyncIterable<string>;

interface SitemapOptions {
  db: Db;
  publicUrl: string;
  /** URLs per sitemap file; past it /sitemap.xml becomes an index. Tests pass a small one. */
  urlLimit?: number;
}

interface UrlEntry {
  loc: string;
  lastmod: Date | undefined;
}

const urlXml = ({ loc, lastmod }: UrlEntry) =>
  `<url><loc>${escapeXml(loc)}</loc>${lastmod ? `<lastmod>${isoWithOffset(lastmod)}</lastmod>` : ''}</url>\n`;

const latest = (dates: Array<Date | undefined>) =>
  dates.reduce<Date | undefined>((a, b) => (!b ? a : !a || b > a ? b : a), undefined);

/** The public content pages and the job search page, each with its last change. */
async function pageEntries(db: Db, publicUrl: string, jobsLastModified: Date | undefined): Promise<UrlEntry[]> {
  const content = await findContentDates(db);
  const siteDate = content.site?.updatedAt;
  const teamsDate = latest(content.teams.map((t) => t.updatedAt));
  const principlesDate = latest(content.principles.map((p) => p.updatedAt));
  return [
    { loc: `${publicUrl}/`, lastmod: latest([siteDate, teamsDate, principlesDate]) },
    { loc: `${publicUrl}/teams`, lastmod: latest([siteDate, teamsDate]) },
    ...content.teams.map((t) => ({ loc: `${publicUrl}/teams/${t.slug}`, lastmod: t.updatedAt })),
    { loc: `${publicUrl}/principles`, lastmod: latest([siteDate, principlesDate]) },
    ...content.principles.map((p) => ({ loc: `${publicUrl}/principles/${p.slug}`, lastmod: p.updatedAt })),
    { loc: `${publicUrl}/jobs`, lastmod: latest([siteDate, jobsLastModified]) },
  ];
}

const jobEntry = (publicUrl: string) => (job: JobUrlRow) => ({ loc: `${publicUrl}${jobPath(job)}`, lastmod: job.updatedAt });

async function* urlset(pages: UrlEntry[], jobPages: AsyncIterable<JobUrlRow[]>, publicUrl: string): XmlDocument {
  yield `${XML_DECLARATION}<urlset xmlns="${SITEMAP_NS}">\n`;
  yield pages.map(urlXml).join('');
  for await (const page of jobPages) yield page.map(jobEntry(publicUrl)).map(urlXml).join('');
  yield '</urlset>\n';
}

/**
 * /sitemap.xml: one urlset of the content pages and every public job while they fit in
 * `urlLimit` URLs; past that, a sitemap index naming /sitemaps/pages.xml and
 * /sitemaps/jobs-1.xml … jobs-N.xml, each of at most `urlLimit` jobs.
 */
export async function buildSitemap({ db, publicUrl, urlLimit = SITEMAP_URL_LIMIT }: SitemapOptions): Promise<XmlDocument> {
  const chunks = await findPublicJobChunks(db, urlLimit);
  const jobCount = chunks.reduce((n, c) => n + c.jobs, 0);
  const jobsLastModified = latest(chunks.map((c) => c.lastModified));
  const pages = await pageEntries(db, publicUrl, jobsLastModified);
  if (pages.length + jobCount <= urlLimit) return urlset(pages, streamPublicJobUrls(db), publicUrl);
  const entries = [
    { loc: `${publicUrl}/sitemaps/pages.xml`, lastmod: latest(pages.map((p) => p.lastmod)) },
    ...chunks.map((c) => ({ loc: `${publicUrl}/sitemaps/jobs-${c.chunk + 1}.xml`, lastmod: c.lastModified })),
  ];
  return (async function* index() {
    yield `${XML_DECLARATION}<sitemapindex xmlns="${SITEMAP_NS}">\n`;
    for (const { loc, lastmod } of entries) {
      yield `<sitemap><loc>${escapeXml(loc)}</loc>${lastmod ? `<lastmod>${isoWithOffset(lastmod)}</lastmod>` : ''}</sitemap>\n`;
    }
    yield '</sitemapindex>\n';
  })();
}

/** /sitemaps/pages.xml: the content pages and the job search page. */
export async function buildPagesSitemap({ db, publicUrl }: SitemapOptions): Promise<XmlDocument> {
  const chunks = await findPublicJobChunks(db, SITEMAP_URL_LIMIT);
  const pages = await pageEntries(db, publicUrl, latest(chunks.map((c) => c.lastModified)));
  return urlset(pages, (async function* none() {})(), publicUrl);
}

/**
 * /sitemaps/jobs-N.xml: the Nth chunk of `urlLimit` public jobs in id order (N from 1), or
 * undefined when there is no such chunk.
 */
export async function buildJobsSitemap({ db, publicUrl, urlLimit = SITEMAP_URL_LIMIT, chunk }: SitemapOptions & { chunk: number }): Promise<XmlDocument | undefined> {
  if (!Number.isSafeInteger(chunk) || chunk < 1) return undefined;
  const pages = streamPublicJobUrls(db, { skip: (chunk - 1) * urlLimit, take: urlLimit });
  const first = await pages.next();
  if (first.done) return undefined;
  return urlset([], prepend(first.value, pages), publicUrl);
}

async function* prepend<T>(first: T, rest: AsyncIterable<T>): AsyncGenerator<T> {
  yield first;
  yield* rest;
}

/** Indeed's job types; jobs of other kinds leave the element out. */
const INDEED_JOB_TYPES: Partial<Record<EmploymentType, string>> = {
  FULL_TIME: 'fulltime',
  PART_TIME: 'parttime',
  CONTRACTOR: 'contract',
  TEMPORARY: 'temporary',
  INTERN: 'internship',
  VOLUNTEER: 'volunteer',
  PER_DIEM: 'perdiem',
};

/** One place a job is advertised in on Indeed, with the reference number Indeed knows it by. */
export interface IndeedPlace {
  referenceNumber: string;
  city: string;
  state: string;
  country: string;
}

/**
 * The places a job is listed in on Indeed: one per location; a remote job without locations
 * is listed once per applicant country with the city "Remote", as Indeed asks. The reference
 * number is the requisition id and a slug of the place, so it does not change between builds
 * or when locations are reordered.
 */
export function indeedPlaces(job: Pick<PublicJob, 'requisitionId' | 'locations' | 'workplaceType' | 'applicantCountries'>): IndeedPlace[] {
  const places =
    job.locations.length > 0
      ? job.locations.map((l) => ({ city: l.city, state: l.region ?? '', country: l.country }))
      : job.applicantCountries.map((country) => ({ city: 'Remote', state: '', country }));
  const seen = new Set<string>();
  return places.flatMap((place) => {
    const referenceNumber = `${job.requisitionId}-${slugify([place.city, place.state, place.country].filter(Boolean).join(' '))}`;
    if (seen.has(referenceNumber)) return [];
    seen.add(referenceNumber);
    return [{ referenceNumber, ...place }];
  });
}

/**
 * Indeed's remote work types: "Fully remote" for remote jobs; hybrid jobs in the US are
 * "WFH Flexible" (Indeed offers that type in the US only); on-site jobs have none.
 */
function remoteType(job: PublicJob, country: string): string | undefined {
  if (job.workplaceType === 'remote') return 'Fully remote';
  if (job.workplaceType === 'hybrid' && country === 'US') return 'WFH Flexible';
  return undefined;
}

function indeedJobXml(job: PublicJob, place: IndeedPlace, context: { publicUrl: string; organization: string }): string {
  const element = (name: string, value: string) => `<${name}>${cdata(value)}</${name}>`;
  const jobType = INDEED_JOB_TYPES[job.employmentType];
  const remote = remoteType(job, place.country);
  return [
    '<job>',
    element('title', job.title),
    element('date', rfc1123(job.postedAt)),
    element('referencenumber', place.referenceNumber),
    element('requisitionid', job.requisitionId),
    element('url', `${context.publicUrl}${jobPath(job)}`),
    element('company', context.organization),
    element('sourcename', context.organization),
    element('city', place.city),
    element('state', place.state),
    element('country', place.country),
    element('postalcode', ''),
    element('description', fullJobHtml(job)),
    element('salary', job.pay ? payText(job.pay) : ''),
    jobType ? element('jobtype', jobType) : '',
    element('category', job.category),
    job.closesAt ? element('expirationdate', rfc1123(job.closesAt).slice(0, 16)) : '',
    remote ? element('remotetype', remote) : '',
    '</job>\n',
  ].join('');
}

/**
 * The Indeed XML feed: every public job once per place it is advertised in. Jobs are read a
 * page at a time, so the feed is written as it is read and a large catalogue never sits in
 * memory whole.
 */
export async function buildIndeedFeed({ db, publicUrl, now = new Date() }: { db: Db; publicUrl: string; now?: Date }): Promise<XmlDocument> {
  const organization = (await findOrganization(db)) ?? 'Day One';
  return (async function* feed() {
    yield `${XML_DECLARATION}<source>\n<publisher>${escapeXml(organization)}</publisher>\n<publisherurl>${escapeXml(`${publicUrl}/`)}</publisherurl>\n<lastBuildDate>${rfc1123(now)}</lastBuildDate>\n`;
    for await (const page of streamPublicJobs(db, 500)) {
      yield page.flatMap((job) => indeedPlaces(job).map((place) => indeedJobXml(job, place, { publicUrl, organization }))).join('');
    }
    yield '</source>\n';
  })();
}
