// Answer checking in the page: works offline, from a folder or any static host. The first
// answer to each question counts (that is what reaches an LMS), so the choices lock once checked.
(function () {
  var questions = Array.prototype.slice.call(document.querySelectorAll("fieldset.question"));
  var answered = 0, right = 0;
  questions.forEach(function (question, index) {
    var button = question.querySelector("button.check");
    var feedback = question.querySelector(".feedback");
    button.addEventListener("click", function () {
      var chosen = question.querySelector("input:checked");
      feedback.classList.remove("correct", "wrong");
      if (!chosen) { feedback.textContent = "Choose an answer first."; return; }
      var correct = chosen.value === question.dataset.answer;
      answered += 1;
      if (correct) right += 1;
      feedback.classList.add(correct ? "correct" : "wrong");
      feedback.textContent = (correct ? "Correct. " : "Not quite. ") + "The video says: " + question.dataset.explanation;
      question.querySelectorAll("input").forEach(function (input) { input.disabled = true; });
      button.disabled = true;
      document.dispatchEvent(new CustomEvent("quiz-answered", { detail: {
        index: index, id: question.dataset.id, prompt: question.querySelector("legend").textContent,
        response: Number(chosen.value), answer: Number(question.dataset.answer), correct: correct,
        answered: answered, right: right, total: questions.length
      } }));
    });
  });
})();
