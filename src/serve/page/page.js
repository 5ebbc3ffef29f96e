// quorum's search page: the state lives in the URL (/?q=…&lang=&type=&year=&sort=&cross=1&page=,
// and doc=…&dlang=…&at=N for an open document), so links, reloads and the back button work.
"use strict";

const LIMIT = 10;
const DEBOUNCE_MS = 220;

const LABELS = {
  en: {
    skip: "Skip to results", tagline: "Security Council texts in French and English",
    title: "Search", label: "Search the texts", filters: "Filters",
    hint: "Press / to search, ↑ ↓ to move through the results, Enter to open one.",
    lang: "Language", type: "Type", year: "Year", sort: "Sort", any: "All",
    relevance: "Relevance", newest: "Newest first", oldest: "Oldest first",
    back: "← Back to the results", placeholder: "e.g. peacekeeping contingents, « l’Organisation », S/RES/242 (1967)",
    foot: "Search runs on this machine; links to official documents open undocs.org.",
    switchTo: "Français", passage: "passage", lacks: "Lacks", official: "Official document",
    results: "Results", pages: "Pages", previous: "Previous", next: "Next",
    page: (n) => `Page ${n}`,
    count: (n, atLeast) => `${atLeast ? "at least " : ""}${n.toLocaleString("en")} ${n === 1 ? "passage" : "passages"}`,
    took: (ms) => `${ms.toLocaleString("en", { maximumFractionDigits: 1 })} ms`,
    showing: (a, b) => `showing ${a}–${b}`,
    nothing: (q) => `Nothing matched “${q}”. Try fewer words, another spelling, or remove a filter.`,
    wrong: (col, msg) => `The query is wrong at column ${col}: ${msg}`,
    failed: (msg) => `The search failed: ${msg}`,
    searching: "Searching…", docOf: (n) => `${n} passages`, fr: "French", en: "English",
    cross: "Both languages (translate my words)",
    twin: (lang, n) => `⇄ ${lang.toUpperCase()} ${n}`,
    twinTitle: (lang, n) => `The aligned passage in ${LABELS.en[lang] || lang}, number ${n}`,
    twinOfOpened: "Aligned with the passage you opened",
  },
  fr: {
    skip: "Aller aux résultats", tagline: "Textes du Conseil de sécurité en français et en anglais",
    title: "Recherche", label: "Rechercher dans les textes", filters: "Filtres",
    hint: "/ pour chercher, ↑ ↓ pour parcourir les résultats, Entrée pour en ouvrir un.",
    lang: "Langue", type: "Type", year: "Année", sort: "Tri", any: "Tous",
    relevance: "Pertinence", newest: "Plus récents", oldest: "Plus anciens",
    back: "← Retour aux résultats", placeholder: "p. ex. contingents, « l’Organisation », S/RES/242 (1967)",
    foot: "La recherche tourne sur cette machine ; les liens vers les documents officiels ouvrent undocs.org.",
    switchTo: "English", passage: "passage", lacks: "Manque", official: "Document officiel",
    results: "Résultats", pages: "Pages", previous: "Précédente", next: "Suivante",
    page: (n) => `Page ${n}`,
    count: (n, atLeast) => `${atLeast ? "au moins " : ""}${n.toLocaleString("fr")} ${n === 1 ? "passage" : "passages"}`,
    took: (ms) => `${ms.toLocaleString("fr", { maximumFractionDigits: 1 })} ms`,
    showing: (a, b) => `${a} à ${b} affichés`,
    nothing: (q) => `Aucun résultat pour « ${q} ». Essayez moins de mots, une autre orthographe, ou retirez un filtre.`,
    wrong: (col, msg) => `La requête est incorrecte à la colonne ${col} : ${msg}`,
    failed: (msg) => `La recherche a échoué : ${msg}`,
    searching: "Recherche…", docOf: (n) => `${n} passages`, fr: "français", en: "anglais",
    cross: "Les deux langues (traduire mes mots)",
    twin: (lang, n) => `⇄ ${lang.toUpperCase()} ${n}`,
    twinTitle: (lang, n) => `Le passage aligné en ${LABELS.fr[lang] || lang}, numéro ${n}`,
    twinOfOpened: "Aligné avec le passage ouvert",
  },
};

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
};

