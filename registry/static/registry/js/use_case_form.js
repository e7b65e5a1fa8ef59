/* The guided use-case form, enhanced: one step at a time (stepper.js), and the classification updated as you
   answer. Without this script the page shows every step and a "Preview the classification" button. */
(function () {
  "use strict";

  var form = document.getElementById("use-case-form");
  if (!form || !window.fetch || !window.FormData || !window.RegistreStepper) {
    return;
  }
  var saveButton = form.querySelector("[data-save]");
  var liveSummary = form.querySelector("[data-live-summary]");
  var panel = document.getElementById("classification-panel");
  var target = document.querySelector("[data-preview-target]");
  var status = document.querySelector("[data-preview-status]");
  var text = form.dataset;

  document.querySelectorAll("[data-nojs-only]").forEach(function (element) { element.hidden = true; });

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
    // The panel is out of date from the answer on, not only once its refresh is asked for.
    panel.setAttribute("aria-busy", "true");
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

  // Follow-up questions (data-follows): shown once the earlier question holds an answer that opens them
  // (data-follows-values: any of these; data-follows-except: any answer but these), as the server decides
  // (qualification.is_open). A closed follow-up keeps what was ticked in the page, in case the person changes their
  // mind, but the server records nothing for it. One holding an error stays in sight. Without this script they all
  // show, nested under their question, each saying when it is asked.
  var followUps = Array.prototype.slice.call(form.querySelectorAll("[data-follows]"));

  function words(value) {
    return value ? value.split(" ") : [];
  }

  function opens(wrapper) {
    var values = words(wrapper.dataset.followsValues);
    var except = words(wrapper.dataset.followsExcept);
    var open = false;
    form.querySelectorAll('[name="' + wrapper.dataset.follows + '"]').forEach(function (element) {
      var answer = element.tagName === "SELECT" ? element.value : (element.checked ? element.value : "");
      if (!answer) {
        return;
      }
      if (values.length ? values.indexOf(answer) >= 0 : except.indexOf(answer) < 0) {
        open = true;
      }
    });
    return open;
  }

  function updateFollowUps() {
    followUps.forEach(function (wrapper) {
      wrapper.hidden = !opens(wrapper) && !wrapper.classList.contains("has-error");
    });
  }

  // "None of these" excludes the other answers of its question, and the other way round.
  form.querySelectorAll("[data-exclusive]").forEach(function (wrapper) {
    var exclusive = words(wrapper.dataset.exclusive);
    wrapper.addEventListener("change", function (event) {
      var box = event.target;
      if (box.type !== "checkbox" || !box.checked) {
        return;
      }
      var alone = exclusive.indexOf(box.value) >= 0;
      wrapper.querySelectorAll('input[type="checkbox"]').forEach(function (other) {
        if (other !== box && (alone || exclusive.indexOf(other.value) >= 0)) {
          other.checked = false;
        }
      });
    });
  });

  form.addEventListener("change", function (event) {
    updateFollowUps();
    if (!event.target.closest("[data-preview]")) {
      return;
    }
    if (event.target.name === "tool") {
      prefillHosting(event.target.value);
    }
    schedule();
  });

  updateFollowUps();

  // Steps: start on the step of the first error (or of the field in the address), else on the first step.
  window.RegistreStepper.init(form, {
    followHash: true,
    enterSubmitsOnLastStep: true,
    alerts: ["conflict-alert", "error-summary"],
    // A follow-up question left closed was not asked: the recap does not list it.
    skipInRecap: function (wrapper) { return wrapper.hidden; },
    // On the last step, saving is the main action; before it, going on is.
    onShow: function (current, isLast) {
      saveButton.classList.toggle("btn-primary", isLast);
      saveButton.classList.toggle("btn-outline-primary", !isLast);
    },
  });
  updateSummary();
})();
