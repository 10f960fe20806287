//! Source files: reading and decoding notes, byte spans, and the line index.
//!
//! Text is kept exactly as decoded (minus a leading BOM), so every [`Span`] is
//! a byte range into what the user wrote. Line terminators may be `\n`,
//! `\r\n` or a lone `\r`; line and column are computed only when rendering.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::Error;
use crate::fileio::{read_at, read_some_at};

/// A byte range `start..end` into a [`SourceFile`]'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// A sub-span given by a range relative to this span's start.
    pub fn sub(self, start: usize, end: usize) -> Span {
        Span::new(self.start + start, self.start + end)
    }
}

/// One physical line of a source: its 1-based number, its span without the
/// terminator, and its text.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub number: usize,
    pub span: Span,
    pub text: &'a str,
}

impl Line<'_> {
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// A decoded notes file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as given by the user (used in diagnostics).
    pub path: PathBuf,
    /// Decoded text, BOM removed, line endings untouched. Shared: the
    /// parsed deck's questions and answer lines are pieces of it
    /// ([`crate::text::Text`]).
    pub text: Arc<String>,
    /// Whether the file started with a UTF-8 BOM (restored by `--fix`).
    pub had_bom: bool,
    /// Byte offset where each line starts (a line's content ends before
    /// the terminator in front of the next line's start).
    line_starts: LineStarts,
    /// How many `\n` the text holds.
    newlines: usize,
}

impl SourceFile {
    /// Builds a source from text already in memory.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let mut text: String = text.into();
        let had_bom = text.starts_with('\u{feff}');
        if had_bom {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let (line_starts, newlines) = LineStarts::of(&text);
        SourceFile {
            path: path.into(),
            text: Arc::new(text),
            had_bom,
            line_starts,
            newlines,
        }
    }

    /// Reads and decodes a file. Invalid UTF-8 is an error naming the line
    /// and byte offset of the first bad byte; nothing is replaced lossily.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let bytes = read_bytes(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::decode(path, bytes)
    }

    /// Decodes bytes read from `path`.
    pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<Self, Error> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Self::new(path, text)),
            Err(err) => {
                let bytes = err.as_bytes();
                let offset = err.utf8_error().valid_up_to();
                let line = 1 + bytes[..offset]
                    .iter()
                    .enumerate()
                    .filter(|&(i, &b)| {
                        b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
                    })
                    .count();
                Err(Error::InvalidUtf8 {
                    path: path.to_path_buf(),
                    line,
                    offset,
                })
            }
        }
    }

    /// Display name for diagnostics.
    pub fn name(&self) -> String {
        self.path.display().to_string()
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The line with 1-based number `number`.
    pub fn line(&self, number: usize) -> Line<'_> {
        let i = number - 1;
        let span = Span::new(self.line_starts.get(i), self.line_end(i));
        Line {
            number,
            span,
            text: &self.text[span.start..span.end],
        }
    }

    /// All lines, in order. A final empty line after a trailing newline is
    /// not reported.
    pub fn lines(&self) -> impl Iterator<Item = Line<'_>> + '_ {
        (1..=self.line_count()).map(|n| self.line(n))
    }

    /// Where 0-based line `i` starts (the text's length past the last).
    pub fn line_start(&self, i: usize) -> usize {
        if i < self.line_starts.len() {
            self.line_starts.get(i)
        } else {
            self.text.len()
        }
    }

    /// Whether every line ends in `\n` (or `\r\n`): no line ends in a lone
    /// `\r`, but perhaps the last. Then the lines are those of tools that
    /// only know `\n` (see [`crate::render`]), but for an empty line after
    /// a final `\n`, which they count and this index does not.
    pub fn newline_lines(&self) -> bool {
        let trailing = self.text.ends_with('\n');
        self.line_count() + usize::from(trailing) == self.newlines + 1
    }

    /// 1-based line number containing byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(offset) {
            Ok(i) => i + 1,
            Err(i) => i.max(1),
        }
    }

    /// 1-based (line, column) of byte `offset`; the column counts characters.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        let start = self.line_starts.get(line - 1);
        let offset = offset.min(self.text.len()).max(start);
        let col = self.text[start..offset].chars().count() + 1;
        (line, col)
    }

    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    /// Where the content of 0-based line `i` ends: before the terminator
    /// in front of the next line, or before the text's final terminator.
    fn line_end(&self, i: usize) -> usize {
        let bytes = self.text.as_bytes();
        let next = if i + 1 < self.line_starts.len() {
            self.line_starts.get(i + 1)
        } else {
            // The last line: a terminator ending the text starts no line.
            match bytes {
                [.., b'\r', b'\n'] => return bytes.len() - 2,
                [.., b'\n' | b'\r'] => return bytes.len() - 1,
                _ => return bytes.len(),
            }
        };
        // `\r\n` is one terminator (the index never ends a line between
        // the two); `\n` and `\r` alone are one each.
        match bytes.get(..next) {
            Some([.., b'\r', b'\n']) => next - 2,
            _ => next.saturating_sub(1),
        }
    }
}

