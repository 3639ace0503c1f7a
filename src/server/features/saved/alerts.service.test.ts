import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import type { RecordingMail } from '../../../../test/support/recording-mail.ts';
import { address, verifiedAccount } from '../../../../test/support/saved-helpers.ts';
import { savedTestApp } from '../../../../test/support/saved-test-app.ts';
import type { TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { candidateAccounts, jobAlerts } from '../../db/schema/index.ts';
import { createJobs } from '../jobs/jobs.service.ts';
import type { JobSearch } from '../jobs/search.service.ts';
import { startQueue } from '../../queue.ts';
import { alertSearch, periodStart, registerAlertWorkers, sendAlertDigests, type AlertFrequency } from './alerts.service.ts';

let t: TestApp & { mail: RecordingMail; search: JobSearch };
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
/** The tests' clock: every job and run is placed relative to it, in the past, so jobs are public. */
// The last UTC noon, never in the future: daily digests are due once per UTC day, and the runs at
// T0 − 6 h and T0 − 5 h must fall on the same day whatever the hour the suite runs (from Date.now(),
// a run between 05:00 and 06:00 UTC put them on either side of midnight and the test failed).
const T0 = Math.floor((Date.now() - 12 * 3_600_000) / 86_400_000) * 86_400_000 + 12 * 3_600_000;
const at = (ms: number) => new Date(T0 + ms);

beforeAll(async () => {
  t = await savedTestApp();
});
afterAll(() => t.close());

/** A confirmed person with one alert for `query`, last sent at `lastSentAt`. */
async function alert(query: string, frequency: AlertFrequency, lastSentAt: Date) {
  const { email, personId } = await verifiedAccount(t, address('alert'));
  const [row] = await t.database.db.insert(jobAlerts).values({ personId, query, frequency, lastSentAt }).returning();
  return { email, id: row!.id, personId };
}

const run = (frequency: AlertFrequency, now: Date) =>
  sendAlertDigests({ db: t.database.db, mail: t.mail, search: t.search, publicUrl: t.config.publicUrl, secret: t.config.sessionSecret!, frequency, now });

const digests = (email: string) => t.mail.to(email).filter((m) => m.kind === 'job_alert_digest');

describe(`alert digests on ${testEngine}`, () => {
  it('emails the jobs of the search posted since the last digest, then only newer ones, never the same job twice', async () => {
    await createJobs({
      db: t.database.db,
      inputs: [
        buildJob({ title: 'Glassblower Old', postedAt: at(-4 * DAY) }),
        buildJob({ title: 'Glassblower Fresh', postedAt: at(-2 * DAY) }),
        buildJob({ title: 'Potter Fresh', postedAt: at(-2 * DAY) }),
        buildJob({ title: 'Glassblower Legal', team: 'legal', category: 'Legal', postedAt: at(-2 * DAY) }),
      ],
    });
    const { email, id } = await alert('q=glassblower&team=amazon-web-services', 'daily', at(-3 * DAY));

    const first = at(-6 * HOUR);
    expect(await run('daily', first)).toMatchObject({ sent: 1 });
    const mail = digests(email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain('Glassblower Fresh');
    expect(mail[0]!.text).not.toMatch(/Glassblower Old|Potter|Glassblower Legal/);
    expect(mail[0]!.subject).toBe('1 new job: Jobs matching “glassblower”; team: amazon-web-services');
    expect(mail[0]!.text).toContain(`https://careers.example.test/alerts/unsubscribe?alert=${id}&sig=`);
    expect(mail[0]!.html).toContain('Stop these emails');
    // A mail client's own unsubscribe button (RFC 8058) posts to the same signed link.
    expect(mail[0]!.headers?.['List-Unsubscribe']).toMatch(new RegExp(`^<https://careers\\.example\\.test/alerts/unsubscribe\\?alert=${id}&sig=[^>]+>$`));
    expect(mail[0]!.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const [row] = await t.database.db.select().from(jobAlerts).where(eq(jobAlerts.id, id));
    expect(row!.lastSentAt.getTime()).toBe(first.getTime());

    // Run again in the same day (a retry, a second node): nothing more.
    expect(await run('daily', first)).toMatchObject({ due: 0, sent: 0 });
    expect(await run('daily', at(-5 * HOUR))).toMatchObject({ sent: 0 });
    expect(digests(email)).toHaveLength(1);

    // A job posted after that digest goes in the next day's, alone.
    await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Glassblower Newer', postedAt: at(-1 * HOUR) })] });
    expect(await run('daily', at(-6 * HOUR + DAY))).toMatchObject({ sent: 1 });
    expect(digests(email)).toHaveLength(2);
    expect(digests(email)[1]!.text).toContain('Glassblower Newer');
    expect(digests(email)[1]!.text).not.toContain('Glassblower Fresh');
  });

  it('sends no email when nothing new matches, and still moves the alert on', async () => {
    const { email, id } = await alert('q=zeppelin', 'daily', at(-3 * DAY));
    const now = at(-6 * HOUR);
    await run('daily', now);
    expect(digests(email)).toHaveLength(0);
    const [row] = await t.database.db.select().from(jobAlerts).where(eq(jobAlerts.id, id));
    expect(row!.lastSentAt.getTime()).toBe(now.getTime());
  });

  it('sends weekly alerts only on the weekly run, once a week', async () => {
    await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Cartographer', postedAt: at(-2 * DAY) })] });
    const weekly = await alert('q=cartographer', 'weekly', at(-10 * DAY));
    const daily = await alert('q=cartographer', 'daily', at(-10 * DAY));
    const now = at(-6 * HOUR);
    await run('daily', now);
    expect(digests(weekly.email)).toHaveLength(0);
    expect(digests(daily.email)).toHaveLength(1);
    await run('weekly', now);
    expect(digests(weekly.email)).toHaveLength(1);
    expect(digests(weekly.email)[0]!.text).toContain('once a week');
    // Later in the same week: not due again.
    const sameWeek = periodStart('weekly', now).getTime() + 6 * DAY + 23 * HOUR;
    await run('weekly', new Date(Math.max(sameWeek, now.getTime() + 1)));
    expect(digests(weekly.email)).toHaveLength(1);
  });

  it('sends one digest when two runs race for the same alerts', async () => {
    await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Clockmaker', postedAt: at(-2 * DAY) })] });
    const { email } = await alert('q=clockmaker', 'daily', at(-3 * DAY));
    await Promise.all([run('daily', at(-6 * HOUR)), run('daily', at(-6 * HOUR))]);
    expect(digests(email)).toHaveLength(1);
  });

  it('lists at most 20 jobs, newest first, and says there are more', async () => {
    await createJobs({
      db: t.database.db,
      inputs: Array.from({ length: 22 }, (_, i) => buildJob({ title: `Beekeeper ${i + 1}`, postedAt: at(-2 * DAY + i * 60_000) })),
    });
    const { email } = await alert('q=beekeeper', 'daily', at(-3 * DAY));
    await run('daily', at(-6 * HOUR));
    const [mail] = digests(email);
    expect(mail!.subject).toMatch(/^20\+ new jobs/);
    const titles = [...mail!.text.matchAll(/^\d+\. (Beekeeper \d+)/gm)].map((m) => m[1]);
    expect(titles).toHaveLength(20);
    expect(titles[0]).toBe('Beekeeper 22');
    expect(mail!.text).toContain('There are more new jobs than fit in one email');
  });

  it('sends nothing to an address that is not confirmed', async () => {
    await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Lamplighter', postedAt: at(-2 * DAY) })] });
    const { email, personId } = await alert('q=lamplighter', 'daily', at(-3 * DAY));
    await t.database.db.update(candidateAccounts).set({ emailVerifiedAt: null }).where(eq(candidateAccounts.personId, personId));
    await run('daily', at(-6 * HOUR));
    expect(digests(email)).toHaveLength(0);
  });
});

describe(`digest workers on ${testEngine}`, () => {
  it('schedules daily and weekly runs at 07:00 UTC and sends digests when a run comes', async () => {
    const queue = await startQueue(t.database);
    try {
      const stop = await registerAlertWorkers(queue, { db: t.database.db, mail: t.mail, search: t.search, publicUrl: t.config.publicUrl, secret: t.config.sessionSecret!, pollSeconds: 1 });
      const schedules = await queue.getSchedules();
      expect(schedules.map((s) => [s.name, s.cron, s.timezone]).sort()).toEqual([
        ['alerts.digest.daily', '0 7 * * *', 'UTC'],
        ['alerts.digest.weekly', '0 7 * * 1', 'UTC'],
      ]);
      await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Wheelwright', postedAt: at(-2 * DAY) })] });
      const { email } = await alert('q=wheelwright', 'daily', at(-3 * DAY));
      await queue.send('alerts.digest.daily', {});
      await expect.poll(() => digests(email).length, { timeout: 15_000, interval: 200 }).toBe(1);
      await stop();
    } finally {
      await queue.stop({ graceful: false });
    }
  }, 30_000);
});

describe('the search an alert follows', () => {
  it('keeps filters in a fixed order and drops the page and sort', () => {
    expect(alertSearch({ team: ['legal', 'amazon-web-services'], q: ' data ', page: '3', sort: 'newest' })?.query).toBe(
      'q=data&team=legal&team=amazon-web-services',
    );
    expect(alertSearch('?type=NOPE')).toBeNull();
    expect(alertSearch('')?.query).toBe('');
  });

  it('counts periods in UTC days and ISO weeks starting on Monday', () => {
    const wednesday = new Date('2026-11-25T07:00:00Z');
    expect(periodStart('daily', wednesday).toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(periodStart('weekly', wednesday).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(periodStart('weekly', new Date('2026-11-29T23:59:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });
});
