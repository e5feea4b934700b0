/* Offline logging of help sessions. Each session gets a UUID on the phone and waits in a
 * localStorage queue; the queue is sent to the API when online. The server answers
 * "created" or "duplicate" per UUID, so sending twice never stores twice. */
(function () {
  "use strict";
  var KEY = "langso.helpSessions.queue";
  var form = document.getElementById("help-form");
  var status = document.getElementById("sync-status");
  if (!form) return;
  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function load() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  function save(q) { localStorage.setItem(KEY, JSON.stringify(q)); show(); }
  function show() {
    var n = load().length;
    status.textContent = n ? n + " buổi hỗ trợ đang chờ gửi." : "Không có buổi nào chờ gửi.";
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : form.querySelector("[name=csrfmiddlewaretoken]").value;
  }
  var syncing = false;
  function sync() {
    var queue = load();
    if (!queue.length || syncing || navigator.onLine === false) return;
    syncing = true;
    fetch(form.dataset.syncUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ sessions: queue.slice(0, 50) })
    }).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var done = {}, errors = [];
        data.results.forEach(function (res) {
          if (res.status === "error") errors.push(res.detail || res.code);
          done[res.id] = true;  // created, duplicate, or refused for good: leave the queue
        });
        save(load().filter(function (s) { return !done[s.id]; }));
        if (errors.length) status.textContent += " Lỗi: " + errors.join("; ");
      })
      .catch(function () { status.textContent = "Chưa gửi được, sẽ thử lại khi có mạng."; })
      .then(function () { syncing = false; if (load().length) setTimeout(sync, 500); });
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = load();
    q.push({
      id: uuid4(), team: parseInt(form.team.value, 10), topic: form.topic.value,
      occurred_at: new Date().toISOString(), household_code: form.household_code.value.trim(),
      people_helped: parseInt(form.people_helped.value || "1", 10), notes: form.notes.value
    });
    save(q);
    form.household_code.value = ""; form.notes.value = "";
    sync();
  });
  document.getElementById("sync-now").addEventListener("click", sync);
  window.addEventListener("online", sync);
  if ("serviceWorker" in navigator && form.dataset.sw) {
    navigator.serviceWorker.register(form.dataset.sw).catch(function () {});
  }
  show();
  sync();
  window.LangSoHelpLog = { sync: sync, queue: load };
})();
