// Progress report form: while an autosave is on its way, hold the Save buttons (a save
// sent with the old version number would be refused as a conflict with oneself), and
// a completed measure is 100% complete.
(function () {
  "use strict";

  function buttons(form) {
    return form.querySelectorAll("button[type=submit]");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.id === "report-form") {
      buttons(form).forEach(function (b) { b.disabled = true; });
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.id === "report-form") {
      buttons(form).forEach(function (b) { b.disabled = false; });
    }
  });

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.id !== "id_progress" || select.value !== "completed") {
      return;
    }
    var percent = document.getElementById("id_percent");
    if (percent) {
      percent.value = "100";
    }
  });
})();
