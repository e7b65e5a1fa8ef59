// The AIDF form: "Insert" puts what the register knows into the part (after what is already typed), then gives the
// part the focus. Without JavaScript the buttons stay hidden and the text can be copied.
(function () {
  "use strict";
  document.querySelectorAll("[data-insert-suggestion]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-insert-suggestion"));
    var source = document.getElementById(button.getAttribute("data-source"));
    if (!target || !source) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      var current = target.value.trim();
      if (current.indexOf(text) === -1) {
        target.value = current ? current + "\n\n" + text : text;
      }
      target.focus();
    });
  });
})();
