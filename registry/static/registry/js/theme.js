// The collectivité's colours, read from <meta name="registre-theme" data-primary data-on-primary> and set as CSS
// variables on <html>. Loaded in <head> (not deferred), right after that meta, so that the page is painted with
// them at once. A script rather than an inline <style>: the Content-Security-Policy allows no inline style, and a
// nonce would make the public pages vary from one visitor to the next.
(function () {
  "use strict";
  var theme = document.querySelector('meta[name="registre-theme"]');
  if (!theme) {
    return;
  }
  // The palette is computed on the server (registry/colours.py): the readable shade of the colour for links and focus.
  var colour = /^#[0-9a-fA-F]{6}$/;
  var pairs = [
    ["primary", "--registre-primary"],
    ["onPrimary", "--registre-on-primary"],
    ["primaryText", "--registre-primary-text", "--bs-link-color-rgb"],
    ["primaryTextHover", "--registre-primary-text-hover", "--bs-link-hover-color-rgb"]
  ];
  pairs.forEach(function (pair) {
    var value = theme.dataset[pair[0]];
    if (value && colour.test(value)) {
      document.documentElement.style.setProperty(pair[1], value);
      if (pair[2]) {
        // Bootstrap draws links with rgba(var(--bs-link-color-rgb), ...): the same colour as "r, g, b".
        var rgb = [1, 3, 5].map(function (i) { return parseInt(value.substr(i, 2), 16); }).join(", ");
        document.documentElement.style.setProperty(pair[2], rgb);
      }
    }
  });
})();
