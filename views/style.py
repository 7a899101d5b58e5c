"""Page-wide style the router adds to every page: layouts that change with the screen's width, and
Japanese for the parts of Streamlit's own controls that Streamlit does not let a page word.

Streamlit draws some text itself, in English only: the file uploader's "Drag and drop files here",
"Limit 50MB per file • CSV, XLSX", "Browse files" (streamlit/streamlit#13500), the date picker's month
names and weekday letters, and the table toolbar's tooltips. On a Japanese page a small script
replaces those words where they are drawn (and again whenever Streamlit draws them anew); the words
come from ``pipelines.i18n`` (``ctl.*``), like every other sentence.
"""

from __future__ import annotations

import json

import streamlit as st

from pipelines.i18n import STRINGS, WEEKDAYS
from views.common import lang

# A wide screen shows the Inquiries page's table; a phone shows the same rows as cards.
PAGE_CSS = """
<style>
.iq-cards { display: none; flex-direction: column; gap: .45rem; margin: 0 0 .5rem 0; }
.iq-card { display: flex; flex-direction: column; gap: .15rem; padding: .55rem .75rem;
           border: 1px solid #d0d4dc; border-radius: .5rem; background: #fff;
           color: #222 !important; text-decoration: none !important; }
.iq-top { display: flex; flex-wrap: wrap; gap: .2rem .8rem; align-items: baseline; }
.iq-id { color: #1a3d7c; font-size: .85rem; margin-left: auto; }
.iq-why { font-size: .9rem; color: #333; overflow-wrap: anywhere; }
.iq-meta { font-size: .85rem; color: #555; }
/* a Today card's one row of controls (views.work.item_actions): never wraps, scrolls if wider */
[class*="st-key-acts_"] { overflow-x: auto; scrollbar-width: thin; padding-bottom: 2px; gap: .4rem; }
[class*="st-key-acts_"] > div { flex-shrink: 0; }
[class*="st-key-acts_"] button { white-space: nowrap; padding-left: .55rem; padding-right: .55rem; }
/* a card's More button shows its icon only; its word stays as the accessible name (screen readers) */
[class*="st-key-mor_"] [data-testid="stPopoverButton"] [data-testid="stMarkdownContainer"] {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; }
/* the no-accounts notice: one line, the details folded (views.login.open_notice) */
.opsdash-open summary { cursor: pointer; }
.opsdash-open summary::marker { color: #8a6d00; }
@media (max-width: 640px) {
  .iq-cards { display: flex; }
  .st-key-inquiry_table { display: none !important; }
  /* a Today card's More panel (its choice of group, mpk_…) is a sheet along the bottom of a
     phone's screen: placed under a card low on the screen it was squeezed to a strip that scrolled */
  [data-testid="stPopoverBody"]:has([class*="st-key-mpk_"]) {
    transform: none !important; top: auto !important; bottom: 0 !important; left: 0 !important;
    right: 0 !important; max-width: none !important; max-height: 75vh !important;
    border-radius: .75rem .75rem 0 0; box-shadow: 0 -.25rem 1rem rgba(0, 0, 0, .2); }
}
</style>
"""

# The English words Streamlit draws, by the key of their Japanese in pipelines.i18n.
CONTROL_WORDS = {
    "Drag and drop files here": "ctl.drop_files",
    "Drag and drop file here": "ctl.drop_file",
    "Browse files": "ctl.browse",
    "Upload": "ctl.upload",
    "Search": "ctl.search",
    "Fullscreen": "ctl.fullscreen",
    "Close fullscreen": "ctl.close_fullscreen",
    "Download as CSV": "ctl.download_csv",
    "Show/hide columns": "ctl.columns",
    "Clear": "ctl.clear",
    "Clear all": "ctl.clear_all",
    "Remove": "ctl.remove",
    "Delete": "ctl.remove",
    "No results": "ctl.no_results",
    "Previous month": "ctl.previous_month",
    "Next month": "ctl.next_month",
    "Choose date": "ctl.choose_date",
    "month": "ctl.month_field",
    "year": "ctl.year_field",
    "Use arrow keys to navigate dates. Enter to select. Escape to close.": "ctl.calendar_keys",
    "Sort ascending": "ctl.sort_asc",
    "Sort descending": "ctl.sort_desc",
    "Autosize": "ctl.autosize",
    "Pin column": "ctl.pin",
    "Unpin column": "ctl.unpin",
    "Hide column": "ctl.hide_column",
    "Format": "ctl.format",
    "Copy column name": "ctl.copy_column",
    "Clear selection": "ctl.clear_selection",
    "Type to search": "ctl.type_to_search",
    "Clear value": "ctl.clear_value",
    "Increment": "ctl.increment",
    "Decrement": "ctl.decrement",
    "Open": "ctl.open",
    "Close": "ctl.close",
    "Collapse sidebar": "ctl.collapse_sidebar",
    "Expand sidebar": "ctl.expand_sidebar",
    "Main menu": "ctl.main_menu",
    "Rerun": "ctl.rerun",
    "Print": "ctl.print",
    "Settings": "ctl.settings",
    "Running...": "ctl.running",
    "Stop": "ctl.stop",
    "Selected values": "ctl.selected_values",
    "Add files": "ctl.add_files",
    "Remove file": "ctl.remove_file",
    "Press Ctrl+Enter to apply": "ctl.apply_ctrl_enter",
    "Press ⌘+Enter to apply": "ctl.apply_cmd_enter",
    "Press Enter to apply": "ctl.apply_enter",
}
DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")

