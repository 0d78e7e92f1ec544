// hdgovreport serve — the form page: drawing the form: metadata, the narrative lists, Tables 2-4 and the fee figures.
//
// Plain JavaScript in four classic scripts sharing one global scope, loaded in order
// (core.js, form.js, checks.js, app.js): no build step, no library, nothing fetched from
// anywhere but this server.  The tables are drawn from the grids the server sends
// (/api/layout: the official edition's document tree); every official label and every
// message comes from the server.  User text is only ever set with textContent or as an
// input's value, never as HTML.
"use strict";

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
