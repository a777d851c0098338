// Polls an analysis run's progress and updates the progress bar; no inline scripts needed.
(function () {
  "use strict";
  var box = document.querySelector(".run-progress[data-run-url]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var stage = box.querySelector(".run-stage");
  var done = box.querySelector(".run-done");

  function poll() {
    fetch(box.getAttribute("data-run-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (run) {
        bar.value = run.progress;
        bar.textContent = Math.round(run.progress * 100) + "%";
        stage.textContent = run.status === "failed" ? "failed: " + run.error : (run.stage || run.status);
        if (run.status === "succeeded" || run.status === "failed") { done.hidden = false; return; }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
})();
