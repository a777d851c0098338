/* Survey page enhancements; the page works without them (the server applies the same rules).
 * - show_if skip logic: questions whose condition is not met are hidden and their inputs disabled
 *   (so they are not sent), re-evaluated on every change, in order, so chains of conditions work;
 *   the questions shown are numbered again ("Question 4 of 5"), so a hidden one leaves no gap.
 * - a live character counter for free-text answers (counted in characters, as the server counts).
 * - focus moves to the error summary when the server returned errors, so it is announced.
 * - a field's server error (its message, has-error and aria-invalid) goes once the customer has
 *   changed the answer to one the page can tell is valid (given, within the character limit); the
 *   server checks it again on the next submit.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function answersOf(form, name) {
    var values = [];
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.disabled) continue;
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) continue;
      if (input.value !== "") values.push(input.value);
    }
    return values;
  }

  function applySkipLogic(form) {
    var questions = form.querySelectorAll("[data-show-if-question]");
    for (var i = 0; i < questions.length; i++) {
      var block = questions[i];
      var wanted = JSON.parse(block.getAttribute("data-show-if-values")).map(String);
      var chosen = answersOf(form, block.getAttribute("data-show-if-question"));
      var show = chosen.some(function (value) { return wanted.indexOf(value) !== -1; });
      block.hidden = !show;
      var inputs = block.querySelectorAll("input, textarea, select");
      for (var j = 0; j < inputs.length; j++) inputs[j].disabled = !show;
    }
    renumber(form);
  }

  function renumber(form) {
    var shown = [];
    var numbers = form.querySelectorAll(".question-number[data-template]");
    for (var i = 0; i < numbers.length; i++) {
      var block = numbers[i].closest(".question");
      if (!block || !block.hidden) shown.push(numbers[i]);
    }
    var lang = document.documentElement.lang || undefined;
    for (var k = 0; k < shown.length; k++) {
      shown[k].textContent = shown[k].getAttribute("data-template")
        .replace("{number}", (k + 1).toLocaleString(lang)).replace("{total}", shown.length.toLocaleString(lang));
    }
  }

  function characters(text) {
    return Array.from(text.replace(/\r\n/g, "\n")).length;
  }

  function updateCounter(input) {
    var counter = document.getElementById(input.id + "-counter");
    if (!counter) return;
    var limit = parseInt(input.getAttribute("data-maxchars"), 10);
    var used = characters(input.value);
    // The words come from the page (translated there); numbers in the page's language.
    var lang = document.documentElement.lang || undefined;
    var text = counter.getAttribute("data-template")
      .replace("{used}", used.toLocaleString(lang)).replace("{limit}", limit.toLocaleString(lang));
    if (used > limit) {
      text += " " + counter.getAttribute("data-over").replace("{over}", (used - limit).toLocaleString(lang));
    }
    counter.textContent = text;
    counter.classList.toggle("over", used > limit);
  }

  function answerKey(block) {
    var inputs = block.querySelectorAll("input, textarea, select");
    var parts = [];
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) parts.push(input.value);
      } else {
        parts.push(input.value.trim());
      }
    }
    return parts.join("\u0000");
  }

  function looksValid(block) {
    var inputs = block.querySelectorAll("input, textarea, select");
    var given = false;
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) given = true;
        continue;
      }
      if (input.value.trim() !== "") given = true;
      var limit = parseInt(input.getAttribute("data-maxchars"), 10);
      if (limit && characters(input.value) > limit) return false;
    }
    return given;
  }

  function clearError(block) {
    var message = block.querySelector(".field-error");
    if (!message) return;
    var id = message.id;
    message.parentNode.removeChild(message);
    block.classList.remove("has-error");
    var inputs = block.querySelectorAll("[aria-invalid]");
    for (var i = 0; i < inputs.length; i++) {
      inputs[i].removeAttribute("aria-invalid");
      var ids = (inputs[i].getAttribute("aria-describedby") || "").split(/\s+/)
        .filter(function (each) { return each && each !== id; });
      if (ids.length) inputs[i].setAttribute("aria-describedby", ids.join(" "));
      else inputs[i].removeAttribute("aria-describedby");
    }
  }

  function watchErrors(form) {
    var blocks = form.querySelectorAll(".question.has-error");
    for (var i = 0; i < blocks.length; i++) {
      (function (block) {
        var rejected = answerKey(block);  // what the server refused: unchanged, its error stands
        function check() {
          if (answerKey(block) !== rejected && looksValid(block)) clearError(block);
        }
        block.addEventListener("input", check);
        block.addEventListener("change", check);
      })(blocks[i]);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form.survey-form");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      applySkipLogic(form);
      form.addEventListener("change", applySkipLogic.bind(null, form));
      watchErrors(form);
      var texts = form.querySelectorAll("[data-maxchars]");
      for (var j = 0; j < texts.length; j++) {
        var counter = document.getElementById(texts[j].id + "-counter");
        if (counter) counter.setAttribute("aria-live", "polite");
        texts[j].addEventListener("input", function (event) { updateCounter(event.target); });
        updateCounter(texts[j]);
      }
    }
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
})();
