import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildInvite, escapeText, foldLine, interviewTimes, isTimeZone, zonedTimeToUtc, type InviteOptions } from './icalendar.ts';

const invite = (overrides: Partial<InviteOptions> = {}): InviteOptions => ({
  method: 'REQUEST',
  uid: 'interview-42@dayone.example',
  sequence: 0,
  now: new Date('2025-06-01T09:15:27.512Z'),
  start: new Date('2025-06-10T14:00:00Z'),
  end: new Date('2025-06-10T15:00:00Z'),
  summary: 'Interview: Senior Engineer (Ownership, Dive deep)',
  description: 'You assess Ownership and Dive deep.\nThe kit is in Day One.',
  location: 'https://meet.example/abc-defg',
  url: 'https://dayone.example/staff/interviews/42',
  organizer: { name: 'Ana Recruiter', email: 'ana@dayone.example' },
  attendees: [
    { name: 'Ben Interviewer', email: 'ben@dayone.example' },
    { name: 'Candidate, Cy', email: 'cy@mail.example' },
  ],
  ...overrides,
});

/** What an independent parser reads back. */
function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  const person = (p: ICAL.Property) => ({
    value: String(p.getFirstValue()),
    cn: p.getParameter('cn'),
    role: p.getParameter('role'),
    partstat: p.getParameter('partstat'),
    rsvp: p.getParameter('rsvp'),
  });
  return {
    method: calendar.getFirstPropertyValue('method'),
    version: calendar.getFirstPropertyValue('version'),
    prodid: calendar.getFirstPropertyValue('prodid'),
    events: calendar.getAllSubcomponents('vevent').length,
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    startIsUtc: event.startDate.zone === ICAL.Timezone.utcTimezone,
    stamp: (vevent.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString(),
    summary: event.summary,
    description: event.description,
    location: event.location,
    url: vevent.getFirstPropertyValue('url'),
    status: vevent.getFirstPropertyValue('status'),
    organizer: person(vevent.getFirstProperty('organizer')!),
    attendees: vevent.getAllProperties('attendee').map(person),
  };
}

const physicalLines = (text: string) => text.split('\r\n').slice(0, -1);
const octets = (s: string) => new TextEncoder().encode(s).length;

