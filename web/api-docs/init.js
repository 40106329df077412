// Issue 19: the API reference. Swagger UI (served from this origin by the dev server) renders the document
// the API publishes at /openapi.json. A file of its own, not an inline script: the page's CSP allows scripts
// from 'self' only. Nothing is fetched from elsewhere: no validator badge (it would send the document to
// validator.swagger.io), and `?url=` / `?configUrl=` cannot point the page at another document.
/* global SwaggerUIBundle */
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  deepLinking: true,
  validatorUrl: null,
  queryConfigEnabled: false,
  displayOperationId: true,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
  // "Try it out" calls this server with the ID token given under "Authorize" (locally: `npx tsx
  // scripts/dev-identity-client.ts demo-caseworker`), kept for this page's lifetime only.
  persistAuthorization: false,
});
