import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../../test/support/builders.ts';
import { testApp, type TestApp } from '../../../../test/support/test-app.ts';
import { testEngine } from '../../../../test/support/test-db.ts';
import { countRequisitions } from './jobs.repository.ts';
import { createJobs, findPublicJob, JobBatchError } from './jobs.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe(`creating jobs on ${testEngine}`, () => {
  it('writes a job with its locations, pay, principles and questions, numbered as a requisition', async () => {
    const { ids } = await createJobs({
      db: t.database.db,
      inputs: [
        buildJob({
          title: 'Senior SDE, Payments',
          questions: [{ label: 'Are you authorized to work in the US?', kind: 'yes_no', required: true }],
        }),
      ],
    });
    const job = await findPublicJob({ db: t.database.db, id: ids[0]! });
    expect(job).toMatchObject({
      id: ids[0],
      slug: 'senior-sde-payments',
      title: 'Senior SDE, Payments',
      team: { slug: 'amazon-web-services', name: 'Amazon Web Services' },
      pay: { currency: 'USD', min: 120000, max: 180000, unit: 'YEAR' },
      principles: [
        { slug: 'customer-obsession', name: 'Customer obsession' },
        { slug: 'ownership', name: 'Ownership' },
        { slug: 'dive-deep', name: 'Dive deep' },
      ],
      questions: [{ label: 'Are you authorized to work in the US?', kind: 'yes_no', required: true, options: [] }],
    });
    expect(job?.requisitionId).toMatch(/^REQ-\d{7}$/);
    expect(job?.uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a whole batch when one row is bad, naming the row and field', async () => {
    const before = await countRequisitions(t.database.db);
    const error = await createJobs({
      db: t.database.db,
      inputs: [buildJob(), buildJob({ team: 'no-such-team' }), buildJob({ level: 42 })],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobBatchError);
    expect((error as JobBatchError).issues).toEqual([
      { row: 2, field: 'team', message: 'no team has the slug "no-such-team"' },
      { row: 3, field: 'level', message: expect.stringContaining('8') },
    ]);
    expect(await countRequisitions(t.database.db)).toBe(before);
  });

  it('writes the valid rows and reports the rest when asked to skip invalid ones', async () => {
    const { ids, skipped } = await createJobs({
      db: t.database.db,
      inputs: [buildJob(), buildJob({ workplaceType: 'hybrid', locations: [] })],
      skipInvalid: true,
    });
    expect(ids).toHaveLength(1);
    expect(skipped).toEqual([{ row: 2, field: 'locations', message: 'an on-site or hybrid job needs at least one location' }]);
  });

  it('hides drafts, jobs not yet posted and jobs past their closing date', async () => {
    const { ids } = await createJobs({
      db: t.database.db,
      inputs: [
        buildJob({ status: 'draft' }),
        buildJob({ postedAt: new Date(Date.now() + 86_400_000) }),
        buildJob({ postedAt: new Date(Date.now() - 10 * 86_400_000), closesAt: new Date(Date.now() - 86_400_000) }),
      ],
    });
    for (const id of ids) expect(await findPublicJob({ db: t.database.db, id })).toBeUndefined();
  });
});
