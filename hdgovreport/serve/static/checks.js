// hdgovreport serve — the form page: the live checks: problems and findings at their fields, the totals, the summary.
//
// Plain JavaScript in four classic scripts sharing one global scope, loaded in order
// (core.js, form.js, checks.js, app.js): no build step, no library, nothing fetched from
// anywhere but this server.  The tables are drawn from the grids the server sends
// (/api/layout: the official edition's document tree); every official label and every
// message comes from the server.  User text is only ever set with textContent or as an
// input's value, never as HTML.
"use strict";

// ------------------------------------------------------------ checking

async function runCheck() {
  const mine = ++seq;
  let answer;
  try {
    answer = (await call("/api/form", { method: "POST", json: { form: S } })).data;
  } catch (error) {
    return;
  }
  if (mine !== seq) return; // a newer check is on its way
  last = answer;
  applyMarks();
  summarize();
  schedulePreview();
}

function describeFinding(f) {
  const loc = f.location;
  return [loc.table, loc.row, loc.column].filter(Boolean).join(" · ") || loc.section;
}

function describePath(path) {
  if (L.names[path]) return L.names[path];
  const parts = path.split(".");
  const section = L.sections.find((s) => s.attr === parts[0]);
  const out = [section ? section.heading : parts[0] === "meta" ? "基本信息" : L.words.opening];
  if (parts[0] === "meta" && L.words[parts[1]]) out.push(L.words[parts[1]]);
  if (parts[1] === "intro") out.push(L.words.intro);
  if (parts[1] === "notes") out.push(L.words.notes);
  if (parts[1] === "subsections") {
    out.push(numbered(L.numbering.subsection, Number(parts[2])));
    if (parts[3] === "title") out.push(L.words.title);
    if (parts[3] === "content") out.push(`第 ${Number(parts[4]) + 1} 项`);
    if (parts[3] === "highlights") out.push(`${L.words.highlights} ${Number(parts[4]) + 1}`);
  } else if (/^\d+$/.test(parts[parts.length - 1])) {
    out.push(`第 ${Number(parts[parts.length - 1]) + 1} 段`);
  }
  return out.join(" › ");
}

// The element a path belongs to: the input itself, or the nearest enclosing one.
function targetOf(path) {
  for (let p = path; p; p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "") {
    const found = $(`[data-path="${CSS.escape(p)}"]`) || $(`[data-path="${CSS.escape(p)}.title"]`);
    if (found) return found;
    const card = $(`#card-${CSS.escape(p)}`);
    if (card) return card;
  }
  return $("#card-meta");
}

// Where the message about `path` goes: the row under its table cell, or its own box.
function notesFor(target, path) {
  const td = target.closest("td.value");
  if (td) return $("td", td.closest("tr").nextElementSibling);
  for (const p of [path, target.dataset ? target.dataset.path : null]) {
    const own = p ? $(`[data-notes-for="${CSS.escape(p)}"]`) : null;
    if (own) return own;
  }
  const card = target.closest(".card");
  return card ? $("[data-notes-for]", card) || card : null;
}

function clearMarks() {
  for (const node of $$(".has-error, .has-warning, .involved")) node.classList.remove("has-error", "has-warning", "involved");
  for (const node of $$("[aria-invalid]")) node.removeAttribute("aria-invalid");
  for (const node of $$(".note")) node.remove();
  for (const row of $$("tr.notes")) row.classList.add("empty");
}

function mark(path, severity, message, extra = {}) {
  const target = targetOf(path);
  if (!target) return;
  if (target.matches("input, textarea, select")) {
    const holder = target.closest("td.value") || target;
    holder.classList.add(severity === "warning" ? "has-warning" : "has-error");
    target.setAttribute("aria-invalid", "true");
  }
  const box = notesFor(target, path);
  if (!box) return;
  const note = el("div", { class: `note ${severity === "warning" ? "warning" : "error"}`, dataset: { for: path } });
  if (extra.code) note.append(el("span", { class: "code", text: extra.code }));
  const column = L.names[path] ? L.names[path].split(" · ").pop() : "";
  note.append(el("span", { class: "message", text: column && !message.startsWith(column) && extra.prefix ? `${column}：${message}` : message }));
  if (extra.suggestion !== undefined && extra.suggestion !== null && target.matches("input, textarea")) {
    note.append(button(`改为 ${extra.suggestion}`, () => {
      target.value = extra.suggestion;
      target.dispatchEvent(new Event("input"));
      target.focus();
    }));
  }
  box.append(note);
  const row = box.closest("tr.notes");
  if (row) row.classList.remove("empty");
}

