import { createRequire } from 'node:module';
import path from 'node:path';

/** Where the interactive docs load the OpenAPI document from. */
export const specUrl = '/openapi.json';

/** Files of the swagger-ui-dist package the docs page loads, served under /docs/assets/. */
export const swaggerUiAssets = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'favicon-16x16.png'] as const;

/** Our own script that starts Swagger UI (a file, not inline, so the CSP needs no 'unsafe-inline' scripts). */
export const initScriptName = 'docs-init.js';

/** The installed swagger-ui-dist folder. */
export function swaggerUiRoot(): string {
  return path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

/**
 * The Content-Security-Policy of /docs and its assets: everything from 'self' only (no CDN);
 * Swagger UI sets inline styles, uses data: images, and fetches the spec and "try it out" calls.
 */
export const docsCspDirectives = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
  /** Off: on a plain-http hub it would send the asset requests to https and break the page. */
  upgradeInsecureRequests: null,
};

/** The HTML of the interactive docs page. */
export function docsHtml(): string {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>Tillbridge API</title>
    <link rel="stylesheet" type="text/css" href="/docs/assets/swagger-ui.css">
    <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="/docs/assets/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui" data-spec-url="${specUrl}"></div>
    <script src="/docs/assets/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="/docs/assets/${initScriptName}" charset="UTF-8"></script>
  </body>
</html>
`;
}

/** The script that starts Swagger UI on our document. */
export function docsInitScript(): string {
  return `window.addEventListener('load', function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-spec-url'),
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  });
});
`;
}
