//! The mechanics of the `delimited` syntax: Anki export headers, column
//! roles, separator detection, and splitting the text into records (with
//! the `csv` crate for single-byte separators, so CSV quoting is honoured).

use crate::source::SourceFile;

/// A field separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sep {
    Byte(u8),
    /// ` - ` (or an en or em dash between spaces), split on its first
    /// occurrence.
    Dash,
    /// `der Hund = the dog`: an equals sign between spaces, split on its
    /// first occurrence.
    Equals,
    /// `Term: definition` glossaries: `: ` after a short term (at most
    /// [`MAX_COLON_TERM_WORDS`] words), split on its first occurrence.
    Colon,
}

/// The dashes a `Term – definition` line may use between spaces.
const DASHES: [&str; 3] = [" - ", " – ", " — "];
/// Longest term of a `Term: definition` line, in words: longer text before
/// a colon is a sentence ("The main cause of the war was: …").
const MAX_COLON_TERM_WORDS: usize = 6;

/// Detection order: the first separator that splits 80% of lines wins.
const CANDIDATES: [Sep; 8] = [
    Sep::Byte(b'\t'),
    Sep::Byte(b'|'),
    Sep::Byte(b';'),
    Sep::Byte(b'*'),
    Sep::Dash,
    Sep::Equals,
    Sep::Colon,
    Sep::Byte(b','),
];

impl Sep {
    /// For the separators split on their first occurrence: the term and the
    /// definition, trimmed.
    pub fn split_first(self, line: &str) -> Option<(&str, &str)> {
        let at = match self {
            Sep::Byte(_) => return None,
            Sep::Dash => DASHES
                .iter()
                .filter_map(|d| find(line, d).map(|at| (at, d.len())))
                .min(),
            Sep::Equals => find(line, " = ").map(|at| (at, 3)),
            Sep::Colon => find(line, ": ").map(|at| (at, 2)).filter(|&(at, _)| {
                let term = line.get(..at).unwrap_or("");
                (1..=MAX_COLON_TERM_WORDS).contains(&term.split_whitespace().count())
            }),
        };
        let (at, len) = at?;
        Some((line.get(..at)?.trim(), line.get(at + len..)?.trim()))
    }

    /// How many fields `line` splits into (quotes respected).
    fn fields(self, line: &str) -> usize {
        match self {
            Sep::Dash | Sep::Equals | Sep::Colon => {
                1 + usize::from(self.split_first(line).is_some())
            }
            // Without quotes, every separator splits.
            Sep::Byte(sep) if memchr::memchr(b'"', line.as_bytes()).is_none() => {
                1 + memchr::memchr_iter(sep, line.as_bytes()).count()
            }
            Sep::Byte(sep) => {
                let (mut n, mut quoted, mut at_start, mut just_closed) = (1, false, true, false);
                for &c in line.as_bytes() {
                    if quoted {
                        if c == b'"' {
                            quoted = false;
                            just_closed = true;
                        }
                        continue;
                    }
                    if c == b'"' && (at_start || just_closed) {
                        quoted = true;
                    } else if c == sep {
                        n += 1;
                        at_start = true;
                        just_closed = false;
                        continue;
                    }
                    at_start = at_start && c == b' ';
                    just_closed = false;
                }
                n
            }
        }
    }

    /// Whether `line` contains the separator at all.
    pub fn appears_in(self, line: &str) -> bool {
        match self {
            Sep::Dash | Sep::Equals | Sep::Colon => self.split_first(line).is_some(),
            Sep::Byte(b) => line.as_bytes().contains(&b),
        }
    }
}

/// Where `needle` first occurs in `line`: what `str::find` answers, for
/// less than its searcher costs to set up (detection looks for each
/// separator in every line, and the parser for each field in its record).
/// A match of a whole UTF-8 needle starts on a character boundary.
pub fn find(line: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (line.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first() else {
        return Some(0);
    };
    // Most searches end at one of the first places the needle's first byte
    // occurs (a field is looked for where it was read); a needle that
    // takes longer goes to `memmem`, which bounds the time taken.
    let mut from = 0;
    for _ in 0..8 {
        let at = from + memchr::memchr(first, hay.get(from..)?)?;
        if hay.get(at..).is_some_and(|h| h.starts_with(needle)) {
            return Some(at);
        }
        from = at + 1;
    }
    memchr::memmem::find(hay.get(from..)?, needle).map(|at| from + at)
}

/// Picks the separator for the content lines (see the module docs).
pub fn detect(lines: &[&str]) -> Sep {
    let mut best = (0, Sep::Byte(b'\t'));
    for sep in CANDIDATES {
        let mut by_count = [0usize; 4];
        for line in lines {
            if let Some(slot) = by_count.get_mut(sep.fields(line)) {
                *slot += 1;
            }
        }
        let consistent = by_count[2].max(by_count[3]);
        if consistent * 5 >= lines.len() * 4 && consistent > 0 {
            return sep;
        }
        if consistent > best.0 {
            best = (consistent, sep);
        }
    }
    best.1
}

/// What the columns of a record hold. Columns that are none of these are
/// fields: the first is the question, the others answer lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub tags: Option<usize>,
    pub guid: Option<usize>,
    /// Columns deckc does not use (Anki's deck and note type columns).
    pub skip: Vec<usize>,
}

