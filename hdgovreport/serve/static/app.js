// hdgovreport serve — the form page: previews, downloads, saving, the file on disk, and the start.
//
// Plain JavaScript in four classic scripts sharing one global scope, loaded in order
// (core.js, form.js, checks.js, app.js): no build step, no library, nothing fetched from
// anywhere but this server.  The tables are drawn from the grids the server sends
// (/api/layout: the official edition's document tree); every official label and every
// message comes from the server.  User text is only ever set with textContent or as an
// input's value, never as HTML.
"use strict";

// ------------------------------------------------------------ previews

let previewTimer = 0;
function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(updatePreview, PREVIEW_DELAY);
}

function previewVisible() {
  const aside = $("#preview");
  return aside.offsetParent !== null || getComputedStyle(aside).position === "fixed" && getComputedStyle(aside).display !== "none";
}

async function updatePreview(force = false) {
  const state = $("#preview-state");
  if (!last || !last.yaml) {
    state.textContent = last && last.problems.length ? "填写需要改正，预览暂停" : "";
    return;
  }
  if (!previewVisible()) return;
  if (!force && previewYaml === last.yaml + previewKind) return;
  const yaml = last.yaml;
  const kind = previewKind;
  state.textContent = "正在更新……";
  let response;
  try {
    response = await call(`/api/render/${kind}`, { method: "POST", body: yaml, params: { allow_errors: "1" }, raw: true });
  } catch (error) {
    state.textContent = "";
    return;
  }
  if (!response.ok) {
    state.textContent = "预览失败";
    return;
  }
  const html = await response.text();
  if (!last || last.yaml !== yaml || previewKind !== kind) return;
  const frame = $("#preview-frame");
  let scroll = 0;
  try { scroll = frame.contentWindow.scrollY; } catch (error) { scroll = 0; }
  frame.addEventListener("load", () => {
    try { frame.contentWindow.scrollTo(0, scroll); } catch (error) { /* nothing to restore */ }
  }, { once: true });
  frame.srcdoc = html;
  previewYaml = yaml + kind;
  state.textContent = "";
}

function previewScrollTo(path) {
  if (previewKind !== "html" || !previewVisible()) return;
  const table = L.tables.find((t) => path.startsWith(`${t.section}.`));
  if (!table) return;
  try {
    const node = $("#preview-frame").contentDocument.getElementById(table.id);
    if (node) node.scrollIntoView({ block: "start" });
  } catch (error) { /* the preview is not loaded yet */ }
}

// ------------------------------------------------------------ downloads

async function download(kind, trigger) {
  if (!last || !last.yaml) {
    notice("warn", last && last.problems.length
      ? `有 ${last.problems.length} 处填写需要改正（见页面上方的列表），改正后才能下载。`
      : "正在校验，请稍候再下载。", [], "download");
    return;
  }
  const errors = last.check ? last.check.findings.filter((f) => f.severity === "error") : [];
  trigger.disabled = true;
  const label = trigger.textContent;
  trigger.textContent = `${label}…`;
  try {
    const response = await call(`/api/render/${kind}`, { method: "POST", body: last.yaml, params: { allow_errors: "1" }, raw: true });
    if (!response.ok) {
      const data = await response.json().catch(() => ({}));
      notice("error", `生成失败：${data.error || response.status}`, [], "download");
      return;
    }
    const blob = await response.blob();
    const name = filenameOf(response.headers.get("Content-Disposition")) || `report.${kind}`;
    const link = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    if (errors.length) {
      const rules = [...new Set(errors.map((f) => f.code))].join("、");
      notice("warn", `已下载 ${name}：报告有错误（${rules}），文件中标明了“${L.unverified}”。`, [], "download");
    } else {
      notice("info", `已下载 ${name}。`, [], "download");
    }
  } catch (error) {
    /* offline: reported */
  } finally {
    trigger.disabled = false;
    trigger.textContent = label;
  }
}

function filenameOf(header) {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain ? plain[1] : null;
}

// ------------------------------------------------------------ saving

async function save(force = false) {
  clearTimeout(checkTimer);
  await runCheck();
  if (!last) return;
  if (last.problems.length) {
    notice("warn", `有 ${last.problems.length} 处填写需要改正（见页面上方的列表），改正后才能保存。`, [], "save");
    jumpTo(last.problems[0].path);
    return;
  }
  if (!force) {
    const { data } = await call("/api/revision");
    if (data.revision !== base) {
      const overwrite = await ask(
        `磁盘上的 ${info.name} 在你开始编辑后被修改过（别人或别的程序改了它）。用你现在的内容覆盖它吗？（被覆盖的版本会保存为 ${info.backup}）`,
        [["覆盖", true, true], ["不保存", false]]);
      if (!overwrite) return;
      force = true;
    }
  }
  const { status, data } = await call("/api/save", { method: "POST", json: { form: S, base, force } });
  if (status === 409) {
    base = base || "";
    const overwrite = await ask(`${data.error}用你现在的内容覆盖它吗？`, [["覆盖", true, true], ["不保存", false]]);
    if (overwrite) await save(true);
    return;
  }
  if (status !== 200) {
    notice("error", data.error || `保存失败（${status}）`, [], "save");
    return;
  }
  base = data.revision;
  savedJSON = JSON.stringify(S);
  info.exists = true;
  storeDraft();
  showSaveState();
  dropNotice("disk");
  dropNotice("draft");
  const backup = data.backup ? `，上一版保存为 ${data.backup}` : "";
  notice("info", data.changed ? `已保存 ${data.file}${backup}。` : `已保存：${data.file} 的内容没有变化。`, [], "save");
}