let ui = pickLanguage();
let stats = null;
let pending = null;
let debounce = null;
let lastResponse = null;
let opened = null; // the key of the result a document was opened from

function pickLanguage() {
  try {
    const saved = localStorage.getItem("quorum.ui");
    if (saved === "fr" || saved === "en") return saved;
  } catch (_) { /* storage may be off */ }
  const langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || "en"];
  for (const lang of langs) {
    const code = String(lang).toLowerCase().slice(0, 2);
    if (code === "fr" || code === "en") return code;
  }
  return "en";
}

function t(key, ...args) {
  const value = LABELS[ui][key];
  return typeof value === "function" ? value(...args) : value;
}

function applyLabels() {
  document.documentElement.lang = ui;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  $("q").placeholder = t("placeholder");
  // The switch names the other language in that language.
  $("ui-lang").textContent = t("switchTo");
  $("ui-lang").lang = ui === "fr" ? "en" : "fr";
  $("pages").setAttribute("aria-label", t("pages"));
  fillFilterCounts();
}

// ---- state in the URL ------------------------------------------------------------

function readState() {
  const p = new URLSearchParams(location.search);
  return {
    q: p.get("q") || "",
    lang: p.get("lang") || "",
    type: p.get("type") || "",
    year: p.get("year") || "",
    sort: p.get("sort") || "relevance",
    cross: p.get("cross") === "1",
    page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1),
    doc: p.get("doc") || "",
    dlang: p.get("dlang") || "",
    at: parseInt(p.get("at") || "0", 10) || 0,
  };
}

function urlOf(state) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  for (const key of ["lang", "type", "year"]) if (state[key]) p.set(key, state[key]);
  if (state.sort && state.sort !== "relevance") p.set("sort", state.sort);
  if (state.cross) p.set("cross", "1");
  if (state.page > 1) p.set("page", String(state.page));
  if (state.doc) {
    p.set("doc", state.doc);
    if (state.dlang) p.set("dlang", state.dlang);
    if (state.at) p.set("at", String(state.at));
  }
  const query = p.toString();
  return query ? `/?${query}` : "/";
}

function formState() {
  return {
    q: $("q").value.trim() ? $("q").value : "",
    lang: $("f-lang").value,
    type: $("f-type").value,
    year: $("f-year").value.trim(),
    sort: $("f-sort").value,
    cross: $("f-cross").checked,
    page: 1, doc: "", dlang: "", at: 0,
  };
}

function fillForm(state) {
  if ($("q").value !== state.q) $("q").value = state.q;
  $("f-lang").value = state.lang;
  ensureOption($("f-type"), state.type);
  $("f-type").value = state.type;
  $("f-year").value = state.year;
  $("f-sort").value = ["relevance", "date", "-date"].includes(state.sort) ? state.sort : "relevance";
  $("f-cross").checked = state.cross;
}

function ensureOption(select, value) {
  if (!value || [...select.options].some((o) => o.value === value)) return;
  select.append(el("option", { value, text: value }));
}

function go(state, push) {
  // A search typed a moment ago must not come back over what was asked since.
  clearTimeout(debounce);
  const url = urlOf(state);
  if (url !== location.pathname + location.search) {
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }
  render();
}

// ---- rendering -----------------------------------------------------------------

function render() {
  const state = readState();
  fillForm(state);
  if (state.doc) {
    if (pending) pending.abort();
    pending = null;
    $("search-view").hidden = true;
    $("doc-view").hidden = false;
    showDocument(state);
  } else {
    $("doc-view").hidden = true;
    $("search-view").hidden = false;
    search(state);
  }
}

