// The public complaint form: one submission per click. The server also refuses
// a second submission of the same form (its one-time token); this only spares
// the business a confusing second page.
(function () {
  "use strict";
  var form = document.getElementById("complaint-form");
  if (!form) return;
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    if (!button) return;
    // Disabled after this event, so that the browser still sends the form.
    window.setTimeout(function () {
      button.disabled = true;
      button.textContent = form.getAttribute("data-sending") || button.textContent;
    }, 0);
  });
})();
