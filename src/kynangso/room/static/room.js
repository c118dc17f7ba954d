// The learner's page: sign in, answer one question at a time, every change saved on the server at once.
"use strict";
const app = document.getElementById("app");
const who = document.getElementById("who");
const LETTERS = "ABCDEF";
const S = { exam: null, paper: null, answers: {}, practical: {}, current: 1, deadlineAt: null, timer: null, handedIn: false,
  status: { text: "", cls: "muted" }, pending: 0 };
let queue = Promise.resolve();

// One line tells whether every change has reached the room; it survives redrawing the page.
function setStatus(text, cls) {
  S.status = { text, cls };
  const node = document.getElementById("save");
  if (node) { node.textContent = text; node.className = `save ${cls}`; }
}

function el(tag, attrs, ...kids) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "onclick" || k === "oninput" || k === "onchange" || k === "onblur" || k === "onsubmit") node[k] = v;
    else if (k === "html") node.innerHTML = v; // only HTML the server built from the simulation's own data
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined) node.append(kid instanceof Node ? kid : String(kid));
  return node;
}

// replaceChildren() writes a null or undefined child as the text "null": optional parts are left out instead.
function show(node, ...kids) {
  node.replaceChildren(...kids.flat().filter((kid) => kid !== null && kid !== undefined));
}

async function api(path, body) {
  const init = { headers: { "X-Phong-Thi": "1" }, credentials: "same-origin" };
  if (body !== undefined) {
    init.method = "POST";
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(path, init);
  } catch (e) {
    throw Object.assign(new Error("Mất kết nối với phòng thi. Anh/chị kiểm tra Wi-Fi rồi thử lại."), { status: 0 });
  }
  let data = {};
  try { data = await resp.json(); } catch (e) { /* an empty or HTML answer */ }
  if (!resp.ok) throw Object.assign(new Error(data.error || "Có lỗi, anh/chị thử lại."), { status: resp.status, data });
  return data;
}

function handle(err, where) {
  if (err.status === 401) return showSignIn("Anh/chị hãy đăng nhập lại.");
  if (err.status === 403 && S.exam) { stopTimer(); S.exam = null; return start(err.message); }
  if (where) where.textContent = err.message;
}

async function start(message) {
  try {
    const me = await api("/api/toi");
    // A reload (or a phone that woke up) goes straight back into the exam it was showing.
    // A card's QR names its learner: someone else still signed in on this phone must not carry on as them.
    if (CARD_ID && me.learner !== CARD_ID && !message) { await api("/api/dang-xuat", {}); return showSignIn(); }
    const wanted = location.hash.slice(1);
    if (!message && me.exams.some((x) => x.exam === wanted)) { who.textContent = me.name; return openExam(wanted); }
    showHome(me, message);
  } catch (err) {
    if (err.status === 401) showSignIn(message);
    else { show(app, el("p", { class: "error" }, err.message), el("button", { class: "main", onclick: () => start() }, "Thử lại")); }
  }
}

// The QR on a login card opens the room as /?hv=<learner id>: the id is filled in, the learner types only the code.
const CARD_ID = new URLSearchParams(location.search).get("hv") || "";

function showSignIn(message) {
  who.textContent = "";
  const learner = el("input", { type: "text", id: "learner", name: "learner", autocomplete: "username", autocapitalize: "none", autocorrect: "off", spellcheck: "false", placeholder: "ví dụ: nguyen-van-an-1985" });
  learner.value = CARD_ID;
  const code = el("input", { type: "password", id: "code", name: "code", inputmode: "numeric", autocomplete: "one-time-code", placeholder: "6 chữ số trên thẻ" });
  const error = el("p", { class: "error", id: "error", role: "alert" }, message || "");
  const button = el("button", { class: "main", type: "submit", id: "sign-in" }, "Vào phòng thi");
  const form = el("form", { class: "card", onsubmit: async (e) => {
    e.preventDefault();
    button.disabled = true;
    error.textContent = "";
    try {
      await api("/api/dang-nhap", { learner: learner.value, code: code.value });
      start();
    } catch (err) { error.textContent = err.message; button.disabled = false; }
  } },
  el("h1", {}, "Đăng nhập phòng thi"),
  el("p", {}, CARD_ID ? "Mã học viên đã được điền từ mã QR trên thẻ. Anh/chị chỉ cần nhập mã dự thi in trên thẻ."
    : "Anh/chị nhập mã học viên và mã dự thi in trên thẻ giám thị phát (gõ chữ hoa, chữ thường, có dấu hay không dấu đều được)."),
  el("label", { for: "learner" }, "Mã học viên"), learner,
  el("label", { for: "code" }, "Mã dự thi"), code, error, button);
  show(app, form);
  (CARD_ID ? code : learner).focus();
}

