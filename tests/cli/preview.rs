//! `deckc preview`: the CLI (paths, exit codes, determinism), cards shown
//! exactly as the `.apkg` stores them, and the page loaded in a real
//! headless Chromium (DOM after the script ran, screenshots).

#[path = "../browser/chromium.rs"]
mod chromium;

use std::path::{Path, PathBuf};

use crate::common::*;

/// A temp dir holding a copy of the reference notes.
fn scratch() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("sino-soviet.txt");
    std::fs::copy(reference(), &notes).unwrap();
    (dir, notes)
}

/// Writes the preview of `notes` into `dir` and returns its path.
fn preview(dir: &Path, notes: &Path, extra: &[&str]) -> PathBuf {
    let out = dir.join("preview.html");
    let mut args = vec![
        "preview",
        notes.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert_code(&o, 0);
    out
}

/// The part of `dom` from the element with `id` to the next `<article`.
fn article<'a>(dom: &'a str, id: &str) -> &'a str {
    let needle = format!("id=\"{id}\"");
    assert_eq!(dom.matches(&needle).count(), 1, "one element has id {id}");
    let at = dom.find(&needle).unwrap();
    let start = dom[..at].rfind('<').unwrap();
    assert!(
        dom[start..].starts_with("<article class=\"note"),
        "#{id} is not a card: {}",
        &dom[start..at + needle.len()]
    );
    let end = dom[at..].find("<article").map_or(dom.len(), |e| at + e);
    &dom[start..end]
}

#[test]
fn default_output_sits_next_to_the_notes() {
    let (dir, _) = scratch();
    let o = run_in(Some(dir.path()), &["preview", "sino-soviet.txt"]);
    assert_code(&o, 0);
    let err = stderr(&o);
    assert!(
        err.contains("wrote sino-soviet.preview.html: 15 cards, 6 warnings, 3 notes"),
        "{err}"
    );
    let html = std::fs::read_to_string(dir.path().join("sino-soviet.preview.html")).unwrap();
    assert_eq!(html.matches("<article class=\"note\"").count(), 15);
}

#[test]
fn stdout_output_is_deterministic_and_self_contained() {
    let first = run(&["preview", "input/sino-soviet.txt", "-o", "-"]);
    assert_code(&first, 0);
    let second = run(&["preview", "input/sino-soviet.txt", "-o", "-"]);
    assert_eq!(first.stdout, second.stdout);
    let html = stdout(&first);
    assert!(html.starts_with("<!DOCTYPE html>"));
    for external in ["<link", "src=\"http", "href=\"http", "@import", "url("] {
        assert!(!html.contains(external), "page refers to `{external}`");
    }
    // Nothing that changes from run to run (the clock, the epoch).
    assert!(!html.contains("1700000000"));
}

#[test]
fn errors_still_write_the_preview_and_exit_1() {
    let (dir, notes) = scratch();
    let out = dir.path().join("p.html");
    let o = run(&[
        "preview",
        notes.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-D",
        "warnings",
    ]);
    assert_code(&o, 1);
    let html = std::fs::read_to_string(&out).unwrap();
    assert_eq!(html.matches("data-level=\"error\"").count(), 6);
}

#[test]
fn bad_targets_are_refused_before_writing() {
    let (dir, notes) = scratch();
    let o = run(&[
        "preview",
        notes.to_str().unwrap(),
        "-o",
        notes.to_str().unwrap(),
    ]);
    assert_code(&o, 2);
    assert!(stderr(&o).contains("refusing to write the preview over the notes"));
    let o = run(&[
        "preview",
        notes.to_str().unwrap(),
        notes.to_str().unwrap(),
        "-o",
        "x.html",
    ]);
    assert_code(&o, 2);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Fronts and backs as the package stores them, in card order, and the
/// note type's templates and CSS, read back from the built `.apkg`.
fn package_cards(dir: &Path, notes: &Path) -> (Vec<(String, String)>, serde_json::Value) {
    let apkg = dir.join("deck.apkg");
    let o = run(&[
        "build",
        notes.to_str().unwrap(),
        "--no-lock",
        "-o",
        apkg.to_str().unwrap(),
    ]);
    assert_code(&o, 0);
    let file = std::fs::File::open(&apkg).unwrap();
    let bytes = deckc::inspect::unpack(file).unwrap().collection;
    let db = dir.join("collection.anki2");
    std::fs::write(&db, bytes).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut stmt = conn
        .prepare("select n.flds from notes n join cards c on c.nid = n.id order by c.due")
        .unwrap();
    let fields = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|f| {
            let f = f.unwrap();
            let (front, back) = f.split_once('\x1f').unwrap();
            (front.to_string(), back.to_string())
        })
        .collect();
    let models: String = conn
        .query_row("select models from col", [], |r| r.get(0))
        .unwrap();
    let models: serde_json::Value = serde_json::from_str(&models).unwrap();
    let model = models.as_object().unwrap().values().next().unwrap().clone();
    (fields, model)
}

