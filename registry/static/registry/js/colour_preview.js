// The settings page's preview of the main colour: as the administrator picks a colour, the preview block (and only
// it) takes that colour, with black or white text on it as the pages will choose (WCAG relative luminance, as
// registry/colours.py). Without JavaScript the preview shows the saved colour.
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
  function luminance(hex) {
    var channels = [1, 3, 5].map(function (i) { return parseInt(hex.substr(i, 2), 16) / 255; });
    return 0.2126 * linear(channels[0]) + 0.7152 * linear(channels[1]) + 0.0722 * linear(channels[2]);
  }
  function contrast(first, second) {
    var a = luminance(first), b = luminance(second);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }
  // The readable shade of registry/colours.py: mixed with black until it reads at 4.6:1 on white and on the page.
  function readableShade(hex) {
    for (var step = 0; step <= 100; step += 1) {
      var shade = "#" + [1, 3, 5].map(function (i) {
        var channel = Math.round(parseInt(hex.substr(i, 2), 16) * (1 - step / 100));
        return (channel < 16 ? "0" : "") + channel.toString(16);
      }).join("");
      if (contrast(shade, "#ffffff") >= 4.6 && contrast(shade, "#f6f6f4") >= 4.6) {
        return shade;
      }
    }
    return "#000000";
  }
  function apply() {
    var value = input.value;
    if (!/^#[0-9a-fA-F]{6}$/.test(value)) {
      return;
    }
    preview.style.setProperty("--registre-primary", value);
    preview.style.setProperty("--registre-on-primary", onColour(value));
    preview.style.setProperty("--registre-primary-text", readableShade(value));
  }
  input.addEventListener("input", apply);
  apply();
})();
