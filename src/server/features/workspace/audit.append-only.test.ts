import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { createStaff, staffClient } from '../../../../test/support/staff.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { applications, jobs, staffNotifications } from '../../db/schema/index.ts';
import { seedDemoWorkspace } from './demo-workspace.ts';
import { snapshotAudit } from './workspace.test-support.ts';

/** The URLs this feature declares; every one must be in the staff route table (so the policy runs first). */
const OWN = /^\/staff(\/notifications(\/read)?|\/audit(\.csv)?|\/outbox(\/:id)?|\/settings)?$/;

let t: TestApp;

/** Every route of the app with its methods, read from Fastify's own route tree. */
function registeredRoutes(app: TestApp['app']): Array<{ method: string; url: string }> {
  const routes: Array<{ method: string; url: string }> = [];
  const path: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const node = /^([│ ]*)[├└]── (.*?)(?: \(([^)]*)\))?$/.exec(line);
    if (!node) continue;
    path.length = node[1]!.length / 4;
    path.push(node[2]!);
    for (const method of node[3]?.split(', ') ?? []) routes.push({ method, url: path.join('') });
  }
  return routes;
}

beforeAll(async () => {
  t = await testApp({ deps: { mail: new RecordingMail() } });
  await seedDemoWorkspace({ db: t.database.db, now: new Date() });
  await t.app.mail.send({ kind: 'test', to: 'someone@example.com', subject: 'A message', text: 'Hello' });
});
afterAll(() => t.close());

describe(`the audit log stays append-only on ${testEngine}`, () => {
  it('declares every workspace route through the staff route table', () => {
    const own = registeredRoutes(t.app).filter((r) => OWN.test(r.url) && (r.method === 'GET' || r.method === 'POST'));
    expect(own.length).toBeGreaterThanOrEqual(9);
    for (const route of own) expect(t.app.staffRouteTable).toContainEqual(expect.objectContaining({ method: route.method, url: route.url }));
  });

  it('only ever adds audit events, whatever is sent to any staff route', async () => {
    const db = t.database.db;
    const [job] = await db.select({ id: jobs.id }).from(jobs).limit(1);
    const [application] = await db.select({ id: applications.id }).from(applications).limit(1);
    const [notification] = await db.select({ id: staffNotifications.id }).from(staffNotifications).limit(1);
    /**
     * A fresh admin, signed in, for every request: some routes end the session (sign-out) or
     * change users, and the walk must reach every route as someone the policy lets through.
     */
    const freshAdmin = async () => {
      const admin = await createStaff(db, { role: 'admin' });
      const client = await staffClient(t.app, db, admin.id);
      await client.get('/staff');
      return client;
    };

    const bodies: Array<Record<string, string>> = [
      {},
      { id: String(notification!.id) },
      { key: 'rejection', intent: 'save', subject: 'Changed subject {{job_title}}', body: 'Changed body' },
      { key: 'rejection', intent: 'preview', subject: '', body: '' },
      { key: 'rejection', intent: 'save', subject: '', body: '' },
    ];
    const idFor = (target: string) => String(target === 'application' ? application!.id : target === 'job' ? job!.id : 1);

    let before = await snapshotAudit(db);
    let posts = 0;
    for (const route of t.app.staffRouteTable) {
      const url = route.url.replace(/:(\w+)/g, () => idFor(route.target));
      const attempts = route.method === 'GET' ? [undefined] : bodies;
      for (const body of attempts) {
        const client = await freshAdmin();
        const res = route.method === 'GET' ? await client.get(url) : await client.post(url, body ?? {});
        if (OWN.test(route.url)) expect(res.statusCode, `${route.method} ${url}`).toBeLessThan(500);
        if (route.method === 'POST') posts += 1;
        const after = await snapshotAudit(db);
        // Every event there was is still there, unchanged; new ones may only be added after them.
        expect(after.length, `${route.method} ${url}`).toBeGreaterThanOrEqual(before.length);
        expect(after.slice(0, before.length), `${route.method} ${url}`).toEqual(before);
        before = after;
      }
    }
    expect(posts).toBeGreaterThan(0);
    // The one real change among them (the saved template) was recorded.
    expect(before.some((e) => e.action === 'setting.updated')).toBe(true);
  });
});

describe('the workspace’s code', () => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const self = basename(fileURLToPath(import.meta.url));
  const rewrites = [
    /\.\s*(update|delete)\s*\(\s*auditEvents\b/,
    /\b(update|delete\s+from|truncate(\s+table)?)\s+"?audit_events"?/i,
    /\balter\s+table\s+"?audit_events"?/i,
  ];

  it('recognizes a statement that would change or remove audit events', () => {
    for (const bad of ['tx.update(auditEvents).set({})', 'db.delete( auditEvents )', 'DELETE FROM audit_events', 'update "audit_events" set', 'truncate audit_events']) {
      expect(rewrites.some((r) => r.test(bad)), bad).toBe(true);
    }
    expect(rewrites.some((r) => r.test('tx.insert(auditEvents).values({})'))).toBe(false);
  });

  it('has no UPDATE or DELETE of audit_events anywhere under src/server/features/workspace', () => {
    const files = readdirSync(here, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|tsx|sql)$/.test(f) && basename(f) !== self);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = readFileSync(join(here, file), 'utf8');
      for (const rule of rewrites) expect(rule.test(text), `${file} matches ${rule}`).toBe(false);
    }
  });
});
