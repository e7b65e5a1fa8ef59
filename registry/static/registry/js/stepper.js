/* The steps of a guided form (the use case, the shadow-AI declaration): one step at a time, Previous/Next,
   the stepper's state, the error summary's links to the step holding the field, and a recap of the answers on
   the last step. Each form's own script calls RegistreStepper.init(form, options) and adds what is its own.
   Without JavaScript every step shows on one page. */
(function () {
  "use strict";

  function stepOf(element) {
    var step = element && element.closest("[data-step]");
    return step ? Number(step.dataset.step) : 1;
  }

  // What was answered in one field, as the person reads it. A lone checkbox reads "Yes"/"No" where the form
  // gives those words (data-text-yes, data-text-no).
  function answerOf(wrapper, text) {
    var checked = wrapper.querySelectorAll("input:checked");
    var select = wrapper.querySelector("select");
    var input = wrapper.querySelector("input:not([type=hidden]):not([type=search]), textarea");
    if (select) {
      return select.value ? select.options[select.selectedIndex].text.trim() : "";
    }
    if (input && input.type === "checkbox" && text.textYes && !wrapper.querySelector(".option-group")) {
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

  /* options:
     - onShow(current, isLast): called each time a step is shown (e.g. to change the main button);
     - skipInRecap(wrapper, answer): true to leave a field out of the recap;
     - enterSubmitsOnLastStep: Enter in a one-line field of the last step sends the form (else it does nothing);
     - followHash: start on the step of the element named in the address (after the step of the first error);
     - alerts: ids of the alerts that take the focus on loading, the first present wins.
     Returns { show(number, moveFocus), current() }. */
  function init(form, options) {
    options = options || {};
    var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
    var stepLinks = Array.prototype.slice.call(form.querySelectorAll("[data-step-link]"));
    var prevButton = form.querySelector("[data-step-prev]");
    var nextButton = form.querySelector("[data-step-next]");
    var recap = form.querySelector("[data-recap]");
    var recapFallback = form.querySelector("[data-recap-fallback]");
    var onShow = options.onShow || function () {};
    var skipInRecap = options.skipInRecap || function () { return false; };
    var text = form.dataset;
    var current = 1;

    form.classList.add("is-stepped");

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
      onShow(current, current === steps.length);
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

    // Enter in a one-line field goes to the next step rather than sending an unfinished form.
    form.addEventListener("keydown", function (event) {
      var field = event.target;
      if (event.key !== "Enter" || field.tagName !== "INPUT" || ["checkbox", "radio", "submit"].indexOf(field.type) >= 0) {
        return;
      }
      if (current < steps.length) {
        event.preventDefault();
        show(current + 1, true);
      } else if (!options.enterSubmitsOnLastStep) {
        event.preventDefault();
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

    // Recap on the last step: what was answered, step by step, each with a link back to it.
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
          var answer = answerOf(wrapper, text);
          if (skipInRecap(wrapper, answer)) {
            return;
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

    // Start on the step of the first error (or of the element in the address), else on the first step.
    var firstError = Number(form.dataset.firstErrorStep || 0);
    var hashTarget = options.followHash && window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    if (firstError) {
      show(firstError, false);
    } else if (hashTarget && form.contains(hashTarget)) {
      show(hashTarget.dataset.step ? Number(hashTarget.dataset.step) : stepOf(hashTarget), false);
    } else {
      show(1, false);
    }
    var alerts = options.alerts || ["error-summary"];
    for (var i = 0; i < alerts.length; i += 1) {
      var alertBox = document.getElementById(alerts[i]);
      if (alertBox) {
        alertBox.focus();
        break;
      }
    }

    return {
      show: show,
      current: function () { return current; },
    };
  }

  window.RegistreStepper = { init: init };
})();
