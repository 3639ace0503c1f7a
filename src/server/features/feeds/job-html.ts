import { PAY_UNIT_LABELS, type PayRange, type PublicJob } from '../../../shared/contracts/jobs.ts';
import { renderMarkdown } from '../../markdown.ts';

/** Escapes text for HTML. Qualifications are plain text, not Markdown. */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** The `<li>` items of a list of plain-text lines. */
export function listItemsHtml(items: string[]): string {
  return items.map((item) => `<li>${escapeHtml(item)}</li>`).join('');
}

/** The job's sanitized description HTML, without the qualifications. */
export function descriptionHtml(job: Pick<PublicJob, 'descriptionMd'>): string {
  return renderMarkdown(job.descriptionMd);
}

/**
 * Everything a job board should show of a job as one HTML document: the description, then the
 * basic and preferred qualifications as lists. Feeds that take a single HTML field use this,
 * because Indeed asks for every job-relevant fact to be in the description.
 */
export function fullJobHtml(job: Pick<PublicJob, 'descriptionMd' | 'basicQualifications' | 'preferredQualifications'>): string {
  let html = descriptionHtml(job);
  if (job.basicQualifications.length) html += `<h3>Basic qualifications</h3><ul>${listItemsHtml(job.basicQualifications)}</ul>`;
  if (job.preferredQualifications.length) html += `<h3>Preferred qualifications</h3><ul>${listItemsHtml(job.preferredQualifications)}</ul>`;
  return html;
}

/** Plain text of sanitized HTML: tags dropped, block ends as line breaks, the entities we write decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<\/(p|li|h[1-6]|pre|blockquote|tr)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&#x27;', "'")
    .replaceAll('&nbsp;', ' ')
    .replaceAll('&amp;', '&')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** A money amount with its currency symbol and no grouping, as Indeed asks: "$120000", "€45.50". */
export function money(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, useGrouping: false, minimumFractionDigits: 0, maximumFractionDigits: 2 }).format(amount);
}

/** "$120000 - $180000 per year", or "$25 per hour" when min and max are equal. */
export function payText(pay: PayRange): string {
  const range = pay.min === pay.max ? money(pay.min, pay.currency) : `${money(pay.min, pay.currency)} - ${money(pay.max, pay.currency)}`;
  return `${range} ${PAY_UNIT_LABELS[pay.unit]}`;
}
