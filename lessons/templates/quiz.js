// Answer checking in the page: works offline, from a folder or any static host. The first
// answer to each question counts (that is what reaches an LMS), so the choices lock once checked.
(function () {
  // SHA-256 in plain JavaScript: WebCrypto is missing on pages served over plain http, and the
  // page keeps only a salted hash of each right answer (lessons/answers.py).
  var K = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6,
    0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3,
    0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
    0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814,
    0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];
  function sha256(bytes) {
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var n = bytes.length, padded = new Uint8Array(((n + 9 + 63) >> 6) << 6), w = new Array(64);
    padded.set(bytes); padded[n] = 0x80;
    var bits = n * 8, end = padded.length;
    padded[end - 4] = (bits >>> 24) & 255; padded[end - 3] = (bits >>> 16) & 255; padded[end - 2] = (bits >>> 8) & 255; padded[end - 1] = bits & 255;
    padded[end - 5] = Math.floor(n / 0x20000000) & 255;
    function rotr(x, k) { return (x >>> k) | (x << (32 - k)); }
    for (var off = 0; off < end; off += 64) {
      for (var i = 0; i < 64; i++) {
        if (i < 16) w[i] = (padded[off + 4 * i] << 24) | (padded[off + 4 * i + 1] << 16) | (padded[off + 4 * i + 2] << 8) | padded[off + 4 * i + 3];
        else {
          var s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3), s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
          w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
        }
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
      for (i = 0; i < 64; i++) {
        var t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h = [h[0] + a, h[1] + b, h[2] + c, h[3] + d, h[4] + e, h[5] + f, h[6] + g, h[7] + hh].map(function (x) { return x | 0; });
    }
    var out = new Uint8Array(32);
    h.forEach(function (x, j) { out[4 * j] = x >>> 24; out[4 * j + 1] = (x >>> 16) & 255; out[4 * j + 2] = (x >>> 8) & 255; out[4 * j + 3] = x & 255; });
    return out;
  }
  function utf8(text) { return new TextEncoder().encode(text); }
  function hex(bytes) { return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join(""); }
  function concat(a, b) { var out = new Uint8Array(a.length + b.length); out.set(a); out.set(b, a.length); return out; }
  // The explaining sentence opens only with the right response: XOR with SHA-256(key || counter).
  function unseal(sealed, salt, response) {
    var key = sha256(utf8(salt + ":explain:" + response)), data = Uint8Array.from(atob(sealed), function (c) { return c.charCodeAt(0); });
    var out = new Uint8Array(data.length);
    for (var block = 0; block * 32 < data.length; block++) {
      var stream = sha256(concat(key, new Uint8Array([block >>> 24, (block >>> 16) & 255, (block >>> 8) & 255, block & 255])));
      for (var i = 0; i < 32 && block * 32 + i < data.length; i++) out[block * 32 + i] = data[block * 32 + i] ^ stream[i];
    }
    return new TextDecoder().decode(out);
  }
  function clock(seconds) { var s = Math.floor(seconds); return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2); }

  var questions = Array.prototype.slice.call(document.querySelectorAll("fieldset.question"));
  var answered = 0, right = 0;
  questions.forEach(function (question, index) {
    var button = question.querySelector("button.check");
    var feedback = question.querySelector(".feedback");
    var selects = Array.prototype.slice.call(question.querySelectorAll("select"));
    var kind = question.dataset.kind;
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
      var given = response.join(","), salt = question.dataset.salt;
      var correct = hex(sha256(utf8(salt + ":" + given))) === question.dataset.check;
      answered += 1;
      if (correct) right += 1;
      feedback.classList.add(correct ? "correct" : "wrong");
      var at = question.dataset.explainedAt;
      feedback.textContent = correct ? "Correct. The video says: " + unseal(question.dataset.sealed, salt, given)
        : "Not quite." + (at ? " The video explains it at " + clock(Number(at)) + "." : " Watch the video again.");
      if (!correct && at && document.querySelector("video")) {
        var again = document.createElement("button");
        again.type = "button"; again.className = "rewatch"; again.textContent = "Watch that part again";
        again.addEventListener("click", function () { var v = document.querySelector("video"); v.currentTime = Number(at); v.play(); });
        feedback.appendChild(document.createTextNode(" ")); feedback.appendChild(again);
      }
      question.querySelectorAll("input, select").forEach(function (input) { input.disabled = true; });
      button.disabled = true;
      document.dispatchEvent(new CustomEvent("quiz-answered", { detail: {
        index: index, id: question.dataset.id, kind: kind, prompt: question.querySelector("legend").textContent,
        response: response, correct: correct,
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
