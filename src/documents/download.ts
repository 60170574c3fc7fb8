/**
 * What every document download sends besides its bytes: a Content-Disposition with the Japanese file name (RFC 6266
 * `filename*`, with an ASCII fallback for old clients) and headers that keep the file out of shared caches.
 */
import type { Response } from 'express';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * A file name Windows, macOS and Excel all accept: characters Windows refuses (< > : " / \ | ? *), controls and the
 * bidirectional overrides become 「_」, runs of white space one space, and the name is cut to 120 characters before
 * the extension (Excel refuses paths over 218 characters).
 */
export function safeFileName(stem: string, extension: string): string {
  const clean = stem
    .normalize('NFC')
    .replace(/[<>:"/\\|?*\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, '_')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, '');
  const cut = [...clean].slice(0, 120).join('');
  return `${cut || 'document'}.${extension}`;
}

/** RFC 5987 value-chars: encodeURIComponent leaves ' ( ) * ! unencoded, which the grammar does not allow. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): the Japanese name for every current browser. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${rfc5987(fileName)}`;
}

/** Headers of a document download (sent before the first byte, so a streamed register can use them too). */
export function setDownloadHeaders(res: Response, contentType: string, fileName: string): void {
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Disposition', attachmentDisposition(fileName));
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}