function showHome(me, message) {
  stopTimer();
  S.exam = null;
  history.replaceState(null, "", location.pathname);
  who.textContent = me.name;
  const cards = me.exams.map((x) => el("div", { class: "card exam", "data-exam": x.exam },
    el("h2", {}, x.title),
    el("p", {}, `Đã trả lời ${x.answered}/${x.total} câu` + (x.minutes ? ` · thời gian ${x.minutes} phút` : "")),
    x.receipt ? el("p", { class: "ok" }, `Đã nộp · mã biên nhận ${x.receipt}`) : null,
    el("button", { class: "main", onclick: () => openExam(x.exam) }, x.receipt ? "Xem lại và nộp lại" : (x.answered ? "Làm tiếp" : "Bắt đầu làm bài"))));
  show(app, 
    el("h1", {}, `Chào anh/chị ${me.name}`),
    message ? el("p", { class: "error" }, message) : null,
    ...(cards.length ? cards : [el("p", { class: "card" }, "Chưa có bài thi nào mở. Anh/chị chờ giám thị mở bài thi rồi bấm Tải lại.")]),
    el("button", { onclick: () => start() }, "Tải lại"), " ",
    el("button", { onclick: async () => { await api("/api/dang-xuat", {}); showSignIn(); } }, "Đăng xuất"));
}

async function openExam(exam) {
  try {
    const data = await api(`/api/bai/${exam}`);
    // Time already up and the paper handed in: show it, but do not hand it in again.
    const done = data.remaining === 0 && data.receipt !== null;
    Object.assign(S, { exam, paper: data.paper, answers: data.answers, practical: data.practical, handedIn: done,
      status: { text: "", cls: "muted" }, pending: 0 });
    history.replaceState(null, "", "#" + exam);
    S.current = Math.min(Math.max(1, data.current || 1), data.paper.questions.length);
    S.deadlineAt = data.remaining === null ? null : Date.now() + data.remaining * 1000;
    startTimer();
    renderQuestion();
  } catch (err) { handle(err); }
}

function answered(q) {
  if (q.type === "practical") return (S.practical[q.id] || 0) > 0;
  const v = S.answers[q.id];
  return v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0);
}

function progressBox() {
  const qs = S.paper.questions;
  const done = qs.filter(answered).length;
  return el("div", { class: "progress" },
    el("div", { class: "meta" }, el("span", { id: "answered" }, `Đã trả lời ${done}/${qs.length} câu`), el("span", { class: "timer", id: "timer" })),
    el("div", { class: "bar", role: "progressbar", "aria-valuenow": String(done), "aria-valuemax": String(qs.length) },
      el("div", { style: `width:${Math.round(100 * done / qs.length)}%` })),
    el("div", { class: "numbers" }, qs.map((q) => el("button", {
      class: (answered(q) ? "done " : "") + (q.number === S.current ? "here" : ""), "aria-label": `Câu ${q.number}`,
      onclick: () => go(q.number) }, String(q.number)))));
}

function refreshProgress() {
  const old = app.querySelector(".progress");
  if (old) { old.replaceWith(progressBox()); tick(); }
}

