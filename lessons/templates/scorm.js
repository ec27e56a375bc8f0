// Reports the lesson's quiz to an LMS: SCORM 2004 (window.API_1484_11) or SCORM 1.2
// (window.API), whichever the LMS offers; nothing on a plain web host. The score is the share
// of questions answered right at the first try (0-100); once every question is answered the
// lesson is completed, and passed or failed against the course's mastery score; each answer
// is recorded as an interaction.
(function () {
  function find(name) {
    var win = window;
    for (var i = 0; win && i < 10; i++) { if (win[name]) return win[name]; if (win.parent === win) break; win = win.parent; }
    return (window.opener && window.opener[name]) || null;
  }
  var v2004 = find("API_1484_11");
  var v12 = v2004 ? null : find("API");
  if (!v2004 && !v12) return;
  var lms = v2004
    ? { init: function () { v2004.Initialize(""); }, get: function (k) { return v2004.GetValue(k); },
        set: function (k, v) { v2004.SetValue(k, String(v)); }, commit: function () { v2004.Commit(""); },
        finish: function () { v2004.Terminate(""); } }
    : { init: function () { v12.LMSInitialize(""); }, get: function (k) { return v12.LMSGetValue(k); },
        set: function (k, v) { v12.LMSSetValue(k, String(v)); }, commit: function () { v12.LMSCommit(""); },
        finish: function () { v12.LMSFinish(""); } };
  var quiz = document.getElementById("quiz");
  var mastery = Number(quiz && quiz.dataset.mastery ? quiz.dataset.mastery : 80);
  var letters = "abcdefghijklmnopqrstuvwxyz";
  // Responses in the SCORM formats: a choice is the option's letter; a sequencing lists the
  // items' letters in the order given; a matching pairs each term's letter with its line's number.
  var list = v2004 ? "[,]" : ",", pair = v2004 ? "[.]" : ".";
  function pattern(kind, values) {
    if (kind === "ordering") {
      var byPosition = [];
      values.forEach(function (position, item) { byPosition[position - 1] = letters[item]; });
      return byPosition.join(list);
    }
    if (kind === "matching") return values.map(function (term, line) { return letters[term] + pair + (line + 1); }).join(list);
    return letters[values[0]];
  }
  lms.init();
  if (!document.querySelector("fieldset.question")) {
    // Nothing to answer: opening the lesson completes it.
    lms.set(v2004 ? "cmi.completion_status" : "cmi.core.lesson_status", "completed");
  } else if (v2004) {
    if (lms.get("cmi.completion_status") !== "completed") lms.set("cmi.completion_status", "incomplete");
  } else if (["", "not attempted"].indexOf(lms.get("cmi.core.lesson_status")) >= 0) {
    lms.set("cmi.core.lesson_status", "incomplete");
  }
  lms.commit();
  document.addEventListener("quiz-answered", function (event) {
    var a = event.detail, n = "cmi.interactions." + a.index + ".";
    var score = Math.round(100 * a.right / a.total), done = a.answered === a.total;
    var passed = score >= mastery;
    lms.set(n + "id", a.id);
    lms.set(n + "type", a.kind === "ordering" ? "sequencing" : a.kind === "matching" ? "matching" : "choice");
    // The page knows the right response only once it is given: a wrong answer reports none.
    if (a.correct) lms.set(n + "correct_responses.0.pattern", pattern(a.kind, a.response));
    if (v2004) {
      lms.set(n + "description", a.prompt.slice(0, 250));
      lms.set(n + "learner_response", pattern(a.kind, a.response));
      lms.set(n + "result", a.correct ? "correct" : "incorrect");
      lms.set("cmi.score.min", 0);
      lms.set("cmi.score.max", 100);
      lms.set("cmi.score.raw", score);
      lms.set("cmi.score.scaled", score / 100);
      if (done) {
        lms.set("cmi.completion_status", "completed");
        lms.set("cmi.success_status", passed ? "passed" : "failed");
      }
    } else {
      lms.set(n + "student_response", pattern(a.kind, a.response));
      lms.set(n + "result", a.correct ? "correct" : "wrong");
      lms.set("cmi.core.score.min", 0);
      lms.set("cmi.core.score.max", 100);
      lms.set("cmi.core.score.raw", score);
      if (done) lms.set("cmi.core.lesson_status", passed ? "passed" : "failed");
    }
    lms.commit();
  });
  window.addEventListener("pagehide", function () { lms.finish(); });
})();