impl Default for Columns {
    /// Without headers, a third column is tags.
    fn default() -> Self {
        Columns {
            tags: Some(2),
            guid: None,
            skip: Vec::new(),
        }
    }
}

impl Columns {
    pub fn is_field(&self, i: usize) -> bool {
        self.tags != Some(i) && self.guid != Some(i) && !self.skip.contains(&i)
    }

    /// Columns from a header row such as `question,answer,tags`: every cell
    /// must be a known column name, and one must name the term or the
    /// definition.
    pub fn from_names(names: &[String]) -> Option<Columns> {
        let mut columns = Columns {
            tags: None,
            guid: None,
            skip: Vec::new(),
        };
        let mut has_card_field = false;
        for (i, name) in names.iter().enumerate() {
            match name.trim().to_lowercase().as_str() {
                "term" | "question" | "front" | "word" | "prompt" | "definition" | "answer"
                | "back" | "meaning" | "text" | "extra" => has_card_field = true,
                // Spreadsheets name their grouping column in many ways.
                "tags" | "tag" | "topic" | "topics" | "category" | "subject" | "unit"
                | "chapter" | "lesson" => columns.tags = Some(i),
                "guid" | "id" => columns.guid = Some(i),
                "deck" | "notetype" | "note type" => columns.skip.push(i),
                _ => return None,
            }
        }
        (has_card_field && names.len() >= 2).then_some(columns)
    }
}

/// Settings from Anki's export headers (`#key:value` lines at the top).
#[derive(Debug, Clone, Default)]
pub struct Header {
    pub separator: Option<Sep>,
    pub html: bool,
    pub deck: String,
    tags: Option<usize>,
    guid: Option<usize>,
    skip: Vec<usize>,
    names: Option<String>,
}

impl Header {
    /// Takes in one line; returns the header's key when it is one.
    pub fn apply(&mut self, text: &str) -> Option<&'static str> {
        let (key, value) = text.strip_prefix('#')?.split_once(':')?;
        let column = || {
            value
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
        };
        let key = match key.trim().to_lowercase().as_str() {
            "separator" => {
                self.separator = separator(value);
                "separator"
            }
            "html" => {
                self.html = value.trim().eq_ignore_ascii_case("true");
                "html"
            }
            "deck" => {
                self.deck = value.trim().to_string();
                "deck"
            }
            "notetype" => "notetype",
            "columns" => {
                self.names = Some(value.to_string());
                "columns"
            }
            "tags column" => {
                self.tags = column();
                "tags column"
            }
            "guid column" => {
                self.guid = column();
                "guid column"
            }
            "deck column" | "notetype column" => {
                self.skip.extend(column());
                "skipped column"
            }
            _ => return None,
        };
        Some(key)
    }

    /// Column roles the headers fix, if they fix any.
    pub fn columns(&self, sep: Sep) -> Option<Columns> {
        let named = self.names.as_deref().and_then(|names| {
            let cells: Vec<String> = match sep {
                Sep::Byte(b) => names.split(char::from(b)).map(str::to_string).collect(),
                Sep::Dash | Sep::Equals | Sep::Colon => match sep.split_first(names) {
                    Some((a, b)) => vec![a.to_string(), b.to_string()],
                    None => vec![names.to_string()],
                },
            };
            Columns::from_names(&cells)
        });
        if named.is_none() && self.tags.is_none() && self.guid.is_none() && self.skip.is_empty() {
            return None;
        }
        let mut columns = named.unwrap_or(Columns {
            tags: None,
            guid: None,
            skip: Vec::new(),
        });
        columns.tags = self.tags.or(columns.tags);
        columns.guid = self.guid.or(columns.guid);
        columns.skip.extend(self.skip.iter().copied());
        Some(columns)
    }
}

/// Anki's `#separator:` values: a name or a literal character.
fn separator(value: &str) -> Option<Sep> {
    let byte = match value.trim().to_lowercase().as_str() {
        "tab" => b'\t',
        "comma" => b',',
        "semicolon" => b';',
        "space" => b' ',
        "pipe" => b'|',
        "colon" => b':',
        other => match other.as_bytes() {
            [b] => *b,
            _ => return None,
        },
    };
    Some(Sep::Byte(byte))
}

