/**
 * Interview invitations as iCalendar (RFC 5545) text, and the conversion of a local date, time
 * and IANA time zone into a UTC instant. Pure: the caller supplies the interview, its stable UID,
 * its SEQUENCE (raised on every change) and the current time; this module writes the text.
 *
 * Times are always written in UTC ("…Z"), so no VTIMEZONE is needed and every calendar client
 * shows the interview at the same instant whatever zone it runs in.
 */

export interface CalendarPerson {
  name: string;
  email: string;
}

export interface InviteOptions {
  /** REQUEST invites or updates; CANCEL withdraws the interview. */
  method: 'REQUEST' | 'CANCEL';
  /** Stable for one interview across every update and the cancellation. */
  uid: string;
  /** 0 for the first invite; the caller raises it on every change, the cancellation included. */
  sequence: number;
  /** When the message is made (DTSTAMP). */
  now: Date;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  /** A room, or a video link; omitted when empty. */
  location: string;
  url?: string | null;
  organizer: CalendarPerson;
  attendees: readonly CalendarPerson[];
}

export const PRODUCT_ID = '-//Day One//Interview loops//EN';

/** Content lines may hold at most this many octets before a fold (RFC 5545 §3.1). */
const MAX_LINE_OCTETS = 75;
const CRLF = '\r\n';

/**
 * The invitation as iCalendar text, CRLF line ends, lines folded at 75 octets. Throws a
 * RangeError for what would make a broken or misleading invite: an empty UID or summary, a
 * negative or fractional SEQUENCE, an invalid date, an end not after the start, an address that
 * is not one, or a URL that does not parse.
 */
export function buildInvite(options: InviteOptions): string {
  const { method, uid, sequence, now, start, end, summary, description, location, url, organizer, attendees } = options;
  if (method !== 'REQUEST' && method !== 'CANCEL') throw new RangeError(`Unknown method “${String(method)}”.`);
  if (uid.trim() === '') throw new RangeError('An invite needs a UID.');
  if (!Number.isSafeInteger(sequence) || sequence < 0) throw new RangeError(`SEQUENCE must be a whole number of at least 0, not ${sequence}.`);
  if (summary.trim() === '') throw new RangeError('An invite needs a summary.');
  if (end.getTime() <= start.getTime()) throw new RangeError('An interview must end after it starts.');

  const lines = [
    'BEGIN:VCALENDAR',
    `PRODID:${escapeText(PRODUCT_ID)}`,
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    `UID:${escapeText(uid)}`,
    `SEQUENCE:${sequence}`,
    `DTSTAMP:${utcDateTime(now)}`,
    `DTSTART:${utcDateTime(start)}`,
    `DTEND:${utcDateTime(end)}`,
    `SUMMARY:${escapeText(summary)}`,
  ];
  if (description !== '') lines.push(`DESCRIPTION:${escapeText(description)}`);
  if (location !== '') lines.push(`LOCATION:${escapeText(location)}`);
  if (url) lines.push(`URL:${absoluteUrl(url)}`);
  lines.push(`ORGANIZER;CN=${paramValue(organizer.name)}:${mailto(organizer.email)}`);
  for (const attendee of attendees) {
    lines.push(`ATTENDEE;CN=${paramValue(attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:${mailto(attendee.email)}`);
  }
  lines.push(`STATUS:${method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`, 'END:VEVENT', 'END:VCALENDAR');
  return lines.map((line) => foldLine(line) + CRLF).join('');
}

/**
 * A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, every line break
 * (CRLF, CR or LF) written as \n. Other control characters are not allowed in TEXT and are
 * dropped; a tab stays.
 */
export function escapeText(value: string): string {
  return stripControls(value.replace(/\r\n|\r/g, '\n'))
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n');
}

/**
 * A parameter value such as CN: double quotes, carets and line breaks encoded as RFC 6868 says
 * (^' ^^ ^n), other controls dropped, and the whole quoted when it holds a colon, semicolon or
 * comma, which would otherwise end the parameter.
 */
export function paramValue(value: string): string {
  const encoded = stripControls(value.replace(/\r\n|\r/g, '\n')).replace(/[\^"\n]/g, (c) => (c === '^' ? '^^' : c === '"' ? "^'" : '^n'));
  return /[:;,]/.test(encoded) ? `"${encoded}"` : encoded;
}

/** Drops the control characters TEXT and parameter values may not hold; tab and line feed stay. */
function stripControls(value: string): string {
  let kept = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code === 0x09 || code === 0x0a || (code >= 0x20 && code !== 0x7f)) kept += char;
  }
  return kept;
}