/// Each line's start: four bytes a line (a million cards have some five
/// million lines), eight in a source of 4 GiB or more.
#[derive(Debug, Clone)]
enum LineStarts {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl LineStarts {
    /// The index of `text`'s lines, and how many `\n` it holds.
    fn of(text: &str) -> (Self, usize) {
        let bytes = text.as_bytes();
        match u32::try_from(text.len()) {
            Ok(_) => {
                let (starts, n) = index_lines_split(bytes, HALVES_FROM, |at| at as u32);
                (LineStarts::Narrow(starts), n)
            }
            Err(_) => {
                let (starts, n) = index_lines_split(bytes, HALVES_FROM, |at| at);
                (LineStarts::Wide(starts), n)
            }
        }
    }

    fn len(&self) -> usize {
        match self {
            LineStarts::Narrow(v) => v.len(),
            LineStarts::Wide(v) => v.len(),
        }
    }

    fn get(&self, i: usize) -> usize {
        match self {
            LineStarts::Narrow(v) => v[i] as usize,
            LineStarts::Wide(v) => v[i],
        }
    }

    fn binary_search(&self, offset: usize) -> Result<usize, usize> {
        match self {
            LineStarts::Narrow(v) => match u32::try_from(offset) {
                Ok(o) => v.binary_search(&o),
                Err(_) => Err(v.len()),
            },
            LineStarts::Wide(v) => v.binary_search(&offset),
        }
    }
}

/// Sources from this size on are read, and their lines found, in two
/// halves on two threads: at a million cards (320 MB) each takes a tenth
/// of a second or more on one.
const HALVES_FROM: usize = 8 << 20;

/// The bytes of the file at `path`. A big regular file is read in two
/// halves at once (copying from the page cache, and the page faults of
/// the fresh buffer, take two cores); anything else, or a file that
/// changes size meanwhile, as [`std::fs::read`] reads it.
fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let len = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    if !meta.is_file() || len < HALVES_FROM || len == usize::MAX {
        return std::fs::read(path);
    }
    let mut bytes = vec![0u8; len];
    let (front, back) = bytes.split_at_mut(len / 2);
    let read = std::thread::scope(|s| {
        let back = s.spawn(|| read_at(&file, back, (len / 2) as u64));
        let front = read_at(&file, front, 0);
        front.and(back.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    });
    // Shorter than it was, or longer: read it again from the start.
    let mut more = [0u8; 1];
    match read.and_then(|()| read_some_at(&file, &mut more, len as u64)) {
        Ok(0) => Ok(bytes),
        _ => std::fs::read(path),
    }
}

/// [`index_lines`], for a text of `from` bytes or more in two halves on
/// two threads: split after a `\n` near the middle, a line starts there,
/// and each half's lines are found as if it stood alone.
fn index_lines_split<T: Send>(
    bytes: &[u8],
    from: usize,
    store: impl Fn(usize) -> T + Sync,
) -> (Vec<T>, usize) {
    let split = (bytes.len() >= from)
        .then(|| bytes.get(bytes.len() / 2..))
        .flatten()
        .and_then(|back| memchr::memchr(b'\n', back))
        .map(|at| bytes.len() / 2 + at + 1)
        .filter(|&split| split < bytes.len());
    let Some(split) = split else {
        return index_lines(bytes, store);
    };
    let (front, back) = bytes.split_at(split);
    std::thread::scope(|s| {
        let store = &store;
        let back = s.spawn(move || index_lines(back, |at| store(split + at)));
        let (mut starts, n) = index_lines(front, store);
        let (more, m) = back.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        starts.extend(more);
        (starts, n + m)
    })
}

/// Where each line of `bytes` starts, each offset stored as `store` makes
/// it (`bytes` is short enough for every offset to fit), and how many `\n`
/// it holds.
fn index_lines<T>(bytes: &[u8], store: impl Fn(usize) -> T) -> (Vec<T>, usize) {
    // Counting first (a vectorized pass) sizes the list exactly for the
    // usual `\n` and `\r\n` endings: at a million cards it holds millions
    // of lines, and growing it by doubling copies it several times.
    let newlines = memchr::memchr_iter(b'\n', bytes).count();
    let mut starts = Vec::with_capacity(newlines + 1);
    starts.push(store(0));
    let mut at = 0;
    while let Some(found) = bytes
        .get(at..)
        .and_then(|rest| memchr::memchr2(b'\n', b'\r', rest))
    {
        let i = at + found;
        at = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
        // A trailing terminator does not start another line.
        if at < bytes.len() {
            starts.push(store(at));
        }
    }
    (starts, newlines)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line index, worked out one byte at a time (the definition the
    /// vectorized [`index_lines`] and [`SourceFile::line_end`] must match).
    fn lines_by_hand(text: &str) -> (Vec<usize>, Vec<usize>) {
        let bytes = text.as_bytes();
        let (mut starts, mut ends) = (vec![0], Vec::new());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'\n' || bytes[i] == b'\r' {
                ends.push(i);
                if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                starts.push(i + 1);
            }
            i += 1;
        }
        ends.push(bytes.len());
        if starts.len() > 1 && starts.last() == Some(&bytes.len()) {
            starts.pop();
            ends.pop();
        }
        (starts, ends)
    }

    proptest::proptest! {
        #[test]
        fn line_index_matches_the_byte_by_byte_definition(text in "([a-zé]{0,3}|\r|\n|\r\n|\n\r){0,40}") {
            let src = SourceFile::new("x", text.as_str());
            let spans: (Vec<usize>, Vec<usize>) = src.lines().map(|l| (l.span.start, l.span.end)).unzip();
            proptest::prop_assert_eq!(spans, lines_by_hand(&text));
            let wide = LineStarts::Wide(index_lines(text.as_bytes(), |at| at).0);
            proptest::prop_assert_eq!(wide.len(), src.line_starts.len());
            for i in 0..wide.len() {
                proptest::prop_assert_eq!(wide.get(i), src.line_starts.get(i));
            }
            // In halves, from any size on: the same starts.
            for from in [0, text.len() / 2, text.len()] {
                let (halves, newlines) = index_lines_split(text.as_bytes(), from, |at| at);
                proptest::prop_assert_eq!(&halves, &lines_by_hand(&text).0, "from {}", from);
                proptest::prop_assert_eq!(newlines, text.matches('\n').count());
            }
        }
    }

    #[test]
    fn a_big_file_reads_in_halves_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        let text: String = (0..HALVES_FROM / 20)
            .map(|i| format!("line {i:>8} é\r\n{}\n", "x".repeat(i % 23)))
            .collect();
        assert!(text.len() > HALVES_FROM);
        std::fs::write(&path, &text).unwrap();
        let src = SourceFile::read(&path).unwrap();
        assert_eq!(*src.text, text);
        let by_hand = lines_by_hand(&text).0;
        assert_eq!(src.line_count(), by_hand.len());
        assert!((0..by_hand.len()).all(|i| src.line_starts.get(i) == by_hand[i]));
    }

