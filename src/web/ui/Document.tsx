import type { ReactNode } from 'react';

/** What every page declares about itself for browsers, search engines and link previews. */
export interface PageMeta {
  /** The page's own title; the site name is appended. */
  title: string;
  /** One or two sentences for search results and link previews. */
  description: string;
  /** Path of the page, e.g. `/teams/legal`; the canonical URL is built from it. */
  path: string;
  /** Open Graph type. */
  ogType?: 'website' | 'article';
  /** Pages that must not be indexed, such as the 404 page. */
  noindex?: boolean;
  /** An RSS feed that follows this page. */
  feed?: { href: string; title: string };
}

/** Facts about the site shared by every page. */
export interface SiteContext {
  organization: string;
  publicUrl: string;
  /** Hashed URL of the stylesheet. */
  stylesheet: string;
}

/** The HTML document around a page: head metadata and one stylesheet, no script. */
export function Document({ meta, site, children }: { meta: PageMeta; site: SiteContext; children: ReactNode }) {
  const fullTitle = `${meta.title} · ${site.organization} Careers`;
  const canonical = `${site.publicUrl}${meta.path}`;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <meta name="description" content={meta.description} />
        {meta.noindex ? <meta name="robots" content="noindex" /> : <link rel="canonical" href={canonical} />}
        <meta property="og:site_name" content={`${site.organization} Careers`} />
        <meta property="og:type" content={meta.ogType ?? 'website'} />
        <meta property="og:title" content={meta.title} />
        <meta property="og:description" content={meta.description} />
        <meta property="og:url" content={canonical} />
        <meta name="twitter:card" content="summary" />
        <meta name="theme-color" content="#14213d" />
        {meta.feed ? <link rel="alternate" type="application/rss+xml" href={meta.feed.href} title={meta.feed.title} /> : null}
        <link rel="stylesheet" href={site.stylesheet} />
      </head>
      <body>{children}</body>
    </html>
  );
}