MONTHS = (  # as Streamlit's date picker writes them
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

TRANSLATE_JS = """
<script>
(() => {
  const doc = document;
  const root = window;
  root.__opsdashWords = __WORDS__;
  root.__opsdashLang = __LANG__;
  if (root.__opsdashObserver) { root.__opsdashTranslate(doc.body); return; }
  const limit = /^(?:Limit )?(\\S+) per file(?: • (.*))?$/;
  const fill = (template, values) => template.replace(/\\{(\\w+)\\}/g, (_, k) => values[k] ?? "");
  const word = (text) => {
    const w = root.__opsdashWords;
    const t = text.trim();
    if (!t) return null;
    if (w.exact[t]) return text.replace(t, w.exact[t]);
    let m = t.match(limit);
    if (m) return fill(w.limit, { size: m[1], types: m[2] || "" }).replace(/[・ ]+$/, "");
    m = t.match(/^([A-Z][a-z]+) (\\d{4})$/);
    if (m && w.months.includes(m[1])) {
      return fill(w.month_year, { name: m[1], m: w.months.indexOf(m[1]) + 1, y: m[2] });
    }
    if (w.months.includes(t)) return fill(w.month, { name: t, m: w.months.indexOf(t) + 1 });
    m = t.match(/^(\\w+day), ([A-Z][a-z]+) (\\d{1,2}), (\\d{4})$/);  // a day's screen-reader name
    if (m && w.months.includes(m[2]) && w.day_names.includes(m[1])) {
      const wd = w.weekdays[w.day_names.indexOf(m[1])];
      return fill(w.day, { y: m[4], m: w.months.indexOf(m[2]) + 1, d: m[3], w: wd });
    }
    m = t.match(/^Choose date, ([A-Z][a-z]+) (\\d{4})$/);
    if (m && w.months.includes(m[1])) {
      return fill(w.choose_month, { y: m[2], m: w.months.indexOf(m[1]) + 1 });
    }
    return null;
  };
  // what was replaced, so a page switched back to English shows Streamlit's own words again
  const originals = new Map();
  const setText = (node, out) => {
    if (!originals.has(node)) originals.set(node, node.nodeValue);
    node.nodeValue = out;
  };
  const setAttr = (el, name, out) => {
    const key = `${name}`;
    el.__opsdashAttrs = el.__opsdashAttrs || {};
    if (!(key in el.__opsdashAttrs)) el.__opsdashAttrs[key] = el.getAttribute(name);
    el.setAttribute(name, out);
    originals.set(el, null);
  };
  const restore = () => {
    for (const [node, text] of originals) {
      if (text !== null) node.nodeValue = text;
      else for (const [name, v] of Object.entries(node.__opsdashAttrs || {})) node.setAttribute(name, v);
    }
    originals.clear();
  };
  root.__opsdashTranslate = (node) => {
    if (root.__opsdashLang !== "ja") { if (originals.size) restore(); return; }
    if (!node) return;
    const walker = doc.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode);
    for (const t of texts) {
      const parent = t.parentElement;
      if (!parent || parent.closest("[data-testid='stMarkdown'], [data-testid='stHtml'], code, pre, script, style")) continue;
      const out = word(t.nodeValue);
      if (out && out !== t.nodeValue) setText(t, out);
    }
    for (const el of node.querySelectorAll("[aria-label], [title], [placeholder]")) {
      for (const name of ["aria-label", "title", "placeholder"]) {
        const v = el.getAttribute(name);
        const out = v && word(v);
        if (out && out !== v) setAttr(el, name, out);
      }
    }
    // the date picker's weekday letters (S M T W T F S), by position, Sunday first
    for (const row of node.querySelectorAll(".react-aria-CalendarGridHeader tr")) {
      row.querySelectorAll("th").forEach((h, i) => {
        const t = h.firstChild && h.firstChild.nodeType === 3 ? h.firstChild : null;
        const wd = root.__opsdashWords.weekdays[i];
        if (i < 7 && t && t.nodeValue.length <= 3 && t.nodeValue !== wd) setText(t, wd);
      });
    }
  };
  let pending = false;
  root.__opsdashObserver = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    root.requestAnimationFrame(() => { pending = false; root.__opsdashTranslate(doc.body); });
  });
  root.__opsdashObserver.observe(doc.body, { childList: true, subtree: true, characterData: true });
  root.__opsdashTranslate(doc.body);
})();
</script>
"""


def _words(language: str) -> dict[str, object]:
    """The replacements for one language: exact English texts, the upload limit's pattern, month
    formats and the weekday letters (Sunday first, as the date picker draws them)."""
    exact = {english: STRINGS[key][language] for english, key in CONTROL_WORDS.items()}
    weekdays = WEEKDAYS[language]
    return {
        "exact": exact,
        "limit": STRINGS["ctl.limit"][language],
        "month": STRINGS["ctl.month"][language],
        "month_year": STRINGS["ctl.month_year"][language],
        "day": STRINGS["ctl.day"][language],
        "choose_month": STRINGS["ctl.choose_month"][language],
        "months": list(MONTHS),
        "day_names": list(DAY_NAMES),
        "weekdays": [weekdays[6], *weekdays[:6]],
    }


def apply() -> None:
    """Add the page-wide style (and, on a Japanese page, the control words) to this page."""
    st.html(PAGE_CSS)
    language = lang()
    script = TRANSLATE_JS.replace(
        "__WORDS__", json.dumps(_words(language), ensure_ascii=False)
    ).replace("__LANG__", json.dumps(language))
    st.html(script, unsafe_allow_javascript=True)
