import type { FastifyBaseLogger } from 'fastify';
import nodemailer from 'nodemailer';
import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { mailMessages } from '../../db/schema/index.ts';
import type { Queue } from '../../queue.ts';
import type { Mail, OutgoingMail } from './mail.types.ts';


export interface MailService extends Mail {
  /** Starts delivering queued SMTP messages from the job queue, on this node. */
  startWorker(queue: Queue): Promise<void>;
  /** Stops this node's delivery worker; queued messages wait for another. */
  stopWorker(): Promise<void>;
  /** The newest messages, for the outbox. */
  recent(limit: number): Promise<Array<typeof mailMessages.$inferSelect>>;
}

export interface MailOptions {
  db: Db;
  /** smtp:// or smtps:// URL; without one, mail stays in the database outbox. */
  smtpUrl: string | undefined;
  /** The From header, e.g. "Day One Careers <no-reply@careers.example.com>", or how to make it when sending. */
  from: string | (() => string);
  log?: FastifyBaseLogger;
  /** How deliveries are retried: seconds before the first retry (doubling each time), and how many. */
  retry?: { delaySeconds: number; limit: number };
  /** How often a worker looks for queued mail, in seconds (pg-boss's minimum is 0.5). */
  pollSeconds?: number;
  /** The queue's name; tests give each service its own. */
  queueName?: string;
}

/**
 * Email through SMTP when SMTP_URL is set, else into the database outbox. Every message is a
 * row in mail_messages first; SMTP delivery is a job in the queue, retried with backoff, so a
 * failing mail server never fails or slows the request that sent the mail.
 */
export function createMailService(options: MailOptions): MailService {
  const { db, smtpUrl, from, log } = options;
  const retry = options.retry ?? { delaySeconds: 30, limit: 12 };
  const transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : undefined;
  const DELIVER = options.queueName ?? 'mail.deliver';
  let queue: Queue | undefined;

  async function deliver(id: number): Promise<void> {
    const [message] = await db.select().from(mailMessages).where(eq(mailMessages.id, id));
    if (!message || message.sentAt || !transport) return;
    try {
      await transport.sendMail({
        from: typeof from === 'function' ? from() : from,
        to: message.toAddress,
        subject: message.subject,
        text: message.textBody,
        ...(message.htmlBody ? { html: message.htmlBody } : {}),
        ...(message.headers ? { headers: message.headers } : {}),
        ...(message.ical ? { icalEvent: { method: message.icalMethod ?? 'REQUEST', content: message.ical } } : {}),
      });
      await db
        .update(mailMessages)
        .set({ sentAt: sql`now()`, attempts: sql`${mailMessages.attempts} + 1`, lastError: null })
        .where(eq(mailMessages.id, id));
    } catch (error) {
      await db
        .update(mailMessages)
        .set({ attempts: sql`${mailMessages.attempts} + 1`, lastError: String((error as Error).message ?? error).slice(0, 500) })
        .where(eq(mailMessages.id, id));
      log?.warn({ err: error, mailId: id }, 'mail delivery failed; the queue will retry');
      throw error;
    }
  }

  return {
    async send(message: OutgoingMail) {
      const [row] = await db
        .insert(mailMessages)
        .values({
          kind: message.kind,
          toAddress: message.to,
          subject: message.subject,
          textBody: message.text,
          htmlBody: message.html ?? null,
          headers: message.headers ?? null,
          ical: message.ical?.content ?? null,
          icalMethod: message.ical?.method ?? null,
          transport: transport ? 'smtp' : 'outbox',
          // In the outbox, storing the message is delivering it.
          sentAt: transport ? null : sql`now()`,
        })
        .returning({ id: mailMessages.id });
      const id = row!.id;
      if (transport) {
        if (!queue) log?.warn({ mailId: id }, 'no job queue on this process; the message waits for a node that has one');
        else await queue.send(DELIVER, { id }, { retryLimit: retry.limit, retryDelay: retry.delaySeconds, retryBackoff: true, retryDelayMax: 3600 });
      }
      return { id };
    },
    async startWorker(started: Queue) {
      queue = started;
      await queue.createQueue(DELIVER);
      if (!transport) return;
      await queue.work<{ id: number }>(DELIVER, { pollingIntervalSeconds: options.pollSeconds ?? 2, batchSize: 1 }, async ([job]) => {
        await deliver(job!.data.id);
      });
    },
    async stopWorker() {
      if (queue && transport) await queue.offWork(DELIVER);
    },
    recent: (limit) => db.select().from(mailMessages).orderBy(desc(mailMessages.id)).limit(limit),
  };
}

/** The From header for a site: its organization and a no-reply address at its host. */
export function fromAddress(organization: string, publicUrl: string): string {
  const host = new URL(publicUrl).hostname;
  const domain = host.includes('.') ? host : `${host}.localdomain`;
  return `"${organization.replace(/["\\]/g, '')} Careers" <no-reply@${domain}>`;
}
