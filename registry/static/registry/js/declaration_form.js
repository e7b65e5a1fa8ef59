/* The shadow-AI declaration, enhanced: one step at a time, a search in the catalogue, a recap before sending,
   and a button copying the private follow-up link. Without this script every step shows on one page. */
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
  if (!form) {
    return;
  }
  var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
  var stepLinks = Array.prototype.slice.call(form.querySelectorAll("[data-step-link]"));
  var prevButton = form.querySelector("[data-step-prev]");
  var nextButton = form.querySelector("[data-step-next]");
  var sendButton = form.querySelector("[data-save]");
  var recap = form.querySelector("[data-recap]");
  var recapFallback = form.querySelector("[data-recap-fallback]");
  var text = form.dataset;
  var current = 1;

  form.classList.add("is-stepped");

  // Steps ---------------------------------------------------------------------------------------------
  function stepOf(element) {
    var step = element && element.closest("[data-step]");
    return step ? Number(step.dataset.step) : 1;
  }

  function show(number, moveFocus) {
    current = Math.min(Math.max(number, 1), steps.length);
    steps.forEach(function (step) {
      step.hidden = Number(step.dataset.step) !== current;
    });
    stepLinks.forEach(function (link) {
      var n = Number(link.dataset.stepLink);
      if (n === current) {
        link.setAttribute("aria-current", "step");
      } else {
        link.removeAttribute("aria-current");
      }
      link.parentElement.classList.toggle("is-done", n < current);
    });
    prevButton.hidden = current === 1;
    nextButton.hidden = current === steps.length;
    sendButton.hidden = current !== steps.length;
    if (current === steps.length) {
      buildRecap();
    }
    if (moveFocus) {
      var heading = steps[current - 1].querySelector("[data-step-heading]");
      form.scrollIntoView({ block: "start" });
      heading.focus({ preventScroll: true });
    }
  }

  prevButton.addEventListener("click", function () { show(current - 1, true); });
  nextButton.addEventListener("click", function () { show(current + 1, true); });
  stepLinks.forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      show(Number(link.dataset.stepLink), true);
    });
  });

  // Enter in a one-line field goes to the next step rather than sending an unfinished declaration.
  form.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || field.tagName !== "INPUT" || ["checkbox", "radio", "submit"].indexOf(field.type) >= 0) {
      return;
    }
    event.preventDefault();
    if (current < steps.length) {
      show(current + 1, true);
    }
  });

  // Errors: the summary links open the step holding the field, then focus it.
  document.querySelectorAll("[data-error-link]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) {
        return;
      }
      event.preventDefault();
      show(stepOf(field), false);
      field.focus();
    });
  });

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

  // Recap before sending: what was answered, step by step, each with a link back to it. -------------
  function answerOf(wrapper) {
    var checked = wrapper.querySelectorAll("input:checked");
    var select = wrapper.querySelector("select");
    var input = wrapper.querySelector("input:not([type=hidden]):not([type=search]), textarea");
    if (select) {
      return select.value ? select.options[select.selectedIndex].text.trim() : "";
    }
    if (input && (input.type === "radio" || input.type === "checkbox")) {
      return Array.prototype.map.call(checked, function (box) {
        var label = wrapper.querySelector('label[for="' + box.id + '"]');
        return label ? label.textContent.trim() : box.value;
      }).join(", ");
    }
    return input ? input.value.trim() : "";
  }

  function buildRecap() {
    if (!recap) {
      return;
    }
    recap.textContent = "";
    steps.slice(0, -1).forEach(function (step) {
      var heading = document.createElement("h3");
      heading.textContent = step.dataset.stepTitle;
      var change = document.createElement("button");
      change.type = "button";
      change.className = "btn btn-link btn-sm p-0";
      change.textContent = text.textEdit;
      change.setAttribute("aria-label", text.textEdit + " : " + step.dataset.stepTitle);
      change.addEventListener("click", function () { show(Number(step.dataset.step), true); });
      heading.appendChild(change);
      recap.appendChild(heading);
      var list = document.createElement("dl");
      step.querySelectorAll("[data-field]").forEach(function (wrapper) {
        var answer = answerOf(wrapper);
        if (!answer && wrapper.dataset.field === "tool_name") {
          return; // a tool chosen in the list needs no typed name
        }
        var term = document.createElement("dt");
        term.textContent = wrapper.dataset.label;
        var value = document.createElement("dd");
        value.textContent = answer || text.textEmpty;
        if (!answer) {
          value.className = "is-empty";
        }
        list.appendChild(term);
        list.appendChild(value);
      });
      recap.appendChild(list);
    });
    recap.hidden = false;
    if (recapFallback) {
      recapFallback.hidden = true;
    }
  }

  // Start on the step of the first error, else on the first step.
  var firstError = Number(form.dataset.firstErrorStep || 0);
  show(firstError || 1, false);
  var alertBox = document.getElementById("rate-limit-alert") || document.getElementById("error-summary");
  if (alertBox) {
    alertBox.focus();
  }
})();