async function search(state) {
  if (pending) pending.abort();
  clearError();
  if (!state.q.trim()) {
    pending = null;
    lastResponse = null;
    $("status").textContent = "";
    $("notices").replaceChildren();
    $("results").replaceChildren();
    $("pages").replaceChildren();
    document.title = "quorum";
    return;
  }
  const controller = new AbortController();
  pending = controller;
  const params = new URLSearchParams({ q: state.q, limit: String(LIMIT), offset: String((state.page - 1) * LIMIT) });
  for (const key of ["lang", "type", "year"]) if (state[key]) params.set(key, state[key]);
  if (state.sort !== "relevance") params.set("sort", state.sort);
  // Cross-language: the words also match their translations, and a language chosen
  // only filters the passages (the server does not analyze the query in it).
  if (state.cross) params.set("cross", "1");
  $("status").textContent = t("searching");
  let response, body;
  try {
    response = await fetch(`/api/search?${params}`, { signal: controller.signal, headers: { Accept: "application/json" } });
    body = await response.json();
  } catch (e) {
    if (e.name === "AbortError") return;
    showError(t("failed", e.message));
    return;
  }
  if (pending !== controller) return;
  pending = null;
  document.title = `${state.q} · quorum`;
  if (!response.ok) {
    lastResponse = null;
    $("results").replaceChildren();
    $("pages").replaceChildren();
    $("notices").replaceChildren();
    $("status").textContent = "";
    if (response.status === 400 && Number.isInteger(body.at)) showSyntaxError(state.q, body);
    else showError(body && body.error ? (response.status === 400 ? body.error : t("failed", body.error)) : t("failed", response.status));
    return;
  }
  lastResponse = body;
  renderResults(state, body);
}

function clearError() {
  $("error").hidden = true;
  $("error").replaceChildren();
  $("q").removeAttribute("aria-invalid");
}

function showError(message) {
  $("error").replaceChildren(el("p", { text: message }));
  $("error").hidden = false;
}

function showSyntaxError(query, body) {
  const message = String(body.error).replace(/^syntax error: /, "");
  const col = body.at;
  const chars = [...query];
  const before = chars.slice(0, col - 1).join("");
  const at = chars[col - 1] || " ";
  const after = chars.slice(col).join("");
  $("error").replaceChildren(
    el("p", { text: t("wrong", col, message) }),
    el("pre", {}, before, el("span", { class: "caret", text: at }), after, "\n", " ".repeat(col - 1), el("span", { class: "caret", text: "^" })),
  );
  $("error").hidden = false;
  $("q").setAttribute("aria-invalid", "true");
}

function renderResults(state, body) {
  const list = $("results");
  list.replaceChildren();
  const offset = (state.page - 1) * LIMIT;
  const count = t("count", body.total_hits, !body.counted);
  let status = `${count} · ${t("took", body.took_ms)}`;
  if (body.total_hits > body.hits.length && body.hits.length > 0) status += ` · ${t("showing", offset + 1, offset + body.hits.length)}`;
  $("status").textContent = status;
  $("notices").replaceChildren(...(body.notices || []).map((n) => el("li", { text: n })));
  if (body.hits.length === 0) {
    list.append(el("li", { class: "empty", text: t("nothing", state.q) }));
    $("pages").replaceChildren();
    return;
  }
  body.hits.forEach((hit, i) => list.append(renderHit(state, hit, offset + i + 1)));
  renderPages(state, body);
  if (opened) {
    const back = list.querySelector(`a[data-key="${CSS.escape(opened)}"]`);
    opened = null;
    if (back) back.focus();
  }
}

function keyOf(hit) {
  return `${hit.id}\u001f${hit.lang}\u001f${hit.passage}`;
}

function undocs(symbol) {
  return `https://undocs.org/${encodeURI(symbol.replace(/\s+/g, ""))}`;
}

