import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { csvCell, csvLine } from './audit.csv.ts';
import { AUDIT_CSV_HEADER } from './audit.service.ts';
import { appendAudit, workspaceApp } from './workspace.test-support.ts';

type T = Awaited<ReturnType<typeof workspaceApp>>;
let t: T;
let admin: { id: number; name: string };
let editor: { id: number; name: string };

/** A small RFC 4180 reader, to read the export back the way a spreadsheet would. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) throw new Error('the CSV does not end with CRLF');
  return rows;
}

beforeAll(async () => {
  t = await workspaceApp();
  const db = t.database.db;
  admin = await createStaff(db, { role: 'admin', name: 'Ada Admin' });
  editor = await createStaff(db, { role: 'recruiter', name: 'Edda Editor' });
  const day = (iso: string) => new Date(iso);
  await appendAudit(db, [
    { at: day('2026-01-10T12:00:00Z'), actorType: 'staff', actorId: editor.id, action: 'job.created', subjectType: 'job', subjectId: '100001', after: { title: 'Engineer' } },
    { at: day('2026-01-11T12:00:00Z'), actorType: 'staff', actorId: editor.id, action: 'job.updated', subjectType: 'job', subjectId: '100001', before: { title: 'Engineer' }, after: { title: '<script>alert("x")</script>' } },
    { at: day('2026-01-12T23:59:00Z'), actorType: 'candidate', actorId: 77, action: 'application.created', subjectType: 'application', subjectId: '5' },
    { at: day('2026-01-13T00:00:00Z'), actorType: 'staff', actorId: admin.id, action: 'setting.updated', subjectType: 'setting', subjectId: 'email_template.rejection', after: { subject: '=HYPERLINK("http://evil.test")', body: 'a, "quoted"\r\nline' } },
    { at: day('2026-01-14T08:00:00Z'), actorType: 'system', actorId: null, action: 'jobxcreated', subjectType: 'job', subjectId: '100002' },
  ]);
});
afterAll(() => t.close());

const adminGet = async (url: string) => (await staffClient(t.app, t.database.db, admin.id)).get(url);

describe(`the audit log page on ${testEngine}`, () => {
  it('lists events newest first with staff names, and before and after as escaped JSON', async () => {
    const res = await adminGet('/staff/audit');
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body.indexOf('jobxcreated')).toBeLessThan(body.indexOf('setting.updated'));
    expect(body.indexOf('setting.updated')).toBeLessThan(body.indexOf('job.created'));
    expect(body).toContain(`Edda Editor (staff #${editor.id})`);
    expect(body).toContain('Candidate #77');
    expect(body).toContain('&lt;script&gt;alert(\\&quot;x\\&quot;)&lt;/script&gt;');
    expect(body).not.toContain('<script>alert');
    expect(body).toContain('&quot;title&quot;: &quot;Engineer&quot;');
  });

  it('filters by actor, with the staff member’s name in the summary', async () => {
    const body = (await adminGet(`/staff/audit?actorType=staff&actorId=${editor.id}`)).body;
    expect(body).toContain(`Showing events by Edda Editor (staff #${editor.id})`);
    expect(body).toContain('job.updated');
    expect(body).not.toContain('setting.updated</code>');
    expect(body).not.toContain('application.created');
  });

  it('filters by an action prefix taken literally', async () => {
    const body = (await adminGet('/staff/audit?action=job.')).body;
    expect(body).toContain('job.created');
    expect(body).toContain('job.updated');
    expect(body).not.toContain('jobxcreated');
    expect((await adminGet('/staff/audit?action=job_')).body).toContain('None match.');
  });

  it('filters by subject type and id', async () => {
    const body = (await adminGet('/staff/audit?subjectType=job&subjectId=100002')).body;
    expect(body).toContain('jobxcreated');
    expect(body).not.toContain('job.created');
  });

  it('filters by days, the last one included whole', async () => {
    const body = (await adminGet('/staff/audit?from=2026-01-11&to=2026-01-12')).body;
    expect(body).toContain('job.updated');
    expect(body).toContain('application.created');
    expect(body).not.toContain('job.created</code>');
    expect(body).not.toContain('setting.updated</code>');
  });

  it('refuses filters it cannot read with a message beside the field, keeping what was typed', async () => {
    const res = await adminGet('/staff/audit?actorId=twelve&from=2026-02-30&action=job.');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('href="#actorId"');
    expect(res.body).toContain('Enter the actor’s id as a number');
    expect(res.body).toContain('Enter the first day as a date');
    expect(res.body).toContain('value="twelve"');
    expect(res.body).toContain('value="job."');
    const backwards = await adminGet('/staff/audit?from=2026-01-12&to=2026-01-11');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('The last day must not be before the first day');
  });

  it('shows 50 events a page with links to older and newer pages that keep the filters', async () => {
    const db = t.database.db;
    await appendAudit(db, Array.from({ length: 120 }, (_, i) => ({ action: `bulk.item${String(i).padStart(3, '0')}`, subjectType: 'bulk', subjectId: String(i) })));
    const client = await staffClient(t.app, db, admin.id);
    const first = await client.get('/staff/audit?subjectType=bulk');
    const count = (html: string) => html.match(/<code>bulk\.item/g)?.length ?? 0;
    expect(count(first.body)).toBe(50);
    expect(first.body).toContain('bulk.item119');
    const older = /href="(\/staff\/audit\?[^"]*before=\d+)"/.exec(first.body)![1]!.replace(/&amp;/g, '&');
    expect(older).toContain('subjectType=bulk');
    expect(first.body).not.toMatch(/rel="prev"/);
    const second = await client.get(older);
    expect(count(second.body)).toBe(50);
    expect(second.body).toContain('bulk.item069');
    expect(second.body).not.toContain('bulk.item070');
    const third = await client.get(/href="(\/staff\/audit\?[^"]*before=\d+)"/.exec(second.body)![1]!.replace(/&amp;/g, '&'));
    expect(count(third.body)).toBe(20);
    expect(third.body).not.toMatch(/rel="next"/);
    const back = await client.get(/href="(\/staff\/audit\?[^"]*after=\d+)"/.exec(third.body)![1]!.replace(/&amp;/g, '&'));
    expect(count(back.body)).toBe(50);
    expect(back.body).toContain('bulk.item069');
    expect(back.body).toContain('bulk.item020');
  });
});

describe(`the audit log export on ${testEngine}`, () => {
  it('quotes cells as RFC 4180 says', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
    expect(csvLine(['a', 'b'])).toBe('a,b\r\n');
  });

  it('writes a cell that a spreadsheet would run as a formula as text', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1+1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('=SUM(A1,A2)')).toBe(`"'=SUM(A1,A2)"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('downloads the filtered events as a CSV attachment that reads back to the same values', async () => {
    const res = await adminGet('/staff/audit.csv?subjectType=setting');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = readCsv(res.body);
    expect(rows[0]).toEqual([...AUDIT_CSV_HEADER]);
    expect(rows).toHaveLength(2);
    const row = Object.fromEntries(AUDIT_CSV_HEADER.map((h, i) => [h, rows[1]![i]]));
    expect(row).toMatchObject({ actor_type: 'staff', actor_id: String(admin.id), actor_name: 'Ada Admin', action: 'setting.updated', subject_id: 'email_template.rejection', at: '2026-01-13T00:00:00.000Z' });
    expect(JSON.parse(row.after!)).toEqual({ subject: '=HYPERLINK("http://evil.test")', body: 'a, "quoted"\r\nline' });
  });

  it('guards a value that starts like a formula in the export', async () => {
    await appendAudit(t.database.db, [{ action: 'formula.test', subjectType: 'formula', subjectId: '=cmd|" /C calc"!A0' }]);
    const rows = readCsv((await adminGet('/staff/audit.csv?subjectType=formula')).body);
    expect(rows[1]![7]).toBe(`'=cmd|" /C calc"!A0`);
  });

  it('exports a long log completely, in batches, newest first', async () => {
    const db = t.database.db;
    const many = 2500;
    for (let start = 0; start < many; start += 500) {
      await appendAudit(db, Array.from({ length: 500 }, (_, i) => ({ action: 'long.item', subjectType: 'long', subjectId: String(start + i) })));
    }
    const cookie = [...(await staffClient(t.app, db, admin.id)).cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await t.app.inject({ url: '/staff/audit.csv?subjectType=long', headers: { cookie, 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    const rows = readCsv(gunzipSync(res.rawPayload).toString('utf8'));
    expect(rows).toHaveLength(many + 1);
    expect(rows[1]![7]).toBe(String(many - 1));
    expect(rows.at(-1)![7]).toBe('0');
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(many);
  });

  it('refuses filters it cannot read', async () => {
    expect((await adminGet('/staff/audit.csv?actorId=x')).statusCode).toBe(400);
  });
});
