//! The search page in a real browser (headless Chromium through playwright-core).
//!
//! Needs `node`, Chromium (`/usr/bin/chromium` or `$CHROMIUM`), playwright-core and axe-core (in
//! `$FAHRAS_PLAYWRIGHT_DIR/node_modules`, default `target/browser-test`); `.ci/run` installs them
//! and sets `FAHRAS_REQUIRE_BROWSER=1`, which turns a missing piece into a failure. Elsewhere the
//! test says what is missing and passes without running.
//!
//! The script (`tests/browser/page_test.cjs`) drives the page as a reader would and prints what
//! it saw as JSON; the assertions are here.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::server::Server;
use common::{index_quietly, write, TempDirs};

fn playwright_dir() -> PathBuf {
    std::env::var_os("FAHRAS_PLAYWRIGHT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-test"))
}

fn missing_pieces() -> Vec<String> {
    let mut missing = Vec::new();
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node".to_owned());
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    if !Path::new(&chromium).exists() {
        missing.push(chromium);
    }
    for module in ["playwright-core", "axe-core"] {
        let module = playwright_dir().join("node_modules").join(module);
        if !module.exists() {
            missing.push(module.display().to_string());
        }
    }
    missing
}

/// Articles about a summit from three outlets over six months (enough for facets, a timeline
/// and three pages), one with a very long address, and one whose title and text are markup.
fn page_fixture() -> (TempDirs, PathBuf) {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let doc = |id: &str, src: &str, url: &str, time: &str, title: &str, text: &str| {
        format!("<DOC>\n<DOCNO>{id}</DOCNO>\n<SRC>{src}</SRC>\n<URL>{url}</URL>\n<TITLE>{title}</TITLE>\n<TIME>{time}</TIME>\n<TEXT>\n{text}\n</TEXT>\n</DOC>\n")
    };
    let outlets = ["alarabia", "skynews", "BBC", "alarabia"];
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"];
    for i in 0..24 {
        let id = format!("S{i:02}");
        let url = if i == 0 {
            format!(
                "http://www.alarabiya.net/ar/arab-and-world/2018/01/03/{}.html",
                "قمة-".repeat(30)
            )
        } else {
            format!("http://example.org/news/{id}")
        };
        let time = format!("Wed, {:02} {} 2018 10:00:00 GMT", 3 + i % 20, months[i % 6]);
        let text = format!(
            "قال المتحدث إن القمة المقبلة ستبحث الأمن في المنطقة، وهذا الخبر رقم {i}.\n\n{}",
            distinct_paragraph(i)
        );
        write(
            corpus.join(format!("{id}.txt")),
            doc(
                &id,
                outlets[i % 4],
                &url,
                &time,
                &format!("قمة رقم {i} في العاصمة"),
                &text,
            ),
        );
    }
    common::write_hostile_article(&corpus, "javascript:window.__xss=1");
    let index = dirs.index();
    index_quietly(&corpus, &index);
    (dirs, index)
}

/// Sixty words in an order of their own per `seed` (articles that are not copies of each other).
fn distinct_paragraph(seed: usize) -> String {
    let mut words: Vec<String> = common::arabic_paragraph(0, 24)
        .split(' ')
        .enumerate()
        .map(|(i, w)| format!("{w}{}", ["", "ات", "ين", "ية"][i % 4]))
        .collect();
    words.extend((0..36).map(|i| {
        format!(
            "كلمة{}",
            ["أ", "ب", "ت", "ث", "ج", "ح"][i % 6].repeat(1 + i / 6)
        )
    }));
    // A permutation by a linear congruential generator seeded per article.
    let mut state = seed as u64 * 2_654_435_761 + 1;
    for i in (1..words.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        words.swap(i, (state >> 33) as usize % (i + 1));
    }
    words.join(" ")
}

