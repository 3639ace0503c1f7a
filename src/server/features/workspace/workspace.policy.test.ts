import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/account-client.ts';
import { createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import type { StaffRole } from '../../../domain/policy.ts';
import { workspaceApp } from './workspace.test-support.ts';

type T = Awaited<ReturnType<typeof workspaceApp>>;
let t: T;
let messageId: number;
const ids = {} as Record<StaffRole, number>;

beforeAll(async () => {
  t = await workspaceApp();
  for (const role of ['admin', 'recruiter', 'hiring_manager', 'interviewer'] as const) ids[role] = (await createStaff(t.database.db, { role })).id;
  ({ id: messageId } = await t.app.mail.send({ kind: 'test', to: 'a@example.com', subject: 'Hello', text: 'Hi' }));
});
afterAll(() => t.close());

const ADMIN_PAGES = () => ['/staff/audit', '/staff/audit.csv', '/staff/outbox', `/staff/outbox/${messageId}`, '/staff/settings'];

describe(`who may open the workspace pages, through HTTP, on ${testEngine}`, () => {
  for (const role of ['recruiter', 'hiring_manager', 'interviewer'] as const) {
    it(`refuses a ${role.replace('_', ' ')} the audit log, its export, the outbox and settings with 403`, async () => {
      const client = await staffClient(t.app, t.database.db, ids[role]);
      for (const url of ADMIN_PAGES()) expect((await client.get(url)).statusCode, url).toBe(403);
      await client.get('/staff');
      const post = await client.post('/staff/settings', { key: 'rejection', intent: 'save', subject: 'Hacked', body: 'Hacked' });
      expect(post.statusCode).toBe(403);
      expect((await client.get('/staff')).body).not.toContain('href="/staff/audit"');
    });
  }

  it('lets an admin open every admin page', async () => {
    const client = await staffClient(t.app, t.database.db, ids.admin);
    for (const url of ADMIN_PAGES()) expect((await client.get(url)).statusCode, url).toBe(200);
  });

  it('lets every role open the home page and their notifications', async () => {
    for (const role of Object.keys(ids) as StaffRole[]) {
      const client = await staffClient(t.app, t.database.db, ids[role]);
      expect((await client.get('/staff')).statusCode, role).toBe(200);
      expect((await client.get('/staff/notifications')).statusCode, role).toBe(200);
    }
  });

  it('sends a signed-out visitor of any workspace page to sign in, and back afterwards', async () => {
    const visitor = new FormClient(t.app);
    for (const url of ['/staff', '/staff/notifications', ...ADMIN_PAGES(), '/staff/audit?action=job.']) {
      const res = await visitor.get(url);
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location).toBe(`/staff/sign-in?next=${encodeURIComponent(url)}`);
    }
  });

  it('answers a signed-out form post with 401 and changes nothing', async () => {
    const visitor = new FormClient(t.app);
    for (const url of ['/staff/notifications/read', '/staff/settings']) {
      expect((await visitor.post(url, { key: 'rejection', intent: 'save', subject: 'x', body: 'y' })).statusCode, url).toBe(401);
    }
  });
});
