// Answer checking in the page: works offline, from a folder or any static host. The first
// answer to each question counts (that is what reaches an LMS), so the choices lock once checked.
(function () {
  var questions = Array.prototype.slice.call(document.querySelectorAll("fieldset.question"));
  var answered = 0, right = 0;
  questions.forEach(function (question, index) {
    var button = question.querySelector("button.check");
    var feedback = question.querySelector(".feedback");
    var selects = Array.prototype.slice.call(question.querySelectorAll("select"));
    var kind = question.dataset.kind;
    var answer = question.dataset.answer.split(",").map(Number);
    button.addEventListener("click", function () {
      // A choice gives one option; an ordering each item's position; a matching each line's term.
      var response;
      feedback.classList.remove("correct", "wrong");
      if (selects.length) {
        if (selects.some(function (s) { return s.value === ""; })) { feedback.textContent = "Answer every line first."; return; }
        response = selects.map(function (s) { return Number(s.value); });
        if (kind === "ordering" && new Set(response).size !== response.length) {
          feedback.textContent = "Give each item its own position."; return;
        }
      } else {
        var chosen = question.querySelector("input:checked");
        if (!chosen) { feedback.textContent = "Choose an answer first."; return; }
        response = [Number(chosen.value)];
      }
      var correct = response.join(",") === answer.join(",");
      answered += 1;
      if (correct) right += 1;
      feedback.classList.add(correct ? "correct" : "wrong");
      feedback.textContent = (correct ? "Correct. " : "Not quite. ") + "The video says: " + question.dataset.explanation;
      question.querySelectorAll("input, select").forEach(function (input) { input.disabled = true; });
      button.disabled = true;
      document.dispatchEvent(new CustomEvent("quiz-answered", { detail: {
        index: index, id: question.dataset.id, kind: kind, prompt: question.querySelector("legend").textContent,
        response: response, answer: answer, correct: correct,
        answered: answered, right: right, total: questions.length
      } }));
    });
  });

  // Checkpoints: the video stops at the end of the shot that teaches an objective and asks
  // that objective's question here, then goes on once it is answered. The questions stay on
  // the page for those who read instead of watch.
  var video = document.querySelector("video");
  var waiting = null;
  var stops = questions.filter(function (q) { return q.dataset.checkpoint; })
    .map(function (q) { return { at: Number(q.dataset.checkpoint), question: q, done: false }; });
  if (video && stops.length) {
    video.addEventListener("timeupdate", function () {
      if (waiting) return;
      stops.forEach(function (stop) {
        // timeupdate comes every quarter second or so: stop just before the shot ends.
        if (waiting || stop.done || video.currentTime < stop.at - 0.3) return;
        stop.done = true;
        if (stop.question.querySelector("button.check").disabled) return;  // already answered
        waiting = stop;
        video.pause();
        stop.question.classList.add("checkpoint");
        stop.question.querySelector(".feedback").textContent = "Checkpoint: answer to continue the video.";
        stop.question.scrollIntoView({ block: "center" });
        stop.question.querySelector("input, select").focus();
      });
    });
    document.addEventListener("quiz-answered", function (event) {
      if (!waiting || event.detail.id !== waiting.question.dataset.id) return;
      waiting.question.classList.remove("checkpoint");
      waiting = null;
      video.play();
    });
  }
})();
