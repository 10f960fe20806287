//! Auto-detection of the source syntax: general, explainable rules over the
//! non-blank lines, tried from the most explicit syntax to the least.
//!
//! 1. canonical — the first non-blank line is the `%deckc` header.
//! 2. qa — lines opening with `Q:` / `A:` (or `Question 1:`, `A1.`…) are a
//!    substantial share.
//! 3. markdown — at least two `#`/`##`/`###` headings have body text.
//! 4. delimited — most lines split on one separator into 2–3 fields, or the
//!    first row names the columns, or the file is named `.csv`/`.tsv`.
//! 5. blocks — blank-line groups whose first line asks and the rest answer.
//! 6. notes — everything else (strictly alternating files included).
//!
//! Each rule measures a share of lines and compares it with a documented
//! threshold, so a few stray lines (a title, a section marker, an answer
//! with ` - ` in it) never decide the syntax. `docs/detection.md` explains
//! the thresholds.

use crate::model::Syntax;
use crate::source::SourceFile;

use super::delimited::{Columns, Sep};
use super::notes::{is_question_line, is_title_like};
use super::qa::marker_kind;

/// Share of lines that must carry `Q:`/`A:` markers.
const QA_SHARE: f64 = 0.3;
/// Share of content lines that must split the same way.
const DELIMITED_SHARE: f64 = 0.8;
/// Share of multi-line blank-separated groups that must look like cards.
const BLOCKS_SHARE: f64 = 0.8;

/// Separators of the delimited syntax, in order of preference. A comma
/// only counts with a header row or a `.csv` name: prose is full of them.
const SEPARATORS: &[(Sep, &str)] = &[
    (
        Sep::Byte(b'\t'),
        "most lines split on a tab into 2-3 fields",
    ),
    (Sep::Byte(b'|'), "most lines split on `|` into 2-3 fields"),
    (Sep::Byte(b';'), "most lines split on `;` into 2-3 fields"),
    (Sep::Byte(b'*'), "most lines split on `*` into 2-3 fields"),
    (
        Sep::Dash,
        "most lines split on ` - ` (or ` – `, ` — `) into term and definition",
    ),
    (
        Sep::Equals,
        "most lines split on ` = ` into term and definition",
    ),
    (
        Sep::Colon,
        "most lines are `Term: definition` with a short term",
    ),
];

/// Detection reads a file up to the first blank line after this many
/// non-blank lines (or twice as many if no blank line comes). Every rule
/// measures a share of lines, and a share over ten thousand lines is
/// settled; reading a 500,000-line file to its end made detecting its
/// syntax cost more than parsing it.
const SAMPLE_LINES: usize = 10_000;

/// Names that mark a file as a spreadsheet export whatever its lines say.
const TABLE_EXTENSIONS: &[&str] = &["csv", "tsv"];

/// Picks the syntax `src` is most likely written in.
pub fn detect(src: &SourceFile) -> Syntax {
    detect_with_reason(src).0
}

/// Picks the syntax and says why, for `deckc check --explain`.
pub fn detect_with_reason(src: &SourceFile) -> (Syntax, &'static str) {
    // Non-blank lines, trimmed, with the blank-separated group they are in.
    let mut lines: Vec<(&str, usize)> = Vec::new();
    let mut group = 0;
    for line in src.lines() {
        let text = line.text.trim();
        if text.is_empty() {
            if lines.len() >= SAMPLE_LINES {
                break;
            }
            group += 1;
        } else {
            if lines.len() >= 2 * SAMPLE_LINES {
                break;
            }
            lines.push((text, group));
        }
    }
    let texts: Vec<&str> = lines.iter().map(|&(t, _)| t).collect();
    if texts.first().is_some_and(|t| t.starts_with("%deckc")) {
        return (Syntax::Canonical, "the first line is the `%deckc` header");
    }
    if is_qa(&texts) {
        return (
            Syntax::Qa,
            "many lines start with `Q:`/`A:` markers (`Q1.`, `Question 1:`, `Answer:` too)",
        );
    }
    if is_markdown(&texts) {
        return (Syntax::Markdown, "`#` headings with body text under them");
    }
    if let Some(reason) = delimited_reason(&texts) {
        return (Syntax::Delimited, reason);
    }
    if has_header_row(&texts) {
        return (
            Syntax::Delimited,
            "the first line is a header row naming the columns",
        );
    }
    let extension = src.path.extension().and_then(|e| e.to_str());
    if extension.is_some_and(|e| TABLE_EXTENSIONS.iter().any(|t| e.eq_ignore_ascii_case(t))) {
        return (Syntax::Delimited, "the file is named `.csv` or `.tsv`");
    }
    if is_blocks(&lines) {
        return (
            Syntax::Blocks,
            "blank lines separate cards: a question line, then its answer",
        );
    }
    (
        Syntax::Notes,
        "unmarked notes: no other syntax's markers or layout",
    )
}

