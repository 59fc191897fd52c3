#!/usr/bin/env bash
# The README's screenshots of the search page: a search over the ANT corpus at 1280 px and at
# 390 px (a phone, filters open), in headless Chromium.
#   benches/screenshots.sh [INDEX]     (default: indexes ../shared/corpora/ant-v2.1 into a temp dir)
# Needs what the browser test needs: node, /usr/bin/chromium, and playwright-core in
# target/browser-test (as .ci/run installs them). Writes docs/screenshot-{desktop,phone}.png.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-18768}
query=${QUERY:-قمة هلسنكي}
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/fahras
work=$(mktemp -d /tmp/fahras-screenshots.XXXXXX)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
index=${1:-}
if [ -z "$index" ]; then
  index=$work/index
  "$bin" index "${FAHRAS_SHARED:-../shared}/corpora/ant-v2.1" --index "$index" --quiet
fi
"$bin" serve --index "$index" --addr "127.0.0.1:$port" > "$work/serve.log" &
server=$!
for _ in $(seq 100); do grep -q serving "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
NODE_PATH=$PWD/target/browser-test/node_modules node - "http://127.0.0.1:$port/" "$query" docs <<'JS'
const path = require("path");
const { chromium } = require("playwright-core");
(async () => {
  const [base, query, out] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--headless", "--no-sandbox"] });
  const shoot = async (viewport, file, openPanel) => {
    const page = await (await browser.newContext({ viewport, locale: "ar", isMobile: viewport.width < 500 })).newPage();
    await page.goto(base + "?q=" + encodeURIComponent(query));
    await page.waitForFunction(() => document.querySelector("ol#results li") && !document.getElementById("summary").textContent.startsWith("جارٍ"));
    if (openPanel) await page.locator("#panel-toggle").click();
    await page.screenshot({ path: path.join(out, file) });
  };
  await shoot({ width: 1280, height: 900 }, "screenshot-desktop.png", false);
  await shoot({ width: 390, height: 844 }, "screenshot-phone.png", true);
  await browser.close();
})().catch((err) => { console.error(err); process.exit(1); });
JS
echo "wrote docs/screenshot-desktop.png and docs/screenshot-phone.png ($query)"
