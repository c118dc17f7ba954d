// The trainer's page: who is signed in, answering, submitted; open or close each exam.
"use strict";
const app = document.getElementById("app");
let poll = null;

function el(tag, attrs, ...kids) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) node[k] = v; else node.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined) node.append(kid instanceof Node ? kid : String(kid));
  return node;
}

async function api(path, body) {
  const init = { headers: { "X-Phong-Thi": "1" } };
  if (body !== undefined) { init.method = "POST"; init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
  const resp = await fetch(path, init);
  let data = {};
  try { data = await resp.json(); } catch (e) { /* empty */ }
  if (!resp.ok) throw Object.assign(new Error(data.error || "Có lỗi."), { status: resp.status });
  return data;
}

function signIn(message) {
  if (poll) clearInterval(poll);
  const code = el("input", { type: "password", id: "trainer-code", inputmode: "numeric", autocomplete: "off" });
  const error = el("p", { class: "error", role: "alert" }, message || "");
  app.replaceChildren(el("form", { class: "card", onsubmit: async (e) => {
    e.preventDefault();
    try { await api("/api/giam-thi/dang-nhap", { code: code.value }); show(); } catch (err) { error.textContent = err.message; }
  } }, el("h1", {}, "Trang giám thị"), el("label", { for: "trainer-code" }, "Mã giám thị"), code, error,
  el("button", { class: "main", type: "submit", id: "trainer-sign-in" }, "Vào")));
}

async function show() {
  let data;
  try { data = await api("/api/giam-thi/trang-thai"); } catch (err) { return signIn(err.status === 401 ? "" : err.message); }
  const exams = data.exams.map((x) => {
    const minutes = el("input", { type: "text", inputmode: "numeric", placeholder: "không giới hạn", "aria-label": "Số phút", value: x.minutes || "" , style: "max-width: 9em" });
    const toggle = el("button", { class: x.open ? "" : "main", "data-exam": x.exam, onclick: async () => {
      if (x.open && !confirm(`Đóng bài thi ${x.exam}? Bài đang làm dở sẽ được nộp hộ như hiện có.`)) return;
      const m = minutes.value.trim();
      try {
        const r = await api(`/api/giam-thi/bai/${x.exam}`, { open: !x.open, minutes: m ? parseInt(m, 10) : null });
        if (r.handed_in && r.handed_in.length) alert(`Đã nộp hộ bài của: ${r.handed_in.join(", ")}`);
      } catch (err) { alert(err.message); }
      show();
    } }, x.open ? "Đóng bài thi" : "Mở bài thi");
    return el("tr", {}, el("td", {}, el("b", {}, x.exam), " ", x.title), el("td", {}, x.open ? "Đang mở" : "Đóng"),
      el("td", {}, x.open ? (x.minutes ? `${x.minutes} phút` : "không giới hạn") : minutes), el("td", {}, toggle));
  });
  const rows = data.learners.map((l) => {
    const papers = l.papers.map((p) => `${p.exam}: ${p.answered}/${p.total} câu` + (p.submitted ? ` · đã nộp ${p.submitted} lần (${p.receipt})` : "") + (p.pending ? " · có thay đổi chưa nộp" : ""));
    let state = "Chưa vào";
    if (l.papers.some((p) => p.submitted && !p.pending)) state = "Đã nộp";
    else if (l.papers.some((p) => p.answered)) state = "Đang làm bài";
    else if (l.online) state = "Đã đăng nhập";
    return el("tr", { "data-learner": l.learner }, el("td", {}, l.name, el("br"), el("span", { class: "muted" }, l.learner)),
      el("td", { class: "state" }, state + (l.online ? " · đang trực tuyến" : "")), el("td", {}, papers.join("; ")));
  });
  app.replaceChildren(el("h1", {}, "Bài thi"), el("table", {}, el("tbody", {}, exams)),
    el("h1", {}, `Học viên (${data.learners.length})`),
    el("table", { id: "learners" }, el("thead", {}, el("tr", {}, el("th", {}, "Học viên"), el("th", {}, "Trạng thái"), el("th", {}, "Bài làm"))), el("tbody", {}, rows)),
    el("p", { class: "muted" }, "Trang tự cập nhật mỗi 5 giây."));
  if (!poll) poll = setInterval(show, 5000);
}

show();
