// hdgovreport serve — the form page: the shared state, DOM helpers, the server, notices, drafts.
//
// Plain JavaScript in four classic scripts sharing one global scope, loaded in order
// (core.js, form.js, checks.js, app.js): no build step, no library, nothing fetched from
// anywhere but this server.  The tables are drawn from the grids the server sends
// (/api/layout: the official edition's document tree); every official label and every
// message comes from the server.  User text is only ever set with textContent or as an
// input's value, never as HTML.
"use strict";

const TOKEN = new URLSearchParams(location.search).get("token") || "";
const CHECK_DELAY = 300; // ms after the last keystroke
const PREVIEW_DELAY = 500;
const DRAFT_DELAY = 250;
const PREVIEW_WIDTH = 820; // px: the previews are laid out at this width, then scaled to fit
const NOTICE_TIME = 8000; // ms an information notice stays

let L = null; // the layout of the current edition (/api/layout)
const layouts = {};
let S = null; // the form state: every field as typed
let info = null; // /api/state without the form
let savedJSON = ""; // the form as it is on disk (last loaded or saved)
let base = ""; // the revision of the file the edit started from
let last = null; // the last /api/form answer
let stash = {}; // cells of the other edition, kept while switching
let seq = 0;
let previewKind = "html";
let previewYaml = null;
let offline = false;

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

// ------------------------------------------------------------ DOM helpers

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "value") node.value = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function button(text, onclick, props = {}) {
  return el("button", { type: "button", onclick, ...props }, text);
}

function autosize(area) {
  area.style.height = "auto";
  area.style.height = `${area.scrollHeight + 2}px`;
}

// ------------------------------------------------------------ the server

function url(path, params = {}) {
  const u = new URL(path, location.origin);
  u.searchParams.set("token", TOKEN);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

async function call(path, { method = "GET", json, body, params, raw = false } = {}) {
  const options = { method, headers: {}, cache: "no-store" };
  if (json !== undefined) {
    options.body = JSON.stringify(json);
    options.headers["Content-Type"] = "application/json";
  } else if (body !== undefined) {
    options.body = body;
    options.headers["Content-Type"] = "text/yaml; charset=utf-8";
  }
  let response;
  try {
    response = await fetch(url(path, params), options);
  } catch (error) {
    goneOffline();
    throw error;
  }
  if (offline) backOnline();
  if (response.status === 403) {
    notice("error", "本页面的访问令牌已失效：hdgovreport serve 可能已重新启动。请打开它新打印的地址；你未保存的修改保存在浏览器中，会自动恢复。", [], "token");
    throw new Error("403");
  }
  if (raw) return response;
  const data = await response.json();
  return { status: response.status, data };
}

function goneOffline() {
  if (offline) return;
  offline = true;
  notice("error", "无法连接本机的 hdgovreport serve（是否已停止？）。你的修改保存在浏览器中；重新运行后打开新地址即可恢复。", [], "offline");
}

function backOnline() {
  offline = false;
  dropNotice("offline");
}

// ------------------------------------------------------------ notices and dialog

function notice(kind, text, actions = [], id = null) {
  if (id) dropNotice(id);
  const box = el("div", { class: `notice ${kind}`, dataset: id ? { id } : {} }, el("span", { text }));
  for (const [label, action] of actions) {
    box.append(button(label, () => { box.remove(); action(); }));
  }
  box.append(button("关闭", () => box.remove(), { class: "close small", "aria-label": "关闭提示" }));
  $("#notices").append(box);
  if (kind === "info" && !actions.length) setTimeout(() => box.remove(), NOTICE_TIME);
  return box;
}

function dropNotice(id) {
  for (const n of $$(`#notices [data-id="${id}"]`)) n.remove();
}

function ask(text, choices) {
  const dialog = $("#dialog");
  $("#dialog-text").textContent = text;
  const buttons = $(".buttons", dialog);
  buttons.replaceChildren();
  return new Promise((resolve) => {
    choices.forEach(([label, value, primary]) => {
      buttons.append(button(label, () => { dialog.close(); resolve(value); }, { class: primary ? "primary" : "" }));
    });
    dialog.onclose = () => resolve(null);
    dialog.showModal();
  });
}

// ------------------------------------------------------------ drafts in browser storage

const draftKey = () => `hdgovreport:draft:${info.file_id}`;

function readDraft() {
  try {
    const raw = localStorage.getItem(draftKey());
    return raw ? JSON.parse(raw) : null;
  } catch (error) {
    return null;
  }
}

let draftTimer = 0;
function storeDraft() {
  clearTimeout(draftTimer);
  draftTimer = setTimeout(writeDraft, DRAFT_DELAY);
}

function writeDraft() {
  clearTimeout(draftTimer);
  if (!S || !info) return;
  try {
    if (isDirty()) localStorage.setItem(draftKey(), JSON.stringify({ base, form: S, time: Date.now() }));
    else localStorage.removeItem(draftKey());
  } catch (error) {
    notice("warn", "浏览器存储已满或被禁用：未保存的修改不能在刷新页面后恢复，请及时保存。", [], "storage");
  }
}

const isDirty = () => JSON.stringify(S) !== savedJSON;

function showSaveState() {
  const state = $("#save-state");
  if (!info.exists && !isDirty()) {
    state.textContent = "新文件，尚未保存";
    state.className = "save-state dirty";
  } else if (isDirty()) {
    state.textContent = "有未保存的修改";
    state.className = "save-state dirty";
  } else {
    state.textContent = "已保存";
    state.className = "save-state clean";
  }
}

// ------------------------------------------------------------ changes

let checkTimer = 0;
function changed() {
  showSaveState();
  storeDraft();
  clearTimeout(checkTimer);
  checkTimer = setTimeout(runCheck, CHECK_DELAY);
}

function bindInput(input, get, set) {
  input.value = get();
  input.addEventListener("input", () => {
    set(input.value);
    if (input.tagName === "TEXTAREA") autosize(input);
    changed();
  });
  return input;
}
