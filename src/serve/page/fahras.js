// The search page: everything it shows is in its address (`/?q=…&source=…&from=…&sort=…` for a
// search, `/article/ID?q=…` for an article, with the search to go back to), so any view can be
// bookmarked, shared, reloaded or opened in a new tab. Links are real links; plain clicks are
// handled here without reloading the page.
//
// Archive text is only ever set as text (never parsed as HTML), and only http(s) addresses
// become links.
"use strict";

const PAGE_SIZE = 10;
const $ = (id) => document.getElementById(id);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// ---------------------------------------------------------------------------------------------
// Numbers and Arabic wording

// One digit set throughout: Western digits with a thousands separator, as the dates are written.
const numberFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const fmt = (n) => numberFormat.format(n);

// Dates are written year first (2018-07-16). Beside Arabic words the bidirectional algorithm
// would draw them day first (16-07-2018): each is isolated as a left-to-right run.
const LRI = "\u2066";
const PDI = "\u2069";
const isolateDates = (text) => String(text).replace(/\d{4}(?:-\d{2}){0,2}(?: – \d{4}(?:-\d{2}){0,2})?/g, (d) => LRI + d + PDI);

// The plural category of n in Arabic (CLDR): zero, one, two, few (3–10), many (11–99), other
// (100, 101, 102, 1000…), counted on the last two digits.
function pluralCategory(n) {
  if (n === 0) return "zero";
  if (n === 1) return "one";
  if (n === 2) return "two";
  const lastTwo = n % 100;
  if (lastTwo >= 3 && lastTwo <= 10) return "few";
  if (lastTwo >= 11 && lastTwo <= 99) return "many";
  return "other";
}

// "مقال واحد", "مقالان", "3 مقالات", "11 مقالًا", "100 مقال".
function counted(n, forms) {
  const category = pluralCategory(n);
  if (category === "zero") return forms.zero;
  if (category === "one" || category === "two") return forms[category];
  return `${fmt(n)} ${forms[category]}`;
}

const ARTICLES = { zero: "لا مقالات", one: "مقال واحد", two: "مقالان", few: "مقالات", many: "مقالًا", other: "مقال" };
const PASSAGES = { zero: "لا مقاطع", one: "مقطع واحد", two: "مقطعان", few: "مقاطع", many: "مقطعًا", other: "مقطع" };
const COPIES = { zero: "لا نسخ", one: "نسخة مكررة واحدة", two: "نسختان مكررتان", few: "نسخ مكررة", many: "نسخةً مكررةً", other: "نسخة مكررة" };
const MORE_PASSAGES = {
  zero: "", one: "ومقطع آخر مطابق في هذا المقال", two: "ومقطعان آخران مطابقان في هذا المقال",
  few: "مقاطع أخرى مطابقة في هذا المقال", many: "مقطعًا آخر مطابقًا في هذا المقال", other: "مقطع آخر مطابق في هذا المقال",
};
const moreText = (n) => (n <= 2 ? counted(n, MORE_PASSAGES) : "و" + counted(n, MORE_PASSAGES));

// Month names as most Arab newsrooms write them (Egypt and the Gulf).
const MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"];
const monthName = (month) => `${MONTHS[Number(month.slice(5, 7)) - 1] || month.slice(5, 7)} ${month.slice(0, 4)}`;

const INTERVALS = { day: "يوم", week: "أسبوع", month: "شهر" };
const SETTING_NAMES = {
  from: "«من تاريخ»", to: "«إلى تاريخ»", sort: "«الترتيب»", offset: "«الصفحة»", limit: "«عدد النتائج»",
  per_article: "«المقاطع لكل مقال»", interval: "«فترة الخط الزمني»", source: "«المصدر»",
  collection: "«المجموعة»", category: "«الفئة»", q: "«كلمات البحث»", format: "«صيغة التصدير»", id: "«رقم المقال»",
};
const FILTER_NAMES = { source: "مصدرًا", outlet: "مصدرًا", collection: "مجموعة", category: "فئة" };

// Outlet code → the name readers know it by (from /api/stats).
let outletNames = {};
const outletName = (code) => outletNames[code] || code;

// The Arabic sentence for a note about the query (`notes_detail` of a search).
function noteText(note) {
  switch (note.code) {
    case "unmatched_paren": return "تُجوهل قوس إغلاق «)» لا يقابله قوس فتح.";
    case "unclosed_paren": return "أُغلق القوس «(» المفتوح عند نهاية الاستعلام.";
    case "too_deep": return "الأقواس المتداخلة لأكثر من 32 مستوى لا تجمّع ما بينها، فقُرئت كلماتها كلمات عادية.";
    case "unclosed_quote": return "تُجوهلت علامة اقتباس غير مغلقة، وقُرئت الكلمات بعدها كالمعتاد.";
    case "or_without_left": return "تُجوهلت «OR» لا يسبقها شيء.";
    case "or_without_right": return "تُجوهلت «OR» لا يليها شيء.";
    case "and_without_left": return "تُجوهلت «AND» لا يسبقها شيء.";
    case "and_without_right": return "تُجوهلت «AND» لا يليها شيء.";
    case "exclusion_inside_or": return "تُجوهلت علامة الاستبعاد «-» داخل «OR».";
    case "filters_beside_or": return "المرشحات المكتوبة بجانب «OR» تنطبق على الاستعلام كله.";
    case "empty_filter": return `تُجوهل «${note.filter}:» لأنه بلا قيمة.`;
    case "bad_date": return `تُجوهل «date:${note.value}» لأنه ليس تاريخًا (سنة، أو سنة-شهر، أو سنة-شهر-يوم، أو من..إلى).`;
    case "dates_do_not_overlap": return "التواريخ المطلوبة لا تتقاطع، فلا يمكن أن يطابقها شيء.";
    case "not_a_field": return `«${note.field}:» ليس حقلًا في لغة البحث (الحقول: title: وsource: وdate:)، فبُحث عن كلماته نصًّا.`;
    case "unsupported_operator": return `العلامة «${note.sign}» بعد الكلمة ليست من لغة البحث، فقُطعت الكلمة عندها وبُحث عن أجزائها.`;
    case "unknown_source": {
      const known = String(note.known || "").split(",").map((s) => s.trim()).filter(Boolean).map(outletName);
      return `لا يضم الفهرس مصدرًا باسم «${note.name}»` + (known.length ? ` (مصادره: ${known.join("، ")}).` : ".");
    }
    case "vectors_partial": return note.used
      ? `متجهات المعنى تغطي ${fmt(note.covered)} من ${fmt(note.passages)} مقطعًا، فلم يبحث المعنى إلا فيها.`
      : `متجهات المعنى تغطي ${fmt(note.covered)} من ${fmt(note.passages)} مقطعًا فقط، فرُتبت النتائج بالكلمات وحدها.`;
    case "vectors_of_another_model": return "حُسبت متجهات المعنى بنموذج آخر، فرُتبت النتائج بالكلمات وحدها.";
    case "model_missing": return "نموذج المعنى غير مثبت على الخادم، فرُتبت النتائج بالكلمات وحدها.";
    case "nothing_to_compare": return "لا كلمات يُقارن معناها، فطُبقت المرشحات وحدها.";
    default: return "قُرئ الاستعلام على غير ما كُتب تمامًا.";
  }
}

