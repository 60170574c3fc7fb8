import express, { type RequestHandler } from 'express';
import multer from 'multer';
import { MAX_FILE_BYTES } from './evidence.js';

// Browsers send file names as raw UTF-8 without a charset parameter; busboy's default (latin1) would garble 監査報告書.pdf.
const multipart = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 4096 } }).single('file');
const raw = express.raw({ type: () => true, limit: MAX_FILE_BYTES });

/** Accepts a file as `multipart/form-data` (field `file`) or as the raw body (name in `X-Filename`, URL-encoded). */
export const acceptUpload: RequestHandler = (req, res, next) => {
  if (req.is('multipart/form-data')) multipart(req, res, next);
  else raw(req, res, next);
};

export const UPLOAD_TYPES = ['multipart/form-data', 'application/octet-stream', 'application/pdf', 'image/*', 'application/vnd.openxmlformats-officedocument.*', 'application/msword', 'application/vnd.ms-excel'];

/** The uploaded bytes and name from either form. */
export function uploaded(req: express.Request): { name: string; data: Buffer } | null {
  if (req.file) return { name: req.file.originalname, data: req.file.buffer };
  if (Buffer.isBuffer(req.body) && req.body.length > 0) {
    let name = 'evidence';
    const header = req.get('x-filename');
    if (header) {
      try {
        name = decodeURIComponent(header);
      } catch {
        name = header;
      }
    }
    return { name, data: req.body };
  }
  return null;
}