/// Lines with the `qa` parser's markers: `Q:`, `q:\tx`, `A:x`, `Q1.`,
/// `Question 3:`, `Answer:`. Both kinds must appear.
fn is_qa(texts: &[&str]) -> bool {
    let kinds: Vec<bool> = texts.iter().filter_map(|t| marker_kind(t)).collect();
    let q = kinds.iter().filter(|&&k| k).count();
    let a = kinds.len() - q;
    q >= 1 && a >= 1 && (q + a) as f64 >= QA_SHARE * texts.len() as f64
}

/// The level of a `#`, `##` or `###` heading (a space must follow).
fn heading_level(text: &str) -> Option<usize> {
    let hashes = text.len() - text.trim_start_matches('#').len();
    ((1..=3).contains(&hashes) && text[hashes..].starts_with(' ')).then_some(hashes)
}

/// At least two headings with body text under them: a lone `# Deck` title
/// over other notes does not make markdown.
fn is_markdown(texts: &[&str]) -> bool {
    let with_body = texts
        .windows(2)
        .filter(|w| heading_level(w[0]).is_some() && heading_level(w[1]).is_none())
        .count();
    with_body >= 2
}

/// Splits `line` on `sep` outside double quotes (CSV quoting, `""` inside
/// quotes is a literal quote). Returns the fields, or `None` when a quote is
/// left open.
fn split_fields<'a>(line: &'a str, sep: &str) -> Option<Vec<&'a str>> {
    let mut fields = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    // Byte offset before which characters were already consumed (a
    // separator or an escaped quote).
    let mut skip_to = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if i < skip_to {
            continue;
        }
        let rest = line.get(i..).unwrap_or("");
        if in_quotes {
            if c == '"' {
                if chars.peek().is_some_and(|&(_, n)| n == '"') {
                    chars.next();
                } else {
                    in_quotes = false;
                }
            }
        } else if c == '"' && line.get(start..i).is_some_and(|f| f.trim().is_empty()) {
            in_quotes = true;
        } else if rest.starts_with(sep) {
            fields.push(line.get(start..i).unwrap_or(""));
            start = i + sep.len();
            skip_to = start;
        }
    }
    if in_quotes {
        return None;
    }
    fields.push(line.get(start..).unwrap_or(""));
    Some(fields)
}

/// The first separator (in order of preference) that splits at least
/// [`DELIMITED_SHARE`] of the lines into 2 or 3 fields (term, definition,
/// optional tags), the first one non-empty. Anki's `#key:value` header lines are not
/// counted.
fn delimited_reason(texts: &[&str]) -> Option<&'static str> {
    let rows: Vec<&str> = texts
        .iter()
        .copied()
        .filter(|t| !(t.starts_with('#') && t.contains(':')))
        .collect();
    if rows.len() < 2 {
        return None;
    }
    // A separator fails as soon as more rows miss than the share allows,
    // so prose (where nothing fits) is rejected after a fifth of its lines.
    let needed = (DELIMITED_SHARE * rows.len() as f64).ceil() as usize;
    let allowed_misses = rows.len() - needed.min(rows.len());
    'separators: for &(sep, reason) in SEPARATORS {
        let mut misses = 0;
        for row in &rows {
            if !fits(row, sep) {
                misses += 1;
                if misses > allowed_misses {
                    continue 'separators;
                }
            }
        }
        return Some(reason);
    }
    None
}

/// Whether `row` splits on `sep` into 2–3 fields, the first non-empty.
fn fits(row: &str, sep: Sep) -> bool {
    match sep {
        Sep::Byte(b) => {
            if !row.as_bytes().contains(&b) {
                return false;
            }
            let sep = char::from(b).to_string();
            split_fields(row, &sep).is_some_and(|fields| {
                (2..=3).contains(&fields.len())
                    && fields.first().is_some_and(|f| !f.trim().is_empty())
            })
        }
        Sep::Dash | Sep::Equals | Sep::Colon => {
            sep.split_first(row).is_some_and(|(t, _)| !t.is_empty())
        }
    }
}

/// The first row (after Anki `#key:value` headers) names the columns on a
/// separator — `Question,Answer,Topic`, `term<TAB>definition` — and the
/// file has a row under it.
fn has_header_row(texts: &[&str]) -> bool {
    let mut rows = texts
        .iter()
        .filter(|t| !(t.starts_with('#') && t.contains(':')));
    let (Some(first), Some(_)) = (rows.next(), rows.next()) else {
        return false;
    };
    [b'\t', b',', b';', b'|'].into_iter().any(|b| {
        let sep = char::from(b).to_string();
        split_fields(first, &sep).is_some_and(|cells| {
            let cells: Vec<String> = cells
                .iter()
                .map(|c| c.trim().trim_matches('"').to_string())
                .collect();
            Columns::from_names(&cells).is_some()
        })
    })
}

