// Progressive enhancement of the job search page: filters, sorting, paging and the search box
// update the results in place, the URL follows each change, and Back and Forward restore it.
// Without this script the same form works by plain GET requests.

const FORM = 'form[data-enhance="search"]';
const form = document.querySelector<HTMLFormElement>(FORM);

function urlOf(target: HTMLFormElement): string {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(target)) {
    if (typeof value !== 'string' || value.trim() === '') continue;
    params.append(key, value.trim());
  }
  if (!params.get('near')) params.delete('km');
  if (params.get('km') === '50') params.delete('km');
  // Relevance is the default order (newest first when there are no words).
  if (params.get('sort') === 'relevance') params.delete('sort');
  const query = params.toString();
  return `/jobs${query ? `?${query}` : ''}`;
}

let pending: AbortController | undefined;
/** The path and query the page shows now; a history step that only changes the hash keeps it. */
let shown = window.location.pathname + window.location.search;

async function show(url: string, options: { push: boolean; whole: boolean }): Promise<void> {
  if (!form) return;
  pending?.abort();
  const controller = new AbortController();
  pending = controller;
  form.setAttribute('aria-busy', 'true');
  try {
    const response = await fetch(url, { headers: { accept: 'text/html' }, signal: controller.signal });
    const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
    const next = doc.querySelector<HTMLFormElement>(FORM);
    if (!next) {
      window.location.assign(url);
      return;
    }
    if (options.whole) form.replaceChildren(...Array.from(next.childNodes));
    else form.querySelector('.search__layout')?.replaceWith(next.querySelector('.search__layout')!);
    document.title = doc.title;
    if (options.push) history.pushState({ url }, '', url);
    shown = url;
    if (!options.whole) form.querySelector<HTMLElement>('#results-title')?.focus({ preventScroll: false });
  } catch (error) {
    if ((error as Error).name !== 'AbortError') window.location.assign(url);
  } finally {
    if (pending === controller) form.removeAttribute('aria-busy');
  }
}

if (form) {
  // Filters and sort apply as soon as they change; the Apply button is for pages without this script.
  form.addEventListener('change', (event) => {
    const target = event.target as HTMLElement;
    if (target.matches('input[type=checkbox], input[type=radio], select')) void show(urlOf(form), { push: true, whole: false });
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void show(urlOf(form), { push: true, whole: false });
  });
  form.addEventListener('click', (event) => {
    const link = (event.target as HTMLElement).closest<HTMLAnchorElement>('a[href^="/jobs?"], a[href="/jobs"]');
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    void show(link.getAttribute('href')!, { push: true, whole: true });
  });
  window.addEventListener('popstate', () => {
    const url = window.location.pathname + window.location.search;
    // The skip link and other in-page anchors change only the hash: nothing to fetch.
    if (url !== shown) void show(url, { push: false, whole: true });
  });
}
