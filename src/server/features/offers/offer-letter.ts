import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { offerTermRows } from '../../../domain/offer.ts';

/**
 * The offer letter: a one- or two-page A4 PDF made with pdfkit. The text is set in DejaVu Sans,
 * embedded (subset) from the dejavu-fonts-ttf package, so names beyond Latin-1 ("Zoë Ødegård",
 * Polish, Turkish, Greek, Cyrillic) print as typed with no font fetched from anywhere. DejaVu has
 * no CJK glyphs: Chinese, Japanese or Korean characters come out blank (see docs/offers.md).
 */
export interface OfferLetterInput {
  organization: string;
  candidateName: string;
  title: string;
  level: number;
  basePay: number;
  currency: string;
  payUnit: string;
  /** YYYY-MM-DD. */
  startDate: string;
  signOnBonus: number | null;
  equity: string | null;
  notes: string | null;
  /** null until the offer is extended (a staff preview). */
  expiresAt: Date | null;
  /** The date the letter carries: when the offer was extended, or today for a preview. */
  issuedAt: Date;
  /** Where the candidate answers: their account's page of this offer. */
  answerUrl: string;
  /** A preview of an offer not yet extended: says so at the top. */
  draft: boolean;
}

const require = createRequire(import.meta.url);
let fonts: Promise<{ regular: Buffer; bold: Buffer }> | undefined;

/** The two faces, read once per process. */
function loadFonts(): Promise<{ regular: Buffer; bold: Buffer }> {
  fonts ??= Promise.all([
    readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  ]).then(([regular, bold]) => ({ regular, bold }));
  return fonts;
}

const dayOf = (at: Date) => at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** Renders the letter to PDF bytes. */
export async function renderOfferLetter(letter: OfferLetterInput): Promise<Buffer> {
  const { regular, bold } = await loadFonts();
  // `font` replaces pdfkit's default Helvetica, whose metrics it would otherwise read from disk.
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 64, bottom: 64, left: 64, right: 64 },
    font: regular as unknown as string,
    info: { Title: `Offer letter: ${letter.title}`, Author: letter.organization, Subject: `Offer to ${letter.candidateName}`, CreationDate: letter.issuedAt },
    lang: 'en',
    displayTitle: true,
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const paragraph = (text: string) => doc.font('regular').fontSize(11).text(text, { lineGap: 3 }).moveDown(0.7);

  doc.font('bold').fontSize(18).text(letter.organization);
  doc.font('regular').fontSize(10).fillColor('#444444').text(dayOf(letter.issuedAt)).fillColor('#000000').moveDown(1.5);
  if (letter.draft) {
    doc.font('bold').fontSize(11).text('Draft for review: not yet extended to the candidate.').moveDown(1);
  }
  doc.font('bold').fontSize(14).text(`Offer of employment: ${letter.title}`).moveDown(1);
  paragraph(`Dear ${letter.candidateName || 'candidate'},`);
  paragraph(`We are delighted to offer you the position of ${letter.title} at ${letter.organization}, on the terms below.`);

  for (const [label, value] of offerTermRows(letter)) {
    doc.font('bold').fontSize(11).text(`${label}: `, { continued: true, lineGap: 3 }).font('regular').text(value, { lineGap: 3 });
  }
  doc.moveDown(0.7);
  if (letter.notes) {
    doc.font('bold').fontSize(11).text('Notes').moveDown(0.2);
    paragraph(letter.notes);
  }

  doc.font('bold').fontSize(12).text('How to answer').moveDown(0.3);
  paragraph(
    letter.expiresAt
      ? `This offer is open until the end of ${dayOf(letter.expiresAt)} (UTC). After that date it expires and can no longer be accepted.`
      : 'The date until which this offer is open is set when it is extended to the candidate.',
  );
  paragraph('Sign in to your account to accept or decline the offer. Declining, you may tell us why if you wish:');
  doc.font('regular').fontSize(11).fillColor('#0b57d0').text(letter.answerUrl, { link: letter.answerUrl, underline: true }).fillColor('#000000').moveDown(1);
  paragraph(`We look forward to hearing from you.`);
  paragraph(`${letter.organization}`);

  doc.end();
  return finished;
}

/** A file name any browser and file system accept: ASCII letters, digits and hyphens. */
export function letterFilename(offerId: number, title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return `offer-${offerId}${slug ? `-${slug}` : ''}.pdf`;
}