function go(number) {
  S.current = number;
  queue = queue.then(() => api(`/api/bai/${S.exam}/tra-loi`, { current: number }).catch(() => null));
  renderQuestion();
  window.scrollTo(0, 0);
}

function save(q, value) {
  S.answers[q.id] = value;
  refreshProgress();
  S.pending += 1;
  setStatus("Đang lưu…", "muted");
  // One save at a time, in order: a later answer never gets overwritten by an earlier one arriving late.
  queue = queue.then(async () => {
    try {
      await retrying(() => api(`/api/bai/${S.exam}/tra-loi`, { question: q.id, value, current: S.current }));
      S.pending -= 1;
      if (S.pending === 0) setStatus("Đã lưu ✓", "ok");
    } catch (err) {
      S.pending -= 1;
      setStatus(err.message, "error");
      handle(err);
    }
  });
  return queue;
}

// Wi-Fi in a commune hall comes and goes: keep trying (every 3 s, for up to two minutes) until the room answers.
async function retrying(call) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      if (err.status !== 0 || attempt >= 40) throw err;
      setStatus("Mất kết nối — câu trả lời sẽ được lưu khi có mạng lại…", "error");
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}

function questionCard(q) {
  const card = el("div", { class: "card question", "data-qid": q.id, "data-type": q.type },
    el("h2", {}, `Câu ${q.number} · ${q.points} điểm`), el("p", { class: "text" }, q.text));
  const value = S.answers[q.id];
  if (q.type === "single" || q.type === "multiple") {
    card.append(el("p", { class: "muted" }, q.type === "single" ? "Chọn một đáp án." : "Chọn tất cả các đáp án đúng."));
    q.choices.forEach((text, i) => {
      const letter = LETTERS[i];
      const on = q.type === "single" ? value === letter : (value || []).includes(letter);
      card.append(el("button", { class: "choice", "data-letter": letter, "aria-pressed": on ? "true" : "false", onclick: () => {
        let next = letter;
        if (q.type === "multiple") {
          const set = new Set(S.answers[q.id] || []);
          set.has(letter) ? set.delete(letter) : set.add(letter);
          next = [...set].sort();
        }
        save(q, next);
        renderQuestion(true);
      } }, el("span", { class: "letter" }, letter), el("span", {}, text)));
    });
  } else if (q.type === "order") {
    const order = Array.isArray(value) ? value : q.steps.map((_, i) => i + 1);
    card.append(el("p", { class: "muted" }, "Dùng nút ▲ ▼ để xếp các bước theo đúng thứ tự cần làm."));
    const move = (i, d) => { const o = [...order]; [o[i], o[i + d]] = [o[i + d], o[i]]; save(q, o); renderQuestion(true); };
    card.append(el("ol", { class: "steps" }, order.map((n, i) => el("li", { "data-n": String(n) },
      el("span", { class: "pos" }, `${i + 1}.`), el("span", { class: "text" }, q.steps[n - 1]),
      el("button", { class: "up", "aria-label": "Đưa lên", disabled: i === 0, onclick: () => move(i, -1) }, "▲"),
      el("button", { class: "down", "aria-label": "Đưa xuống", disabled: i === order.length - 1, onclick: () => move(i, 1) }, "▼")))));
    if (!answered(q)) card.append(el("button", { class: "keep", onclick: () => { save(q, order); renderQuestion(true); } }, "Giữ thứ tự này"));
  } else if (q.type === "numeric" || q.type === "short" || q.type === "open") {
    const input = q.type === "open"
      ? el("textarea", { "data-input": q.id, "aria-label": "Câu trả lời" })
      : el("input", { type: "text", "data-input": q.id, "aria-label": "Câu trả lời", inputmode: q.type === "numeric" ? "decimal" : null, autocomplete: "off" });
    input.value = value || "";
    let timer = null;
    const flush = () => { if (timer) { clearTimeout(timer); timer = null; save(q, input.value); } };
    input.oninput = () => { clearTimeout(timer); setStatus("Chưa lưu…", "muted"); timer = setTimeout(flush, 500) || 1; };
    input.onblur = flush;
    card.append(el("label", {}, q.type === "numeric" ? "Nhập một con số" + (q.unit ? ` (đơn vị: ${q.unit})` : "") : (q.type === "open" ? "Viết câu trả lời của anh/chị" : "Câu trả lời ngắn")), input);
    S.flush = flush;
  } else if (q.type === "practical") {
    const box = el("div", { class: "sim", id: "sim" }, el("p", { class: "muted" }, "Đang mở bài thực hành…"));
    card.append(el("p", { class: "muted" }, "Làm bài trên màn hình mô phỏng bên dưới. Máy lưu từng thao tác."), box);
    api(`/api/bai/${S.exam}/thuc-hanh/${q.id}`).then((view) => drawSim(q, box, view)).catch((err) => handle(err, box));
  }
  card.append(el("p", { class: `save ${S.status.cls}`, id: "save", role: "status" }, S.status.text));
  return card;
}

