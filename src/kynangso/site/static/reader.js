// The notebook page as a reader for learners: no menus, code folded away, every cell run once the kernel is up.
// JupyterLite exposes its app as window.jupyterapp (exposeAppInBrowser in jupyter-lite.json).
"use strict";
(function () {
  document.body.classList.add("kns-reader");
  const bar = document.createElement("div");
  bar.id = "kns-bar";
  const home = document.createElement("a");
  home.href = "../index.html";
  home.textContent = "← Mục lục";
  const status = document.createElement("span");
  status.id = "kns-status";
  status.setAttribute("role", "status");
  status.textContent = "Đang chuẩn bị bài… lần đầu có thể mất nửa phút.";
  bar.append(home, status);
  document.body.prepend(bar);

  // Links written "#kns-home" in a lesson lead back to the table of contents wherever the site is hosted.
  document.addEventListener("click", (e) => {
    const a = e.target.closest && e.target.closest("a");
    if (a && (a.getAttribute("href") || "").endsWith("#kns-home")) { e.preventDefault(); location.href = home.href; }
  }, true);

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  async function notebook() {
    for (let i = 0; i < 1200; i += 1) {
      const app = window.jupyterapp;
      const panel = app && app.shell && app.shell.currentWidget;
      if (panel && panel.sessionContext && panel.content && panel.context) return [app, panel];
      await sleep(100);
    }
    throw new Error("no notebook");
  }

  async function run() {
    const [app, panel] = await notebook();
    await panel.context.ready;
    // A reader never saves: running cells changes the notebook, and a "leave this page?" prompt would only confuse.
    panel.context.model.stateChanged.connect((model, change) => {
      if (change.name === "dirty" && change.newValue) model.dirty = false;
    });
    await panel.sessionContext.ready;
    status.textContent = "Đang chạy bài…";
    await app.commands.execute("notebook:run-all-cells");
    panel.context.model.dirty = false;
    // Running every cell leaves the last one active and in view: a reader starts at the top.
    panel.content.activeCellIndex = 0;
    panel.content.node.scrollTop = 0;
    window.scrollTo(0, 0);
    status.textContent = "Sẵn sàng";
    document.body.dataset.knsReady = "1";
  }

  run().catch(() => {
    status.textContent = "Chưa mở được bài. Anh/chị tải lại trang; nếu vẫn lỗi, báo giảng viên.";
    document.body.dataset.knsReady = "error";
  });
})();