// How the list was ranked, when not by the words alone (`mode` of a search).
const MODE_TEXT = { hybrid: " — مرتبة بالكلمات والمعنى", semantic: " — الأقرب في المعنى" };

// The Arabic sentence for an error answer of the API.
function errorText(body, status, s) {
  switch (body && body.code) {
    case "bad_parameter":
    case "bad_setting": {
      const setting = body.setting || body.parameter;
      if ((setting === "from" || setting === "to") && s && s.from && s.to && s.from > s.to) {
        return "تاريخ البداية بعد تاريخ النهاية؛ بدّل بينهما.";
      }
      const name = SETTING_NAMES[body.setting || body.parameter];
      return name ? `قيمة ${name} غير صالحة.` : "في عنوان الصفحة قيمة غير صالحة.";
    }
    case "query_too_long": return `كلمات البحث أطول من ${fmt(body.limit || 1000)} حرف؛ اختصرها.`;
    case "unknown_filter": return `لا يضم الفهرس ${FILTER_NAMES[body.filter] || "شيئًا"} باسم «${body.name}».`;
    case "unknown_collection": return `لا توجد مجموعة باسم «${body.name}».`;
    case "no_article": return "لم يُعثر على هذا المقال في الفهرس؛ ربما حُذف منه منذ نُسخ الرابط.";
    case "busy": return "الخادم مشغول بعمليات بحث أخرى؛ أعد المحاولة بعد لحظة.";
    case "no_index": return "لا يوجد فهرس في المجلد الذي يعمل عليه الخادم.";
    case "index_being_built": return "الفهرس قيد البناء الأول؛ أعد المحاولة بعد انتهائه.";
    case "index_locked": return "الفهرس مقفل لعملية أخرى؛ أعد المحاولة بعد انتهائها.";
    case "incompatible_index": return "بُني الفهرس بإصدار أو إعدادات أخرى؛ أعد بناءه.";
    case "disk_full": return "القرص ممتلئ.";
    case "not_found": return "هذا العنوان غير موجود.";
    case "wrong_host": return "لا يجيب الخادم إلا على عنوانه هو.";
    case "cross_origin":
    case "not_json": return "لا تُقبل التغييرات على المجموعات إلا من صفحة هذا الخادم نفسها.";
    case "bad_body": return "طلب حفظ غير مفهوم.";
    case "not_in_collection": return "هذا المقال ليس في المجموعة.";
    case "read_only": return "الفهرس في مجلد للقراءة فقط؛ لا يمكن حفظ المجموعات فيه.";
    case "unknown_saved_search": return "لا يوجد بحث محفوظ بهذا الاسم.";
    default: return status >= 500 ? "حدث خطأ في الخادم؛ أعد المحاولة." : "تعذر تنفيذ الطلب.";
  }
}

class ApiFailure extends Error {}

// The JSON answer of `url` (`init` for a POST), or an ApiFailure worded in Arabic (`s`: the
// view asked for, to word a date error).
async function fetchJson(url, s, init) {
  let response;
  try {
    response = await fetch(url, init);
  } catch (_) {
    throw new ApiFailure("تعذر الاتصال بالخادم. هل ما زال «fahras serve» يعمل؟");
  }
  let body;
  try {
    body = await response.json();
  } catch (_) {
    throw new ApiFailure("رد غير مفهوم من الخادم.");
  }
  if (!response.ok) throw new ApiFailure(errorText(body, response.status, s));
  return body;
}

const getJson = (url, s) => fetchJson(url, s);

// ---------------------------------------------------------------------------------------------
// The address