/// One record: its fields (trimmed) and the source lines it spans.
#[derive(Debug, Clone)]
pub struct Record {
    pub fields: Vec<String>,
    pub first_line: usize,
    pub last_line: usize,
}

/// Splits the text from line `first` on into records. Records on blank
/// lines only are skipped.
pub fn read(src: &SourceFile, first: usize, sep: Sep) -> Vec<Record> {
    let mut out = Vec::new();
    match sep {
        Sep::Dash | Sep::Equals | Sep::Colon => {
            for line in src.lines().skip(first - 1).filter(|l| !l.is_blank()) {
                let fields = match sep.split_first(line.text) {
                    Some((q, a)) => vec![q.to_string(), a.to_string()],
                    None => vec![line.text.trim().to_string()],
                };
                out.push(Record {
                    fields,
                    first_line: line.number,
                    last_line: line.number,
                });
            }
        }
        Sep::Byte(b) => {
            let base = src.line(first).span.start;
            let body = src.text.get(base..).unwrap_or("");
            let quoting = body.matches('"').count() % 2 == 0;
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(b)
                .quoting(quoting)
                .from_reader(body.as_bytes());
            let mut record = csv::StringRecord::new();
            // Records are valid UTF-8 (the text is, and fields split at ASCII
            // bytes), so the reader cannot fail; stop quietly if it does.
            while let Ok(true) = reader.read_record(&mut record) {
                // The reader reports where the previous record ended: skip
                // the terminators of blank lines in between.
                let mut start = base + record.position().map_or(0, |p| p.byte() as usize);
                while matches!(src.text.as_bytes().get(start), Some(b'\r' | b'\n')) {
                    start += 1;
                }
                let end = base + reader.position().byte() as usize;
                let (first_line, last_line) = (
                    src.line_of(start),
                    src.line_of(end.saturating_sub(1).max(start)),
                );
                // Whitespace-only lines are blank; a line of bare separators
                // is not, and becomes a card with empty fields.
                if (first_line..=last_line).all(|n| src.line(n).is_blank()) {
                    continue;
                }
                out.push(Record {
                    fields: record.iter().map(|f| f.trim().to_string()).collect(),
                    first_line,
                    last_line,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn find_is_str_find(
            hay in "[ab -]{0,40}|[a–b é]{0,12}",
            needle in "[ab -]{0,6}|[a–b é]{0,3}",
        ) {
            proptest::prop_assert_eq!(find(&hay, &needle), hay.find(needle.as_str()));
        }
    }

    #[test]
    fn find_falls_back_past_many_false_starts() {
        let hay = format!("{}ab", "a".repeat(40));
        assert_eq!(find(&hay, "ab"), Some(40));
        assert_eq!(find(&hay, "ac"), None);
        assert_eq!(find("x", ""), Some(0));
    }

    #[test]
    fn counts_fields_outside_quotes() {
        let tab = Sep::Byte(b'\t');
        assert_eq!(tab.fields("a\tb\tc"), 3);
        assert_eq!(Sep::Byte(b',').fields("\"a, \"\"b\"\", c\",d"), 2);
        assert_eq!(tab.fields(""), 1);
        assert_eq!(tab.fields("\t\t"), 3);
        assert_eq!(Sep::Byte(b',').fields("a, b,c"), 3);
        assert_eq!(Sep::Dash.fields("a - b - c"), 2);
        assert_eq!(
            Sep::Dash.split_first("NATO – 1949 - x"),
            Some(("NATO", "1949 - x"))
        );
        assert_eq!(
            Sep::Colon.split_first("RAM: volatile"),
            Some(("RAM", "volatile"))
        );
        assert_eq!(
            Sep::Colon.split_first("The main cause of the war was: greed"),
            None
        );
        assert_eq!(Sep::Colon.split_first("at 10:30 today"), None);
    }

    #[test]
    fn detection_prefers_consistent_separators() {
        assert_eq!(detect(&["a\tb, c", "d\te, f"]), Sep::Byte(b'\t'));
        assert_eq!(detect(&["a;b", "c;d", "e - f"]), Sep::Byte(b';'));
        assert_eq!(detect(&["a - b", "c - d"]), Sep::Dash);
        assert_eq!(detect(&["der Hund = the dog", "x = y = z"]), Sep::Equals);
        assert_eq!(detect(&["a,b", "c,d"]), Sep::Byte(b','));
    }

    #[test]
    fn records_span_their_lines() {
        let src = SourceFile::new("t", "x\n\n\"a\nb\",c\r\nd,e");
        let records = read(&src, 2, Sep::Byte(b','));
        let spans: Vec<_> = records
            .iter()
            .map(|r| (r.first_line, r.last_line))
            .collect();
        assert_eq!(spans, [(3, 4), (5, 5)]);
        assert_eq!(records[0].fields, ["a\nb", "c"]);
    }
}
