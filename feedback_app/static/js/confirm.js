// Asks before a form does something that cannot be taken back from the dashboard (deactivate a
// person, revoke a key, merge two themes, email customers): a form with data-confirm="question"
// submits only when the person presses OK. Without script the form submits as before.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  }, true);
})();
