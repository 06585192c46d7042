// The API reference at /docs: Swagger UI (served from this site, never from a CDN) over
// /openapi.json. No validator badge: it would ask a server elsewhere.
"use strict";
(function () {
  if (typeof window.SwaggerUIBundle === "undefined") return;
  window.ui = window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    validatorUrl: null
  });
})();
