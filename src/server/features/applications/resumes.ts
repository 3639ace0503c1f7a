import yauzl from 'yauzl';
import { ValidationError } from '../../errors.ts';

/** The largest resume accepted, in bytes. */
export const MAX_RESUME_BYTES = 10 * 1024 * 1024;
/** The most a DOCX's document part may unpack to: past it, the file is treated as a zip bomb. */
const MAX_DOCX_XML_BYTES = 8 * 1024 * 1024;
const MAX_TEXT = 200_000;

export type ResumeKind = 'pdf' | 'docx' | 'txt';
export const RESUME_TYPES: Record<ResumeKind, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain',
};

const refuse = (message: string) => new ValidationError(message, [{ field: 'resume', message }]);

/** What a file is, from its bytes alone: the name and the browser's claimed type are never trusted. */
export function sniffResume(bytes: Buffer): ResumeKind | undefined {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'docx';
  if (bytes.includes(0)) return undefined;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'txt';
  } catch {
    return undefined;
  }
}

/** Reads a resume's text for staff search, or refuses the file with a message for the form. */
export async function readResume(bytes: Buffer): Promise<{ kind: ResumeKind; contentType: string; text: string }> {
  if (bytes.length === 0) throw refuse('The resume file is empty.');
  if (bytes.length > MAX_RESUME_BYTES) throw refuse('The resume is larger than 10 MB.');
  const kind = sniffResume(bytes);
  if (!kind) throw refuse('The resume must be a PDF, a Word document (.docx) or a plain text file.');
  const text = kind === 'pdf' ? await pdfText(bytes) : kind === 'docx' ? await docxText(bytes) : bytes.toString('utf8');
  // NUL cannot be stored in PostgreSQL text.
  return { kind, contentType: RESUME_TYPES[kind], text: text.replaceAll(String.fromCharCode(0), '').replace(/[ \t]+\n/g, '\n').trim().slice(0, MAX_TEXT) };
}

async function pdfText(bytes: Buffer): Promise<string> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  try {
    const pdf = await withTimeout(getDocumentProxy(new Uint8Array(bytes)), 10_000);
    const { text } = await withTimeout(extractText(pdf, { mergePages: true }), 10_000);
    return Array.isArray(text) ? text.join('\n') : text;
  } catch {
    throw refuse('The PDF could not be read. Try saving it again, or paste your resume as text.');
  }
}

/** The text of word/document.xml, read with a hard limit on how much it may unpack to. */
function docxText(bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return reject(refuse('The Word document could not be read.'));
      let found = false;
      let entries = 0;
      zip.on('entry', (entry: yauzl.Entry) => {
        if (++entries > 2000) {
          zip.close();
          return reject(refuse('The Word document could not be read.'));
        }
        if (entry.fileName !== 'word/document.xml') return zip.readEntry();
        found = true;
        if (entry.uncompressedSize > MAX_DOCX_XML_BYTES) {
          zip.close();
          return reject(refuse('The Word document unpacks to far more than a resume; it was refused.'));
        }
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(refuse('The Word document could not be read.'));
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on('data', (chunk: Buffer) => {
            size += chunk.length;
            // Counted as it unpacks: the size in the header may lie.
            if (size > MAX_DOCX_XML_BYTES) {
              stream.destroy();
              zip.close();
              reject(refuse('The Word document unpacks to far more than a resume; it was refused.'));
              return;
            }
            chunks.push(chunk);
          });
          stream.on('error', () => reject(refuse('The Word document could not be read.')));
          stream.on('end', () => {
            zip.close();
            resolve(wordXmlText(Buffer.concat(chunks).toString('utf8')));
          });
        });
      });
      zip.on('end', () => {
        if (!found) reject(refuse('The file is a zip archive but not a Word document.'));
      });
      zip.on('error', () => reject(refuse('The Word document could not be read.')));
      zip.readEntry();
    });
  });
}

function wordXmlText(xml: string): string {
  return xml
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
