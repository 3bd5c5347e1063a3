// Veil review page. Plain JavaScript, no framework, nothing loaded from
// elsewhere. Document text is only ever put into the page as text nodes
// (never as HTML), and nothing is stored in the browser.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const el = (tag, props, ...kids) => {
    const e = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (k === "class") e.className = v;
        else if (k === "text") e.textContent = v;
        else if (k.startsWith("data-") || k.startsWith("aria-") || k === "role" || k === "title") e.setAttribute(k, v);
        else e[k] = v;
      }
    }
    for (const kid of kids) if (kid != null) e.append(kid);
    return e;
  };

  const groups = {
    PERSON: "person",
    LOCATION: "place", ADDRESS: "place", ZIP: "place",
    ORGANIZATION: "org",
    DATE: "date", BIRTH_DATE: "date", AGE: "date",
    PHONE: "contact", FAX: "contact", EMAIL: "contact", URL: "contact", IP_ADDRESS: "contact",
    CUSTOM_TERM: "other", DEMOGRAPHIC: "other", OTHER: "other",
  };
  const cat = (entity) => "cat-" + (groups[entity] || "number");

  const state = {
    kase: null,     // the case: documents and categories
    doc: null,      // the open document (payload of /api/doc/N)
    items: [],      // what j/k walk through, in reading order
    current: -1,    // index in items
    selection: null, // {part, start, end, text} of the text selected for an addition
    finished: false,
  };

  function say(msg) {
    const s = $("status");
    s.textContent = "";
    // A new node each time, so that screen readers announce a repeat.
    window.setTimeout(() => { s.textContent = msg; }, 30);
  }

  async function api(path, body) {
    const opts = { credentials: "same-origin", headers: {} };
    if (body !== undefined) {
      opts.method = "POST";
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const r = await fetch(path, opts);
    if (!r.ok) {
      const t = (await r.text()).trim();
      throw new Error(t || r.statusText);
    }
    return r.json();
  }

  // ---- documents ------------------------------------------------------

  async function loadCase() {
    state.kase = await api("api/case");
    renderNav();
    renderCategories();
    if (state.kase.dropped > 0) {
      say(state.kase.dropped + " earlier decisions were dropped: their files changed since.");
    }
  }

  function renderNav() {
    const k = state.kase;
    const ol = $("docs");
    ol.textContent = "";
    let reviewed = 0, items = 0, decided = 0;
    for (const d of k.docs) {
      reviewed += d.reviewed ? 1 : 0;
      items += d.items;
      decided += d.decided;
      const count = d.status === "quarantined"
        ? "not written: " + (d.format || "unsupported")
        : d.decided + " of " + d.items + " decided" + (!d.reviewed && d.fresh ? ", " + d.fresh + " new" : "") + (d.added ? ", " + d.added + " added" : "");
      const b = el("button", { type: "button", "data-doc": String(d.index) },
        el("span", { class: "key", text: d.key }),
        el("span", { class: "count" },
          d.reviewed ? el("span", { class: "done", text: "✓ reviewed · " }) : null,
          count));
      if (state.doc && state.doc.index === d.index) b.setAttribute("aria-current", "page");
      b.addEventListener("click", () => openDoc(d.index, true));
      ol.append(el("li", null, b));
    }
    $("progress").textContent = reviewed + " of " + k.docs.length + " documents reviewed · " +
      decided + " of " + items + " proposals decided" + (k.reviewer ? " · reviewer " + k.reviewer : "");
    $("progress").setAttribute("data-reviewed", String(reviewed));
  }

  function renderCategories() {
    const sel = $("add-cat");
    sel.textContent = "";
    for (const c of state.kase.categories) {
      sel.append(el("option", { value: c.entity, text: c.description + " (" + c.entity + ", " + c.action + ")" }));
    }
    const person = state.kase.categories.find((c) => c.entity === "PERSON");
    if (person) sel.value = "PERSON";
  }

  async function openDoc(i, focus) {
    try {
      const d = await api("api/doc/" + i);
      setDoc(d, null);
      if (focus) $("doc").focus();
      // Start at what needs reading most: the least certain new value.
      const order = freshOrder();
      const first = order.length ? order[0] : state.items.findIndex((it) => it.kind === "change" && !verdictOf(it));
      select(first >= 0 ? first : (state.items.length ? 0 : -1), true);
      say("Opened " + d.key + ": " + countText());
    } catch (e) {
      say("Could not open the document: " + e.message);
    }
  }

  function countText() {
    const changes = state.items.filter((it) => it.kind === "change");
    const open = changes.filter((it) => !verdictOf(it)).length;
    const fresh = changes.filter(isFresh).length;
    return changes.length + " proposals, " + open + " not decided, " + fresh + " new (n goes through them, least certain first)";
  }

  // isFresh: a proposal not decided here and not checked in another
  // document: what a reviewer has to read in this one.
  function isFresh(it) {
    return it.kind === "change" && !verdictOf(it) && !it.seen;
  }

  // freshOrder returns the indexes of the fresh items, least certain
  // (lowest score) first, then in reading order.
  function freshOrder() {
    const score = (it) => Math.min(...it.refs.map((r) => r.score));
    return state.items.filter(isFresh).sort((x, y) => (score(x) - score(y)) || (x.index - y.index)).map((it) => it.index);
  }

  // setDoc shows document d; keepKey keeps the current item.
  function setDoc(d, keepKey) {
    state.doc = d;
    buildItems();
    renderDoc();
    renderNavCurrent();
    let idx = keepKey ? state.items.findIndex((it) => it.key === keepKey) : -1;
    state.current = -1;
    if (idx >= 0) select(idx, false);
    else renderItem();
    $("reviewed").setAttribute("aria-pressed", d.reviewed ? "true" : "false");
    $("reviewed").firstChild.textContent = d.reviewed ? "Reviewed (undo) " : "Mark reviewed, next document ";
  }

  function renderNavCurrent() {
    for (const b of $("docs").querySelectorAll("button")) {
      if (state.doc && b.getAttribute("data-doc") === String(state.doc.index)) b.setAttribute("aria-current", "page");
      else b.removeAttribute("aria-current");
    }
  }

  // Items: one per distinct proposed value (all its places), per value the
  // profile keeps, and per added value, in reading order.
  function buildItems() {
    const d = state.doc;
    const byKey = new Map();
    const add = (kind, key, part, start, end, ref) => {
      const k = kind + "\u0001" + key;
      let it = byKey.get(k);
      if (!it) {
        it = { kind, key, places: [], refs: [] };
        byKey.set(k, it);
      }
      it.places.push({ part, start, end });
      it.refs.push(ref);
    };
    for (const c of d.changes) add("change", c.key, c.part, c.start, c.end, c);
    for (const it of byKey.values()) it.seen = (d.elsewhere || {})[it.key] || 0;
    for (const k of d.kept) add("kept", k.key, k.part, k.start, k.end, k);
    for (const a of d.adds) for (const s of a.spans) add("add", a.key, s.part, s.start, s.end, a);
    for (const a of d.adds) if (!a.spans.length) add("add", a.key, -1, 0, 0, a);
    state.items = [...byKey.values()];
    const pos = (it) => it.places[0];
    state.items.sort((x, y) => (pos(x).part - pos(y).part) || (pos(x).start - pos(y).start));
    state.items.forEach((it, i) => { it.index = i; });
  }

  function verdictOf(it) {
    const v = state.doc.verdicts[it.key];
    return v ? v.verdict : "";
  }

  function markState(it) {
    if (it.kind === "add") return "add";
    if (it.kind === "kept") return "";
    const v = verdictOf(it);
    return v === "accept" || v === "reject" ? v : "";
  }

  function renderDoc() {
    const d = state.doc;
    $("doc-title").textContent = d.key;
    const meta = [d.format || "unknown format"];
    if (d.status === "quarantined") meta.push("would NOT be written");
    else if (d.output_key && d.output_key !== d.key) meta.push("written as " + d.output_key);
    if (d.pages) meta.push(d.pages + (d.pages === 1 ? " page" : " pages"));
    $("doc-meta").textContent = meta.join(" · ");
    const warn = $("doc-warn");
    warn.textContent = "";
    if (d.status === "quarantined") {
      warn.append(el("p", { class: "warn", text: "This file would not be written: " + (d.reason || "") + (d.detail ? " (" + d.detail + ")" : "") }));
    }
    for (const n of d.notes || []) warn.append(el("p", { class: "note", text: n }));
    const body = $("doc-body");
    body.textContent = "";
    // Marks by part, without overlaps: additions first (a reviewer's
    // addition covers what it overlaps, as in the run), then proposals.
    const marks = d.parts.map(() => []);
    const claim = (part, start, end, it, extra) => {
      if (part < 0) return;
      const list = marks[part];
      if (list.some((m) => m.start < end && start < m.end)) return;
      list.push({ start, end, it, extra });
    };
    for (const it of state.items) if (it.kind === "add") it.places.forEach((p, i) => claim(p.part, p.start, p.end, it, it.refs[i]));
    for (const it of state.items) if (it.kind === "change") it.refs.forEach((c) => claim(c.part, c.start, c.end, it, c));
    for (const it of state.items) if (it.kind === "kept") it.places.forEach((p, i) => claim(p.part, p.start, p.end, it, it.refs[i]));
    d.parts.forEach((part, pi) => {
      const pre = renderPart(part, pi, marks[pi]);
      const label = d.parts.length > 1 ? el("h3", { class: "part-name", text: part.name }) : null;
      if (label) body.append(label);
      if (d.images && part.page > 0) {
        body.append(el("div", { class: "page-row" }, renderPage(part.page, pi), el("div", null, pre)));
      } else {
        body.append(pre);
      }
    });
    if (!d.parts.length) body.append(el("p", { text: "No text to show." }));
    renderStill();
  }

  function renderPart(part, pi, list) {
    list.sort((a, b) => a.start - b.start);
    const pre = el("pre", { class: "part", "data-part": String(pi), tabIndex: 0, "aria-label": "Text of " + part.name });
    let at = 0;
    const text = part.text;
    for (const m of list) {
      if (m.start > at) pre.append(document.createTextNode(text.slice(at, m.start)));
      const it = m.it;
      const mk = el("mark", { class: "m " + (it.kind === "kept" ? "kept" : cat(m.extra.entity)), "data-item": String(it.index) });
      const st = markState(it);
      if (st) mk.setAttribute("data-state", st);
      if (it.kind === "change") {
        mk.setAttribute("data-repl", m.extra.replacement || "(removed)");
        mk.setAttribute("title", m.extra.description + ", " + m.extra.rule + (it.seen ? "; checked in " + plural(it.seen, "other document") : ""));
        if (it.seen && !st) mk.setAttribute("data-seen", String(it.seen));
      } else if (it.kind === "kept") {
        mk.setAttribute("title", "Could still identify: " + m.extra.description + ", left by the profile");
      } else {
        mk.setAttribute("title", "Added by you: " + m.extra.description);
      }
      mk.textContent = text.slice(m.start, m.end);
      mk.addEventListener("click", () => select(it.index, false));
      pre.append(mk);
      at = m.end;
    }
    if (at < text.length) pre.append(document.createTextNode(text.slice(at)));
    return pre;
  }

  function renderPage(page, pi) {
    const d = state.doc;
    const img = el("img", { src: "page/" + d.index + "/" + page + ".png", alt: "Page " + page + " of " + d.key + " as it is now, with the proposed redactions outlined" });
    const wrap = el("div", { class: "page" }, img);
    const boxFor = (it, b, entity) => {
      const div = el("div", { class: "box " + (it.kind === "kept" ? "kept" : cat(entity)), "data-item": String(it.index), "aria-hidden": "true" });
      div.style.left = (b.x0 * 100) + "%";
      div.style.top = (b.y0 * 100) + "%";
      div.style.width = ((b.x1 - b.x0) * 100) + "%";
      div.style.height = ((b.y1 - b.y0) * 100) + "%";
      const st = markState(it);
      if (st) div.setAttribute("data-state", st);
      div.addEventListener("click", () => select(it.index, false));
      wrap.append(div);
    };
    for (const it of state.items) {
      for (const r of it.refs) {
        if (r.part === pi && r.boxes) for (const b of r.boxes) boxFor(it, b, r.entity);
      }
    }
    return wrap;
  }

  function renderStill() {
    const d = state.doc;
    const box = $("still");
    box.textContent = "";
    const ul = el("ul", { class: "still-list" });
    for (const n of state.kase.notices || []) ul.append(el("li", { text: n }));
    for (const it of state.items.filter((x) => x.kind === "kept")) {
      const k = it.refs[0];
      const b = el("button", { type: "button", text: "Show" });
      b.addEventListener("click", () => select(it.index, true));
      ul.append(el("li", null, el("span", { class: "value", text: k.value }), " · " + k.description + " (kept by the profile, " + it.places.length + "×) ", b));
    }
    if (!ul.children.length) ul.append(el("li", { text: "Nothing found that the profile keeps." }));
    box.append(ul);
  }

  // ---- the current item -------------------------------------------------

  function select(i, scroll) {
    if (i < 0 || i >= state.items.length) {
      state.current = -1;
      renderItem();
      return;
    }
    for (const e of document.querySelectorAll(".current")) e.classList.remove("current");
    state.current = i;
    const marks = document.querySelectorAll('[data-item="' + i + '"]');
    marks.forEach((m) => m.classList.add("current"));
    if (scroll && marks.length) marks[0].scrollIntoView({ block: "center", behavior: "instant" });
    renderItem();
  }

  function renderItem() {
    const body = $("item-body");
    body.textContent = "";
    const it = state.items[state.current];
    const can = { accept: false, reject: false, undo: false };
    if (!it) {
      $("item-title").textContent = "Proposal";
      body.append(el("p", { text: state.items.length ? "Nothing selected: press j." : "Nothing proposed in this document." }));
    } else {
      const r = it.refs[0];
      const v = state.doc.verdicts[it.key];
      const dl = el("dl");
      const row = (k, val) => dl.append(el("dt", { text: k }), el("dd", null, val));
      if (it.kind === "change") {
        $("item-title").textContent = "Proposal " + (state.items.filter((x) => x.kind === "change").indexOf(it) + 1) + " of " + state.items.filter((x) => x.kind === "change").length;
        row("Text", el("span", { class: "value", text: r.value }));
        row("Becomes", el("span", { class: "value", text: r.replacement || "(removed)" }));
        row("Category", r.description + " (" + r.entity + ")");
        row("Rule", r.rule + ", score " + r.score);
        row("Action", r.action + (r.basis ? "; " + r.basis : ""));
        row("Places", it.places.length + " in this document");
        row("Elsewhere", it.seen ? "checked in " + plural(it.seen, "other document") + " (accepted or left as proposed)" : "new: not checked in another document");
        row("Decision", decisionText(v));
        can.accept = can.reject = true;
      } else if (it.kind === "kept") {
        $("item-title").textContent = "Could still identify";
        row("Text", el("span", { class: "value", text: r.value }));
        row("Category", r.description + " (" + r.entity + "), kept by the profile");
        row("Rule", r.rule + ", score " + r.score);
        row("Places", it.places.length + " in this document");
        body.append(dl, el("p", { text: "To redact it, choose a category under Add a redaction and press Add (x)." }));
        setAddValue({ kept: r.id, text: r.value });
      } else {
        $("item-title").textContent = "Added by you";
        row("Text", el("span", { class: "value", text: r.value }));
        row("Category", r.description + " (" + r.entity + ")");
        row("Where", r.scope === "case" ? "everywhere in the case" : "this document");
        row("Places", it.places.filter((p) => p.part >= 0).length + " in this document");
      }
      if (it.kind !== "kept") body.prepend(dl);
      can.undo = !!v;
    }
    $("accept").disabled = !can.accept;
    $("reject").disabled = !can.reject;
    $("reject-case").disabled = !can.reject;
    $("undo").disabled = !can.undo;
  }

  function decisionText(v) {
    if (!v) return el("span", { text: "not decided (applied as proposed)" });
    const where = v.scope === "case" ? " everywhere in the case" : "";
    const from = v.here ? "" : " (decided in another document)";
    if (v.verdict === "accept") return el("span", { class: "state-accept", text: "✓ accepted" + where + from });
    if (v.verdict === "reject") return el("span", { class: "state-reject", text: "rejected: kept as written" + where + from });
    return el("span", { text: v.verdict + where + from });
  }

  function move(step) {
    if (!state.items.length) return;
    let i = state.current + step;
    if (i < 0) i = 0;
    if (i >= state.items.length) {
      say("That was the last proposal of this document: m marks it reviewed.");
      i = state.items.length - 1;
    }
    select(i, true);
  }

  // nextUndecided selects the next proposal without a decision, and
  // reports whether there is one.
  function nextUndecided() {
    const open = (i) => state.items[i].kind === "change" && !verdictOf(state.items[i]);
    for (let i = state.current + 1; i < state.items.length; i++) if (open(i)) { select(i, true); return true; }
    for (let i = 0; i <= state.current && i < state.items.length; i++) if (open(i)) { select(i, true); return true; }
    return false;
  }

  // nextFresh selects the next new proposal, least certain first.
  function nextFresh() {
    const order = freshOrder();
    if (!order.length) {
      say("Nothing new left in this document: M accepts the rest, marks it reviewed and opens the next one.");
      return false;
    }
    const at = order.indexOf(state.current);
    select(order[(at + 1) % order.length], true);
    return true;
  }

  function plural(n, what) {
    return n === 1 ? "1 " + what : n + " " + what + "s";
  }

  const allDecided = " Every proposal of this document is decided: m marks it reviewed and opens the next.";

  // ---- decisions ----------------------------------------------------------

  async function post(path, body) {
    if (state.finished) return null;
    try {
      return await api(path, body);
    } catch (e) {
      say("Not done: " + e.message);
      return null;
    }
  }

  async function decide(verdict, scope) {
    const it = state.items[state.current];
    if (!it || it.kind !== "change") return;
    const res = await post("api/decide", { doc: state.doc.index, verdict, scope, change: it.refs[0].id });
    if (!res) return;
    setDoc(res.doc, it.key);
    await refreshNav();
    // On to the least certain new value, else the next one not decided.
    const order = freshOrder();
    if (order.length) select(order[0], true);
    say(res.message + (order.length || nextUndecided() ? "" : "." + allDecided));
  }

  async function undo() {
    const it = state.items[state.current];
    if (!it || !state.doc.verdicts[it.key]) return;
    const res = await post("api/decide", { doc: state.doc.index, verdict: "undo", key: it.key });
    if (!res) return;
    setDoc(res.doc, it.kind === "add" ? null : it.key);
    say(res.message);
    await refreshNav();
  }

  async function acceptRest() {
    const res = await post("api/decide", { doc: state.doc.index, verdict: "accept-rest" });
    if (!res) return;
    setDoc(res.doc, null);
    say(res.message + "." + allDecided);
    await refreshNav();
  }

  function setAddValue(sel) {
    state.selection = sel;
    $("add-value").textContent = sel ? "Selected: “" + sel.text + "”" : "Select text in the document first.";
  }

  // The selection inside one part, as UTF-16 offsets of the part's text.
  function readSelection() {
    const s = window.getSelection();
    if (!s || s.rangeCount === 0 || s.isCollapsed) return null;
    const r = s.getRangeAt(0);
    const preOf = (n) => (n.nodeType === 1 ? n : n.parentElement).closest("pre.part");
    const pre = preOf(r.startContainer);
    if (!pre || pre !== preOf(r.endContainer)) return null;
    const offset = (node, off) => {
      const pr = document.createRange();
      pr.setStart(pre, 0);
      pr.setEnd(node, off);
      return pr.toString().length;
    };
    const start = offset(r.startContainer, r.startOffset);
    const end = offset(r.endContainer, r.endOffset);
    if (end <= start) return null;
    return { part: Number(pre.getAttribute("data-part")), start, end, text: r.toString() };
  }

  document.addEventListener("selectionchange", () => {
    const sel = readSelection();
    if (sel) setAddValue(sel);
  });

  async function addRedaction(everywhere) {
    const sel = state.selection;
    if (!sel) {
      say("Select the text to redact first (with the mouse, or Shift and the arrow keys in the text).");
      return;
    }
    const scope = everywhere || $("add-case").checked ? "case" : "document";
    const body = { doc: state.doc.index, verdict: "add", scope, entity: $("add-cat").value };
    if (sel.kept !== undefined) body.kept = sel.kept;
    else Object.assign(body, { part: sel.part, start: sel.start, end: sel.end });
    const res = await post("api/decide", body);
    if (!res) return;
    window.getSelection().removeAllRanges();
    setAddValue(null);
    $("add-case").checked = false;
    const cur = state.items[state.current];
    setDoc(res.doc, cur ? cur.key : null);
    say(res.message);
    await refreshNav();
  }

  // acceptRestReviewed: accept every proposal not decided, mark the
  // document reviewed, open the next one not reviewed (M).
  async function acceptRestReviewed() {
    if (state.doc.reviewed) {
      say("This document is already marked reviewed.");
      return;
    }
    const res = await post("api/decide", { doc: state.doc.index, verdict: "accept-rest" });
    if (!res) return;
    setDoc(res.doc, null);
    await toggleReviewed(res.message + ". ");
  }

  async function toggleReviewed(before) {
    const now = !state.doc.reviewed;
    const res = await post("api/reviewed", { doc: state.doc.index, reviewed: now });
    if (!res) return;
    setDoc(res.doc, state.items[state.current] ? state.items[state.current].key : null);
    say((typeof before === "string" ? before : "") + res.message);
    await refreshNav();
    if (now) {
      const next = state.kase.docs.find((d) => !d.reviewed && d.index > state.doc.index) || state.kase.docs.find((d) => !d.reviewed);
      if (next) openDoc(next.index, true);
      else say("Every document is reviewed. Finish review saves the decisions and stops the page.");
    }
  }

  async function refreshNav() {
    try {
      state.kase = await api("api/case");
      renderNav();
    } catch (e) {
      say("Could not refresh the list: " + e.message);
    }
  }

  function openRelative(step) {
    if (!state.kase || !state.doc) return;
    const i = state.doc.index + step;
    if (i >= 0 && i < state.kase.docs.length) openDoc(i, true);
  }

  async function save() {
    const res = await post("api/save", {});
    if (res) say(res.message);
  }

  async function finish() {
    if (!window.confirm("Finish the review? The decisions are saved and this page stops.")) return;
    const res = await post("api/finish", {});
    if (!res) return;
    say(res.message);
    if (res.saved) {
      state.finished = true;
      for (const b of document.querySelectorAll("button")) b.disabled = true;
      $("progress").textContent = "Review finished. Apply the decisions with veil run --decisions (the terminal shows the command).";
    }
  }

  // ---- keys -----------------------------------------------------------------

  const help = $("help");
  const showHelp = () => { if (!help.open) help.showModal(); };
  $("help-open").addEventListener("click", showHelp);
  $("help-close").addEventListener("click", () => help.close());

  document.addEventListener("keydown", (ev) => {
    if (ev.defaultPrevented || ev.altKey || ev.metaKey || help.open) return;
    if (ev.ctrlKey) {
      if (ev.key === "s") { ev.preventDefault(); save(); }
      return;
    }
    const t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
    const actions = {
      j: () => move(1), k: () => move(-1),
      a: () => decide("accept", "document"),
      r: () => decide("reject", "document"), R: () => decide("reject", "case"),
      u: undo,
      x: () => addRedaction(false), X: () => addRedaction(true),
      A: acceptRest, m: toggleReviewed, M: acceptRestReviewed, n: nextFresh,
      "]": () => openRelative(1), "[": () => openRelative(-1),
      s: save, "?": showHelp,
    };
    const f = actions[ev.key];
    if (f && state.doc) {
      ev.preventDefault();
      f();
    } else if (ev.key === "?") {
      ev.preventDefault();
      showHelp();
    }
  });

  $("accept").addEventListener("click", () => decide("accept", "document"));
  $("reject").addEventListener("click", () => decide("reject", "document"));
  $("reject-case").addEventListener("click", () => decide("reject", "case"));
  $("undo").addEventListener("click", undo);
  $("prev").addEventListener("click", () => move(-1));
  $("next").addEventListener("click", () => move(1));
  $("add").addEventListener("click", () => addRedaction(false));
  $("accept-rest").addEventListener("click", acceptRest);
  $("reviewed").addEventListener("click", () => toggleReviewed());
  $("accept-rest-reviewed").addEventListener("click", acceptRestReviewed);
  $("next-new").addEventListener("click", nextFresh);
  $("save").addEventListener("click", save);
  $("finish").addEventListener("click", finish);

  loadCase().then(() => {
    if (state.kase.docs.length) openDoc(0, false);
    else say("The source holds no files.");
  }).catch((e) => say("Could not load the case: " + e.message));
})();