function renderHit(state, hit, rank) {
  const label = hit.symbol || hit.title || hit.id;
  const target = { ...state, doc: hit.id, dlang: hit.lang, at: hit.passage };
  const link = el("a", { href: urlOf(target), class: "open", "data-key": keyOf(hit) }, label);
  link.addEventListener("click", (event) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    opened = keyOf(hit);
    go(target, true);
  });
  const meta = el("p", { class: "meta" },
    el("span", { class: "lang", lang: hit.lang, title: t(hit.lang) || hit.lang, text: hit.lang.toUpperCase() }),
    hit.year ? el("span", { text: String(hit.year) }) : null,
    el("span", { text: `${t("passage")} ${hit.passage}` }),
    hit.symbol && hit.title ? el("span", { class: "title", text: hit.title }) : null,
    hit.symbol ? el("a", { href: undocs(hit.symbol), rel: "noopener noreferrer external", target: "_blank", text: `${t("official")} ↗` }) : null,
  );
  const snippet = el("p", { class: "snippet", lang: hit.lang });
  // The engine's snippet is HTML-escaped text with the matches in <b>…</b>, and
  // nothing else: its marks become <mark>.
  snippet.innerHTML = hit.snippet.replaceAll("<b>", "<mark>").replaceAll("</b>", "</mark>");
  const item = el("li", { class: "hit" }, el("article", { "aria-posinset": rank }, el("h2", {}, link), meta, snippet));
  if (hit.missing && hit.missing.length) {
    // French puts a (narrow) space before the colon.
    const lacks = el("p", { class: "missing" }, ui === "fr" ? `${t("lacks")}\u202f: ` : `${t("lacks")}: `);
    hit.missing.forEach((word, i) => {
      if (i) lacks.append(", ");
      lacks.append(el("s", { text: word }));
    });
    item.querySelector("article").append(lacks);
  }
  return item;
}

function renderPages(state, body) {
  const nav = $("pages");
  nav.replaceChildren();
  const pages = Math.ceil(Math.min(body.total_hits, 10000 + LIMIT) / LIMIT);
  if (pages <= 1) return;
  const button = (label, page, attrs = {}) => {
    const b = el("button", { type: "button", ...attrs }, label);
    b.addEventListener("click", () => { go({ ...state, page }, true); $("results").focus(); });
    return b;
  };
  nav.append(button(t("previous"), state.page - 1, { disabled: state.page <= 1, "aria-label": t("previous") }));
  const first = Math.max(1, Math.min(state.page - 3, pages - 6));
  for (let page = first; page <= Math.min(pages, first + 6); page++) {
    nav.append(button(String(page), page, { "aria-label": t("page", page), "aria-current": page === state.page ? "page" : null }));
  }
  nav.append(button(t("next"), state.page + 1, { disabled: state.page >= pages, "aria-label": t("next") }));
}

