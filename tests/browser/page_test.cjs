// Drives the search page in headless Chromium as a reader would: a search, a facet, the
// timeline, sort, paging, an article opened by its address, a failed article load, an export
// download, the layout on a phone, hostile archive text, Arabic wording and an axe-core check.
// Usage: node page_test.cjs BASE_URL SCREENSHOT_DIR. Prints one JSON object with what it saw
// (tests/browser.rs asserts on it). Every wait is for a condition, never for a time.
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const QUERY = "قمة";
const HOSTILE_QUERY = "تقرير";

(async () => {
  const [base, shots] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const seen = { consoleErrors: [], dialogs: [], axe: [] };
  const watch = (page) => {
    page.on("dialog", (d) => { seen.dialogs.push(d.message()); d.dismiss(); });
    page.on("pageerror", (e) => seen.consoleErrors.push("page error: " + e.message));
    page.on("console", (m) => {
      // A failed article load is logged by the browser as a failed request (404); that is the
      // server answering, not the page failing.
      if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) seen.consoleErrors.push(m.text());
    });
  };
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "ar", acceptDownloads: true });
  const page = await desktop.newPage();
  watch(page);

  // Waits until the page shows results for the address it is at.
  const results = async () => {
    await page.waitForFunction(() => {
      const summary = document.getElementById("summary").textContent;
      return document.querySelector("ol#results li") && !summary.startsWith("جارٍ");
    }, null, { timeout: 20000 }).catch(async (err) => {
      const shown = await page.evaluate(() => ({
        url: location.href, summary: document.getElementById("summary").textContent,
        error: document.getElementById("error").textContent,
      }));
      throw new Error("no results: " + JSON.stringify(shown) + " (" + err.message + ")");
    });
  };
  const urlBecomes = (test) => page.waitForFunction(test, null, { timeout: 20000 });
  const texts = (selector) => page.locator(selector).allTextContents();
  // Dates are shown isolated left to right (U+2066 … U+2069).
  const plain = (text) => text.replace(/[\u2066-\u2069]/g, "");
  const metaDates = async () => (await texts("ol#results li .meta")).map((m) => plain(m).split(" · ")[1]);

  // The start page.
  const response = await page.goto(base);
  seen.csp = response.headers()["content-security-policy"] || "";
  seen.favicon = (await page.request.get(base + "favicon.svg")).status();
  await page.waitForFunction(() => document.getElementById("intro").textContent.length > 0);
  seen.intro = await page.locator("#intro").textContent();
  seen.startPagerHidden = await page.locator("#pager").isHidden();

  // A search typed with the keyboard (the box has autofocus; a loaded machine may apply it late).
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === "q");
  await page.keyboard.type(QUERY);
  await page.keyboard.press("Enter");
  await results();
  seen.dir = await page.evaluate(() => document.documentElement.getAttribute("dir"));
  seen.lang = await page.evaluate(() => document.documentElement.getAttribute("lang"));
  seen.direction = await page.evaluate(() => getComputedStyle(document.querySelector("ol#results li")).direction);
  seen.results = await page.locator("ol#results li").count();
  seen.marks = await texts("ol#results .passage mark");
  seen.url = page.url();
  seen.summary = await page.locator("#summary").textContent();
  seen.titleHref = await page.locator("ol#results .title").first().getAttribute("href");
  seen.totalArticles = parseInt(seen.summary.replace(/,/g, ""), 10);
  if (shots) await page.screenshot({ path: path.join(shots, "desktop.png") });
  seen.axe.push(...await axeViolations(browser, page.url(), { width: 1280, height: 900 }));

  // The export of the whole result set, as a download.
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#export-csv").click()]);
  seen.exportName = download.suggestedFilename();
  const csv = fs.readFileSync(await download.path(), "utf8");
  seen.exportHead = csv.slice(0, 40);
  seen.exportRows = csv.split("\r\n").filter((line) => /^S\d\d,|^X1,/.test(line)).length;

  // An outlet facet: display names with the query's own counts.
  seen.facetOutlets = (await texts("#facets section:first-child a")).map((t) => t.trim());
  await page.locator("#facets section:first-child a").first().click();
  await urlBecomes(() => location.search.includes("source="));
  await results();
  seen.afterFacetUrl = page.url();
  seen.afterFacetMeta = await texts("ol#results li .meta");
  seen.afterFacetSummary = await page.locator("#summary").textContent();

  // The timeline: a bar with articles narrows the dates to its period.
  await page.goto(base + "?q=" + encodeURIComponent(QUERY));
  await results();
  seen.timelineBars = await page.locator("#timeline-chart a").count();
  const bar = page.locator("#timeline-chart a").filter({ hasNot: page.locator("rect.empty") }).nth(1);
  const barHref = await bar.getAttribute("href");
  await bar.click();
  await urlBecomes(() => location.search.includes("from="));
  await results();
  seen.afterTimelineUrl = page.url();
  const barParams = new URL(barHref, base).searchParams;
  seen.timelineFrom = barParams.get("from");
  seen.timelineTo = barParams.get("to");
  seen.afterTimelineDates = await metaDates();

  // Sort, oldest first.
  await page.goto(base + "?q=" + encodeURIComponent(QUERY));
  await results();
  await page.locator("#sort").selectOption("oldest");
  await urlBecomes(() => location.search.includes("sort=oldest"));
  await results();
  seen.sortUrl = page.url();
  seen.sortDates = await metaDates();

  // Paging.
  await page.goto(base + "?q=" + encodeURIComponent(QUERY));
  await results();
  await page.locator("#next").click();
  await urlBecomes(() => location.search.includes("offset=10"));
  await results();
  seen.page2Url = page.url();
  seen.page2Info = await page.locator("#page-info").textContent();
  seen.page2Results = await page.locator("ol#results li").count();

  // Notes and errors are Arabic sentences.
  await page.goto(base + "?q=" + encodeURIComponent('"' + QUERY));
  await results();
  seen.notes = await page.locator("#notes").textContent();
  // A word that finds nothing is searched as the word a typo away, and the page says so.
  await page.goto(base + "?q=" + encodeURIComponent("المنكقة"));
  await results();
  seen.suggestion = await page.locator("#suggestions").textContent();
  seen.suggestionHref = await page.locator("#suggestions a").first().getAttribute("href");
  await page.goto(base + "?q=" + "ب".repeat(1001));
  await page.waitForSelector("#error:not([hidden])");
  seen.tooLongError = await page.locator("#error").textContent();
  seen.wording = await page.evaluate(() => [0, 1, 2, 3, 10, 11, 99, 100, 101, 103, 1000, 1011]
    .map((n) => window.fahrasWording.counted(n, window.fahrasWording.ARTICLES)));

  // An article opened by its address (a new tab, a reload, a shared link).
  await page.goto(base + "article/S01?q=" + encodeURIComponent(QUERY));
  await page.waitForSelector("#article:not([hidden]) #article-body p");
  seen.directTitle = await page.locator("#article-title").textContent();
  seen.directMarks = await page.locator("#article-body mark").count();
  seen.directSourceHref = await page.locator("#article-url").getAttribute("href");
  seen.directSourceDir = await page.locator("#article-url").getAttribute("dir");
  seen.directBackHref = await page.locator("#back").getAttribute("href");
  await page.locator("#cite").click();
  await page.waitForFunction(() => document.getElementById("cite-status").textContent.length > 0);
  seen.citation = await page.locator("#cite-status").textContent();
  seen.axe.push(...await axeViolations(browser, page.url(), { width: 1280, height: 900 }));
  // Then an article that fails to load: nothing of the previous one may stay.
  await page.evaluate(() => {
    history.pushState(null, "", "/article/NOPE?q=x");
    dispatchEvent(new PopStateEvent("popstate"));
  });
  await page.waitForSelector("#error:not([hidden])");
  seen.failedError = await page.locator("#error").textContent();
  seen.failedTitle = await page.locator("#article-title").textContent();
  seen.failedPassages = await page.locator("#article-body p").count();
  seen.failedCiteDisabled = await page.locator("#cite").isDisabled();

  // Results to article with the keyboard, and back with Escape.
  await page.goto(base + "?q=" + encodeURIComponent(QUERY));
  await results();
  await page.locator("ol#results .title").first().focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector("#article:not([hidden]) #article-body p");
  seen.keyboardArticleUrl = page.url();
  await page.keyboard.press("Escape");
  await results();

  // Back from an article is the browser's Back: the results come back where the reader left
  // them, with the focus on the article's link, and no entry is added.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const lastTitle = page.locator("ol#results .title").last();
  seen.backTarget = await lastTitle.getAttribute("href");
  await lastTitle.click();
  await page.waitForSelector("#article:not([hidden]) #article-body p");
  const historyBefore = await page.evaluate(() => history.length);
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => document.activeElement && document.activeElement.classList.contains("title"));
  seen.backFocus = await page.evaluate(() => document.activeElement.getAttribute("href"));
  seen.backScrollY = await page.evaluate(() => window.scrollY);
  seen.backHistoryAdded = (await page.evaluate(() => history.length)) - historyBefore;
  seen.backUrl = page.url();

  // Keeping an article in a collection from the results, with a tag and a note.
  await page.goto(base + "?q=" + encodeURIComponent(QUERY));
  await results();
  seen.keptTitle = await page.locator("ol#results .title").first().textContent();
  await page.locator("ol#results .keep").first().click();
  await page.waitForSelector("#keep[open]");
  await page.locator("#keep-collection").fill("ملف القمة");
  await page.locator("#keep-tag").fill("تصريحات");
  await page.locator("#keep-note").fill("للمراجعة");
  await page.locator("#keep-save").click();
  await page.waitForFunction(() => document.getElementById("keep-status").textContent.length > 0);
  seen.keepStatus = await page.locator("#keep-status").textContent();
  // The collections view lists it; the collection shows the article with its note and tag.
  await page.locator(".site-nav a[href='/collections']").click();
  await page.waitForSelector("#collections-view:not([hidden]) ul.list li a");
  seen.shelf = (await texts("#collections-view ul.list li a")).map((t) => t.trim());
  seen.axe.push(...await axeViolations(browser, page.url(), { width: 1280, height: 900 }, "#collections-view ul.list li"));
  await page.locator("#collections-view ul.list li a", { hasText: "ملف القمة" }).click();
  await page.waitForSelector("#collections-view .note");
  seen.collectionUrl = page.url();
  seen.collectionArticle = await page.locator("#collections-view ul.list .title").first().textContent();
  seen.collectionNote = await page.locator("#collections-view .note").first().textContent();
  seen.collectionTags = await texts("#collections-view ul.list .chips a");
  seen.collectionExports = await page.locator("#collections-view a[download]").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  seen.axe.push(...await axeViolations(browser, page.url(), { width: 1280, height: 900 }, "#collections-view .note"));
  await page.locator("#collections-view button", { hasText: "أزل من المجموعة" }).click();
  // The collection is drawn again once the drop is done ("loading" first): wait for the end.
  await page.waitForFunction(() => document.getElementById("keep-status").textContent.includes("أُزيل")
    && !document.getElementById("collections-body").textContent.startsWith("جارٍ"));
  seen.afterDrop = await page.locator("#collections-body").textContent();

  // The hostile article: its markup shows as text and never runs; its javascript: address is
  // not a link.
  await page.goto(base + "?q=" + encodeURIComponent(HOSTILE_QUERY));
  await results();
  await page.locator("ol#results .title").first().click();
  await page.waitForSelector("#article:not([hidden]) #article-body p");
  seen.xssExecuted = await page.evaluate(() => window.__xss !== undefined);
  seen.injectedElements = await page.evaluate(() => document.querySelectorAll("#results img, #results script, #article img, #article-body script, #article-title script").length);
  seen.hostileTitleText = await page.locator("#article-title").textContent();
  seen.hostileLinkShown = await page.locator("#article-link").isVisible();

  // A phone.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "ar", isMobile: true, hasTouch: true });
  const small = await phone.newPage();
  watch(small);
  await small.goto(base + "?q=" + encodeURIComponent(QUERY));
  await small.waitForSelector("ol#results li");
  seen.phoneScrollWidth = await small.evaluate(() => document.documentElement.scrollWidth);
  seen.phoneButtonInside = await small.evaluate(() => {
    const r = document.getElementById("go").getBoundingClientRect();
    return r.left >= 0 && r.right <= window.innerWidth && r.width > 0;
  });
  seen.phonePanelHiddenFirst = await small.locator("#facets").isHidden();
  await small.locator("#panel-toggle").click();
  seen.phonePanelShownAfterToggle = await small.locator("#facets").isVisible();
  if (shots) await small.screenshot({ path: path.join(shots, "phone.png") });
  seen.axe.push(...await axeViolations(browser, small.url(), { width: 390, height: 844 }));
  // A facet tapped: the panel closes and the reader lands on the new summary.
  await small.locator("#facets section:first-child a").first().click();
  await small.waitForFunction(() => location.search.includes("source=") && document.activeElement.id === "summary");
  seen.phonePanelClosedAfterFacet = await small.locator("#facets").isHidden();
  // The article with the longest address.
  await small.goto(base + "article/S00?q=" + encodeURIComponent(QUERY));
  await small.waitForSelector("#article:not([hidden]) #article-body p");
  seen.phoneArticleScrollWidth = await small.evaluate(() => document.documentElement.scrollWidth);

  console.log(JSON.stringify(seen));
  await browser.close();
})().catch((err) => { console.error(err); process.exit(1); });

// axe-core's WCAG 2 A/AA violations on `url` (in a context that lets the test inject axe; the
// page's own policy forbids any script but its own).
async function axeViolations(browser, url, viewport, ready) {
  const context = await browser.newContext({ viewport, locale: "ar", bypassCSP: true });
  const page = await context.newPage();
  await page.goto(url);
  if (ready) {
    await page.waitForSelector(ready, { timeout: 20000 });
  } else {
    await page.waitForFunction(() => {
      const summary = document.getElementById("summary").textContent;
      const article = document.getElementById("article");
      return article.hidden ? summary && !summary.startsWith("جارٍ") : document.querySelector("#article-body p");
    }, null, { timeout: 20000 });
  }
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] }));
  await context.close();
  return result.violations.map((v) => `${url} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")})`);
}
