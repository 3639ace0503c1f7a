import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { mailMessages } from '../../db/schema/index.ts';
import { linkifyBody } from './outbox.service.ts';
import { workspaceApp } from './workspace.test-support.ts';

type T = Awaited<ReturnType<typeof workspaceApp>>;
let t: T;
let admin: { id: number };
let confirmation: number;

beforeAll(async () => {
  t = await workspaceApp();
  admin = await createStaff(t.database.db, { role: 'admin' });
  // The app's own mail service stores every message in mail_messages (no SMTP in tests).
  await t.app.mail.send({ kind: 'verify_email', to: 'first@example.com', subject: 'The first message', text: 'Hello' });
  ({ id: confirmation } = await t.app.mail.send({
    kind: 'application_received',
    to: 'zoë@example.com',
    subject: 'We received your application <b>now</b>',
    text: [
      'Confirm here: https://careers.example.test/applications/confirm?token=abc123.',
      'Not ours: https://evil.example.net/phish and https://careers.example.test.evil.net/x',
      'Sneaky: https://careers.example.test@evil.net/x and javascript:alert(1)',
      '<img src=x onerror=alert(1)>',
    ].join('\n'),
  }));
});
afterAll(() => t.close());

const adminGet = async (url: string) => (await staffClient(t.app, t.database.db, admin.id)).get(url);

describe(`the outbox on ${testEngine}`, () => {
  it('lists the stored emails newest first with recipient, subject, kind, status and date', async () => {
    const res = await adminGet('/staff/outbox');
    expect(res.statusCode).toBe(200);
    expect(res.body.indexOf('zoë@example.com')).toBeLessThan(res.body.indexOf('first@example.com'));
    expect(res.body).toContain(`href="/staff/outbox/${confirmation}"`);
    expect(res.body).toContain('We received your application &lt;b&gt;now&lt;/b&gt;');
    expect(res.body).toContain('application_received');
    expect(res.body).toContain('Kept in the outbox');
    expect(res.body).toContain('No mail server is configured');
  });

  it('shows a message’s text escaped, with only this site’s links clickable', async () => {
    const res = await adminGet(`/staff/outbox/${confirmation}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<a href="https://careers.example.test/applications/confirm?token=abc123">https://careers.example.test/applications/confirm?token=abc123</a>.');
    expect(res.body).not.toContain('href="https://evil');
    expect(res.body).not.toContain('href="https://careers.example.test.evil');
    expect(res.body).not.toContain('href="https://careers.example.test@');
    expect(res.body).not.toContain('href="javascript');
    expect(res.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(res.body).not.toContain('<img src=x');
  });

  it('answers 404 for a message that does not exist', async () => {
    expect((await adminGet('/staff/outbox/999999')).statusCode).toBe(404);
    expect((await adminGet('/staff/outbox/abc')).statusCode).toBe(404);
  });

  it('pages the outbox 50 messages at a time', async () => {
    await t.database.db.insert(mailMessages).values(
      Array.from({ length: 60 }, (_, i) => ({ kind: 'bulk', toAddress: `bulk${String(i).padStart(2, '0')}@example.com`, subject: `Bulk ${i}`, textBody: 'x', transport: 'outbox' })),
    );
    const client = await staffClient(t.app, t.database.db, admin.id);
    const first = await client.get('/staff/outbox');
    expect(first.body.match(/href="\/staff\/outbox\/\d+"/g)).toHaveLength(50);
    expect(first.body).toContain('bulk59@example.com');
    const older = /href="(\/staff\/outbox\?before=\d+)"/.exec(first.body)![1]!;
    const second = await client.get(older);
    expect(second.body.match(/href="\/staff\/outbox\/\d+"/g)).toHaveLength(12);
    expect(second.body).toContain('first@example.com');
    expect(second.body).toMatch(/href="\/staff\/outbox\?after=\d+"/);
    expect((await client.get('/staff/outbox?before=x')).statusCode).toBe(400);
  });
});

describe('links in an email body', () => {
  const site = 'https://careers.example.test';

  it('links URLs of this site and leaves trailing punctuation outside the link', () => {
    expect(linkifyBody('Open https://careers.example.test/a?b=1, then (https://careers.example.test/c).', site)).toEqual([
      { text: 'Open ' },
      { text: 'https://careers.example.test/a?b=1', href: 'https://careers.example.test/a?b=1' },
      { text: ', then (' },
      { text: 'https://careers.example.test/c', href: 'https://careers.example.test/c' },
      { text: ').' },
    ]);
  });

  it('leaves other sites, other schemes and look-alike hosts as text', () => {
    for (const text of ['http://careers.example.test/x', 'https://careers.example.test:8443/x', 'https://other.test/x', 'ftp://careers.example.test/x', 'https://careers.example.test.evil.test/x', 'https://u:p@careers.example.test/x']) {
      expect(linkifyBody(text, site).some((p) => 'href' in p)).toBe(false);
    }
  });

  it('keeps to the path of a site that lives under one', () => {
    expect(linkifyBody('https://x.test/careers/jobs', 'https://x.test/careers').some((p) => 'href' in p)).toBe(true);
    expect(linkifyBody('https://x.test/careersevil', 'https://x.test/careers').some((p) => 'href' in p)).toBe(false);
    expect(linkifyBody('https://x.test/other', 'https://x.test/careers').some((p) => 'href' in p)).toBe(false);
  });
});
