// Reports the lesson to a cmi5 LMS through its learning record store (xAPI 1.0.3), when the
// LMS launched the page with cmi5's launch parameters (endpoint, fetch, actor, registration,
// activityId); nothing otherwise. The LMS sends "launched"; this page sends "initialized",
// one "answered" per question (with its result), "completed" once every question is answered
// (or at once for a lesson without a quiz), "passed" or "failed" against the mastery score
// (the LMS's, else the course's), and "terminated" when the learner leaves. The score is the
// share of questions answered right at the first try, as in the SCORM packages.
(function () {
  var query = new URLSearchParams(window.location.search);
  var endpoint = query.get("endpoint"), fetchUrl = query.get("fetch"), activityId = query.get("activityId");
  var registration = query.get("registration"), actor;
  try { actor = JSON.parse(query.get("actor") || "null"); } catch (e) { actor = null; }
  if (!endpoint || !fetchUrl || !activityId || !registration || !actor) return;
  if (endpoint.slice(-1) !== "/") endpoint += "/";

  var CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  var SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
  var MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
  var VERB = "http://adlnet.gov/expapi/verbs/";
  var TYPES = { choice: "choice", truefalse: "true-false", ordering: "sequencing", matching: "matching" };
  var quiz = document.getElementById("quiz");
  var total = document.querySelectorAll("fieldset.question").length;
  var launch = { mastery: Number(quiz && quiz.dataset.mastery ? quiz.dataset.mastery : 80) / 100, mode: "Normal",
                 template: {}, session: uuid() };
  var started = Date.now(), auth = null, judged = false, ended = false;
  // Statements go out one after another, in the order things happened.
  var queue = fetch(fetchUrl, { method: "POST" })
    .then(function (r) { if (!r.ok) throw new Error("cmi5 fetch URL: " + r.status); return r.json(); })
    .then(function (body) { auth = "Basic " + body["auth-token"]; return launchData(); })
    .then(function () { return send(statement("initialized", {})); })
    .catch(function (e) { console.warn("cmi5: not reporting:", e); auth = null; });

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }
  function headers() {
    return { "Authorization": auth, "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3" };
  }
  // LMS.LaunchData (mastery score, launch mode, context template) from the LRS's state
  // resource; an LRS without a state resource leaves the course's own values.
  function launchData() {
    var url = endpoint + "activities/state?stateId=LMS.LaunchData&activityId=" + encodeURIComponent(activityId) +
      "&agent=" + encodeURIComponent(JSON.stringify(actor)) + "&registration=" + encodeURIComponent(registration);
    return fetch(url, { headers: headers() }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) return;
      if (typeof data.masteryScore === "number") launch.mastery = data.masteryScore;
      if (data.launchMode) launch.mode = data.launchMode;
      if (data.contextTemplate) launch.template = data.contextTemplate;
      var ext = data.contextTemplate && data.contextTemplate.extensions;
      if (ext && ext[SESSION]) launch.session = ext[SESSION];
    }).catch(function () { /* no state resource: the course's values stand */ });
  }
  function context(categories, extra) {
    var c = JSON.parse(JSON.stringify(launch.template || {}));
    c.registration = registration;
    c.contextActivities = c.contextActivities || {};
    c.contextActivities.category = (c.contextActivities.category || []).concat(categories.map(function (id) { return { id: id }; }));
    c.extensions = Object.assign({}, c.extensions || {}, extra || {});
    c.extensions[SESSION] = launch.session;
    return c;
  }
  function duration() { return "PT" + ((Date.now() - started) / 1000).toFixed(2) + "S"; }
  function statement(verb, result, categories, extra) {
    return { id: uuid(), actor: actor, verb: { id: VERB + verb, display: { "en-US": verb } },
             object: { id: activityId, objectType: "Activity" }, result: Object.keys(result).length ? result : undefined,
             context: context([CMI5].concat(categories || []), extra), timestamp: new Date().toISOString() };
  }
  function send(s, keepalive) {
    if (!auth || !s) return Promise.resolve();
    return fetch(endpoint + "statements", { method: "POST", headers: headers(), body: JSON.stringify(s), keepalive: !!keepalive })
      .then(function (r) { if (!r.ok) console.warn("cmi5: the LRS refused a statement:", r.status); })
      .catch(function (e) { console.warn("cmi5: the LRS is unreachable:", e); });
  }
  function later(make, keepalive) { queue = queue.then(function () { return send(make(), keepalive); }); }
  // "answered" is a statement cmi5 allows (not one it defines): no cmi5 category, the lesson
  // as its parent, the question as its object.
  function answered(a) {
    var c = context([]);
    c.contextActivities.category = c.contextActivities.category.filter(function (x) { return x.id !== CMI5; });
    c.contextActivities.parent = [{ id: activityId }];
    return { id: uuid(), actor: actor, verb: { id: VERB + "answered", display: { "en-US": "answered" } },
             object: { id: activityId + "/" + a.id, objectType: "Activity",
                       definition: { type: "http://adlnet.gov/expapi/activities/cmi.interaction",
                                     interactionType: TYPES[a.kind] || "choice", description: { "en-US": a.prompt } } },
             result: { success: a.correct, response: a.response.join("[,]") }, context: c, timestamp: new Date().toISOString() };
  }
  // Completed, then passed or failed: once, and only in a normal launch (browse and review
  // launches are not judged; the launch mode is known once the launch data is read).
  function judge(score) {
    if (judged) return;
    judged = true;
    later(function () {
      return launch.mode === "Normal" ? statement("completed", { completion: true, duration: duration() }, [MOVEON]) : null;
    });
    if (score === null) return;
    later(function () {
      if (launch.mode !== "Normal") return null;
      var passed = score >= launch.mastery, extra = {};
      extra[MASTERY] = launch.mastery;
      return statement(passed ? "passed" : "failed", { success: passed, score: { scaled: score }, duration: duration() }, [MOVEON], extra);
    });
  }
  if (!total) judge(null);
  document.addEventListener("quiz-answered", function (event) {
    var a = event.detail;
    later(function () { return answered(a); });
    if (a.answered === a.total) judge(Math.round(100 * a.right / a.total) / 100);
  });
  function terminate() {
    if (ended) return;
    ended = true;
    // keepalive: the request outlives the page that sends it.
    later(function () { return statement("terminated", { duration: duration() }); }, true);
  }
  window.addEventListener("pagehide", terminate);
  window.cmi5Terminate = function () { terminate(); return queue; };
})();
