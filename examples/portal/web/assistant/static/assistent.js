// The assistant without reloading the page: a form marked data-assistent
// is posted with fetch, and the reply (HTML from our own server, escaped
// by its templates) is added to the panel, a polite live region, so a
// screen reader reads it out. Without this script the same forms post
// and show the conversation page: nothing depends on it.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) return;

  function panelOf(form) {
    var id = form.getAttribute("data-assistent");
    return (id && document.getElementById(id)) || form.closest("[data-assistent-panel]");
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-assistent")) return;
    var panel = panelOf(form);
    if (!panel) return;
    e.preventDefault();
    var body = new FormData(form, e.submitter || undefined);
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    panel.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(body),
      credentials: "same-origin",
      headers: { "X-Assistent": "fragment" }
    }).then(function (resp) {
      var type = resp.headers.get("Content-Type") || "";
      if (type.indexOf("text/html") !== 0 || (!resp.ok && resp.status !== 422)) {
        throw new Error("status " + resp.status);
      }
      return resp.text();
    }).then(function (html) {
      panel.hidden = false;
      panel.insertAdjacentHTML("beforeend", html);
      var input = form.querySelector("input[name=vraag]:not([type=hidden])");
      if (input) input.value = "";
      var last = panel.lastElementChild;
      if (last && last.scrollIntoView) last.scrollIntoView({ block: "nearest" });
    }).catch(function () {
      // The page without the script still works: post the form as is.
      form.submit();
    }).finally(function () {
      buttons.forEach(function (b) { b.disabled = false; });
      panel.removeAttribute("aria-busy");
    });
  });
})();
