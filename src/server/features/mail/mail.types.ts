/** An email the app sends. */
export interface OutgoingMail {
  /** What it is about, e.g. verify_email, reset_password, application_received. */
  kind: string;
  to: string;
  subject: string;
  /** The plain-text body; always present. */
  text: string;
  /** An HTML body, already escaped and safe. */
  html?: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) on digests. */
  headers?: Record<string, string>;
  /** An iCalendar invite to attach (text/calendar with this METHOD). */
  ical?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

/** How features send email. */
export interface Mail {
  /**
   * Stores the message and queues its delivery, then resolves: a slow or failing mail server
   * never slows or fails the caller (the queue retries). Call it after the transaction that
   * made the message necessary has committed.
   */
  send(message: OutgoingMail): Promise<{ id: number }>;
}
