/* The shadow-AI declaration, enhanced: one step at a time with a recap before sending (stepper.js), a search
   in the catalogue, and a button copying the private follow-up link. Without this script every step shows
   on one page. */
(function () {
  "use strict";

  // The result page: copy the private follow-up link. ------------------------------------------------
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.dataset.copy);
    var status = document.querySelector("[data-copy-status]");
    if (!input || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        if (status) {
          status.textContent = button.dataset.textCopied;
        }
      });
    });
  });

  var form = document.getElementById("declaration-form");
  if (!form || !window.RegistreStepper) {
    return;
  }
  var sendButton = form.querySelector("[data-save]");
  var text = form.dataset;

  // One click sends once (the submission key already makes a second request harmless).
  form.addEventListener("submit", function (event) {
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    sendButton.setAttribute("aria-disabled", "true");
    sendButton.textContent = text.textSending;
  });
  // Coming back with the browser's "back" button shows the form as it was: let it be sent again.
  window.addEventListener("pageshow", function () {
    delete form.dataset.sending;
    sendButton.removeAttribute("aria-disabled");
  });

  // The catalogue: filter the list as you type, and fill in the kind of the tool chosen. ----------------
  var select = form.querySelector("#id_tool");
  var search = document.getElementById("tool-search");
  var searchBox = form.querySelector("[data-tool-search]");
  var searchStatus = document.getElementById("tool-search-status");
  var category = form.querySelector("#id_category");
  var toolName = form.querySelector("#id_tool_name");
  var categories = JSON.parse((document.getElementById("tool-categories") || { textContent: "{}" }).textContent);

  function normalise(value) {
    return value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  if (select && search && searchBox) {
    var autoName = "";
    var allOptions = Array.prototype.map.call(select.options, function (option) {
      return { value: option.value, text: option.text };
    });
    searchBox.hidden = false;

    search.addEventListener("input", function () {
      var wanted = normalise(search.value);
      var chosen = select.value;
      var matching = allOptions.filter(function (option) {
        return !option.value || !wanted || normalise(option.text).indexOf(wanted) >= 0;
      });
      select.textContent = "";
      matching.forEach(function (option) {
        var element = new Option(option.text, option.value);
        element.selected = option.value === chosen;
        select.add(element);
      });
      var tools = matching.filter(function (option) { return option.value; });
      // What the search typed into the free-text name follows the search, until the person edits it.
      var typedByUs = toolName && (!toolName.value || toolName.value === autoName);
      if (!wanted) {
        searchStatus.textContent = "";
      } else if (!tools.length) {
        searchStatus.textContent = text.textMatchesNone;
        select.value = "";
        if (typedByUs) {
          toolName.value = autoName = search.value.trim();
        }
      } else {
        if (typedByUs) {
          toolName.value = autoName = "";
        }
        searchStatus.textContent = text.textMatches + " " + tools.length;
        if (tools.length === 1 || !select.value) {
          select.value = tools[0].value;
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
    });
  }

  if (select && category) {
    select.addEventListener("change", function () {
      var kind = categories[select.value];
      if (kind) {
        category.value = kind;
      }
    });
  }

  // Steps: start on the step of the first error, else on the first step. -----------------------------
  window.RegistreStepper.init(form, {
    alerts: ["rate-limit-alert", "error-summary"],
    onShow: function (current, isLast) {
      sendButton.hidden = !isLast;
    },
    // A tool chosen in the list needs no typed name.
    skipInRecap: function (wrapper, answer) {
      return !answer && wrapper.dataset.field === "tool_name";
    },
  });
})();