// The view an address asks for.
function route(loc = location) {
  const p = new URLSearchParams(loc.search);
  const isArticle = loc.pathname.startsWith("/article/");
  let article = "";
  try {
    article = isArticle ? decodeURIComponent(loc.pathname.slice("/article/".length)) : "";
  } catch (_) {
    article = loc.pathname.slice("/article/".length);
  }
  // `/collections` lists them, `/collections/NAME` shows one.
  const shelf = loc.pathname === "/collections" || loc.pathname.startsWith("/collections/");
  let shelfName = "";
  if (loc.pathname.startsWith("/collections/")) {
    try {
      shelfName = decodeURIComponent(loc.pathname.slice("/collections/".length));
    } catch (_) {
      shelfName = loc.pathname.slice("/collections/".length);
    }
  }
  return {
    unknown: !isArticle && !shelf && loc.pathname !== "/",
    shelf,
    shelfName,
    article,
    q: p.get("q") || "",
    sources: p.getAll("source").filter(Boolean),
    collections: p.getAll("collection").filter(Boolean),
    tags: p.getAll("tag").filter(Boolean),
    from: p.get("from") || "",
    to: p.get("to") || "",
    sort: p.get("sort") || "",
    exact: p.get("exact") === "1",
    offset: Math.max(0, parseInt(p.get("offset") || "0", 10) || 0),
  };
}

// The query string of a search (the page's own parameters).
function searchParams(s) {
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  for (const source of s.sources) p.append("source", source);
  for (const collection of s.collections) p.append("collection", collection);
  for (const tag of s.tags || []) p.append("tag", tag);
  if (s.from) p.set("from", s.from);
  if (s.to) p.set("to", s.to);
  if (s.sort) p.set("sort", s.sort);
  if (s.exact) p.set("exact", "1");
  if (s.offset) p.set("offset", String(s.offset));
  return p;
}

function searchHref(s) {
  const query = searchParams({ ...s, article: "" }).toString();
  return "/" + (query ? "?" + query : "");
}

function articleHref(id, s) {
  const query = searchParams(s).toString();
  return "/article/" + encodeURIComponent(id) + (query ? "?" + query : "");
}

// The same search with some settings changed (back to the first page).
const refine = (changes) => searchHref({ ...route(), offset: 0, ...changes });

// Goes to `href` within the page. The entry left behind remembers how far down the reader was,
// and the new one where it came from (so that "back to the results" can be the browser's Back).
// `how.focus === "summary"` moves the focus to what changed (a facet, a chip, a page link).
function navigate(href, how = {}) {
  const here = location.pathname + location.search;
  if (href !== here) {
    history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, "");
    history.pushState({ from: here }, "", href);
  }
  render(how);
}

// Back to the search an article was opened from: the browser's Back when that is where the
// reader came from (no new entry; the results come back where they were), else a new entry.
function backToResults() {
  const back = $("back").getAttribute("href") || "/";
  if (history.state && history.state.from === back) history.back();
  else navigate(back);
}

// Links whose click changes the results in place.
const REFINING = "#facets a, #active a, #pager a, #timeline a";

// Plain left clicks on the page's own links stay in the page; any other click (new tab, a
// download, another site) is the browser's.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[href]");
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (link.target || link.hasAttribute("download")) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  event.preventDefault();
  if (link.id === "back") backToResults();
  else navigate(url.pathname + url.search, { focus: link.matches(REFINING) ? "summary" : null });
});

// ---------------------------------------------------------------------------------------------
// Building blocks

