// The learner's progress on the home page, read from the folder the lessons save into (Emscripten's IDBFS keeps
// it in IndexedDB: database = the folder, store "FILE_DATA", key = the file's path; see kynangso/site/browser.py).
"use strict";
(function () {
  const FOLDER = "/home/pyodide/.kynangso";
  const FILE = FOLDER + "/progress.json";

  function readProgress() {
    return new Promise((resolve) => {
      let req;
      try { req = indexedDB.open(FOLDER); } catch (e) { return resolve(null); }
      req.onerror = () => resolve(null);
      req.onupgradeneeded = () => { req.transaction.abort(); resolve(null); }; // nothing saved yet
      req.onsuccess = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains("FILE_DATA")) { db.close(); return resolve(null); }
        const get = db.transaction("FILE_DATA").objectStore("FILE_DATA").get(FILE);
        get.onerror = () => { db.close(); resolve(null); };
        get.onsuccess = () => {
          db.close();
          const entry = get.result;
          if (!entry || !entry.contents) return resolve(null);
          try { resolve(JSON.parse(new TextDecoder().decode(entry.contents))); } catch (e) { resolve(null); }
        };
      };
    });
  }

  function show(progress) {
    if (!progress) return;
    let finished = 0, right = 0;
    document.querySelectorAll(".item").forEach((item) => {
      const key = item.dataset.key;
      const state = item.querySelector(".state");
      if (item.dataset.kind === "lesson") {
        const lesson = (progress.lessons || {})[key];
        const checks = Object.values((progress.selfchecks || {})[key] || {});
        const good = checks.filter((c) => c.ever_correct).length;
        right += good;
        const parts = [];
        if (lesson && lesson.finished) { parts.push("✓ Đã học xong"); finished += 1; item.classList.add("done"); }
        else if (lesson) parts.push("Đã mở bài");
        if (checks.length) parts.push(`${good}/${checks.length} câu tự kiểm tra đã làm đúng`);
        state.textContent = parts.join(" · ");
      } else if (item.dataset.kind === "simulation") {
        const modes = Object.values((progress.simulations || {})[key] || {});
        if (modes.some((m) => m.completed)) {
          const best = Math.max(...modes.map((m) => m.best_score || 0));
          state.textContent = `✓ Đã hoàn thành · điểm cao nhất ${Math.round(best)}/100`;
          item.classList.add("done");
        }
      }
    });
    document.getElementById("summary").textContent =
      `Anh/chị đã học xong ${finished} bài và làm đúng ${right} câu tự kiểm tra.`;
  }

  readProgress().then(show);
})();
