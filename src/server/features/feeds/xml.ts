// Characters XML 1.0 forbids anywhere, even escaped or inside CDATA; a stray one makes the whole feed unreadable.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe inside an XML element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text
    .replace(FORBIDDEN, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/** Text in a CDATA section; a "]]>" inside is split across two sections, the only way CDATA can hold it. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replace(FORBIDDEN, '').replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** W3C datetime (ISO 8601 to the second, UTC as +00:00), as sitemaps and Greenhouse write it. */
export function isoWithOffset(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** RFC 1123 date, as RSS and the Indeed feed write it: "Tue, 29 Jun 2021 22:49:39 GMT". */
export function rfc1123(date: Date): string {
  return date.toUTCString();
}
