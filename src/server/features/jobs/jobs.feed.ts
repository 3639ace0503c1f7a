import { searchQueryString, type SearchResult } from '../../../shared/contracts/search.ts';
import { escapeXml } from '../feeds/xml.ts';

/**
 * An RSS 2.0 feed of the newest jobs matching a search, so a candidate can follow any search
 * in a feed reader. Each item's guid is the job's permanent URL.
 */
export function jobsRss(result: SearchResult, options: { organization: string; publicUrl: string }): string {
  const query = searchQueryString({ ...result.params, page: 1, sort: undefined });
  const searchUrl = `${options.publicUrl}/jobs${query}`;
  const selfUrl = `${options.publicUrl}/feeds/jobs.rss${query}`;
  const title = result.params.q ? `${options.organization} jobs matching “${result.params.q}”` : `New jobs at ${options.organization}`;
  const items = result.jobs.map((job) =>
    [
      '<item>',
      `<title>${escapeXml(job.title)}</title>`,
      `<link>${escapeXml(job.url)}</link>`,
      `<guid isPermaLink="true">${escapeXml(job.url)}</guid>`,
      `<pubDate>${new Date(job.postedAt).toUTCString()}</pubDate>`,
      `<category>${escapeXml(job.team.name)}</category>`,
      `<category>${escapeXml(job.category)}</category>`,
      `<description>${escapeXml(`${job.location}. ${job.excerpt}`)}</description>`,
      '</item>',
    ].join(''),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '<channel>',
    `<title>${escapeXml(title)}</title>`,
    `<link>${escapeXml(searchUrl)}</link>`,
    `<description>${escapeXml(`The newest of ${result.total} open jobs for this search.`)}</description>`,
    `<atom:link href="${escapeXml(selfUrl)}" rel="self" type="application/rss+xml"/>`,
    '<language>en</language>',
    // The newest job's date, so an unchanged feed has unchanged bytes (and ETag).
    ...(result.jobs[0] ? [`<lastBuildDate>${new Date(result.jobs[0].postedAt).toUTCString()}</lastBuildDate>`] : []),
    '<ttl>60</ttl>',
    ...items,
    '</channel>',
    '</rss>',
  ].join('\n');
}
