import { pino, type Logger } from 'pino';

/**
 * Vendor links carry their secret in the path; it is replaced before anything is logged. Request bodies, cookies and
 * the Authorization header are never logged.
 */
export function redactUrl(url: string): string {
  const [path = '', query] = url.split('?', 2);
  const cleanPath = path
    .replace(/^\/q\/[^/]+/, '/q/[token]')
    .replace(/^\/api\/v1\/respond\/[^/]+/, '/api/v1/respond/[token]');
  return query === undefined ? cleanPath : `${cleanPath}?[query]`;
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'itaku' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token', '*.otp'],
        censor: '[redacted]',
      },
    },
    destination as never,
  );
}