    #[test]
    fn splits_all_line_endings() {
        let src = SourceFile::new("x", "a\r\nb\rc\nd");
        let lines: Vec<_> = src.lines().map(|l| l.text).collect();
        assert_eq!(lines, ["a", "b", "c", "d"]);
        assert_eq!(src.line_col(src.line(3).span.start), (3, 1));
    }

    #[test]
    fn strips_bom_and_trailing_newline() {
        let src = SourceFile::new("x", "\u{feff}a\n");
        assert!(src.had_bom);
        assert_eq!(src.line_count(), 1);
        assert_eq!(src.line(1).text, "a");
    }

    #[test]
    fn empty_text_has_one_empty_line() {
        let src = SourceFile::new("x", "");
        assert_eq!(src.line_count(), 1);
        assert!(src.line(1).is_blank());
    }

    #[test]
    fn invalid_utf8_names_line_and_offset() {
        let err =
            SourceFile::decode(Path::new("f.txt"), b"ok\nbad \xff here".to_vec()).unwrap_err();
        match err {
            Error::InvalidUtf8 { line, offset, .. } => assert_eq!((line, offset), (2, 7)),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn columns_count_characters() {
        let src = SourceFile::new("x", "‘ab’ c");
        assert_eq!(src.line_col(src.text.find('c').unwrap()), (1, 6));
    }
}
