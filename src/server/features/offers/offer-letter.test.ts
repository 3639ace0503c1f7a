import { describe, expect, it } from 'vitest';
import { letterFilename, renderOfferLetter, type OfferLetterInput } from './offer-letter.ts';
import { pdfText } from './offers.test-support.ts';

const letter: OfferLetterInput = {
  organization: 'Day One',
  candidateName: 'Zoë Ødegård',
  title: 'Senior Platform Engineer',
  level: 5,
  basePay: 185000,
  currency: 'EUR',
  payUnit: 'YEAR',
  startDate: '2031-02-03',
  signOnBonus: 20000.5,
  equity: '2,000 restricted stock units over four years',
  notes: 'Relocation to Łódź or Dublin is paid, up to 10,000 EUR.',
  expiresAt: new Date('2030-12-05T23:59:59Z'),
  issuedAt: new Date('2030-11-20T10:00:00Z'),
  answerUrl: 'https://careers.example.test/account/offers/42',
  draft: false,
};

/** unpdf may break a line anywhere: compare with the spacing squeezed out. */
const squeeze = (text: string) => text.replace(/\s+/g, '');

describe('the offer letter', () => {
  it('states every term, the candidate’s name beyond Latin-1, the expiry and where to answer', async () => {
    const bytes = await renderOfferLetter(letter);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { text, pages } = await pdfText(bytes);
    expect(pages).toBe(1);
    const found = squeeze(text);
    for (const term of [
      'Day One',
      'Dear Zoë Ødegård,',
      'Position: Senior Platform Engineer',
      'Level: Senior (level 5)',
      'Base pay: 185,000 EUR per year',
      'Start date: 3 February 2031',
      'Sign-on bonus: 20,000.50 EUR',
      'Equity: 2,000 restricted stock units over four years',
      'Relocation to Łódź or Dublin is paid, up to 10,000 EUR.',
      'until the end of 5 December 2030 (UTC)',
      'https://careers.example.test/account/offers/42',
      '20 November 2030',
    ]) {
      expect(found, term).toContain(squeeze(term));
    }
    expect(found).not.toContain(squeeze('Draft for review'));
  });

  it('leaves out a bonus and equity the offer does not have, and marks a preview as a draft', async () => {
    const { text } = await pdfText(await renderOfferLetter({ ...letter, signOnBonus: null, equity: null, notes: null, expiresAt: null, draft: true }));
    const found = squeeze(text);
    expect(found).not.toContain('Sign-on');
    expect(found).not.toContain('Equity');
    expect(found).toContain(squeeze('Draft for review: not yet extended to the candidate.'));
    expect(found).toContain(squeeze('is set when it is extended'));
  });

  it('stays within two A4 pages with the longest notes the form accepts', async () => {
    const bytes = await renderOfferLetter({ ...letter, title: 'T'.repeat(200), equity: 'E '.repeat(250), notes: 'A long note about benefits. '.repeat(74).slice(0, 2000) });
    const { pages } = await pdfText(bytes);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
    // A4 is 595.28 × 841.89 points.
    expect(bytes.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
  });

  it('embeds its font instead of naming one the reader must have', async () => {
    const raw = (await renderOfferLetter(letter)).toString('latin1');
    expect(raw).toMatch(/\/FontFile2 /);
    expect(raw).toContain('DejaVuSans');
    expect(raw).not.toContain('/Helvetica');
  });

  it('names the file with ASCII letters, digits and hyphens only', () => {
    expect(letterFilename(42, 'Senior Platform Engineer')).toBe('offer-42-senior-platform-engineer.pdf');
    expect(letterFilename(7, 'Ingénieur "données" / Øst\r\n')).toBe('offer-7-ingenieur-donnees-st.pdf');
    expect(letterFilename(8, '李')).toBe('offer-8.pdf');
  });
});