async function showDocument(state) {
  const box = $("doc");
  box.replaceChildren(el("p", { class: "status", text: t("searching") }));
  const params = new URLSearchParams({ id: state.doc });
  let response, body;
  try {
    response = await fetch(`/api/doc?${params}`, { headers: { Accept: "application/json" } });
    body = await response.json();
  } catch (e) {
    box.replaceChildren(el("p", { class: "error", role: "alert", text: t("failed", e.message) }));
    return;
  }
  if (!response.ok) {
    box.replaceChildren(el("p", { class: "error", role: "alert", text: body.error || String(response.status) }));
    $("back").focus();
    return;
  }
  // The language the result was in first, its twin after.
  const docs = [...body.documents].sort((a, b) => (a.lang === state.dlang ? -1 : 0) - (b.lang === state.dlang ? -1 : 0));
  box.replaceChildren();
  let targetNode = null;
  let targetTwin = null;
  docs.forEach((doc, i) => {
    const section = el("section", { class: i ? "twin" : "", lang: doc.lang, "aria-labelledby": `doc-title-${i}` });
    const heading = el("h2", { id: i ? `doc-title-${i}` : "doc-title" }, doc.symbol || doc.title || doc.id);
    if (!i) section.setAttribute("aria-labelledby", "doc-title");
    const meta = el("p", { class: "meta" },
      el("span", { class: "lang", text: doc.lang.toUpperCase() }),
      doc.date ? el("span", { text: doc.date }) : doc.year ? el("span", { text: String(doc.year) }) : null,
      doc.doc_type ? el("span", { text: doc.doc_type }) : null,
      el("span", { text: t("docOf", doc.passages.length) }),
      doc.symbol ? el("a", { href: undocs(doc.symbol), rel: "noopener noreferrer external", target: "_blank", text: `${t("official")} ↗` }) : null,
    );
    const head = el("header", { class: "doc-head" }, heading, doc.symbol && doc.title ? el("p", { class: "title", text: doc.title }) : null, meta);
    const list = el("ol", { class: "passages" });
    for (const p of doc.passages) {
      const body = el("div", { class: "body" }, el("p", { lang: p.lang, text: p.text }));
      const item = el("li", { id: passageId(doc.lang, p.passage), "data-passage": p.passage }, el("span", { class: "n", "aria-hidden": "true", text: String(p.passage) }), body);
      if (p.twin) body.append(twinLink(p.twin));
      if (doc.lang === state.dlang && p.passage === state.at) {
        item.classList.add("target");
        item.tabIndex = -1;
        item.setAttribute("aria-current", "true");
        targetNode = item;
        targetTwin = p.twin || null;
      }
      list.append(item);
    }
    section.append(head, list);
    box.append(section);
  });
  document.title = `${docs[0] ? docs[0].symbol || docs[0].title || docs[0].id : state.doc} · quorum`;
  // The opened passage's twin is marked in the twin section, and its text is shown
  // under the opened passage, so that a translator reads the two side by side.
  const twinNode = targetTwin ? $(passageId(targetTwin.lang, targetTwin.passage)) : null;
  if (twinNode) {
    twinNode.classList.add("twin-target");
    twinNode.tabIndex = -1;
    twinNode.append(el("span", { class: "twin-note", text: t("twinOfOpened") }));
    targetNode.querySelector(".body").append(el("blockquote", { class: "twin-text", lang: targetTwin.lang, text: targetTwin.text }));
  }
  if (targetNode) {
    targetNode.scrollIntoView({ block: "center" });
    targetNode.focus({ preventScroll: true });
  } else {
    $("back").focus();
  }
}

function passageId(lang, passage) {
  return `p-${lang}-${passage}`;
}

// A passage's marker to its twin in the other language: a link to it in the page that
// scrolls to it and focuses it, without a new history entry.
function twinLink(twin) {
  const id = passageId(twin.lang, twin.passage);
  const link = el("a", { class: "twin-link", href: `#${id}`, hreflang: twin.lang, title: t("twinTitle", twin.lang, twin.passage), "aria-label": t("twinTitle", twin.lang, twin.passage), text: t("twin", twin.lang, twin.passage) });
  link.addEventListener("click", (event) => {
    // The fragment would be a new history entry, and a new history entry a new
    // render; the twin is only brought into view.
    event.preventDefault();
    const node = $(id);
    if (!node) return;
    for (const seen of document.querySelectorAll(".passages li.followed")) seen.classList.remove("followed");
    node.classList.add("followed");
    node.tabIndex = -1;
    node.scrollIntoView({ block: "center" });
    node.focus({ preventScroll: true });
  });
  return link;
}

// ---- filters with counts ----------------------------------------------------------

async function loadStats() {
  try {
    const response = await fetch("/api/stats");
    if (!response.ok) return;
    stats = await response.json();
  } catch (_) { return; }
  const types = Object.entries(stats.doc_types || {}).sort((a, b) => b[1] - a[1]);
  const select = $("f-type");
  const current = select.value;
  for (const [name] of types) ensureOption(select, name);
  select.value = current;
  if (stats.years && stats.years.first && stats.years.last) $("f-year").placeholder = `${stats.years.first}..${stats.years.last}`;
  fillFilterCounts();
}

