import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';

/** The fields of a multipart form as the strings they came as, and the resume file if one was sent. */
export interface FormParts {
  fields: Record<string, string[]>;
  resume: { filename: string; bytes: Buffer } | undefined;
}

/**
 * Reads every part of a multipart request within the limits the scope registered. A file over
 * the size limit becomes `tooLarge()`, a malformed body a 400; other files are read and dropped,
 * since an unread part would stall the request.
 */
export async function readFormParts(request: FastifyRequest, tooLarge: () => AppError): Promise<FormParts> {
  const fields: Record<string, string[]> = {};
  let resume: FormParts['resume'];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        // toBuffer() stops at the size limit; an empty file input sends a part with no name and no bytes.
        const bytes = await part.toBuffer();
        if (part.fieldname === 'resume' && (bytes.length > 0 || part.filename)) resume = { filename: part.filename, bytes };
      } else if (typeof part.value === 'string') {
        (fields[part.fieldname] ??= []).push(part.value);
      }
    }
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) throw tooLarge();
    if (status && status >= 400 && status < 500) throw error;
    throw new AppError(400, 'unreadable_form', 'The form could not be read. Please send it again.');
  }
  return { fields, resume };
}