function applyMarks() {
  clearMarks();
  if (!last) return;
  for (const p of last.problems) mark(p.path, "error", p.message, { suggestion: p.suggestion, prefix: true });
  if (last.check) {
    for (const f of last.check.findings) {
      for (const cell of f.location.cells) {
        const td = $(`td[data-cell="${CSS.escape(cell)}"]`);
        if (td && cell !== f.location.field) td.classList.add("involved");
      }
      mark(f.location.field, f.severity, f.message, { code: f.code });
    }
  }
  showComputed();
  const title = $("#report-title");
  if (title) title.textContent = last.title || "";
}

function showComputed() {
  for (const span of $$("[data-computed-for]")) {
    const path = span.dataset.computedFor;
    const value = last && last.computed ? last.computed[path] : null;
    const input = $(`input[data-path="${CSS.escape(path)}"]`);
    const reported = input ? input.value.trim() : "";
    span.classList.remove("differs");
    input.placeholder = value ?? "";
    if (value === null || value === undefined) {
      span.textContent = "";
      span.title = "";
    } else if (!reported) {
      span.textContent = "自动计算";
      span.title = `未填写，按各项之和 ${value} 计算`;
    } else {
      span.textContent = `合计 ${value}`;
      span.title = `各项之和为 ${value}`;
      if (reported !== value) span.classList.add("differs");
    }
  }
}

function summarize() {
  const box = $("#summary");
  const problems = last.problems;
  const findings = last.check ? last.check.findings : [];
  const errors = findings.filter((f) => f.severity === "error");
  const warnings = findings.filter((f) => f.severity === "warning");
  const items = [];
  const heading = el("h2");
  if (problems.length) {
    heading.append(el("span", { class: "e", text: `${problems.length} 处填写需要改正` }), "，改正后才能校验勾稽关系、预览和下载。");
    for (const p of problems) items.push(findingItem("problem", "填写", describePath(p.path), p.message, p.path));
  } else if (!findings.length) {
    heading.append(el("span", { class: "verdict ok", text: "校验通过：未发现错误或警告。" }));
  } else {
    heading.append(`校验结果：${errors.length} 个错误，${warnings.length} 个警告`);
    for (const f of findings) {
      items.push(findingItem(f.severity, `${f.severity === "error" ? "错误" : "警告"} ${f.code}`, describeFinding(f), f.message, f.location.field));
    }
  }
  box.replaceChildren(heading);
  if (items.length) box.append(el("ol", {}, items));
  if (!problems.length && errors.length) {
    const rules = [...new Set(errors.map((f) => f.code))].join("、");
    box.append(el("p", { class: "unverified", text: `报告有错误（${rules}）：现在下载的文件都会标明“${L.unverified}”。改正错误后再下载，就是正式文件。` }));
  }
  const counts = $("#jump-summary");
  counts.replaceChildren();
  if (problems.length) counts.append(el("span", { class: "e", text: `${problems.length} 处需改正` }));
  else if (!findings.length) counts.append(el("span", { class: "ok", text: "✓ 校验通过" }));
  else {
    counts.append(el("span", { class: errors.length ? "e" : "", text: `${errors.length} 错误` }), " · ",
      el("span", { class: warnings.length ? "w" : "", text: `${warnings.length} 警告` }));
  }
}

function findingItem(kind, severity, where, message, path) {
  return el("li", { class: kind },
    el("button", { type: "button", dataset: { jump: path }, onclick: () => jumpTo(path) },
      el("span", { class: "sev", text: severity }), " ",
      el("span", { class: "where", text: where }), el("br"),
      el("span", { class: "message", text: message })));
}

function jumpTo(path) {
  const target = targetOf(path);
  if (!target) return;
  target.scrollIntoView({ block: "center", behavior: "smooth" });
  const holder = target.closest("td.value") || target;
  holder.classList.remove("flash");
  void holder.offsetWidth;
  holder.classList.add("flash");
  if (target.focus) target.focus({ preventScroll: true });
}
