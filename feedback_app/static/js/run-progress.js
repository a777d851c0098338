// Follows an analysis run on the themes page: the bar, the stage in words and the run's status move
// as it runs; when it finishes the page reloads itself to show the new themes (no manual reload).
(function () {
  "use strict";
  var box = document.querySelector(".run-progress[data-run-url]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var stage = box.querySelector(".run-stage");
  var done = box.querySelector(".run-done");
  var status = document.querySelector(".run-status");

  function poll() {
    fetch(box.getAttribute("data-run-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (run) {
        bar.value = run.progress;
        bar.textContent = Math.round(run.progress * 100) + "%";
        if (status) { status.textContent = run.status_label; }
        if (run.status === "failed") {
          stage.textContent = "Failed: " + (run.error || "see the server log");
          return;
        }
        stage.textContent = run.stage_label;
        if (run.status === "succeeded") {
          done.hidden = false;
          window.setTimeout(function () { window.location.reload(); }, 1500);
          return;
        }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
})();
