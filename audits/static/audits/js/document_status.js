/* The page of a document being generated follows its status (a small JSON endpoint) and reloads once the
   document is ready or has failed. Without JavaScript, a <noscript> meta refresh reloads the page instead. */
(function () {
  "use strict";
  var panel = document.querySelector("[data-document-poll]");
  if (!panel || !window.fetch) {
    return;
  }
  var url = panel.getAttribute("data-document-poll");
  var badge = panel.querySelector("[data-document-status]");
  var delay = 1500;

  function poll() {
    window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (state) {
        if (badge && state.status !== badge.getAttribute("data-document-status")) {
          badge.textContent = state.status_label;
          badge.setAttribute("data-document-status", state.status);
        }
        if (state.in_progress) {
          delay = Math.min(delay * 1.5, 10000);
          window.setTimeout(poll, delay);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        // A network hiccup: try again later, more slowly.
        delay = Math.min(delay * 2, 30000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