function drawSim(q, box, view) {
  const values = {};
  box.setAttribute("data-turn", String(view.turn));
  const fields = view.fields.map((f) => {
    let input;
    if (f.kind === "select") {
      input = el("select", { "data-field": f.id }, el("option", { value: "" }, "— Chọn —"), f.options.map((o) => el("option", { value: o }, o)));
    } else if (f.kind === "file") {
      values[f.id] = "";
      input = el("div", { "data-field": f.id }, f.options.map((o) => el("button", { class: "choice", "aria-pressed": "false", "data-option": o, onclick: (e) => {
        values[f.id] = o;
        input.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", b === e.currentTarget ? "true" : "false"));
      } }, o)));
    } else if (f.kind === "checkbox") {
      input = el("input", { type: "checkbox", "data-field": f.id });
      return el("div", {}, el("label", { class: "check" }, input, f.label), f.error ? el("div", { class: "kns-field-error" }, f.error) : null);
    } else if (f.kind === "textarea") {
      input = el("textarea", { "data-field": f.id, placeholder: f.placeholder });
    } else {
      input = el("input", { type: f.kind === "password" ? "password" : "text", "data-field": f.id, placeholder: f.placeholder, autocomplete: "off" });
    }
    return el("div", {}, el("label", {}, f.label), input, f.help ? el("div", { class: "muted", html: f.help }) : null,
      f.error ? el("div", { class: "kns-field-error" }, f.error) : null);
  });
  const send = async (body) => {
    try {
      const next = await api(`/api/bai/${S.exam}/thuc-hanh/${q.id}`, body);
      S.practical[q.id] = next.turn;
      refreshProgress();
      drawSim(q, box, next);
    } catch (err) { handle(err, box.querySelector(".sim-error")); }
  };
  const gather = () => {
    const out = {};
    box.querySelectorAll("[data-field]").forEach((node) => {
      const id = node.getAttribute("data-field");
      if (node.tagName === "DIV") out[id] = values[id] || "";
      else if (node.type === "checkbox") out[id] = node.checked;
      else out[id] = node.value;
    });
    return out;
  };
  const actions = view.actions.map((a) => el("button", {
    class: a.style, "data-action": a.id, disabled: a.done || view.completed, style: a.style === "primary" ? `background:${view.color};border-color:${view.color}` : null,
    onclick: () => send({ action: a.id, turn: view.turn, values: gather() }) }, (a.done ? "✓ " : "") + a.label));
  show(box, 
    el("h2", {}, view.title),
    view.intro ? el("details", { open: view.turn === 0 }, el("summary", {}, "Tình huống"), el("div", { html: view.intro })) : null,
    view.persona ? el("details", { open: true }, el("summary", { html: view.persona_title }), el("div", { html: view.persona })) : null,
    el("div", { html: view.progress }),
    el("div", { class: `kns-device kns-${view.skin}`, "data-screen": view.screen_id },
      el("div", { html: view.chrome }),
      el("div", { class: "kns-screen" }, el("div", { html: view.screen }), ...fields, el("div", { class: "actions" }, actions))),
    el("div", { html: view.feedback, class: view.completed ? "sim-done" : null }),
    el("p", { class: "error sim-error" }),
    el("button", { class: "restart", onclick: () => { if (confirm("Làm lại bài thực hành từ đầu? Các thao tác đã làm vẫn được ghi lại.")) send({ restart: true }); } }, "Làm lại từ đầu"));
}