describe('buildInvite', () => {
  it('writes a request that an independent parser reads back field for field', () => {
    const parsed = parse(buildInvite(invite()));
    expect(parsed).toEqual({
      method: 'REQUEST',
      version: '2.0',
      prodid: '-//Day One//Interview loops//EN',
      events: 1,
      uid: 'interview-42@dayone.example',
      sequence: 0,
      start: '2025-06-10T14:00:00.000Z',
      end: '2025-06-10T15:00:00.000Z',
      startIsUtc: true,
      stamp: '2025-06-01T09:15:27.000Z',
      summary: 'Interview: Senior Engineer (Ownership, Dive deep)',
      description: 'You assess Ownership and Dive deep.\nThe kit is in Day One.',
      location: 'https://meet.example/abc-defg',
      url: 'https://dayone.example/staff/interviews/42',
      status: 'CONFIRMED',
      organizer: { value: 'mailto:ana@dayone.example', cn: 'Ana Recruiter', role: undefined, partstat: undefined, rsvp: undefined },
      attendees: [
        { value: 'mailto:ben@dayone.example', cn: 'Ben Interviewer', role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION', rsvp: 'TRUE' },
        { value: 'mailto:cy@mail.example', cn: 'Candidate, Cy', role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION', rsvp: 'TRUE' },
      ],
    });
  });

  it('writes the times in the UTC form and ends every line with CRLF', () => {
    const text = buildInvite(invite());
    expect(text).toContain('\r\nDTSTART:20250610T140000Z\r\n');
    expect(text).toContain('\r\nDTEND:20250610T150000Z\r\n');
    expect(text).toContain('\r\nDTSTAMP:20250601T091527Z\r\n');
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text.startsWith('BEGIN:VCALENDAR\r\nPRODID:-//Day One//Interview loops//EN\r\nVERSION:2.0\r\n')).toBe(true);
  });

  it('quotes a parameter holding a comma, and encodes quotes and carets as RFC 6868 says', () => {
    const text = buildInvite(invite({ attendees: [{ name: 'Dee "DJ" O^Neil; Jr.', email: 'dee@x.example' }] }));
    expect(text).toContain(`ATTENDEE;CN="Dee ^'DJ^' O^^Neil; Jr.";ROLE=`);
    expect(parse(text).attendees[0]!.cn).toBe('Dee "DJ" O^Neil; Jr.');
  });

  it('cancels with the same UID, a higher SEQUENCE and the status CANCELLED', () => {
    const request = parse(buildInvite(invite({ sequence: 2 })));
    const cancel = parse(buildInvite(invite({ method: 'CANCEL', sequence: 3 })));
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.status).toBe('CANCELLED');
    expect(cancel.uid).toBe(request.uid);
    expect(cancel.sequence).toBeGreaterThan(request.sequence);
    expect(cancel.attendees.map((a) => a.value)).toEqual(request.attendees.map((a) => a.value));
  });

  it('folds a long non-ASCII description at 75 octets without splitting a character, and it unfolds exactly', () => {
    const description = 'Entretien « Obsession client » — 面接の準備をしてください 🚀🙂 Größe, Maß; Ærø\n'.repeat(12);
    const text = buildInvite(invite({ description }));
    const lines = physicalLines(text);
    for (const line of lines) expect(octets(line)).toBeLessThanOrEqual(75);
    expect(lines.filter((l) => l.startsWith(' ')).length).toBeGreaterThan(10);
    // No line starts or ends inside a surrogate pair, and the bytes decode cleanly.
    for (const line of lines) expect(new TextDecoder('utf-8', { fatal: true }).decode(new TextEncoder().encode(line))).toBe(line);
    expect(parse(text).description).toBe(description);
    const unfolded = text.replace(/\r\n /g, '').split('\r\n');
    expect(unfolded).toContain(`DESCRIPTION:${escapeText(description)}`);
  });

  it('round-trips commas, semicolons, backslashes and every kind of line break', () => {
    const summary = 'Loop; day 1, room \\ B';
    const description = 'First line,\r\nsecond; line\rthird\\line\nend';
    const parsed = parse(buildInvite(invite({ summary, description, location: 'Room 4, floor 2; east wing' })));
    expect(parsed.summary).toBe(summary);
    expect(parsed.description).toBe('First line,\nsecond; line\nthird\\line\nend');
    expect(parsed.location).toBe('Room 4, floor 2; east wing');
  });

  it('leaves out an empty location, description and URL', () => {
    const text = buildInvite(invite({ location: '', description: '', url: null }));
    expect(text).not.toMatch(/^(LOCATION|DESCRIPTION|URL)/m);
    expect(parse(text).uid).toBe('interview-42@dayone.example');
  });

  it('writes one ATTENDEE per person, and %-encodes what a mailto URI may not hold bare', () => {
    const attendees = Array.from({ length: 5 }, (_, i) => ({ name: `Person ${i}`, email: `p${i}@x.example` }));
    expect(parse(buildInvite(invite({ attendees }))).attendees.map((a) => a.value)).toEqual(attendees.map((a) => `mailto:${a.email}`));
    expect(parse(buildInvite(invite({ attendees: [{ name: 'Zoë', email: 'zoë,x@x.example' }] }))).attendees[0]!.value).toBe('mailto:zo%C3%AB%2Cx@x.example');
  });

  it('refuses what would make a broken invite', () => {
    expect(() => buildInvite(invite({ uid: ' ' }))).toThrow(RangeError);
    expect(() => buildInvite(invite({ sequence: -1 }))).toThrow(RangeError);
    expect(() => buildInvite(invite({ sequence: 1.5 }))).toThrow(RangeError);
    expect(() => buildInvite(invite({ summary: '' }))).toThrow(RangeError);
    expect(() => buildInvite(invite({ end: new Date('2025-06-10T14:00:00Z') }))).toThrow('end after it starts');
    expect(() => buildInvite(invite({ start: new Date('nonsense') }))).toThrow(RangeError);
    expect(() => buildInvite(invite({ organizer: { name: 'X', email: 'not an address' } }))).toThrow('not an email address');
    expect(() => buildInvite(invite({ attendees: [{ name: 'X', email: 'x@y.example\r\nATTENDEE:mailto:evil@z' }] }))).toThrow(RangeError);
    expect(() => buildInvite(invite({ url: '/relative' }))).toThrow('absolute URL');
  });

  it('keeps injected line breaks inside the value they came with', () => {
    const text = buildInvite(invite({ summary: 'Hi\r\nATTENDEE:mailto:evil@z.example', attendees: [{ name: 'Eve\r\nX-EVIL:1', email: 'e@x.example' }] }));
    expect(parse(text).attendees).toHaveLength(1);
    expect(parse(text).summary).toBe('Hi\nATTENDEE:mailto:evil@z.example');
    expect(parse(text).attendees[0]!.cn).toBe('Eve\nX-EVIL:1');
  });

  it('reads back any text exactly, folded within 75 octets, for any summary, description and names', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 200 });
    const line = text.map((s) => s.replace(/\r\n?/g, '\n'));
    fc.assert(
      fc.property(line.filter((s) => s.trim() !== ''), line, line, fc.string({ unit: 'grapheme', maxLength: 60 }), (summary, description, location, name) => {
        const cleanName = name.replace(/[\r\n]/g, ' ');
        const out = buildInvite(invite({ summary, description, location, attendees: [{ name: cleanName, email: 'a@b.example' }] }));
        for (const l of physicalLines(out)) expect(octets(l)).toBeLessThanOrEqual(75);
        const parsed = parse(out);
        // eslint-disable-next-line no-control-regex -- controls other than tab and newline are dropped by design
        const dropControls = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
        expect(parsed.summary).toBe(dropControls(summary));
        expect(parsed.description ?? '').toBe(dropControls(description));
        expect(parsed.location ?? '').toBe(dropControls(location));
        expect(parsed.attendees[0]!.cn).toBe(dropControls(cleanName));
      }),
      { numRuns: 300 },
    );
  });
});