#[test]
fn cards_show_the_package_html_templates_and_css() {
    let (dir, notes) = scratch();
    let (cards, model) = package_cards(dir.path(), &notes);
    assert_eq!(cards.len(), 15);
    let html = std::fs::read_to_string(preview(dir.path(), &notes, &[])).unwrap();
    assert!(
        html.contains(model["css"].as_str().unwrap()),
        "card CSS inlined verbatim"
    );
    let qfmt = model["tmpls"][0]["qfmt"].as_str().unwrap();
    let afmt = model["tmpls"][0]["afmt"].as_str().unwrap();
    for (i, (front, back)) in cards.iter().enumerate() {
        let q = qfmt.replace("{{Front}}", front);
        let a = afmt.replace("{{Back}}", back).replace("{{FrontSide}}", &q);
        let card = article(&html, &format!("card-{}", i + 1));
        assert!(
            card.contains(&format!("<div class=\"card card1\">{q}</div>")),
            "{card}"
        );
        assert!(
            card.contains(&format!("<div class=\"card card1\">{a}</div>")),
            "{card}"
        );
    }
}

#[test]
fn browser_counts_every_card_after_the_script_ran() {
    let (dir, notes) = scratch();
    let page = preview(dir.path(), &notes, &[]);
    let dom = chromium::dump_dom(&chromium::url(&page, ""));
    assert!(dom.contains("data-ready=\"true\""), "the page script ran");
    assert!(dom.contains("data-shown=\"15\""));
    assert!(dom.contains("Showing 15 of 15 cards"));
    assert_eq!(dom.matches("<article class=\"note").count(), 15);
    for n in 1..=15 {
        article(&dom, &format!("card-{n}"));
    }
    // The controls, which only work with the script, are shown by it.
    assert!(
        dom.contains("<div class=\"controls\">"),
        "controls unhidden"
    );
}

#[test]
fn browser_related_link_points_at_the_related_card() {
    let (dir, notes) = scratch();
    let page = preview(dir.path(), &notes, &[]);
    let dom = chromium::dump_dom(&chromium::url(&page, ""));
    // conflicting-dates is on line 40, the answer of the card on line 39;
    // its related place, line 15, is in the answer of the card on line 11.
    let card = article(&dom, "card-12");
    assert!(card.contains("sino-soviet.txt:39"), "{card}");
    let at = card
        .find("data-code=\"conflicting-dates\"")
        .expect("finding on its card");
    let finding = &card[at..];
    let href = finding.find("href=\"#card-").unwrap() + "href=\"#card-".len();
    let n: String = finding[href..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let related = article(&dom, &format!("card-{n}"));
    assert!(related.contains("sino-soviet.txt:11"), "{related}");
    assert!(related.contains("1967-1970"), "{related}");
    // Every related link in the page leads to an existing card.
    for (i, _) in dom.match_indices("class=\"related-card\" href=\"#") {
        let rest = &dom[i + "class=\"related-card\" href=\"#".len()..];
        let id = &rest[..rest.find('"').unwrap()];
        article(&dom, id);
    }
    // Following the link lands on that card: the script reveals it.
    let dom = chromium::dump_dom(&chromium::url(&page, &format!("card-{n}")));
    assert!(
        article(&dom, &format!("card-{n}")).starts_with("<article class=\"note flipped\""),
        "target card revealed"
    );
    assert_eq!(dom.matches("note flipped").count(), 1);
}

#[test]
fn browser_script_in_a_note_renders_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let page = preview(dir.path(), &fixture("preview/script.txt"), &[]);
    let dom = chromium::dump_dom(&chromium::url(&page, ""));
    assert!(
        dom.contains("What does &lt;script&gt;alert(1)&lt;/script&gt; do?"),
        "{dom}"
    );
    assert!(
        dom.contains("&lt;b onmouseover=alert(2)&gt;this&lt;/b&gt;"),
        "{dom}"
    );
    assert_eq!(
        dom.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(!dom.contains("<b "), "no element from the note");
    assert!(dom.contains("data-ready=\"true\""));
}

#[test]
fn browser_screenshots_are_not_blank_at_desktop_and_phone_widths() {
    let (dir, notes) = scratch();
    let page = chromium::url(&preview(dir.path(), &notes, &[]), "");
    for (width, height) in [(1280, 900), (390, 844)] {
        let shot = chromium::measure(&chromium::screenshot(&page, width, height, &[]));
        assert_eq!((shot.width, shot.height), (width, height));
        assert!(shot.colours >= 50, "{width}px: {shot:?}");
        assert!(shot.ink > 0.05, "{width}px: {shot:?}");
        assert!(shot.luminance > 0.7, "{width}px light page: {shot:?}");
    }
}

#[test]
fn browser_dark_mode_darkens_page_and_cards() {
    let (dir, notes) = scratch();
    let page = chromium::url(&preview(dir.path(), &notes, &[]), "");
    let shot = chromium::measure(&chromium::screenshot(
        &page,
        390,
        844,
        &["--force-dark-mode"],
    ));
    assert!(shot.colours >= 50, "{shot:?}");
    assert!(shot.luminance < 0.3, "dark page: {shot:?}");
}

#[test]
fn a_folder_gets_one_preview_per_notes_file() {
    let (dir, _) = scratch();
    std::fs::copy(fixture("preview/script.txt"), dir.path().join("tricky.txt")).unwrap();
    for _ in 0..2 {
        // Twice: the previews written the first time are not read as notes.
        let o = run(&["preview", dir.path().to_str().unwrap()]);
        assert_code(&o, 0);
        assert_eq!(stderr(&o).matches("wrote ").count(), 2, "{}", stderr(&o));
    }
    let tricky = std::fs::read_to_string(dir.path().join("tricky.preview.html")).unwrap();
    assert_eq!(tricky.matches("<article class=\"note\"").count(), 2);
    assert!(dir.path().join("sino-soviet.preview.html").is_file());
}