/// Blank-line groups that look like cards: the first line asks (a question
/// by the notes rules, or short and heading-like) and no later line is a
/// question. At least one group must have three or more lines: groups of
/// exactly two are alternating pairs, which the notes syntax reads the same
/// way (and it also reads them without blank lines).
fn is_blocks(lines: &[(&str, usize)]) -> bool {
    let mut groups: Vec<Vec<&str>> = Vec::new();
    let mut last = None;
    for &(text, group) in lines {
        match groups.last_mut() {
            Some(g) if last == Some(group) => g.push(text),
            _ => groups.push(vec![text]),
        }
        last = Some(group);
    }
    let multi: Vec<&Vec<&str>> = groups.iter().filter(|g| g.len() >= 2).collect();
    if multi.len() < 2 || multi.len() * 2 < groups.len() || !multi.iter().any(|g| g.len() >= 3) {
        return false;
    }
    let card_like = multi
        .iter()
        .filter(|g| {
            let first = g.first().copied().unwrap_or("");
            (is_question_line(first) || is_title_like(first))
                && !g.iter().skip(1).any(|l| is_question_line(l))
        })
        .count();
    card_like as f64 >= BLOCKS_SHARE * multi.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax_of(text: &str) -> Syntax {
        detect(&SourceFile::new("t.txt", text))
    }

    /// A long file is judged by its first ten thousand lines, cut at a
    /// blank line so that no block is split: what follows cannot change
    /// the syntax.
    #[test]
    fn a_long_file_is_judged_by_its_start() {
        // Three non-blank lines a block: just past the sample.
        let mut text = "What is X?\n- an answer\nmore answer\n\n".repeat(SAMPLE_LINES / 3 + 1);
        assert_eq!(syntax_of(&text), Syntax::Blocks);
        let block_lines = text.lines().count();
        for _ in 0..block_lines {
            text.push_str("Q: What is Y?\nA: why\n");
        }
        assert_eq!(syntax_of(&text), Syntax::Blocks);
        // Without blank lines the cut comes at twice the count.
        let lines: String = (0..3 * SAMPLE_LINES)
            .map(|i| {
                if i < 2 * SAMPLE_LINES {
                    "term\tdefinition\n"
                } else {
                    "Q: x\nA: y\n"
                }
            })
            .collect();
        assert_eq!(syntax_of(&lines), Syntax::Delimited);
    }

    #[test]
    fn csv_quotes_hide_separators() {
        assert_eq!(
            split_fields(r#""a; b";"say ""hi""";c"#, ";"),
            Some(vec![r#""a; b""#, r#""say ""hi""""#, "c"])
        );
        assert_eq!(split_fields(r#""open;x"#, ";"), None);
        assert_eq!(
            split_fields("ça - va - bien", " - "),
            Some(vec!["ça", "va", "bien"])
        );
    }

    #[test]
    fn headings_need_a_space() {
        assert_eq!(heading_level("## Cells"), Some(2));
        assert_eq!(heading_level("#separator:tab"), None);
        assert_eq!(heading_level("#### Too deep"), None);
    }

    #[test]
    fn shapes() {
        assert_eq!(syntax_of("%deckc 1\nQ: a\nA: b\n"), Syntax::Canonical);
        assert_eq!(syntax_of("Title\nQ: a?\nA: b\nQ:\tc?\nA:\td\n"), Syntax::Qa);
        assert_eq!(syntax_of("a\tb\nc\td\ne\tf\tg\n"), Syntax::Delimited);
        assert_eq!(syntax_of("What is a?\nb\nWhat is c?\nd\n"), Syntax::Notes);
        assert_eq!(syntax_of(""), Syntax::Notes);
    }

    #[test]
    fn one_answer_line_with_a_marker_does_not_make_qa() {
        let text = "What is a?\nb\nWhat is c?\nA: d\nWhat is e?\nf\nWhat is g?\nh\n";
        assert_eq!(syntax_of(text), Syntax::Notes);
    }

    #[test]
    fn separators_prefer_tab_over_dash() {
        let (syntax, why) = detect_with_reason(&SourceFile::new("t", "a - b\tc\nd - e\tf\n"));
        assert_eq!(syntax, Syntax::Delimited);
        assert!(why.contains("tab"), "{why}");
    }
}
