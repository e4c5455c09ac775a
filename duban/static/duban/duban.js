// Duban's few lines of JavaScript (no inline scripts: a Content-Security-Policy forbids them).

// htmx requests leave empty filters out, so the URL pushed to the address bar stays short and bookmarkable.
document.addEventListener("htmx:configRequest", function (event) {
  var data = event.detail.formData;
  if (!data || event.detail.verb !== "get") return;
  Array.from(new Set(data.keys())).forEach(function (name) {
    if (data.getAll(name).every(function (value) { return value === ""; })) data.delete(name);
  });
});
