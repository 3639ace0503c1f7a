import type { Mail, OutgoingMail } from '../../src/server/features/mail/mail.types.ts';

/** A Mail that keeps every message in memory, so tests can read what was sent and follow its links. */
export class RecordingMail implements Mail {
  readonly sent: OutgoingMail[] = [];

  async send(message: OutgoingMail): Promise<{ id: number }> {
    this.sent.push(message);
    return { id: this.sent.length };
  }

  /** Messages to one address (any letter case), oldest first. */
  to(address: string): OutgoingMail[] {
    return this.sent.filter((m) => m.to.toLowerCase() === address.toLowerCase());
  }

  /** The newest message to an address, of a kind when given; throws when there is none. */
  last(address: string, kind?: string): OutgoingMail {
    const found = this.to(address).filter((m) => !kind || m.kind === kind).at(-1);
    if (!found) throw new Error(`No ${kind ?? ''} email was sent to ${address}; sent: ${this.sent.map((m) => `${m.kind} → ${m.to}`).join(', ') || 'none'}`);
    return found;
  }

  /** The first link in the plain-text body of the newest message to an address, as a path with its query. */
  linkPath(address: string, kind?: string): string {
    const url = /https?:\/\/\S+/.exec(this.last(address, kind).text)?.[0];
    if (!url) throw new Error(`The last email to ${address} holds no link`);
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  }
}
