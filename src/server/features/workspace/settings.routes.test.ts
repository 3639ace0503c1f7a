import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { DEFAULT_TEMPLATES } from '../../../domain/templates.ts';
import { auditEvents } from '../../db/schema/index.ts';
import { getEmailTemplate } from '../staff/settings.repository.ts';
import { workspaceApp } from './workspace.test-support.ts';

type T = Awaited<ReturnType<typeof workspaceApp>>;
let t: T;
let admin: { id: number };

beforeAll(async () => {
  t = await workspaceApp();
  admin = await createStaff(t.database.db, { role: 'admin' });
});
afterAll(() => t.close());

const settingAudits = () =>
  t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'setting.updated'), eq(auditEvents.subjectId, 'email_template.rejection')))
    .orderBy(auditEvents.id);

const signedIn = async () => {
  const client = await staffClient(t.app, t.database.db, admin.id);
  await client.get('/staff/settings');
  return client;
};

describe(`email template settings on ${testEngine}`, () => {
  it('shows each template’s subject and text with the placeholders it may use', async () => {
    const res = await (await staffClient(t.app, t.database.db, admin.id)).get('/staff/settings');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Rejection email');
    expect(res.body).toContain('value="Your application for {{job_title}}"');
    expect(res.body).toContain('Dear {{candidate_name}},');
    for (const name of ['candidate_name', 'job_title', 'organization']) expect(res.body).toContain(`<code>{{${name}}}</code>`);
    expect(res.body).toContain('uses the built-in text');
  });

  it('previews with sample values, flags unknown placeholders, keeps the text and saves nothing', async () => {
    const client = await signedIn();
    const res = await client.post('/staff/settings', { key: 'rejection', intent: 'preview', subject: 'About {{job_title}}', body: 'Hi {{candidate_name}}, from {{organisation}} <b>team</b>' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('About Senior Software Development Engineer');
    expect(res.body).toContain('<span>Hi Alex Morgan, from </span>');
    expect(res.body).toContain('{{organisation}}<span class="visually-hidden"> (unknown placeholder)</span></mark>');
    expect(res.body).toContain('Check these placeholders:');
    expect(res.body).toContain('&lt;b&gt;team&lt;/b&gt;');
    expect(res.body).toContain('value="About {{job_title}}"');
    expect(res.body).toContain('from {{organisation}} &lt;b&gt;team&lt;/b&gt;</textarea>');
    expect(await getEmailTemplate(t.database.db, 'rejection')).toEqual(DEFAULT_TEMPLATES.rejection);
    expect(await settingAudits()).toHaveLength(0);
  });

  it('refuses an empty subject or text with messages beside the fields, keeping what was typed', async () => {
    const client = await signedIn();
    const res = await client.post('/staff/settings', { key: 'rejection', intent: 'save', subject: '   ', body: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<title>Error: Settings');
    expect(res.body).toContain('href="#rejection-subject"');
    expect(res.body).toContain('Enter a subject');
    expect(res.body).toContain('href="#rejection-body"');
    expect(res.body).toContain('Enter the text of the email');
    const typed = await client.post('/staff/settings', { key: 'rejection', intent: 'save', subject: 'Kept subject', body: '' });
    expect(typed.body).toContain('value="Kept subject"');
    expect(await settingAudits()).toHaveLength(0);
  });

  it('saves a template with unknown placeholders and records the change with before and after', async () => {
    const client = await signedIn();
    const res = await client.post('/staff/settings', { key: 'rejection', intent: 'save', subject: 'News about {{job_title}}', body: 'Dear {{candidate_name}},\r\nthanks from {{team_name}}.' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/staff\/settings\?saved=rejection/);
    expect(await getEmailTemplate(t.database.db, 'rejection')).toEqual({ subject: 'News about {{job_title}}', body: 'Dear {{candidate_name}},\nthanks from {{team_name}}.' });
    const [event] = await settingAudits();
    expect(event).toMatchObject({ actorType: 'staff', actorId: admin.id, subjectType: 'setting' });
    expect(event!.before).toMatchObject(DEFAULT_TEMPLATES.rejection);
    expect(event!.after).toEqual({ subject: 'News about {{job_title}}', body: 'Dear {{candidate_name}},\nthanks from {{team_name}}.' });
    const page = await client.get(res.headers.location as string);
    expect(page.body).toContain('Saved the rejection email.');
    expect(page.body).toContain('An admin changed it');

    const again = await client.post('/staff/settings', { key: 'rejection', intent: 'save', subject: 'Second', body: 'Second body' });
    expect(again.statusCode).toBe(303);
    const events = await settingAudits();
    expect(events).toHaveLength(2);
    expect(events[1]!.before).toEqual({ subject: 'News about {{job_title}}', body: 'Dear {{candidate_name}},\nthanks from {{team_name}}.' });
  });

  it('records nothing when a save changes nothing', async () => {
    const client = await signedIn();
    const current = await getEmailTemplate(t.database.db, 'rejection');
    const before = (await settingAudits()).length;
    const res = await client.post('/staff/settings', { key: 'rejection', intent: 'save', ...current });
    expect(res.headers.location).toMatch(/unchanged=rejection/);
    expect(await settingAudits()).toHaveLength(before);
  });

  it('answers 404 for a template that does not exist', async () => {
    const client = await signedIn();
    expect((await client.post('/staff/settings', { key: 'nope', intent: 'save', subject: 'a', body: 'b' })).statusCode).toBe(404);
  });
});
