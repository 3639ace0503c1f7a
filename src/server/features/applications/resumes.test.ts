import { describe, expect, it } from 'vitest';
import { makeDocx, makePdf, makeZip } from '../../../../test/support/files.ts';
import { ValidationError } from '../../errors.ts';
import { readResume, sniffResume } from './resumes.ts';

describe('reading resumes', () => {
  it('extracts the text of a PDF', async () => {
    const resume = await readResume(makePdf('Zoe Odegard, data engineer, Oslo'));
    expect(resume).toMatchObject({ kind: 'pdf', contentType: 'application/pdf' });
    expect(resume.text).toContain('Zoe Odegard, data engineer, Oslo');
  });

  it('extracts the paragraphs of a Word document', async () => {
    const resume = await readResume(makeDocx(['Zoë Ødegård', 'Experience & skills: <Kubernetes>']));
    expect(resume.kind).toBe('docx');
    expect(resume.text).toBe('Zoë Ødegård\nExperience & skills: <Kubernetes>');
  });

  it('keeps plain text exactly, in any script', async () => {
    const resume = await readResume(Buffer.from('李小龙\nשלום עולם\nZoë'));
    expect(resume).toEqual({ kind: 'txt', contentType: 'text/plain', text: '李小龙\nשלום עולם\nZoë' });
  });

  it('judges by the bytes, not the name: an executable renamed .pdf is refused', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(64)]);
    expect(sniffResume(elf)).toBeUndefined();
    await expect(readResume(elf)).rejects.toThrow('The resume must be a PDF, a Word document (.docx) or a plain text file.');
  });

  it('refuses a DOCX zip bomb quickly and without unpacking it', async () => {
    const bomb = makeZip({ 'word/document.xml': Buffer.alloc(200 * 1024 * 1024, 0x41) });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const started = Date.now();
    const before = process.memoryUsage().rss;
    const error = await readResume(bomb).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain('unpacks to far more than a resume');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses a bomb that lies about its size in the header, while it unpacks', async () => {
    const liar = makeZip({ 'word/document.xml': Buffer.alloc(50 * 1024 * 1024, 0x41) }, { lieAboutSize: true });
    const error = await readResume(liar).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('refuses a zip that is not a Word document, a broken PDF and an empty file', async () => {
    await expect(readResume(makeZip({ 'notes.txt': 'hi' }))).rejects.toThrow('not a Word document');
    await expect(readResume(Buffer.from('%PDF-1.4 garbage'))).rejects.toThrow('The PDF could not be read');
    await expect(readResume(Buffer.alloc(0))).rejects.toThrow('empty');
  });
});
