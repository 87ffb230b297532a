// The workbench's only script: re-grade the what-if form as a value changes; print the notice.
(function () {
  "use strict";
  function whatIf(form) {
    var out = document.getElementById("whatif-result");
    var timer = null, seq = 0;
    function run() {
      var n = ++seq;
      var query = new URLSearchParams(new FormData(form)).toString();
      fetch(form.dataset.fragment + "?" + query, {headers: {"Accept": "text/html"}})
        .then(function (r) { return r.text(); })
        .then(function (html) { if (n === seq) { out.innerHTML = html; out.dataset.seq = String(n); } });
    }
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
    form.addEventListener("change", function () { clearTimeout(timer); run(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.whatif-form");
    if (form) { whatIf(form); }
    document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
      s.addEventListener("change", function () { s.form.submit(); });
    });
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
