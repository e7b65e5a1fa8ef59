/* The guided use-case form, enhanced: one step at a time, and the classification updated as you answer.
   Without this script the page shows every step and a "Preview the classification" button. */
(function () {
  "use strict";

  var form = document.getElementById("use-case-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
  var stepLinks = Array.prototype.slice.call(form.querySelectorAll("[data-step-link]"));
  var prevButton = form.querySelector("[data-step-prev]");
  var nextButton = form.querySelector("[data-step-next]");
  var saveButton = form.querySelector("[data-save]");
  var recap = form.querySelector("[data-recap]");
  var recapFallback = form.querySelector("[data-recap-fallback]");
  var liveSummary = form.querySelector("[data-live-summary]");
  var panel = document.getElementById("classification-panel");
  var target = document.querySelector("[data-preview-target]");
  var status = document.querySelector("[data-preview-status]");
  var text = form.dataset;
  var current = 1;

  form.classList.add("is-stepped");
  document.querySelectorAll("[data-nojs-only]").forEach(function (element) { element.hidden = true; });

  // Steps -----------------------------------------------------------------------------------------
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
    // On the last step, saving is the main action; before it, going on is.
    saveButton.classList.toggle("btn-primary", current === steps.length);
    saveButton.classList.toggle("btn-outline-primary", current !== steps.length);
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

  // Enter in a one-line field goes to the next step rather than submitting an unfinished form.
  form.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || field.tagName !== "INPUT" || ["checkbox", "radio", "submit"].indexOf(field.type) >= 0) {
      return;
    }
    if (current < steps.length) {
      event.preventDefault();
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

  // Summary step: what was answered, step by step, each with a link back to it.
  function answerOf(wrapper) {
    var checked = wrapper.querySelectorAll("input:checked");
    var select = wrapper.querySelector("select");
    var input = wrapper.querySelector("input:not([type=hidden]), textarea");
    if (select) {
      return select.value ? select.options[select.selectedIndex].text.trim() : "";
    }
    if (input && input.type === "checkbox" && !wrapper.querySelector(".option-group")) {
      return input.checked ? text.textYes : text.textNo;
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
        var term = document.createElement("dt");
        term.textContent = wrapper.dataset.label;
        var value = document.createElement("dd");
        var answer = answerOf(wrapper);
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

  // Live classification -----------------------------------------------------------------------------
  var timer = null;
  var pending = null;

  function updateSummary() {
    var headline = target.querySelector("[data-preview-headline]");
    if (!headline) {
      return;
    }
    if (liveSummary) {
      liveSummary.innerHTML = headline.innerHTML;
      var link = document.createElement("a");
      link.href = "#classification-panel";
      link.textContent = text.textDetails;
      liveSummary.appendChild(document.createTextNode(" "));
      liveSummary.appendChild(link);
      liveSummary.hidden = false;
    }
  }

  function refresh() {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    var data = new FormData(form);
    data.delete("action");
    var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    panel.setAttribute("aria-busy", "true");
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "X-Requested-With": "XMLHttpRequest" },
      signal: pending.signal,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        target.innerHTML = html;
        updateSummary();
        var headline = target.querySelector("[data-preview-headline]");
        status.textContent = text.textUpdated + " " + (headline ? headline.textContent.replace(/\s+/g, " ").trim() : "");
        panel.removeAttribute("aria-busy");
      })
      .catch(function (error) {
        if (error.name === "AbortError") {
          return;
        }
        status.textContent = text.textPreviewError;
        panel.removeAttribute("aria-busy");
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 350);
  }

  // Choosing a tool fills the hosting answers from the catalogue; the user may still correct them.
  var toolHosting = JSON.parse((document.getElementById("tool-hosting") || { textContent: "{}" }).textContent);
  function prefillHosting(toolId) {
    var hosting = toolHosting[toolId];
    if (!hosting) {
      return;
    }
    var zone = form.elements.namedItem("hosting_zone");
    var qualification = form.elements.namedItem("hosting_qualification");
    var reuse = form.elements.namedItem("provider_reuse_disabled");
    if (zone) { zone.value = hosting.hosting_zone; }
    if (qualification) { qualification.value = hosting.hosting_qualification; }
    if (reuse) { reuse.checked = Boolean(hosting.provider_reuse_disabled); }
  }

  form.addEventListener("change", function (event) {
    if (!event.target.closest("[data-preview]")) {
      return;
    }
    if (event.target.name === "tool") {
      prefillHosting(event.target.value);
    }
    schedule();
  });

  // Start: on the step of the first error (or of the field in the address), else on the first step.
  var firstError = Number(form.dataset.firstErrorStep || 0);
  var hashTarget = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
  if (firstError) {
    show(firstError, false);
  } else if (hashTarget && form.contains(hashTarget)) {
    show(hashTarget.dataset.step ? Number(hashTarget.dataset.step) : stepOf(hashTarget), false);
  } else {
    show(1, false);
  }
  var alertBox = document.getElementById("conflict-alert") || document.getElementById("error-summary");
  if (alertBox) {
    alertBox.focus();
  }
  updateSummary();
})();