function fillFilterCounts() {
  if (!stats) return;
  const number = (n) => n.toLocaleString(ui);
  for (const option of $("f-lang").options) {
    const n = option.value && stats.documents ? stats.documents[option.value] : null;
    const name = option.value === "fr" ? "Français" : option.value === "en" ? "English" : t("any");
    option.textContent = n ? `${name} (${number(n)})` : name;
  }
  for (const option of $("f-type").options) {
    if (!option.value) { option.textContent = t("any"); continue; }
    const n = stats.doc_types ? stats.doc_types[option.value] : null;
    option.textContent = n ? `${option.value} (${number(n)})` : option.value;
  }
}

// ---- keyboard ----------------------------------------------------------------------

function resultLinks() {
  return [...$("results").querySelectorAll("a.open")];
}

function moveFocus(step) {
  const links = resultLinks();
  if (!links.length) return false;
  const at = links.indexOf(document.activeElement);
  let next;
  if (at === -1) next = step > 0 ? 0 : links.length - 1;
  else next = Math.min(links.length - 1, Math.max(0, at + step));
  if (at === 0 && step < 0) { $("q").focus(); return true; }
  links[next].focus();
  links[next].scrollIntoView({ block: "nearest" });
  return true;
}

document.addEventListener("keydown", (event) => {
  const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement || event.target instanceof HTMLTextAreaElement;
  if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    if (!$("doc-view").hidden) history.back();
    $("q").focus();
    $("q").select();
    return;
  }
  if (event.key === "Escape" && !$("doc-view").hidden) {
    event.preventDefault();
    history.back();
    return;
  }
  if (!$("search-view").hidden && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
    const inResults = $("results").contains(event.target);
    if (event.target === $("q") || inResults) {
      if (event.target === $("q") && event.key === "ArrowUp") return;
      if (moveFocus(event.key === "ArrowDown" ? 1 : -1)) event.preventDefault();
    }
  }
});

document.addEventListener("focusin", (event) => {
  for (const hit of document.querySelectorAll(".hit.current")) hit.classList.remove("current");
  const hit = event.target.closest && event.target.closest(".hit");
  if (hit) hit.classList.add("current");
});

// ---- wiring ------------------------------------------------------------------------

$("q").addEventListener("input", () => {
  clearTimeout(debounce);
  debounce = setTimeout(() => {
    if ($("doc-view").hidden) go(formState(), false);
  }, DEBOUNCE_MS);
});

$("search").addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(debounce);
  const state = formState();
  // Enter on a query already shown keeps its history entry.
  const push = urlOf(state) !== location.pathname + location.search || !lastResponse;
  go(state, push);
});

for (const id of ["f-lang", "f-type", "f-sort", "f-cross"]) $(id).addEventListener("change", () => go(formState(), true));
$("f-year").addEventListener("change", () => go(formState(), true));

$("back").addEventListener("click", () => {
  const state = readState();
  opened = `${state.doc}\u001f${state.dlang}\u001f${state.at}`;
  if (history.length > 1 && history.state !== "entry") history.back();
  else go({ ...state, doc: "", dlang: "", at: 0 }, true);
});

$("ui-lang").addEventListener("click", () => {
  ui = ui === "fr" ? "en" : "fr";
  try { localStorage.setItem("quorum.ui", ui); } catch (_) { /* storage may be off */ }
  applyLabels();
  if (readState().doc) render();
  else if (lastResponse) renderResults(readState(), lastResponse);
});

window.addEventListener("popstate", render);

history.replaceState("entry", "", location.pathname + location.search);
applyLabels();
loadStats();
render();
if (!readState().doc) $("q").focus();
