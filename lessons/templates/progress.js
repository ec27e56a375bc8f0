// The learner's progress, kept in this browser only: a lesson is "started" once its video
// plays, "done" once its quiz is answered (or its video watched to the end, when it has no
// quiz). The course home shows the mark beside each lesson.
(function () {
  var script = document.currentScript, key = script.dataset.key, lesson = script.dataset.lesson;
  function read() { try { return JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { return {}; } }
  function mark(state) {
    var all = read();
    if (all[lesson] === "done" && state !== "done") return;
    all[lesson] = state;
    try { localStorage.setItem(key, JSON.stringify(all)); } catch (e) { /* private mode: nothing kept */ }
  }
  if (lesson) {
    var video = document.querySelector("video");
    var questions = document.querySelectorAll("fieldset.question").length;
    if (video) video.addEventListener("play", function () { mark("started"); });
    if (video && !questions) video.addEventListener("ended", function () { mark("done"); });
    document.addEventListener("quiz-answered", function (event) { if (event.detail.answered === event.detail.total) mark("done"); });
    return;
  }
  var all = read();
  document.querySelectorAll(".progress[data-lesson]").forEach(function (span) {
    var state = all[span.dataset.lesson];
    span.textContent = state === "done" ? "\u2713 done" : state === "started" ? "started" : "";
  });
})();