function renderQuestion(keepScroll) {
  const qs = S.paper.questions;
  const q = qs[S.current - 1];
  S.flush = null;
  const y = window.scrollY;
  const last = S.current === qs.length;
  show(app, 
    el("h1", {}, S.paper.title), progressBox(), questionCard(q),
    el("div", { class: "nav" },
      el("button", { id: "prev", disabled: S.current === 1, onclick: () => { if (S.flush) S.flush(); go(S.current - 1); } }, "◀ Câu trước"),
      last ? el("button", { id: "review", class: "submit main", onclick: () => { if (S.flush) S.flush(); review(); } }, "Nộp bài")
           : el("button", { id: "next", onclick: () => { if (S.flush) S.flush(); go(S.current + 1); } }, "Câu sau ▶")),
    el("button", { class: "main", id: "home", onclick: () => { if (S.flush) S.flush(); queue.then(() => start()); } }, "Về trang đầu"));
  tick();
  if (keepScroll) window.scrollTo(0, y);
}

function review() {
  const missing = S.paper.questions.filter((q) => !answered(q)).map((q) => q.number);
  const error = el("p", { class: "error", role: "alert" });
  show(app, el("h1", {}, "Nộp bài"), progressBox(),
    el("div", { class: "card" },
      missing.length ? el("p", { class: "error" }, `Anh/chị chưa trả lời câu ${missing.join(", ")}.`) : el("p", { class: "ok" }, "Anh/chị đã trả lời tất cả các câu."),
      el("p", {}, "Sau khi nộp, anh/chị vẫn có thể sửa và nộp lại cho đến khi giám thị đóng bài thi; bài nộp sau thay bài trước."),
      error,
      el("button", { class: "main submit", id: "submit", onclick: (e) => { e.currentTarget.disabled = true; handIn(false, error); } }, "Nộp bài ngay"),
      el("button", { class: "main", onclick: () => go(missing.length ? missing[0] : S.current) }, "Quay lại làm tiếp")));
  tick();
}

async function handIn(timeUp, where) {
  if (S.handedIn) return;
  S.handedIn = true;
  try {
    await queue;
    const r = await api(`/api/bai/${S.exam}/nop`, {});
    stopTimer();
    history.replaceState(null, "", location.pathname);
    show(app, el("h1", {}, timeUp ? "Hết giờ: bài đã được nộp" : "Đã nộp bài"),
      el("div", { class: "card" },
        el("p", {}, "Mã biên nhận của anh/chị (ghi lại hoặc chụp màn hình):"),
        el("div", { class: "receipt", id: "receipt" }, r.receipt),
        el("p", { class: "muted", "data-timestamp": r.timestamp }, `Thời điểm nộp: ${new Date().toLocaleString("vi-VN")}`),
        el("button", { class: "main", onclick: () => start() }, "Về trang đầu")));
  } catch (err) {
    S.handedIn = false;
    const button = document.getElementById("submit");
    if (button) button.disabled = false;
    handle(err, where || app.querySelector(".error"));
  }
}

function stopTimer() { if (S.timer) clearInterval(S.timer); S.timer = null; }
function startTimer() { stopTimer(); if (S.deadlineAt !== null) S.timer = setInterval(tick, 1000); }
function tick() {
  const node = document.getElementById("timer");
  if (!node || S.deadlineAt === null) return;
  const left = Math.max(0, Math.round((S.deadlineAt - Date.now()) / 1000));
  node.textContent = `Còn ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  node.className = left < 300 ? "timer low" : "timer";
  if (left === 0 && S.exam && !S.handedIn) { if (S.flush) S.flush(); handIn(true); }
}

start();
