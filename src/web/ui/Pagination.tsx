import { Fragment } from 'react';

/**
 * Numbered page links: the first and last pages, the current one and its neighbours, with a gap
 * mark where pages are skipped, and Previous/Next. Nothing when there is one page.
 */
export function Pagination({ page, pageCount, href, label }: { page: number; pageCount: number; href: (page: number) => string; label: string }) {
  if (pageCount <= 1) return null;
  const pages = [...new Set([1, pageCount, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pageCount))].sort((a, b) => a - b);
  return (
    <nav className="pagination" aria-label={label}>
      <ul>
        {page > 1 ? (
          <li>
            <a href={href(page - 1)} rel="prev">
              Previous<span className="visually-hidden"> page</span>
            </a>
          </li>
        ) : null}
        {pages.map((p, i) => (
          <Fragment key={p}>
            {i > 0 && p - pages[i - 1]! > 1 ? (
              <li aria-hidden="true" className="pagination__gap">
                …
              </li>
            ) : null}
            <li>
              <a href={href(p)} aria-current={p === page ? 'page' : undefined}>
                <span className="visually-hidden">Page </span>
                {p}
              </a>
            </li>
          </Fragment>
        ))}
        {page < pageCount ? (
          <li>
            <a href={href(page + 1)} rel="next">
              Next<span className="visually-hidden"> page</span>
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
