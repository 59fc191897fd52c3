// Drives the search page in headless Chromium: types a query, checks right-to-left results with
// <mark> hits, opens an article, checks that hostile article text did not execute, and takes a
// screenshot. Usage: node page_test.cjs BASE_URL QUERY HOSTILE_QUERY SCREENSHOT.png
// Prints one JSON object with what it saw.
const { chromium } = require("playwright-core");

// Waits for result items; on failure says what the page showed instead.
async function waitForResults(page) {
  try {
    await page.waitForSelector("ol#results li", { timeout: 20000 });
  } catch (err) {
    const shown = await page.evaluate(() => ({
      url: location.href,
      query: document.getElementById("q").value,
      summary: document.getElementById("summary").textContent,
      error: document.getElementById("error").textContent,
    }));
    throw new Error("no results: " + JSON.stringify(shown) + " (" + err.message + ")");
  }
}

(async () => {
  const [base, query, hostileQuery, screenshot] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, locale: "ar" });
  const dialogs = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  page.on("pageerror", (e) => console.error("page error:", e.message));
  page.on("console", (m) => { if (m.type() === "error") console.error("console:", m.text()); });
  const seen = {};
  await page.goto(base);
  // Keyboard only: the search box has autofocus; wait until it has it (a loaded machine can
  // apply autofocus after the load event), then type and press Enter.
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === "q");
  await page.keyboard.type(query);
  await page.keyboard.press("Enter");
  await waitForResults(page);
  seen.dir = await page.evaluate(() => document.documentElement.getAttribute("dir"));
  seen.lang = await page.evaluate(() => document.documentElement.getAttribute("lang"));
  seen.results = await page.locator("ol#results li").count();
  seen.marks = await page.locator("ol#results mark").allTextContents();
  seen.url = page.url();
  seen.direction = await page.evaluate(() => getComputedStyle(document.querySelector("ol#results li")).direction);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: false });
  // Open the first article with the keyboard.
  await page.locator("ol#results .title").first().focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector("#article:not([hidden]) #article-body p");
  seen.articleMarks = await page.locator("#article-body mark").count();
  seen.articleUrl = page.url();
  await page.keyboard.press("Escape");
  await waitForResults(page);
  // The hostile article: its markup must show as text and never run.
  await page.goto(base + "?q=" + encodeURIComponent(hostileQuery));
  await waitForResults(page);
  await page.locator("ol#results .title").first().click();
  await page.waitForSelector("#article:not([hidden]) #article-body p");
  await page.waitForTimeout(300);
  seen.xssExecuted = await page.evaluate(() => window.__xss !== undefined);
  seen.injectedElements = await page.evaluate(() => document.querySelectorAll("#results img, #results script, #article img, #article-body script, #article-title script").length);
  seen.hostileTitleText = await page.locator("#article-title").textContent();
  seen.dialogs = dialogs;
  console.log(JSON.stringify(seen));
  await browser.close();
})().catch((err) => { console.error(err); process.exit(1); });
