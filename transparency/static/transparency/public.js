// The public register's one enhancement: a button that copies the CRPA mention (the text stays selectable without it).
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentElement.querySelector("[data-copy-status]");
    if (!source || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.innerText.trim()).then(
        function () { if (status) { status.textContent = status.getAttribute("data-copied-text"); } },
        function () {
          var range = document.createRange();
          range.selectNodeContents(source);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          if (status) { status.textContent = status.getAttribute("data-failed-text"); }
        }
      );
    });
  });
})();
