import { renderToStaticMarkup } from 'react-dom/server';
import type { Page } from './careers/pages.tsx';
import { Document, type SiteContext } from './ui/Document.tsx';

/** Renders a page to a complete HTML document. Public pages carry no script at all. */
export function renderPage(page: Page, site: SiteContext): string {
  return `<!doctype html>${renderToStaticMarkup(
    <Document meta={page.meta} site={site}>
      {page.body}
    </Document>,
  )}`;
}