describe('foldLine', () => {
  it('leaves a line of exactly 75 octets alone and folds one of 76', () => {
    expect(foldLine('a'.repeat(75))).toBe('a'.repeat(75));
    expect(foldLine('a'.repeat(76))).toBe(`${'a'.repeat(75)}\r\n a`);
  });

  it('moves a character that would straddle the limit to the next line whole', () => {
    const folded = foldLine(`${'a'.repeat(74)}€b`);
    expect(folded).toBe(`${'a'.repeat(74)}\r\n €b`);
    expect(foldLine(`${'a'.repeat(73)}😀`)).toBe(`${'a'.repeat(73)}\r\n 😀`);
  });

  it('counts the leading space of a continuation toward its 75 octets', () => {
    const lines = foldLine('x'.repeat(200)).split('\r\n');
    expect(lines.map((l) => l.length)).toEqual([75, 75, 52]);
  });
});

describe('zonedTimeToUtc', () => {
  const at = (date: string, time: string, zone: string) => zonedTimeToUtc(date, time, zone).toISOString();

  it('reads ordinary times with the offset in force on that day', () => {
    expect(at('2025-01-15', '09:00', 'America/New_York')).toBe('2025-01-15T14:00:00.000Z');
    expect(at('2025-07-15', '09:00', 'America/New_York')).toBe('2025-07-15T13:00:00.000Z');
    expect(at('2025-01-15', '09:00', 'Europe/Berlin')).toBe('2025-01-15T08:00:00.000Z');
    expect(at('2025-07-15', '09:00', 'Europe/Berlin')).toBe('2025-07-15T07:00:00.000Z');
    expect(at('2025-03-09', '09:30', 'Asia/Kolkata')).toBe('2025-03-09T04:00:00.000Z');
    expect(at('2025-11-02', '00:00', 'UTC')).toBe('2025-11-02T00:00:00.000Z');
  });

  it('moves a time in a spring-forward gap forward by the gap', () => {
    expect(at('2025-03-09', '02:30', 'America/New_York')).toBe('2025-03-09T07:30:00.000Z'); // 03:30 EDT
    expect(at('2025-03-30', '02:15', 'Europe/Berlin')).toBe('2025-03-30T01:15:00.000Z'); // 03:15 CEST
    // Lord Howe moves its clocks by half an hour: 02:00 → 02:30 on 5 October 2025.
    expect(at('2025-10-05', '02:10', 'Australia/Lord_Howe')).toBe('2025-10-04T15:40:00.000Z'); // 02:40 +11:00
  });

  it('takes the earlier instant for a time that happens twice when the clocks go back', () => {
    expect(at('2025-11-02', '01:30', 'America/New_York')).toBe('2025-11-02T05:30:00.000Z'); // EDT, not EST
    expect(at('2025-10-26', '02:30', 'Europe/Berlin')).toBe('2025-10-26T00:30:00.000Z'); // CEST, not CET
    // Lord Howe goes back from +11:00 to +10:30 at 02:00 on 6 April 2025.
    expect(at('2025-04-06', '01:45', 'Australia/Lord_Howe')).toBe('2025-04-05T14:45:00.000Z');
  });

  it('reads the times just around each change correctly', () => {
    expect(at('2025-03-09', '01:59', 'America/New_York')).toBe('2025-03-09T06:59:00.000Z');
    expect(at('2025-03-09', '03:00', 'America/New_York')).toBe('2025-03-09T07:00:00.000Z');
    expect(at('2025-11-02', '02:00', 'America/New_York')).toBe('2025-11-02T07:00:00.000Z');
    expect(at('2025-11-02', '00:59', 'America/New_York')).toBe('2025-11-02T04:59:00.000Z');
  });

  it('refuses an unknown zone, an offset instead of a zone, and malformed or impossible dates and times', () => {
    expect(() => zonedTimeToUtc('2025-06-01', '09:00', 'Mars/Olympus_Mons')).toThrow('not a known time zone');
    expect(() => zonedTimeToUtc('2025-06-01', '09:00', '+02:00')).toThrow('not a known time zone');
    expect(() => zonedTimeToUtc('2025-02-29', '09:00', 'UTC')).toThrow('not a day of the calendar');
    expect(() => zonedTimeToUtc('2025-6-1', '09:00', 'UTC')).toThrow('YYYY-MM-DD');
    expect(() => zonedTimeToUtc('2025-06-01', '24:00', 'UTC')).toThrow('HH:MM');
    expect(() => zonedTimeToUtc('2025-06-01', '9:00', 'UTC')).toThrow('HH:MM');
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Nowhere/Atlantis')).toBe(false);
  });

  it('gives, for any day and minute, an instant whose wall clock shows that time, or one moved out of a gap', () => {
    const zones = ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago', 'Pacific/Chatham'];
    const wall = (instant: Date, timeZone: string) => {
      const parts = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
      return parts.replace(' ', 'T');
    };
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 1439 }),
        fc.constantFrom(...zones),
        (day, minute, zone) => {
          const date = day.toISOString().slice(0, 10);
          const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
          const instant = zonedTimeToUtc(date, time, zone);
          const shown = wall(instant, zone);
          if (shown !== `${date}T${time}`) {
            // Only inside a gap: then the wall clock shows a later time, no more than an hour on.
            const gap = (Date.parse(`${shown}Z`) - Date.parse(`${date}T${time}Z`)) / 60_000;
            expect(gap).toBeGreaterThan(0);
            expect(gap).toBeLessThanOrEqual(60);
          } else {
            // In an overlap it is the earlier of the two: half an hour or an hour before, the clock
            // did not show the same time (clocks go back by 30 or 60 minutes in these zones).
            for (const minutes of [30, 60]) expect(wall(new Date(instant.getTime() - minutes * 60_000), zone)).not.toBe(shown);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('interviewTimes', () => {
  it('ends an interview the given minutes later, even across a change of the clocks', () => {
    expect(interviewTimes({ date: '2025-11-02', time: '01:30', timeZone: 'America/New_York', minutes: 60 })).toEqual({
      start: new Date('2025-11-02T05:30:00Z'),
      end: new Date('2025-11-02T06:30:00Z'),
    });
    expect(() => interviewTimes({ date: '2025-11-02', time: '01:30', timeZone: 'America/New_York', minutes: 0 })).toThrow(RangeError);
  });
});
