// Starts Swagger UI on /docs. A file of its own because the Content-Security-Policy forbids inline scripts.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: false, // a deep link inside each operation's button would nest a link in a button (WCAG)
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
