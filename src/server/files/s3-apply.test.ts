import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../../../test/support/builders.ts';
import { makePdf } from '../../../test/support/files.ts';
import { multipart } from '../../../test/support/multipart.ts';
import { testApp, type TestApp } from '../../../test/support/test-app.ts';
import { testEngine } from '../../../test/support/test-db.ts';
import { resumes } from '../db/schema/index.ts';
import { createJobs } from '../features/jobs/jobs.service.ts';
import { s3FileStore } from './s3-file-store.ts';

let s3: S3rver;
let t: TestApp;
let endpoint: string;

beforeAll(async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  endpoint = `http://127.0.0.1:${port}`;
  s3 = new S3rver({ port, address: '127.0.0.1', silent: true, directory: await mkdtemp(join(tmpdir(), 's3rver-')), configureBuckets: [{ name: 'resumes', configs: [] }] });
  await s3.run();
  t = await testApp({ env: { S3_BUCKET: 'resumes', S3_ENDPOINT: endpoint, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' } });
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

describe(`resumes in an S3-compatible bucket, on ${testEngine}`, () => {
  it('stores an applicant’s resume in the bucket when S3 is configured', async () => {
    const { ids } = await createJobs({ db: t.database.db, inputs: [buildJob({ title: 'Bucket Role', questions: [] })] });
    const body = multipart(
      { idempotencyKey: randomUUID(), name: 'Zoë', email: 'zoe@example.test', consentProcessing: 'yes' },
      { field: 'resume', filename: 'cv.pdf', contentType: 'application/pdf', bytes: makePdf('Stored in a bucket') },
    );
    const res = await t.app.inject({ method: 'POST', url: `/jobs/${ids[0]}/bucket-role/apply`, payload: body.payload, headers: { ...body.headers, accept: 'text/html' } });
    expect(res.statusCode).toBe(303);
    const [resume] = await t.database.db.select().from(resumes);
    const bucket = s3FileStore({ endpoint, region: 'us-east-1', bucket: 'resumes', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });
    expect((await bucket.get(resume!.storageKey!)).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