/**
 * Folds one content line so that no physical line exceeds 75 octets of UTF-8, each continuation
 * starting with one space (which counts toward its 75). Breaks fall between code points only,
 * so a multi-byte character is never split; unfolding (removing each CRLF + space) restores
 * the line exactly.
 */
export function foldLine(line: string): string {
  let out = '';
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char);
    if (octets + size > MAX_LINE_OCTETS) {
      out += `${CRLF} `;
      octets = 1;
    }
    out += char;
    octets += size;
  }
  return out;
}

function utf8Length(char: string): number {
  const code = char.codePointAt(0)!;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code < 0x10000) return 3; // a lone surrogate is written as U+FFFD, also three octets
  return 4;
}

/** 20250601T143000Z: the UTC form of DATE-TIME, to the second (milliseconds are dropped). */
export function utcDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('An invite date is not a valid date.');
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** A mailto URI; characters a URI may not hold bare (and , ; which confuse parsers) are %-encoded. */
function mailto(email: string): string {
  const address = email.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(address) || stripControls(address) !== address) {
    throw new RangeError(`“${email}” is not an email address.`);
  }
  const bytes = new TextEncoder();
  const encoded = [...address]
    .map((c) =>
      /[A-Za-z0-9\-._~!$&'*+=@]/.test(c)
        ? c
        : [...bytes.encode(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
    )
    .join('');
  return `mailto:${encoded}`;
}

function absoluteUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    throw new RangeError(`“${url}” is not an absolute URL.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Local time in a named zone → UTC, with Intl only.

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * True for a time zone Intl knows by an IANA name ("Europe/Berlin", "UTC"). Offsets such as
 * "+02:00" are refused: an interview belongs to a place, whose offset changes with the seasons.
 */
export function isTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z]/.test(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at instant `t`, in milliseconds (wall clock minus UTC). */
function offsetAt(timeZone: string, t: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(t))) parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(t / 1000) * 1000;
}

/**
 * The UTC instant at which the clocks of `timeZone` show `date` ('YYYY-MM-DD') at `time`
 * ('HH:MM'). Where the wall time is ambiguous or missing because of a clock change, the answer
 * is the one Temporal and java.time call "compatible":
 * - in an overlap (clocks go back; the time happens twice) the earlier instant, that is, the
 *   offset in force before the change;
 * - in a gap (clocks go forward; the time never happens) the time moved forward by the length
 *   of the gap, that is, read with the offset in force before the change (02:30 on a
 *   spring-forward night in New York is 03:30 daylight time).
 * Throws a RangeError for a malformed or impossible date or time, or an unknown zone.
 */
export function zonedTimeToUtc(date: string, time: string, timeZone: string): Date {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!d) throw new RangeError(`“${date}” is not a date of the form YYYY-MM-DD.`);
  const t = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!t) throw new RangeError(`“${time}” is not a time of the form HH:MM.`);
  if (!isTimeZone(timeZone)) throw new RangeError(`“${timeZone}” is not a known time zone.`);
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const local = Date.UTC(year, month - 1, day, Number(t[1]), Number(t[2]));
  const check = new Date(local);
  if (year < 1000 || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`${date} is not a day of the calendar.`);
  }

  // The offsets around `local` are those a day either side and at it; an instant fits when the
  // zone's clocks show `local` at it.
  const before = offsetAt(timeZone, local - DAY_MS);
  const candidates = [...new Set([before, offsetAt(timeZone, local), offsetAt(timeZone, local + DAY_MS)])];
  const fits = candidates.map((offset) => local - offset).filter((instant) => instant + offsetAt(timeZone, instant) === local);
  if (fits.length > 0) return new Date(Math.min(...fits));
  return new Date(local - before);
}

/**
 * Start and end of an interview booked in local terms. The duration is elapsed time: an hour's
 * interview across a clock change still lasts an hour.
 */
export function interviewTimes(options: { date: string; time: string; timeZone: string; minutes: number }): { start: Date; end: Date } {
  if (!Number.isSafeInteger(options.minutes) || options.minutes <= 0) throw new RangeError(`An interview lasts a whole number of minutes, not ${options.minutes}.`);
  const start = zonedTimeToUtc(options.date, options.time, options.timeZone);
  return { start, end: new Date(start.getTime() + options.minutes * 60_000) };
}
