// hdgovreport serve — the form page.
//
// Plain JavaScript, no build step, no library, nothing fetched from anywhere but this
// server.  The tables are drawn from the grids the server sends (/api/layout: the
// official edition's document tree); every official label and every message comes from
// the server.  User text is only ever set with textContent or as an input's value, never
// as HTML.
"use strict";

(() => {
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

  // ------------------------------------------------------------ drawing the form

  function render() {
    const fields = $("#fields");
    fields.replaceChildren(
      metaCard(),
      listCard("opening", L.words.opening, S.opening, "段落"),
      ...L.sections.map((section) => (section.kind === "narrative" ? narrativeCard(section) : tableCard(section)))
    );
    for (const area of $$("textarea", fields)) autosize(area);
    applyMarks();
  }

  function metaCard() {
    const m = S.meta;
    const W = L.words;
    const field = (key, control, wide = false) =>
      el("label", { class: wide ? "wide" : "" }, W[key], control);
    const text = (key, props = {}) =>
      bindInput(el("input", { type: "text", dataset: { path: `meta.${key}` }, ...props }), () => m[key], (v) => { m[key] = v; });
    const edition = el("select", { dataset: { path: "meta.edition" } },
      L.editions.map((e) => el("option", { value: e, text: e })));
    edition.value = m.edition;
    edition.addEventListener("change", () => switchEdition(edition.value));
    const kind = el("select", { dataset: { path: "meta.kind" } }, W.kinds.map((k) => el("option", { value: k, text: k })));
    kind.value = m.kind;
    kind.addEventListener("change", () => { m.kind = kind.value; changed(); });
    const published = bindInput(el("input", { type: "date", dataset: { path: "meta.published" } }), () => m.published, (v) => { m.published = v; });
    return el("section", { class: "card", id: "card-meta" },
      el("h2", { text: "基本信息" }),
      el("p", { class: "report-title", id: "report-title" }),
      el("div", { class: "meta-grid" },
        field("agency", text("agency"), true),
        field("year", text("year", { inputmode: "numeric", autocomplete: "off" })),
        field("kind", kind),
        field("edition", edition),
        field("published", published),
        field("website", text("website", { inputmode: "url" })),
        field("contact", text("contact"))
      ),
      el("div", { class: "field-notes", dataset: { notesFor: "meta" } })
    );
  }

  // A list of paragraphs (opening, a section's 导语, the text before or after a table).
  function paragraphList(path, list, what) {
    const box = el("div", { class: "list", dataset: { list: path } });
    const redraw = (focus) => {
      const fresh = paragraphList(path, list, what);
      box.replaceWith(fresh);
      afterRedraw(fresh, focus);
    };
    list.forEach((_, i) => {
      const area = bindInput(
        el("textarea", { rows: 1, dataset: { path: `${path}.${i}` }, "aria-label": `${what} ${i + 1}` }),
        () => list[i], (v) => { list[i] = v; });
      enterAddsItem(area, () => { list.splice(i + 1, 0, ""); redraw(`${path}.${i + 1}`); changed(); });
      box.append(el("div", { class: "item" },
        el("span", { class: "number", text: `${i + 1}.` }),
        el("div", { class: "body" }, area, notesBox(`${path}.${i}`)),
        itemTools(list, i, redraw, path)));
    });
    box.append(el("div", { class: "list-tools" },
      button(`＋ ${what}`, () => { list.push(""); redraw(`${path}.${list.length - 1}`); changed(); }, { class: "small" })));
    return box;
  }

  function listCard(path, title, list, what) {
    return el("section", { class: "card", id: `card-${path}` }, el("h2", { text: title }), paragraphList(path, list, what));
  }

  function itemTools(list, i, redraw, path) {
    const move = (to) => () => {
      if (to < 0 || to >= list.length) return;
      const [item] = list.splice(i, 1);
      list.splice(to, 0, item);
      redraw(`${path}.${to}`);
      changed();
    };
    return el("div", { class: "tools" },
      button("↑", move(i - 1), { class: "icon", title: "上移", "aria-label": "上移", disabled: i === 0 }),
      button("↓", move(i + 1), { class: "icon", title: "下移", "aria-label": "下移", disabled: i === list.length - 1 }),
      button("✕", () => { list.splice(i, 1); redraw(i > 0 ? `${path}.${i - 1}` : null); changed(); },
        { class: "icon", title: "删除", "aria-label": "删除" }));
  }

  // Enter in a paragraph adds the next one (a paragraph is one line in the data file).
  function enterAddsItem(area, add) {
    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        add();
      }
    });
  }

  function afterRedraw(root, focus) {
    for (const area of $$("textarea", root)) autosize(area);
    applyMarks();
    if (focus) {
      const target = $(`[data-path="${CSS.escape(focus)}"]`);
      if (target) target.focus();
    }
  }

  function notesBox(path) {
    return el("div", { class: "field-notes", dataset: { notesFor: path } });
  }

  // ---- sections 1, 5, 6

  function narrativeCard(section) {
    const attr = section.attr;
    const n = S.narratives[attr];
    const card = el("section", { class: "card narrative", id: `card-${attr}` }, el("h2", { text: section.heading }), notesBox(attr));
    card.append(el("div", { class: "group-label", text: L.words.intro }), paragraphList(`${attr}.intro`, n.intro, "段落"));
    card.append(el("div", { class: "group-label", text: L.words.subsections }), subsectionList(attr, n.subsections));
    if (attr === "other_matters") card.append(feeTable());
    return card;
  }

  function subsectionList(attr, subs) {
    const box = el("div", { class: "subsections", dataset: { list: `${attr}.subsections` } });
    const redraw = (focus) => {
      const fresh = subsectionList(attr, subs);
      box.replaceWith(fresh);
      afterRedraw(fresh, focus);
    };
    const listId = `suggest-${attr}`;
    const suggested = L.suggested[attr] || [];
    if (suggested.length) box.append(el("datalist", { id: listId }, suggested.map((t) => el("option", { value: t }))));
    subs.forEach((sub, s) => box.append(subsectionCard(attr, subs, s, redraw, suggested.length ? listId : null)));
    box.append(el("div", { class: "list-tools" },
      button("＋ 小节", () => {
        subs.push({ title: "", point_style: L.point_styles[0], content: [], highlights: [] });
        redraw(`${attr}.subsections.${subs.length - 1}.title`);
        changed();
      }, { class: "small" })));
    return box;
  }

  function subsectionCard(attr, subs, s, redraw, datalist) {
    const sub = subs[s];
    const path = `${attr}.subsections.${s}`;
    const title = bindInput(el("input", { type: "text", dataset: { path: `${path}.title` }, list: datalist, "aria-label": L.words.title }),
      () => sub.title, (v) => { sub.title = v; });
    const style = el("select", { dataset: { path: `${path}.point_style` }, "aria-label": L.words.point_style, title: L.words.point_style },
      L.point_styles.map((p) => el("option", { value: p, text: p })));
    style.value = sub.point_style;
    style.addEventListener("change", () => { sub.point_style = style.value; redraw(`${path}.point_style`); changed(); });
    const move = (to) => () => {
      if (to < 0 || to >= subs.length) return;
      const [item] = subs.splice(s, 1);
      subs.splice(to, 0, item);
      redraw(`${attr}.subsections.${to}.title`);
      changed();
    };
    const remove = async () => {
      const filled = sub.title.trim() || sub.content.some((b) => b.text.trim());
      if (filled && !(await ask(`删除小节“${sub.title || L.numbering.subsection[s]}”及其中的 ${sub.content.length} 项内容？`, [["删除", true, true], ["取消", false]]))) return;
      subs.splice(s, 1);
      redraw(null);
      changed();
    };
    const card = el("div", { class: "subsection", dataset: { path } },
      el("div", { class: "sub-head" },
        el("span", { class: "number", text: numbered(L.numbering.subsection, s) }),
        title,
        style,
        el("div", { class: "tools" },
          button("↑", move(s - 1), { class: "icon", title: "上移小节", "aria-label": "上移小节", disabled: s === 0 }),
          button("↓", move(s + 1), { class: "icon", title: "下移小节", "aria-label": "下移小节", disabled: s === subs.length - 1 }),
          button("✕", remove, { class: "icon", title: "删除小节", "aria-label": "删除小节" }))),
      notesBox(`${path}.title`), notesBox(path));
    card.append(contentList(path, sub, redraw));
    if (attr === "overview") card.append(highlightList(path, sub, redraw));
    return card;
  }

  function numbered(list, i) {
    return list[i] || `${i + 1}.`;
  }

  function contentList(path, sub, redraw) {
    const box = el("div", { class: "list" });
    const list = sub.content;
    let points = 0;
    list.forEach((block, b) => {
      const number = block.kind === "point" ? numbered(L.numbering.point[sub.point_style] || [], points++) : "";
      const kind = el("select", { class: "kind", "aria-label": "类型" },
        el("option", { value: "point", text: L.words.point }), el("option", { value: "paragraph", text: L.words.paragraph }));
      kind.value = block.kind;
      kind.addEventListener("change", () => { block.kind = kind.value; redraw(`${path}.content.${b}`); changed(); });
      const area = bindInput(el("textarea", { rows: 1, dataset: { path: `${path}.content.${b}` }, "aria-label": L.words[block.kind] }),
        () => block.text, (v) => { block.text = v; });
      enterAddsItem(area, () => { list.splice(b + 1, 0, { kind: block.kind, text: "" }); redraw(`${path}.content.${b + 1}`); changed(); });
      box.append(el("div", { class: "item" },
        el("span", { class: "number", text: number }),
        el("div", { class: "body" }, el("div", { class: "kind-row" }, kind, area), notesBox(`${path}.content.${b}`)),
        itemTools(list, b, redraw, `${path}.content`)));
    });
    box.append(el("div", { class: "list-tools" },
      button(`＋ ${L.words.point}`, () => { list.push({ kind: "point", text: "" }); redraw(`${path}.content.${list.length - 1}`); changed(); }, { class: "small" }),
      button(`＋ ${L.words.paragraph}`, () => { list.push({ kind: "paragraph", text: "" }); redraw(`${path}.content.${list.length - 1}`); changed(); }, { class: "small" })));
    return box;
  }

  function highlightList(path, sub, redraw) {
    const W = L.words;
    const box = el("div", { class: "highlights" }, el("div", { class: "group-label", text: `${W.highlights}（图解版）` }));
    sub.highlights.forEach((h, i) => {
      const p = `${path}.highlights.${i}`;
      const input = (key, label) => bindInput(el("input", { type: "text", dataset: { path: `${p}.${key}` }, placeholder: label, "aria-label": label }), () => h[key], (v) => { h[key] = v; });
      box.append(el("div", { class: "highlight" },
        input("figure", W.figure), input("unit", W.unit), input("label", W.label),
        button("✕", () => { sub.highlights.splice(i, 1); redraw(null); changed(); }, { class: "icon", title: "删除", "aria-label": "删除" })),
      notesBox(`${p}.figure`), notesBox(`${p}.unit`), notesBox(`${p}.label`));
    });
    box.append(el("div", { class: "list-tools" },
      button(`＋ ${W.highlights}`, () => { sub.highlights.push({ figure: "", unit: "", label: "" }); redraw(`${path}.highlights.${sub.highlights.length - 1}.figure`); changed(); }, { class: "small" })));
    return box;
  }

  // ---- Tables 2, 3, 4 and the fee figures

  function tableCard(section) {
    const attr = section.attr;
    const table = L.tables.find((t) => t.section === attr);
    const intro = S.texts[`${attr}.intro`];
    const notes = S.texts[`${attr}.notes`];
    return el("section", { class: `card table-card ${attr === "review_litigation" ? "review" : ""}`, id: `card-${attr}` },
      el("h2", { text: section.heading }), notesBox(attr),
      el("div", { class: "group-label", text: "表前文字" }), paragraphList(`${attr}.intro`, intro, "段落"),
      el("div", { class: "table-wrap" }, drawTable(table)),
      el("div", { class: "group-label", text: "表后文字" }), paragraphList(`${attr}.notes`, notes, "段落"));
  }

  // Every row of values is followed by a row for its messages (hidden while empty), so a
  // message stands right under its cell; row groups span their rows' message rows too.
  function drawTable(t) {
    const total = t.widths.reduce((a, b) => a + b, 0);
    const columns = t.widths.length;
    const table = el("table", { class: "official", id: `form-${t.id}`, dataset: { table: t.name } },
      el("caption", { class: "visually-hidden", text: t.caption }),
      el("colgroup", {}, t.widths.map((w) => el("col", { style: `width:${((100 * w) / total).toFixed(3)}%` }))));
    const thead = el("thead");
    for (const row of t.head) thead.append(el("tr", {}, row.map((cell) => headerCell(cell, 1))));
    table.append(thead);
    for (const body of t.bodies) {
      const tbody = el("tbody");
      for (const row of body) {
        const values = row.some((cell) => cell.field);
        const factor = values ? 2 : 1;
        tbody.append(el("tr", {}, row.map((cell) => (cell.field ? valueCell(cell) : headerCell(cell, factor)))));
        if (values) {
          const label = row.find((cell) => cell.scope === "row");
          const start = label ? label.column : 0;
          tbody.append(el("tr", { class: "notes empty" }, el("td", { colspan: columns - start })));
        }
      }
      table.append(tbody);
    }
    return table;
  }

  function headerCell(cell, factor) {
    return el("th", {
      class: cell.kind,
      colspan: cell.colspan || null,
      rowspan: cell.rowspan ? cell.rowspan * factor : null,
      scope: cell.scope || null,
      text: cell.text,
    });
  }

  function valueCell(cell) {
    const path = cell.field;
    const type = L.types[path];
    const input = bindInput(el("input", {
      type: "text",
      class: "cell",
      inputmode: type === "count" ? "numeric" : type === "signed" ? "text" : "decimal",
      autocomplete: "off",
      spellcheck: "false",
      dataset: { path, col: cell.column, span: cell.colspan || 1 },
      "aria-label": L.names[path] || path,
    }), () => S.cells[path] ?? "", (v) => { S.cells[path] = v; });
    input.addEventListener("keydown", moveInColumn);
    input.addEventListener("focus", () => previewScrollTo(path));
    const td = el("td", { class: "value", colspan: cell.colspan || null, dataset: { cell: path } }, input);
    if (L.totals.includes(path)) td.append(el("span", { class: "computed", dataset: { computedFor: path } }));
    return td;
  }

  function feeTable() {
    const fee = L.fee;
    const tbody = el("tbody");
    for (const item of fee.items) {
      const input = bindInput(el("input", {
        type: "text", class: "cell", inputmode: item.type === "count" ? "numeric" : "decimal", autocomplete: "off",
        dataset: { path: item.path, col: 1, span: 1 }, "aria-label": item.label,
      }), () => S.cells[item.path] ?? "", (v) => { S.cells[item.path] = v; });
      input.addEventListener("keydown", moveInColumn);
      tbody.append(el("tr", {}, el("th", { scope: "row", text: item.label }), el("td", { class: "value", dataset: { cell: item.path } }, input)));
      tbody.append(el("tr", { class: "notes empty" }, el("td", { colspan: 2 })));
    }
    return el("div", {},
      el("h3", { text: fee.name }),
      el("div", { class: "table-wrap" },
        el("table", { class: "official fee-table", id: "form-fee" },
          el("colgroup", {}, el("col", { style: "width:70%" }), el("col", { style: "width:30%" })), tbody)));
  }

  // Enter (and ↓) moves down the column, Shift+Enter (and ↑) up; Tab moves along the row.
  function moveInColumn(event) {
    const down = (event.key === "Enter" && !event.shiftKey) || event.key === "ArrowDown";
    const up = (event.key === "Enter" && event.shiftKey) || event.key === "ArrowUp";
    if ((!down && !up) || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const input = event.currentTarget;
    const table = input.closest("table");
    const col = Number(input.dataset.col);
    const rows = $$("tr", table).filter((tr) => $("input.cell", tr));
    let index = rows.indexOf(input.closest("tr"));
    for (index += down ? 1 : -1; index >= 0 && index < rows.length; index += down ? 1 : -1) {
      const target = $$("input.cell", rows[index]).find((i) => {
        const start = Number(i.dataset.col);
        return start <= col && col < start + Number(i.dataset.span);
      });
      if (target) {
        target.focus();
        target.select();
        return;
      }
    }
  }

  // ------------------------------------------------------------ switching edition

  // Cells the two editions share keep their values; the others wait in `stash` for a switch back.
  async function switchEdition(edition) {
    const layout = await loadLayout(edition);
    const everything = { ...stash, ...S.cells };
    const cells = {};
    for (const path of Object.keys(layout.types)) cells[path] = everything[path] ?? "";
    stash = {};
    for (const [path, value] of Object.entries(everything)) if (!(path in cells)) stash[path] = value;
    S.meta.edition = edition;
    S.cells = cells;
    L = layout;
    render();
    changed();
  }

  async function loadLayout(edition) {
    if (!layouts[edition]) layouts[edition] = (await call("/api/layout", { params: { edition } })).data;
    return layouts[edition];
  }

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
})();