// ------------------------------------------------------------ the file on disk

async function loadFromDisk() {
  const { data } = await call("/api/state");
  const { form, ...rest } = data;
  info = rest;
  savedJSON = JSON.stringify(form);
  return form;
}

async function useDisk() {
  const form = await loadFromDisk();
  S = form;
  base = info.revision;
  stash = {};
  L = await loadLayout(S.meta.edition);
  render();
  changed();
}

async function watchDisk() {
  if (!info || offline) return;
  let data;
  try {
    ({ data } = await call("/api/revision"));
  } catch (error) {
    return;
  }
  if (data.revision === undefined || data.revision === base) {
    dropNotice("disk");
    return;
  }
  if ($('#notices [data-id="disk"]')) return;
  notice("warn", `磁盘上的 ${info.name} 已被别人或别的程序修改。`, [
    ["载入磁盘上的版本", async () => {
      if (isDirty() && !(await ask("载入磁盘上的版本会放弃你未保存的修改。继续吗？", [["载入", true, true], ["取消", false]]))) return;
      await useDisk();
    }],
  ], "disk");
}

// ------------------------------------------------------------ start

async function start() {
  let form;
  try {
    form = await loadFromDisk();
  } catch (error) {
    $("#summary").replaceChildren(el("p", { class: "e", text: "无法载入：请确认 hdgovreport serve 正在运行，并使用它打印的完整地址。" }));
    return;
  }
  base = info.revision;
  S = form;
  if (info.disk_error) {
    notice("error", `磁盘上的文件现在无法读取：${info.disk_error.join("；")}。下面是上次读到的内容；保存会覆盖它。`, [], "disk-error");
  }
  const draft = readDraft();
  if (draft && draft.form && JSON.stringify(draft.form) !== savedJSON) {
    if (draft.base === info.revision) {
      S = draft.form;
      notice("info", "已恢复上次未保存的修改。", [["放弃这些修改", () => useDisk()]], "draft");
    } else {
      const keep = await ask(
        `浏览器里保存着你上次未保存的修改，但磁盘上的 ${info.name} 在那之后被修改过（别人或别的程序改了它）。`,
        [["继续编辑我未保存的修改", true, true], ["载入磁盘上的版本", false]]);
      if (keep) {
        S = draft.form;
        base = draft.base;
        notice("warn", `你在编辑磁盘上已被修改的 ${info.name}：保存时会先询问是否覆盖。`, [["载入磁盘上的版本", () => useDisk()]], "disk");
      }
    }
  }
  L = await loadLayout(S.meta.edition);
  if (info.previous) notice("info", `年度衔接检查对照：${info.previous}`, [], "previous");
  render();
  showSaveState();
  storeDraft();
  runCheck();
  window.addEventListener("focus", watchDisk);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) watchDisk(); });
}

// the bar's height (one line on a desktop, two on a tablet) places what sticks under it
function followSizes() {
  const bar = $(".bar");
  const box = $(".frame-box");
  const frame = $("#preview-frame");
  new ResizeObserver(() => {
    document.documentElement.style.setProperty("--bar", `${bar.offsetHeight}px`);
  }).observe(bar);
  new ResizeObserver(() => {
    if (!box.clientWidth) return;
    const scale = Math.min(1, box.clientWidth / PREVIEW_WIDTH);
    frame.style.transform = `scale(${scale})`;
    frame.style.height = `${box.clientHeight / scale}px`;
  }).observe(box);
}

function wire() {
  followSizes();
  $("#save").addEventListener("click", () => save());
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      save();
    }
  });
  for (const b of $$("[data-render]")) b.addEventListener("click", () => download(b.dataset.render, b));
  for (const tab of $$("[data-preview]")) {
    tab.addEventListener("click", () => {
      previewKind = tab.dataset.preview;
      for (const t of $$("[data-preview]")) t.setAttribute("aria-selected", String(t === tab));
      updatePreview(true);
    });
  }
  $("#toggle-preview").addEventListener("click", () => {
    const narrow = matchMedia("(max-width: 1199px)").matches;
    const cls = narrow ? "preview-open" : "no-preview";
    document.body.classList.toggle(cls);
    const open = narrow ? document.body.classList.contains("preview-open") : !document.body.classList.contains("no-preview");
    $("#toggle-preview").setAttribute("aria-expanded", String(open));
    if (open) updatePreview(true);
  });
  $("#jump-summary").addEventListener("click", () => $("#summary").scrollIntoView({ behavior: "smooth" }));
  // a reload or a closed tab keeps what was typed: the draft is written at once
  window.addEventListener("pagehide", writeDraft);
}

document.addEventListener("DOMContentLoaded", () => {
  wire();
  start();
});
