// Answer checking in the page: works offline, from a folder or any static host.
document.querySelectorAll("fieldset.question").forEach(function (question) {
  var button = question.querySelector("button.check");
  var feedback = question.querySelector(".feedback");
  button.addEventListener("click", function () {
    var chosen = question.querySelector("input:checked");
    feedback.classList.remove("correct", "wrong");
    if (!chosen) { feedback.textContent = "Choose an answer first."; return; }
    var right = chosen.value === question.dataset.answer;
    feedback.classList.add(right ? "correct" : "wrong");
    feedback.textContent = (right ? "Correct. " : "Not quite. ") + "The video says: " + question.dataset.explanation;
    document.dispatchEvent(new CustomEvent("quiz-answered"));
  });
});