#[test]
fn the_page_works_as_a_reader_uses_it_on_a_laptop_and_a_phone() {
    let missing = missing_pieces();
    if !missing.is_empty() {
        assert!(
            std::env::var_os("FAHRAS_REQUIRE_BROWSER").is_none(),
            "browser test required but missing: {missing:?}"
        );
        eprintln!("browser test not run: missing {missing:?}");
        return;
    }
    let (dirs, index) = page_fixture();
    let server = Server::start(&index);
    let shots = dirs.root.path().join("shots");
    std::fs::create_dir_all(&shots).unwrap();
    let output = Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/page_test.cjs"))
        .arg(format!("http://{}/", server.addr))
        .arg(&shots)
        .env("NODE_PATH", playwright_dir().join("node_modules"))
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    let seen: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&output.stdout).trim()).unwrap();
    let text = |key: &str| seen[key].as_str().unwrap_or_default().to_owned();
    let number = |key: &str| seen[key].as_u64().unwrap_or(u64::MAX);
    let strings = |key: &str| -> Vec<String> {
        seen[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} missing: {seen}"))
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let no_latin = |s: &str| !s.chars().any(|c| c.is_ascii_alphabetic());

    // The policy forbids inline script; nothing the page does breaks it.
    assert!(!text("csp").contains("unsafe-inline"), "{seen}");
    assert!(text("csp").contains("script-src 'self'"), "{seen}");
    assert!(
        seen["consoleErrors"].as_array().unwrap().is_empty(),
        "{seen}"
    );
    assert_eq!(seen["favicon"], 200, "{seen}");
    // The start page: what the index holds, no empty pager.
    assert!(text("intro").contains("يضم الفهرس"), "{seen}");
    assert_eq!(seen["startPagerHidden"], true, "{seen}");

    // A search, right to left, with marked hits; titles are links to the article's address.
    assert_eq!(seen["dir"], "rtl");
    assert_eq!(seen["lang"], "ar");
    assert_eq!(seen["direction"], "rtl");
    assert_eq!(number("results"), 10, "{seen}");
    let marks = strings("marks");
    assert!(
        !marks.is_empty() && marks.iter().all(|m| m.contains("قمة")),
        "{seen}"
    );
    assert!(text("url").contains("?q="), "{seen}");
    assert!(text("titleHref").starts_with("/article/S"), "{seen}");
    assert!(
        text("summary").contains("25 مقالًا") || text("summary").contains("24 مقالًا"),
        "{seen}"
    );
    assert!(no_latin(&text("summary").replace("م.ث", "")), "{seen}");

    // Outlet facet: display names sorted by the query's counts; a click narrows to it.
    let outlets = strings("facetOutlets");
    assert_eq!(outlets[0], "العربية (12)", "{seen}");
    assert!(outlets.iter().any(|o| o == "سكاي نيوز عربية (6)"), "{seen}");
    assert!(text("afterFacetUrl").contains("source=alarabia"), "{seen}");
    assert!(
        strings("afterFacetMeta")
            .iter()
            .all(|m| m.starts_with("العربية")),
        "{seen}"
    );
    assert!(text("afterFacetSummary").contains("12 مقالًا"), "{seen}");

    // Timeline: an SVG bar per period; a click narrows the dates to that period.
    assert!(number("timelineBars") >= 5, "{seen}");
    let url = text("afterTimelineUrl");
    assert!(
        url.contains("from=2018-") && url.contains("to=2018-"),
        "{seen}"
    );
    let (from, to) = (text("timelineFrom"), text("timelineTo"));
    let dates = strings("afterTimelineDates");
    assert!(!dates.is_empty(), "{seen}");
    assert!(
        dates.iter().all(|d| *d >= from && *d <= to),
        "{from}..{to}: {seen}"
    );

    // Sort: oldest first is in the address and in the order.
    assert!(text("sortUrl").contains("sort=oldest"), "{seen}");
    let sorted = strings("sortDates");
    assert!(sorted.windows(2).all(|w| w[0] <= w[1]), "{seen}");

    // Paging by links.
    assert!(text("page2Url").contains("offset=10"), "{seen}");
    assert_eq!(text("page2Info"), "الصفحة 2", "{seen}");
    assert_eq!(number("page2Results"), 10, "{seen}");

    // An article opened by its address, as a new tab or a reload would.
    assert_eq!(text("directTitle"), "قمة رقم 1 في العاصمة", "{seen}");
    assert!(number("directMarks") >= 1, "{seen}");
    assert_eq!(
        text("directSourceHref"),
        "http://example.org/news/S01",
        "{seen}"
    );
    assert_eq!(text("directSourceDir"), "ltr", "{seen}");
    assert!(text("directBackHref").starts_with("/?q="), "{seen}");
    assert!(text("keyboardArticleUrl").contains("/article/"), "{seen}");
    assert!(text("citation").contains("سكاي نيوز عربية"), "{seen}");
    // A failed load leaves no trace of the article before it.
    let failed = text("failedError");
    assert!(!failed.is_empty() && no_latin(&failed), "{seen}");
    assert_eq!(text("failedTitle"), "تعذر عرض المقال", "{seen}");
    assert_eq!(number("failedPassages"), 0, "{seen}");
    assert_eq!(seen["failedCiteDisabled"], true, "{seen}");

    // Back from an article: no new entry, the place and the focus kept.
    assert_eq!(text("backFocus"), text("backTarget"), "{seen}");
    assert!(number("backScrollY") > 0, "{seen}");
    assert_eq!(
        number("backHistoryAdded"),
        0,
        "Escape goes back rather than adding an entry: {seen}"
    );
    assert!(!text("backUrl").contains("/article/"), "{seen}");

    // Export of the whole result set as a download.
    assert_eq!(text("exportName"), "fahras-قمة.csv", "{seen}");
    assert!(
        text("exportHead").starts_with("\u{FEFF}id,collection,title"),
        "{seen}"
    );
    assert_eq!(number("exportRows"), number("totalArticles"), "{seen}");

    // Arabic throughout: notes and errors are Arabic sentences, counts agree.
    let notes = text("notes");
    assert!(!notes.is_empty() && no_latin(&notes), "{seen}");
    // Did you mean, in Arabic, with a link to the corrected search.
    let suggestion = text("suggestion");
    assert!(
        suggestion.contains("هل تقصد") && suggestion.contains("المنكقة"),
        "{seen}"
    );
    assert!(text("suggestionHref").starts_with("/?q="), "{seen}");
    let too_long = text("tooLongError");
    assert!(too_long.contains("أطول من"), "{seen}");
    assert_eq!(
        strings("wording"),
        [
            "لا مقالات",
            "مقال واحد",
            "مقالان",
            "3 مقالات",
            "10 مقالات",
            "11 مقالًا",
            "99 مقالًا",
            "100 مقال",
            "101 مقال",
            "103 مقالات",
            "1,000 مقال",
            "1,011 مقالًا",
        ],
        "{seen}"
    );

    // A phone: no sideways scrolling, the search button on screen, filters behind a toggle.
    assert!(number("phoneScrollWidth") <= 390, "{seen}");
    assert!(number("phoneArticleScrollWidth") <= 390, "{seen}");
    assert_eq!(seen["phoneButtonInside"], true, "{seen}");
    assert_eq!(seen["phonePanelHiddenFirst"], true, "{seen}");
    assert_eq!(seen["phonePanelShownAfterToggle"], true, "{seen}");
    assert_eq!(seen["phonePanelClosedAfterFacet"], true, "{seen}");

    // An article kept in a collection from the results, with its tag and note; the collections
    // view lists it, shows it, exports it, and drops it again.
    assert!(text("keepStatus").contains("ملف القمة"), "{seen}");
    assert!(strings("shelf").iter().any(|c| c == "ملف القمة"), "{seen}");
    assert!(text("collectionUrl").contains("/collections/"), "{seen}");
    assert_eq!(text("collectionArticle"), text("keptTitle"), "{seen}");
    assert_eq!(text("collectionNote"), "للمراجعة", "{seen}");
    assert_eq!(strings("collectionTags"), ["تصريحات"], "{seen}");
    let exports = strings("collectionExports");
    assert!(
        exports.iter().any(|e| e.ends_with("format=csljson")),
        "{seen}"
    );
    assert!(text("afterDrop").contains("المجموعة فارغة"), "{seen}");

    // Hostile archive text never runs, and a javascript: address is not a link.
    assert_eq!(seen["xssExecuted"], false, "{seen}");
    assert_eq!(number("injectedElements"), 0, "{seen}");
    assert!(text("hostileTitleText").contains("<script>"), "{seen}");
    assert_eq!(seen["hostileLinkShown"], false, "{seen}");
    assert!(seen["dialogs"].as_array().unwrap().is_empty(), "{seen}");

    // Accessibility (axe-core, WCAG 2 A and AA) on the results, an article and the phone layout.
    assert!(seen["axe"].as_array().unwrap().is_empty(), "{seen}");

    for shot in ["desktop.png", "phone.png"] {
        let size = std::fs::metadata(shots.join(shot)).map_or(0, |m| m.len());
        assert!(size > 10_000, "{shot}: {size} bytes");
    }
}
