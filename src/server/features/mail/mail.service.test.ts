import { createServer } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, testEngine, type TestDatabase } from '../../../../test/support/test-db.ts';
import { startQueue, type Queue } from '../../queue.ts';
import { createMailService, fromAddress } from './mail.service.ts';

let database: TestDatabase;
let queue: Queue;

beforeAll(async () => {
  database = await testDatabase();
  queue = await startQueue(database);
});
afterAll(async () => {
  await queue?.stop({ graceful: false });
  await database?.close();
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A real SMTP listener; `refuse` makes it answer every message with a temporary failure. */
async function smtpListener() {
  const received: Array<{ to: string; raw: string }> = [];
  const state = { refuse: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      stream.on('end', () => {
        if (state.refuse) return callback(Object.assign(new Error('451 try again later'), { responseCode: 451 }));
        received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${port}`, received, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const until = async (check: () => Promise<boolean> | boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe(`mail on ${testEngine}`, () => {
  it('keeps mail in the database outbox when no SMTP server is configured', async () => {
    const mail = createMailService({ db: database.db, smtpUrl: undefined, from: 'x <no-reply@example.test>' });
    await mail.startWorker(queue);
    const { id } = await mail.send({ kind: 'verify_email', to: 'zoë@example.test', subject: 'Confirm', text: 'Open https://x.test/a?b=1' });
    const [row] = await mail.recent(1);
    expect(row).toMatchObject({ id, transport: 'outbox', toAddress: 'zoë@example.test', subject: 'Confirm', kind: 'verify_email' });
    expect(row!.sentAt).toBeInstanceOf(Date);
  });

  it('delivers through SMTP from the job queue, with an iCalendar part and extra headers when given', async () => {
    const smtp = await smtpListener();
    try {
      const mail = createMailService({ db: database.db, smtpUrl: smtp.url, from: fromAddress('Day One', 'https://careers.example.test'), pollSeconds: 0.5, queueName: 'mail.test-deliver' });
      await mail.startWorker(queue);
      const { id } = await mail.send({
        kind: 'interview_invite',
        to: 'candidate@example.test',
        subject: 'Your interview',
        text: 'See you then.',
        ical: { method: 'REQUEST', content: 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n' },
        headers: { 'List-Unsubscribe': '<https://careers.example.test/alerts/unsubscribe?alert=1&sig=x>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      });
      await until(() => smtp.received.length === 1);
      // Header lines may be folded (RFC 5322): unfold before reading them.
      const unfolded = smtp.received[0]!.raw.replace(/\r\n[ \t]+/g, ' ');
      expect(unfolded).toContain('List-Unsubscribe: <https://careers.example.test/alerts/unsubscribe?alert=1&sig=x>');
      expect(smtp.received[0]!.raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      expect(smtp.received[0]!.to).toBe('candidate@example.test');
      expect(smtp.received[0]!.raw).toContain('Subject: Your interview');
      expect(smtp.received[0]!.raw).toContain('From: Day One Careers <no-reply@careers.example.test>');
      expect(smtp.received[0]!.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
      await until(async () => (await mail.recent(5)).find((r) => r.id === id)?.sentAt != null);
      await mail.stopWorker();
    } finally {
      await smtp.close();
    }
  });

  it('never makes the sender wait for a refusing server, and retries until the message goes through', async () => {
    const smtp = await smtpListener();
    smtp.state.refuse = true;
    try {
      const mail = createMailService({ db: database.db, smtpUrl: smtp.url, from: 'x <no-reply@example.test>', retry: { delaySeconds: 1, limit: 5 }, pollSeconds: 0.5, queueName: 'mail.test-retry' });
      await mail.startWorker(queue);
      const started = Date.now();
      const { id } = await mail.send({ kind: 'application_received', to: 'a@example.test', subject: 'Thanks', text: 'Received.' });
      expect(Date.now() - started).toBeLessThan(1000);
      const row = async () => (await mail.recent(10)).find((r) => r.id === id)!;
      await until(async () => (await row()).attempts >= 1);
      expect((await row()).sentAt).toBeNull();
      expect((await row()).lastError).toContain('try again later');
      smtp.state.refuse = false;
      await until(async () => (await row()).sentAt != null, 30_000);
      expect(smtp.received.map((r) => r.to)).toEqual(['a@example.test']);
      expect((await row()).attempts).toBeGreaterThanOrEqual(2);
      await mail.stopWorker();
    } finally {
      await smtp.close();
    }
  });
});
