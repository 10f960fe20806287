//! Rendering diagnostics: human (rustc-like, via codespan-reporting), JSON
//! lines, and GitHub Actions workflow commands.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity};
use codespan_reporting::files::{Files, SimpleFile};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use crate::cli::MessageFormat;
use crate::diagnostic::{Diagnostic, Level};
use crate::source::{SourceFile, Span};

/// Renders `diagnostics` about `source` in `format`. `color` only affects
/// the human format.
pub fn render(
    format: MessageFormat,
    source: &SourceFile,
    diagnostics: &[Diagnostic],
    color: bool,
) -> Vec<u8> {
    match format {
        MessageFormat::Human => human(source, diagnostics, color),
        MessageFormat::Json => json(source, diagnostics).into_bytes(),
        MessageFormat::Github => github(source, diagnostics).into_bytes(),
    }
}

fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Note | Level::Allow => Severity::Note,
    }
}

/// Clamps a span to the text and to character boundaries.
fn range(source: &SourceFile, span: Span) -> std::ops::Range<usize> {
    let text = &source.text;
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// rustc-style output: header, `--> file:line:col`, excerpt with carets,
/// related places as secondary labels, then help and fix notes.
pub fn human(source: &SourceFile, diagnostics: &[Diagnostic], color: bool) -> Vec<u8> {
    if diagnostics.is_empty() {
        return Vec::new();
    }
    // codespan's own file finds every line again, which at a million cards
    // takes a quarter of a second; the source's index serves when its
    // lines are codespan's.
    if source.newline_lines() {
        human_with(&Indexed::new(source), source, diagnostics, color)
    } else {
        let file = SimpleFile::new(source.name(), source.text.as_str());
        human_with(&file, source, diagnostics, color)
    }
}

/// A source for codespan, its lines found from the source's index: for a
/// source whose lines all end in `\n` (see [`SourceFile::newline_lines`]),
/// the same lines as codespan's `SimpleFile`, which also counts an empty
/// line after a final `\n`.
struct Indexed<'s> {
    source: &'s SourceFile,
    name: String,
    /// Lines in codespan's count.
    lines: usize,
}

impl<'s> Indexed<'s> {
    fn new(source: &'s SourceFile) -> Self {
        Indexed {
            source,
            name: source.name(),
            lines: source.line_count() + usize::from(source.text.ends_with('\n')),
        }
    }

    /// `SimpleFile::line_start`.
    fn line_start(&self, i: usize) -> Result<usize, codespan_reporting::files::Error> {
        if i <= self.lines {
            Ok(self.source.line_start(i))
        } else {
            Err(codespan_reporting::files::Error::LineTooLarge {
                given: i,
                max: self.lines - 1,
            })
        }
    }
}

impl<'a> Files<'a> for Indexed<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.source.text)
    }

    fn line_index(&'a self, (): (), at: usize) -> Result<usize, codespan_reporting::files::Error> {
        // Past the last line's start: the empty line after a final `\n`.
        Ok(
            if at >= self.source.text.len() && self.lines > self.source.line_count() {
                self.lines - 1
            } else {
                self.source.line_of(at) - 1
            },
        )
    }

    fn line_range(
        &'a self,
        (): (),
        i: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        Ok(self.line_start(i)?..self.line_start(i + 1)?)
    }
}

fn human_with<'f, F: Files<'f, FileId = ()>>(
    files: &'f F,
    source: &SourceFile,
    diagnostics: &[Diagnostic],
    color: bool,
) -> Vec<u8> {
    let config = term::Config {
        chars: term::Chars::ascii(),
        ..term::Config::default()
    };
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for d in diagnostics {
        let mut labels = vec![Label::primary((), range(source, d.span)).with_message(&d.label)];
        for r in &d.related {
            labels.push(Label::secondary((), range(source, r.span)).with_message(&r.message));
        }
        let mut notes = Vec::new();
        if let Some(help) = &d.help {
            notes.push(format!("help: {help}"));
        }
        if let Some(fix) = &d.fix {
            notes.push(format!(
                "fix: {} (apply with `deckc check --fix`)",
                fix.message
            ));
        }
        let cs = CsDiagnostic::new(severity(d.level))
            .with_code(d.code)
            .with_message(&d.message)
            .with_labels(labels)
            .with_notes(notes);
        // Rendering into memory cannot fail for a span clamped to the text.
        let _ = term::emit_to_write_style(&mut buffer, &config, files, &cs);
    }
    buffer.into_inner()
}

