/* Small enhancements; every page works without them. */
(function () {
  "use strict";
  // Forms with data-confirm ask before an action that changes a use case's status.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();
