// The settings page's preview of the main colour: as the administrator picks a colour, the preview block (and only
// it) takes that colour, with black or white text on it as the pages will choose (WCAG relative luminance, as the
// `on_colour` template filter). Without JavaScript the preview shows the saved colour.
(function () {
  "use strict";
  var input = document.getElementById("id_primary_colour");
  var preview = document.querySelector("[data-colour-preview]");
  if (!input || !preview) {
    return;
  }
  function linear(channel) {
    return channel <= 0.03928 ? channel / 12.92 : Math.pow((channel + 0.055) / 1.055, 2.4);
  }
  function onColour(hex) {
    var channels = [1, 3, 5].map(function (i) { return parseInt(hex.substr(i, 2), 16) / 255; });
    var luminance = 0.2126 * linear(channels[0]) + 0.7152 * linear(channels[1]) + 0.0722 * linear(channels[2]);
    return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? "#ffffff" : "#000000";
  }
  function apply() {
    var value = input.value;
    if (!/^#[0-9a-fA-F]{6}$/.test(value)) {
      return;
    }
    preview.style.setProperty("--registre-primary", value);
    preview.style.setProperty("--registre-on-primary", onColour(value));
  }
  input.addEventListener("input", apply);
  apply();
})();