#[derive(Serialize)]
struct Place<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
}

#[derive(Serialize)]
struct FixJson<'a> {
    message: &'a str,
    edits: Vec<EditJson<'a>>,
}

#[derive(Serialize)]
struct EditJson<'a> {
    #[serde(flatten)]
    place: Place<'a>,
    replacement: &'a str,
}

#[derive(Serialize)]
struct DiagnosticJson<'a> {
    code: &'a str,
    level: Level,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    related: Vec<Place<'a>>,
    help: Option<&'a str>,
    fix: Option<FixJson<'a>>,
}

fn place<'a>(
    source: &SourceFile,
    file: &'a str,
    span: Span,
    message: Option<&'a str>,
) -> Place<'a> {
    let r = range(source, span);
    let (line, column) = source.line_col(r.start);
    let (end_line, end_column) = source.line_col(r.end);
    Place {
        file,
        line,
        column,
        end_line,
        end_column,
        message,
    }
}

/// One JSON object per line.
pub fn json(source: &SourceFile, diagnostics: &[Diagnostic]) -> String {
    let name = source.name();
    let mut out = String::new();
    for d in diagnostics {
        let p = place(source, &name, d.span, None);
        let obj = DiagnosticJson {
            code: d.code,
            level: d.level,
            message: &d.message,
            file: &name,
            line: p.line,
            column: p.column,
            end_line: p.end_line,
            end_column: p.end_column,
            related: d
                .related
                .iter()
                .map(|r| place(source, &name, r.span, Some(&r.message)))
                .collect(),
            help: d.help.as_deref(),
            fix: d.fix.as_ref().map(|f| FixJson {
                message: &f.message,
                edits: f
                    .edits
                    .iter()
                    .map(|e| EditJson {
                        place: place(source, &name, e.span, None),
                        replacement: &e.replacement,
                    })
                    .collect(),
            }),
        };
        out.push_str(&serde_json::to_string(&obj).unwrap_or_default());
        out.push('\n');
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands (`::warning file=…,line=…::message`).
pub fn github(source: &SourceFile, diagnostics: &[Diagnostic]) -> String {
    let name = source.name();
    let mut out = String::new();
    for d in diagnostics {
        let p = place(source, &name, d.span, None);
        let kind = match d.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note | Level::Allow => "notice",
        };
        let mut message = d.message.clone();
        for r in &d.related {
            let (line, col) = source.line_col(r.span.start);
            message.push_str(&format!("\n{name}:{line}:{col}: {}", r.message));
        }
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        out.push_str(&format!(
            "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&name),
            p.line,
            p.column,
            p.end_line,
            p.end_column,
            escape_property(d.code),
            escape_data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (SourceFile, Vec<Diagnostic>) {
        let src = SourceFile::new("n.txt", "Q one?\nborder 1967-1970\nQ two?\n1967-1979\n");
        let d = Diagnostic::new(
            "conflicting-dates",
            Level::Warning,
            Span::new(31, 40),
            "two dates, one event",
        )
        .with_label("says 1979")
        .with_related(Span::new(14, 23), "first stated here")
        .with_help("make them agree");
        (src, vec![d])
    }

    proptest::proptest! {
        /// The source's index gives codespan the lines its own file would
        /// find, wherever a span points; and the output is the same.
        #[test]
        fn indexed_lines_are_codespans(
            text in "([a-zé ]{0,3}(\n|\r\n|\r)?){0,8}",
            at in 0usize..40,
            len in 0usize..6,
        ) {
            let src = SourceFile::new("t.txt", text.as_str());
            let simple = SimpleFile::new(src.name(), src.text.as_str());
            // A `\r` not before a `\n`, and not the last byte.
            let b = text.as_bytes();
            let lone_cr = (0..b.len().saturating_sub(1)).any(|i| b[i] == b'\r' && b[i + 1] != b'\n');
            proptest::prop_assert_eq!(src.newline_lines(), !lone_cr);
            if src.newline_lines() {
                let indexed = Indexed::new(&src);
                for b in 0..text.len() + 3 {
                    proptest::prop_assert_eq!(indexed.line_index((), b).ok(), simple.line_index((), b).ok());
                }
                for i in 0..indexed.lines + 3 {
                    proptest::prop_assert_eq!(
                        format!("{:?}", indexed.line_range((), i)),
                        format!("{:?}", simple.line_range((), i))
                    );
                }
                let d = Diagnostic::new("x", Level::Warning, Span::new(at, at + len), "m")
                    .with_label("here")
                    .with_related(Span::new(text.len(), text.len()), "end");
                let file = SimpleFile::new(src.name(), src.text.as_str());
                proptest::prop_assert_eq!(
                    human(&src, std::slice::from_ref(&d), false),
                    human_with(&file, &src, std::slice::from_ref(&d), false)
                );
            }
        }
    }

    #[test]
    fn human_has_location_excerpt_and_related() {
        let (src, ds) = sample();
        let out = String::from_utf8(human(&src, &ds, false)).unwrap();
        assert!(
            out.contains("warning[conflicting-dates]: two dates, one event"),
            "{out}"
        );
        assert!(out.contains("n.txt:4:1"), "{out}");
        assert!(out.contains("first stated here"), "{out}");
        assert!(out.contains("help: make them agree"), "{out}");
    }

    #[test]
    fn json_is_one_object_per_line() {
        let (src, ds) = sample();
        let out = json(&src, &ds);
        let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        assert_eq!(v["line"], 4);
        assert_eq!(v["related"][0]["line"], 2);
        assert_eq!(v["fix"], serde_json::Value::Null);
    }

    /// A small deck with an error, a warning with a fix and related span,
    /// and a note, through real rules (hand-built deck, see
    /// `lint::testing`), CRLF line endings and curly quotes included.
    fn fixture() -> (SourceFile, Vec<Diagnostic>) {
        let text = "Who was Tito?\r\nYugoslav leader (1948\r\n?\r\n1950\r\n\
                    Who was Tito?\r\n- Yugoslav leader (1948\r\n";
        let src = SourceFile::new("notes/tito.txt", text);
        let deck = crate::lint::testing::deck(&src);
        let ds = crate::lint::testing::run_all(&src, &deck);
        (src, crate::diagnostic::LevelConfig::default().apply(ds))
    }

    #[test]
    fn snapshot_human() {
        let (src, ds) = fixture();
        insta::assert_snapshot!(String::from_utf8(human(&src, &ds, false)).unwrap());
    }

    #[test]
    fn snapshot_json() {
        let (src, ds) = fixture();
        insta::assert_snapshot!(json(&src, &ds));
    }

    #[test]
    fn snapshot_github() {
        let (src, ds) = fixture();
        insta::assert_snapshot!(github(&src, &ds));
    }

    #[test]
    fn color_only_when_asked() {
        let (src, ds) = fixture();
        assert!(String::from_utf8(human(&src, &ds, true))
            .unwrap()
            .contains('\u{1b}'));
        assert!(!String::from_utf8(human(&src, &ds, false))
            .unwrap()
            .contains('\u{1b}'));
    }

    #[test]
    fn json_has_the_contract_fields() {
        let (src, ds) = fixture();
        for line in json(&src, &ds).lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            for key in [
                "code", "level", "message", "file", "line", "column", "related", "fix",
            ] {
                assert!(v.get(key).is_some(), "{key} missing in {line}");
            }
            for r in v["related"].as_array().unwrap() {
                for key in ["file", "line", "column", "message"] {
                    assert!(r.get(key).is_some(), "related.{key} missing in {line}");
                }
            }
        }
    }

    #[test]
    fn github_escapes() {
        let (src, ds) = sample();
        let out = github(&src, &ds);
        assert!(
            out.starts_with("::warning file=n.txt,line=4,col=1,"),
            "{out}"
        );
        assert!(
            out.contains("%0An.txt%3A2") || out.contains("%0An.txt:2"),
            "{out}"
        );
    }
}