function element(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

// Text with <mark> around byte ranges [from, to) of its UTF-8 encoding.
function highlighted(text, ranges) {
  const fragment = document.createDocumentFragment();
  const bytes = encoder.encode(text || "");
  let position = 0;
  for (const [from, to] of ranges || []) {
    if (from < position || to > bytes.length || from >= to) continue;
    fragment.append(decoder.decode(bytes.subarray(position, from)));
    const mark = document.createElement("mark");
    mark.textContent = decoder.decode(bytes.subarray(from, to));
    fragment.append(mark);
    position = to;
  }
  fragment.append(decoder.decode(bytes.subarray(position)));
  return fragment;
}

// An address of the archive that may be a link: http(s) only.
function webAddress(text) {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch (_) {
    return null;
  }
}

// The last day of a month `YYYY-MM`.
function monthEnd(month) {
  const [year, number] = month.split("-").map(Number);
  const day = new Date(Date.UTC(year, number, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, "0")}`;
}

function showError(message) {
  $("error").textContent = message || "";
  $("error").hidden = !message;
}

// ---------------------------------------------------------------------------------------------
// The index

let stats = null;
const statsLoaded = getJson("/api/stats").then((body) => {
  stats = body;
  outletNames = body.outlet_names || {};
  const select = $("source");
  const outlets = Object.entries(body.sources || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [code] of outlets) select.append(element("option", { value: code }, outletName(code)));
  for (const id of ["from", "to"]) {
    if (body.first_date) $(id).min = body.first_date;
    if (body.last_date) $(id).max = body.last_date;
  }
  select.value = route().sources[0] || "";
}).catch((err) => {
  showError("تعذر تحميل معلومات الفهرس: " + err.message);
});

function introText() {
  if (!stats) return "";
  const outlets = Object.keys(stats.sources || {}).length;
  const span = stats.first_date && stats.last_date
    ? ` بين ${stats.first_date} و${stats.last_date}` : "";
  return `يضم الفهرس ${counted(stats.articles, ARTICLES)} من ${counted(outlets, { one: "مصدر واحد", two: "مصدرين", few: "مصادر", many: "مصدرًا", other: "مصدر" })}${span}. اكتب كلمة كما تكتبها عادة: تُطابَق صيغها المختلفة وحروف التشكيل والهمزات والأرقام.`;
}

// ---------------------------------------------------------------------------------------------
// A search

function searchApiUrl(s) {
  const p = searchParams({ ...s, offset: 0 });
  p.set("limit", String(PAGE_SIZE));
  p.set("offset", String(s.offset));
  p.set("facets", "1");
  p.set("histogram", "1");
  if (s.exact) p.set("exact", "true");
  return "/api/search?" + p.toString();
}

function exportUrl(s, format) {
  const p = searchParams({ ...s, offset: 0, sort: "" });
  if (s.exact) p.set("exact", "true");
  p.set("format", format);
  return "/api/export?" + p.toString();
}

const hasSearch = (s) => Boolean(s.q.trim() || s.sources.length || s.collections.length || s.tags.length || s.from || s.to);

function clearResults() {
  $("results").replaceChildren();
  for (const id of ["suggestions", "variants", "notes", "facets", "timeline", "pager", "export", "active"]) $(id).hidden = true;
  $("intro").hidden = true;
}

// Answers of this page's searches by address, so that Back and Forward show the results at
// once and where the reader left them (a few; only reused when going through history).
const answers = new Map();
const ANSWERS_KEPT = 20;

async function fetchAnswer(url, s, reuse) {
  if (reuse && answers.has(url)) return answers.get(url);
  const answer = await getJson(url, s);
  answers.set(url, answer);
  if (answers.size > ANSWERS_KEPT) answers.delete(answers.keys().next().value);
  return answer;
}

// The highest offset the server pages to.
const MAX_OFFSET = 10000;

async function runSearch(s, how) {
  clearResults();
  await statsLoaded;
  showActiveFilters(s);
  if (!hasSearch(s)) {
    $("summary").textContent = "";
    $("intro").textContent = isolateDates(introText());
    $("intro").hidden = false;
    return;
  }
  $("summary").textContent = "جارٍ البحث…";
  // With outlets chosen, the outlet facet still lists every outlet (counted without that
  // choice), so that the reader can add, compare or switch.
  const [result, allOutlets] = await Promise.all([
    fetchAnswer(searchApiUrl(s), s, how.fromHistory),
    // Only a convenience: without it the facet lists the chosen outlets.
    s.sources.length ? fetchAnswer(outletFacetUrl(s), s, how.fromHistory).catch(() => null) : null,
  ]);
  if (route().article || searchHref(route()) !== searchHref(s)) return; // a newer view is showing
  const shown = result.hits.length;
  // Hybrid mode counts the words' matches; when there are none, the meaning still answers.
  $("summary").textContent = result.total_articles === 0 && shown
    ? `لا تطابق الكلمات شيئًا؛ هذه أقرب المقالات في المعنى (${fmt(result.took_ms)} ملّي ثانية)`
    : result.total_articles === 0
    ? "لا توجد مقالات مطابقة."
    : `${counted(result.total_articles, ARTICLES)} (${counted(result.total_hits, PASSAGES)})`
      + (shown ? ` — النتائج ${fmt(s.offset + 1)}–${fmt(s.offset + shown)}` : s.offset ? " — لا نتائج أخرى بعد الصفحة السابقة" : "")
      + (MODE_TEXT[result.mode] || "")
      + (result.meaning_articles ? `، و${counted(result.meaning_articles, ARTICLES)} أخرى بالمعنى وحده` : "")
      + ` (${fmt(result.took_ms)} ملّي ثانية)`;
  if (result.facets && allOutlets && allOutlets.facets) result.facets.source = allOutlets.facets.source;
  showFacets(result.facets, s);
  showTimeline(result.histogram, s);
  showSuggestions(result.suggestions, result.searched_instead, s);
  showVariants(result.variant_articles || result.variants, result.variant_articles ? ARTICLES : PASSAGES);
  showNotes(result.notes_detail);
  for (const hit of result.hits) $("results").append(resultItem(hit, s));
  // Hybrid lists also hold articles only the meaning found (not in the counts).
  showPager(s, shown, result.total_articles + (result.meaning_articles || 0));
  if (result.total_articles > 0) {
    for (const format of ["csv", "ris", "jsonl"]) $("export-" + format).href = exportUrl(s, format);
    $("export").hidden = false;
  }
}

// The outlet counts of a search without its outlet filter.
function outletFacetUrl(s) {
  const p = searchParams({ ...s, sources: [], offset: 0, sort: "" });
  p.set("limit", "1");
  p.set("facets", "1");
  if (s.exact) p.set("exact", "true");
  return "/api/search?" + p.toString();
}

// Some sources put their own name in the author field: not worth saying twice.
const isAuthor = (author, source) => Boolean(author) && author !== source && author !== outletName(source);

function resultItem(hit, s) {
  const title = element("a", { class: "title", href: articleHref(hit.article_id, s) });
  title.append(hit.title ? highlighted(hit.title, hit.title_highlights) : "(بلا عنوان)");
  const meta = [outletName(hit.source), hit.date || "بلا تاريخ"];
  if (isAuthor(hit.author, hit.source)) meta.push(hit.author);
  const item = element("li", {}, element("h3", { class: "result-heading" }, title),
    element("div", { class: "meta" }, isolateDates(meta.join(" · "))));
  if ((hit.copies || []).length) {
    const outlets = [...new Set(hit.copies.map((c) => outletName(c.source)))].join("، ");
    item.append(element("div", { class: "meta copies" }, `${counted(hit.copies.length, COPIES)} (${outlets})`));
  }
  const passage = element("p", { class: "passage" });
  passage.append(highlighted(hit.text, hit.highlights));
  item.append(passage);
  if (hit.more_passages > 0) item.append(element("div", { class: "more" }, moreText(hit.more_passages)));
  const keep = element("button", { type: "button", class: "secondary keep" }, "احفظ في مجموعة");
  keep.addEventListener("click", () => openKeep({ id: hit.article_id, title: hit.title }, keep));
  item.append(keep);
  return item;
}

// Previous and next pages. The count of articles includes copies of a story, which are shown
// under the story rather than as results, so the number of pages is not known in advance: a next
// page is offered while this one is full.
function showPager(s, shown, total) {
  const further = shown === PAGE_SIZE && s.offset + shown < total;
  const more = further && s.offset + PAGE_SIZE <= MAX_OFFSET;
  $("pager").hidden = s.offset === 0 && !more;
  if ($("pager").hidden) return;
  $("page-info").textContent = `الصفحة ${fmt(Math.floor(s.offset / PAGE_SIZE) + 1)}`
    + (further && !more ? " — لما بعدها ضيّق البحث بالتاريخ أو المصدر" : "");
  const setLink = (link, offset, enabled) => {
    if (enabled) {
      link.href = searchHref({ ...s, offset });
      link.removeAttribute("aria-disabled");
    } else {
      link.removeAttribute("href");
      link.setAttribute("aria-disabled", "true");
    }
  };
  setLink($("prev"), Math.max(0, s.offset - PAGE_SIZE), s.offset > 0);
  setLink($("next"), s.offset + PAGE_SIZE, more);
}

// The filters in force, each removable.
function showActiveFilters(s) {
  const list = $("active");
  list.replaceChildren();
  const chip = (text, changes) => {
    const link = element("a", { href: refine(changes), "aria-label": `إزالة المرشح: ${text}` }, `${text} ✕`);
    list.append(element("li", {}, link));
  };
  for (const source of s.sources) chip(`المصدر: ${outletName(source)}`, { sources: s.sources.filter((x) => x !== source) });
  for (const c of s.collections) chip(`المجموعة: ${c}`, { collections: s.collections.filter((x) => x !== c) });
  for (const t of s.tags) chip(`الوسم: ${t}`, { tags: s.tags.filter((x) => x !== t) });
  if (s.from || s.to) {
    const dates = s.from === s.to ? s.from : `${s.from || "…"} – ${s.to || "…"}`;
    chip(`التاريخ: ${isolateDates(dates)}`, { from: "", to: "" });
  }
  list.hidden = !list.children.length;
}

// Outlets, collections and months of the matching articles with their counts, each a link
// that narrows the search (or, when in force, widens it again).
function showFacets(facets, s) {
  const box = $("facets");
  box.replaceChildren();
  if (!facets) return;
  const group = (label, counts, show, isActive, changes) => {
    if (!counts || !counts.length) return;
    const list = element("ul");
    for (const c of counts) {
      const active = isActive(c.value);
      const link = element("a", { href: refine(changes(c.value, active)), "aria-current": active ? "true" : null },
        show(c.value), " ", element("span", { class: "count" }, `(${fmt(c.articles)})`));
      list.append(element("li", {}, link));
    }
    box.append(element("section", {}, element("h3", {}, label), list));
  };
  group("المصدر", facets.source, outletName, (v) => s.sources.includes(v),
    (v, active) => ({ sources: active ? s.sources.filter((x) => x !== v) : [...s.sources, v] }));
  if ((facets.collection || []).length > 1 || s.collections.length) {
    group("المجموعة", facets.collection, (v) => v, (v) => s.collections.includes(v),
      (v, active) => ({ collections: active ? s.collections.filter((x) => x !== v) : [v] }));
  }
  // The months with most articles, in calendar order.
  const months = [...(facets.month || [])].sort((a, b) => b.articles - a.articles).slice(0, 12)
    .sort((a, b) => a.value.localeCompare(b.value));
  group(months.length < (facets.month || []).length ? "الأشهر الأكثر مقالات" : "الشهر", months, monthName, (v) => s.from === v + "-01" && s.to === monthEnd(v),
    (v, active) => (active ? { from: "", to: "" } : { from: v + "-01", to: monthEnd(v) }));
  box.hidden = !box.children.length;
}

// The matching articles over time: a bar per period, each a link that narrows the dates to it.
function showTimeline(histogram, s) {
  const svg = $("timeline-chart");
  svg.replaceChildren();
  const buckets = (histogram && histogram.buckets) || [];
  $("timeline").hidden = buckets.length < 2;
  if (buckets.length < 2) return;
  const ns = "http://www.w3.org/2000/svg";
  const width = 1000;
  const height = 64;
  const step = width / buckets.length;
  const gap = step > 6 ? 1 : 0;
  const peak = Math.max(1, ...buckets.map((b) => b.articles));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("aria-hidden", "true");
  buckets.forEach((b, i) => {
    const barHeight = b.articles ? Math.max(2, Math.round((b.articles / peak) * (height - 2))) : 1;
    const link = document.createElementNS(ns, "a");
    link.setAttribute("href", refine({ from: b.from, to: b.to }));
    // A pointer's shortcut: the month facet narrows the dates from the keyboard, so the bars
    // (up to a hundred) stay out of the tab order and out of the accessibility tree.
    link.setAttribute("tabindex", "-1");
    const label = `${b.from === b.to ? b.from : b.from + " – " + b.to}: ${counted(b.articles, ARTICLES)}`;
    link.setAttribute("aria-label", label);
    const title = document.createElementNS(ns, "title");
    title.textContent = label;
    // A full-height transparent target, so that short bars are easy to hit.
    const target = document.createElementNS(ns, "rect");
    for (const [k, v] of [["x", i * step], ["y", 0], ["width", step], ["height", height], ["class", "hit"]]) target.setAttribute(k, v);
    const bar = document.createElementNS(ns, "rect");
    for (const [k, v] of [["x", i * step + gap / 2], ["y", height - barHeight], ["width", Math.max(1, step - gap)], ["height", barHeight], ["class", b.articles ? "bar" : "bar empty"]]) bar.setAttribute(k, v);
    link.append(title, target, bar);
    svg.append(link);
  });
  const unit = INTERVALS[histogram.interval] || "فترة";
  $("timeline-caption").textContent = `المقالات المطابقة عبر الزمن، عمود لكل ${unit} (اختر عمودًا لتضييق التاريخ إليه)`;
  $("timeline-start").textContent = buckets[0].from;
  $("timeline-end").textContent = buckets[buckets.length - 1].to;
}

// "Did you mean": each suggestion links to the same search with the typed word replaced; a word
// that found nothing was searched as its suggestion, and the line says so.
function showSuggestions(suggestions, searchedInstead, s) {
  const words = Object.entries(suggestions || {});
  if (!words.length) return;
  const instead = new Set(searchedInstead || []);
  const parts = [];
  for (const [word, suggestion] of words) {
    if (parts.length) parts.push(" · ");
    const q = s.q.split(/(\s+)/).map((token) => (token === word ? suggestion : token === "title:" + word ? "title:" + suggestion : token)).join("");
    parts.push("هل تقصد: ", element("a", { href: searchHref({ ...s, q, offset: 0 }) }, suggestion), "؟");
    if (instead.has(word)) parts.push(` لم يُعثر على «${word}»، فعُرضت نتائج «${suggestion}».`);
  }
  $("suggestions").replaceChildren(...parts);
  $("suggestions").hidden = false;
}

function showVariants(variants, unit) {
  const words = Object.entries(variants || {});
  if (!words.length) return;
  $("variants").textContent = "طابق البحث أيضًا: " + words.map(([word, found]) =>
    `${word} ← ` + Object.entries(found).map(([v, n]) => `${v} (${counted(n, unit)})`).join("، ")).join(" · ");
  $("variants").hidden = false;
}

function showNotes(notes) {
  const list = $("notes");
  list.replaceChildren(...(notes || []).map((note) => element("li", {}, noteText(note))));
  list.hidden = !list.children.length;
}

// ---------------------------------------------------------------------------------------------
// An article

let currentArticle = null;
// The article last shown: back in the results, the focus returns to its link.
let lastArticle = "";

function clearArticle(title = "") {
  currentArticle = null;
  $("article-title").textContent = title;
  $("article-meta").textContent = "";
  $("article-body").replaceChildren();
  $("similar").hidden = true;
  $("similar-list").replaceChildren();
  $("article-link").hidden = true;
  $("cite").disabled = true;
  $("keep-article").disabled = true;
  $("cite-status").textContent = "";
}

async function showArticle(s) {
  clearArticle("جارٍ تحميل المقال…");
  $("back").href = searchHref(s);
  const params = new URLSearchParams();
  if (s.q) params.set("q", s.q);
  const article = await getJson(`/api/articles/${encodeURIComponent(s.article)}?` + params.toString(), s);
  if (route().article !== s.article) return; // the reader moved on
  currentArticle = article;
  lastArticle = s.article;
  $("article-title").replaceChildren(article.title ? highlighted(article.title, article.title_highlights) : "(بلا عنوان)");
  document.title = `${shortened(article.title || "مقال")} — فهرس`;
  const meta = [outletName(article.source), article.date || "بلا تاريخ"];
  if (isAuthor(article.author, article.source)) meta.push(article.author);
  if (article.collection) meta.push(`المجموعة: ${article.collection}`);
  $("article-meta").textContent = isolateDates(meta.join(" · "));
  const url = article.url && webAddress(article.url);
  if (url) {
    $("article-url").href = url;
    $("article-url").textContent = article.url;
    $("article-link").hidden = false;
  }
  const body = $("article-body");
  for (const passage of article.passages) {
    const p = element("p", { class: "passage" });
    p.append(highlighted(passage.text, passage.highlights));
    body.append(p);
  }
  $("cite").disabled = false;
  $("keep-article").disabled = false;
  $("article").focus();
  showSimilar(s);
}

// "More like this" under an article, when the index has passage vectors (without them, or on
// any failure, the section stays hidden: it is an extra, not the article).
async function showSimilar(s) {
  let answer;
  try {
    answer = await getJson(`/api/similar/${encodeURIComponent(s.article)}?limit=5`, s);
  } catch (_) {
    return;
  }
  await statsLoaded; // the outlets' display names
  if (route().article !== s.article || !answer.hits.length) return;
  const list = $("similar-list");
  list.replaceChildren(...answer.hits.map((hit) => similarItem(hit, s)));
  $("similar").hidden = false;
}

// One line per nearby article: its title (a link to it) and where and when it appeared; the
// passages are the article's own page.
function similarItem(hit, s) {
  const title = element("a", { class: "title", href: articleHref(hit.article_id, { ...s, article: "" }) });
  title.append(hit.title || "(بلا عنوان)");
  const meta = [outletName(hit.source), hit.date || "بلا تاريخ"];
  return element("li", {}, element("h3", { class: "result-heading" }, title),
    element("div", { class: "meta" }, isolateDates(meta.join(" · "))));
}

async function copyCitation() {
  if (!currentArticle) return;
  const text = currentArticle.citation;
  try {
    await navigator.clipboard.writeText(text);
    $("cite-status").textContent = "نُسخ الاستشهاد: " + isolateDates(text);
  } catch (_) {
    $("cite-status").textContent = "انسخ الاستشهاد: " + isolateDates(text);
  }
}

// ---------------------------------------------------------------------------------------------
// Collections: keeping an article (with a tag and a note), the collections and saved searches,
// one collection with its notes, tags and exports.

// POSTs `body` as JSON (the browser adds the Origin the server checks).
const postJson = (url, body) => fetchJson(url, null, {
  method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
});

const collectionUrl = (name, rest = "") => "/api/collections/" + encodeURIComponent(name) + rest;

// What the keep dialog is about: the article, the control that opened it, a note to start from.
let keeping = null;

async function openKeep(article, opener, preset = {}) {
  keeping = { ...article, opener, onSaved: preset.onSaved, editing: preset.note !== undefined };
  $("keep-article-title").textContent = article.title || "(بلا عنوان)";
  $("keep-collection").value = preset.collection || localStorage.getItem("fahras.lastCollection") || "";
  $("keep-tag").value = "";
  $("keep-note").value = preset.note || "";
  $("keep-error").hidden = true;
  $("keep").showModal();
  try {
    const shelf = await getJson("/api/collections");
    $("keep-collections").replaceChildren(...shelf.collections.map((c) => element("option", { value: c.name })));
  } catch (_) {
    // The names are a convenience; a new name can always be typed.
  }
}

async function saveKeep() {
  const name = $("keep-collection").value.trim();
  if (!name || !keeping) return;
  const tag = $("keep-tag").value.trim();
  const note = $("keep-note").value.trim();
  try {
    const answer = await postJson(collectionUrl(name, "/add"), {
      // Editing a note may clear it; keeping an article without one leaves its note as it was.
      ids: [keeping.id], tags: tag ? [tag] : [], note: keeping.editing ? note : (note || null),
    });
    localStorage.setItem("fahras.lastCollection", name);
    $("keep").close();
    const title = keeping.title || "المقال";
    $("keep-status").textContent = answer.added
      ? `حُفظ «${title}» في مجموعة «${name}».`
      : `«${title}» محفوظ في «${name}» من قبل؛ حُدّثت ملاحظته ووسومه.`;
    if (keeping.opener) keeping.opener.focus();
    if (keeping.onSaved) keeping.onSaved();
  } catch (err) {
    $("keep-error").textContent = err instanceof ApiFailure ? err.message : "تعذر الحفظ.";
    $("keep-error").hidden = false;
  }
}

// Every collection (filed at index time or chosen by hand) and every saved search.
async function showShelf() {
  $("collections-title").textContent = "المجموعات والبحوث المحفوظة";
  const body = $("collections-body");
  body.replaceChildren(element("p", { class: "meta" }, "جارٍ التحميل…"));
  const shelf = await getJson("/api/collections");
  if (!route().shelf || route().shelfName) return;
  const collections = element("ul", { class: "list" });
  for (const c of shelf.collections) {
    const parts = [counted(c.filed + c.curated, ARTICLES)];
    if (c.curated && c.filed) parts.push(`منها ${counted(c.curated, ARTICLES)} اختير يدويًا`);
    else if (c.curated) parts.push("اختيرت يدويًا");
    else parts.push("من الفهرسة");
    collections.append(element("li", {}, element("a", { href: "/collections/" + encodeURIComponent(c.name) }, c.name),
      element("div", { class: "meta" }, parts.join(" · "))));
  }
  const saved = element("ul", { class: "list" });
  for (const search of shelf.saved) {
    const f = search.filters || {};
    const href = searchHref({
      q: search.query, sources: f.sources || [], collections: f.collections || [], tags: f.tags || [],
      from: f.from || "", to: f.to || "", sort: "newest", exact: false, offset: 0,
    });
    const fresh = search.new ? counted(search.new, { one: "مقال جديد", two: "مقالان جديدان", few: "مقالات جديدة", many: "مقالًا جديدًا", other: "مقال جديد" }) : "لا جديد";
    saved.append(element("li", {}, element("a", { href }, search.name),
      element("div", { class: "meta" }, `«${search.query}» · ${fresh} منذ آخر تشغيل`)));
  }
  body.replaceChildren(
    element("h3", {}, "المجموعات"),
    shelf.collections.length ? collections : element("p", { class: "meta" }, "لا مجموعات بعد: احفظ مقالًا من نتائج البحث في مجموعة، أو فهرس مجلدًا باسم مجموعة (fahras index --collection)."),
    element("h3", {}, "البحوث المحفوظة"),
    shelf.saved.length ? saved : element("p", { class: "meta" }, "لا بحوث محفوظة بعد (fahras saved add)."),
  );
}

// One collection: its articles in date order with their notes and tags, and its exports.
async function showCollection(name) {
  $("collections-title").textContent = `مجموعة «${name}»`;
  const body = $("collections-body");
  body.replaceChildren(element("p", { class: "meta" }, "جارٍ التحميل…"));
  const collection = await getJson(collectionUrl(name));
  if (route().shelfName !== name) return;
  const exports = element("p", { class: "meta" }, "تصدير المجموعة: ");
  for (const [format, label] of [["csv", "CSV"], ["ris", "RIS"], ["csljson", "CSL-JSON (Zotero)"], ["jsonl", "JSONL"]]) {
    exports.append(element("a", { href: collectionUrl(name, "/export?format=" + format), download: "" }, label), " ");
  }
  const list = element("ul", { class: "list" });
  for (const a of collection.articles) {
    const record = a;
    const title = a.missing
      ? element("span", {}, a.title || "(بلا عنوان)")
      : element("a", { class: "title", href: "/article/" + encodeURIComponent(a.article_id) }, a.title || "(بلا عنوان)");
    const meta = [a.outlet || outletName(a.source), a.date || "بلا تاريخ"];
    const item = element("li", {}, element("h3", { class: "result-heading" }, title),
      element("div", { class: "meta" }, isolateDates(meta.join(" · "))));
    if (a.missing) item.append(element("div", { class: "missing" }, "لم يعد في الفهرس؛ يُعرض كما كان عند حفظه."));
    if (a.tags.length) item.append(element("ul", { class: "chips", "aria-label": "الوسوم" }, ...a.tags.map((t) => element("li", {}, element("a", { href: searchHref({ q: "", sources: [], collections: [name], tags: [t], from: "", to: "", sort: "", exact: false, offset: 0 }) }, t)))));
    if (a.note) item.append(element("p", { class: "note" }, a.note));
    const tools = element("div", { class: "toolbar" });
    const edit = element("button", { type: "button", class: "secondary keep" }, a.note ? "عدّل الملاحظة" : "أضف ملاحظة");
    edit.addEventListener("click", () => openKeep({ id: record.article_id, title: record.title }, edit,
      { collection: name, note: record.note, onSaved: () => showCollection(name) }));
    tools.append(edit);
    if (a.curated) {
      const drop = element("button", { type: "button", class: "secondary keep" }, "أزل من المجموعة");
      drop.addEventListener("click", async () => {
        try {
          await postJson(collectionUrl(name, "/drop"), { ids: [record.article_id] });
          $("keep-status").textContent = `أُزيل «${record.title}» من «${name}» (وبقي في الفهرس).`;
          await showCollection(name);
        } catch (err) {
          showError(err instanceof ApiFailure ? err.message : "تعذر الحذف.");
        }
      });
      tools.append(drop);
    }
    item.append(tools);
    list.append(item);
  }
  body.replaceChildren(
    element("p", { class: "meta" }, counted(collection.articles.length, ARTICLES)),
    exports,
    collection.articles.length ? list : element("p", { class: "meta" }, "المجموعة فارغة."),
  );
}

// ---------------------------------------------------------------------------------------------
// The view

const shortened = (text) => (text.length > 60 ? text.slice(0, 60) + "…" : text);

// Shows the view the address asks for. `how.fromHistory`: reached by Back or Forward (the
// results come back where the reader left them); `how.focus === "summary"`: the focus moves to
// the summary of what changed.
async function render(how = {}) {
  const s = route();
  $("q").value = s.q;
  $("source").value = s.sources[0] || "";
  $("from").value = s.from;
  $("to").value = s.to;
  $("exact").checked = s.exact;
  $("sort").value = s.sort;
  showError("");
  const inArticle = Boolean(s.article);
  const searching = !inArticle && !s.shelf;
  $("article").hidden = !inArticle;
  $("results-view").hidden = !searching;
  $("collections-view").hidden = !s.shelf;
  $("panel").hidden = !searching;
  $("panel-toggle").hidden = !searching;
  $("keep-status").textContent = "";
  if (how.focus === "summary") closePanel();
  document.title = s.q ? `${shortened(s.q)} — فهرس` : "فهرس — البحث في أرشيف الأخبار";
  try {
    if (s.unknown) throw new ApiFailure("هذه الصفحة غير موجودة؛ ابحث من جديد.");
    if (inArticle) {
      await showArticle(s);
      return;
    }
    if (s.shelf) {
      document.title = (s.shelfName ? shortened(s.shelfName) : "المجموعات") + " — فهرس";
      await (s.shelfName ? showCollection(s.shelfName) : showShelf());
      return;
    }
    await runSearch(s, how);
    if (searchHref(route()) !== searchHref(s) || route().article) return;
    if (how.fromHistory) {
      window.scrollTo(0, (history.state && history.state.scrollY) || 0);
      const path = "/article/" + encodeURIComponent(lastArticle);
      const link = [...document.querySelectorAll("ol#results a.title")]
        .find((a) => new URL(a.href).pathname === path);
      if (link) link.focus({ preventScroll: true });
    } else if (how.focus === "summary") {
      $("summary").focus();
    }
  } catch (err) {
    // A failure of a view the reader has already left must not replace the one they are on.
    const now = route();
    if (now.article !== s.article || now.shelfName !== s.shelfName || now.shelf !== s.shelf || searchHref(now) !== searchHref(s)) return;
    if (inArticle) clearArticle("تعذر عرض المقال");
    else if (s.shelf) $("collections-body").replaceChildren();
    else clearResults();
    $("summary").textContent = "";
    showError(err instanceof ApiFailure ? err.message : "حدث خطأ غير متوقع في الصفحة.");
  }
}

function closePanel() {
  $("panel").classList.remove("open");
  $("panel-toggle").setAttribute("aria-expanded", "false");
}

// The form's values as a new search.
function formSearch() {
  const source = $("source").value;
  const s = route();
  // The select shows the first outlet of the address; unchanged, the others stay.
  const sources = source === (s.sources[0] || "") ? s.sources : (source ? [source] : []);
  return {
    ...s, article: "", q: $("q").value, sources, from: $("from").value, to: $("to").value,
    exact: $("exact").checked, sort: $("sort").value, offset: 0,
  };
}

$("search").addEventListener("submit", (event) => {
  event.preventDefault();
  navigate(searchHref(formSearch()));
});
for (const id of ["source", "from", "to", "exact", "sort"]) {
  $(id).addEventListener("change", () => navigate(searchHref(formSearch())));
}
$("cite").addEventListener("click", copyCitation);
$("keep-article").addEventListener("click", () => {
  if (currentArticle) openKeep({ id: currentArticle.article_id, title: currentArticle.title }, $("keep-article"));
});
$("keep-form").addEventListener("submit", (event) => {
  event.preventDefault();
  saveKeep();
});
$("keep-cancel").addEventListener("click", () => $("keep").close());
$("panel-toggle").addEventListener("click", () => {
  const open = $("panel").classList.toggle("open");
  $("panel-toggle").setAttribute("aria-expanded", String(open));
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && route().article) {
    event.preventDefault();
    backToResults();
  }
  if (event.key === "/" && !["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName)) {
    event.preventDefault();
    $("q").focus();
  }
});
window.addEventListener("popstate", () => render({ fromHistory: true }));
// The page puts the reader back where they were itself (the results are drawn after the
// browser would have scrolled).
history.scrollRestoration = "manual";

// For the browser test: the wording rules.
window.fahrasWording = { counted, pluralCategory, ARTICLES, PASSAGES, noteText, errorText };

// Render from the address at once; outlet names fill in when the statistics arrive.
render();
