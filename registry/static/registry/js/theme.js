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
  var colour = /^#[0-9a-fA-F]{3,8}$/;
  var pairs = [["primary", "--registre-primary"], ["onPrimary", "--registre-on-primary"]];
  pairs.forEach(function (pair) {
    var value = theme.dataset[pair[0]];
    if (value && colour.test(value)) {
      document.documentElement.style.setProperty(pair[1], value);
    }
  });
})();
