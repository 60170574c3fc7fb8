import express, { type Express } from 'express';
import helmet from 'helmet';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const PAGE = `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Itaku API リファレンス</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>`;

const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });
});`;

/**
 * `/api/openapi.json` and a rendered reference at `/api/docs`, with every asset served from the package (municipal
 * networks are often offline: no CDN). Swagger UI injects styles at run time, so this page alone allows inline styles.
 */
export function mountApiDocs(app: Express, document: () => Record<string, unknown>): void {
  let cached: Record<string, unknown> | undefined;
  app.get('/api/openapi.json', (_req, res) => {
    cached ??= document();
    res.json(cached);
  });
  const docsCsp = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"],
        'object-src': ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
  const assets = (require('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();
  app.use('/api/docs', docsCsp);
  app.get('/api/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  app.get('/api/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  app.use('/api/docs/assets', express.static(assets, { index: false, maxAge: '1d' }));
}
