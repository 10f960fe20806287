//! Dates in card text: years (`1968`, `500 BC`), decades (`1920s`) and year
//! ranges in every way teachers write them (`1967-1970`, `1914–18`,
//! `from 1920s to 1949`, `1920s until 1949`, `between 1920s and 1949`).
//!
//! Only what is unambiguously a year is taken: a four-digit number between
//! 1000 and 2100 (or one with an era), not money, not a percentage, not a
//! count (`1500 soldiers`), not a page or a number label.

use super::numbers::{after, lower, numbers, word_after, word_before, Num};

/// A year or a decade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    Year(i32),
    /// The decade starting at this year (`1920s` → 1920).
    Decade(i32),
}

impl Point {
    pub fn lo(self) -> i32 {
        match self {
            Point::Year(y) | Point::Decade(y) => y,
        }
    }

    pub fn hi(self) -> i32 {
        match self {
            Point::Year(y) => y,
            Point::Decade(y) => y + 9,
        }
    }
}

/// One date as written: a point, or a range `from`–`to`.
#[derive(Debug, Clone, PartialEq)]
pub struct DateFact {
    /// Byte range in the text it was found in.
    pub start: usize,
    pub end: usize,
    pub from: Point,
    pub to: Option<Point>,
    /// The text as written (`1920s until 1949`).
    pub text: String,
}

/// A [`DateFact`] as statements keep it, in a third of the space: its
/// text is `start..end` of the sentence it was found in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Date {
    pub start: u32,
    pub end: u32,
    pub from: Point,
    pub to: Option<Point>,
}

impl Date {
    /// The years covered, lowest first (a backwards range is still covered).
    pub fn interval(&self) -> (i32, i32) {
        interval(self.from, self.to)
    }

    /// See [`DateFact::compatible`].
    pub fn compatible(&self, other: &Date) -> bool {
        compatible((self.from, self.to), (other.from, other.to))
    }
}

/// The years from `from` (to `to`) covers, lowest first.
fn interval(from: Point, to: Option<Point>) -> (i32, i32) {
    match to {
        None => (from.lo(), from.hi()),
        Some(to) => (from.lo().min(to.lo()), from.hi().max(to.hi())),
    }
}

/// See [`DateFact::compatible`]: dates as `(from, to)`.
fn compatible(x: (Point, Option<Point>), y: (Point, Option<Point>)) -> bool {
    let (a, b) = (interval(x.0, x.1), interval(y.0, y.1));
    let overlap = a.0 <= b.1 && b.0 <= a.1;
    match (x.1, y.1, x.0, y.0) {
        (Some(_), Some(_), _, _) => a == b,
        (None, None, Point::Year(x), Point::Year(y)) => x == y,
        (None, None, Point::Decade(x), Point::Decade(y)) => x == y,
        _ => overlap,
    }
}

impl DateFact {
    /// A range whose end lies wholly before its start (`1979-1967`).
    pub fn is_backwards(&self) -> bool {
        self.to.is_some_and(|to| to.hi() < self.from.lo())
    }

    /// Two dates that can both be true of one event: the same year or the
    /// same range however written, a year inside a range or a decade. Two
    /// different ranges are not compatible, even when one contains the other.
    /// (Statements compare [`Date`]s, which keep the same.)
    #[cfg(test)]
    pub fn compatible(&self, other: &DateFact) -> bool {
        compatible((self.from, self.to), (other.from, other.to))
    }
}

/// Words after a number that make it a count, not a year (`1500 soldiers`).
const MEASURES: &[&str] = &[
    "acres",
    "bn",
    "billion",
    "casualties",
    "civilians",
    "cm",
    "days",
    "deaths",
    "dollars",
    "feet",
    "ft",
    "hectares",
    "hours",
    "kg",
    "km",
    "men",
    "metres",
    "meters",
    "miles",
    "million",
    "minutes",
    "mm",
    "people",
    "percent",
    "pounds",
    "prisoners",
    "refugees",
    "seconds",
    "ships",
    "soldiers",
    "tanks",
    "thousand",
    "tonnes",
    "tons",
    "troops",
    "women",
    "workers",
    "years",
];

/// Words before a number that make it a label, not a year (`page 1200`).
const LABELS: &[&str] = &[
    "code", "flight", "no.", "number", "p.", "page", "pages", "pp.", "room", "route",
];

/// Whether `w` is one of [`MEASURES`] (as a `match`, which compiles to a
/// few comparisons, not one per word).
fn is_measure(w: &str) -> bool {
    let found = matches!(
        w,
        "acres"
            | "bn"
            | "billion"
            | "casualties"
            | "civilians"
            | "cm"
            | "days"
            | "deaths"
            | "dollars"
            | "feet"
            | "ft"
            | "hectares"
            | "hours"
            | "kg"
            | "km"
            | "men"
            | "metres"
            | "meters"
            | "miles"
            | "million"
            | "minutes"
            | "mm"
            | "people"
            | "percent"
            | "pounds"
            | "prisoners"
            | "refugees"
            | "seconds"
            | "ships"
            | "soldiers"
            | "tanks"
            | "thousand"
            | "tonnes"
            | "tons"
            | "troops"
            | "women"
            | "workers"
            | "years"
    );
    debug_assert_eq!(found, MEASURES.contains(&w));
    found
}

/// Whether `w` is one of [`LABELS`].
fn is_label(w: &str) -> bool {
    let found = matches!(
        w,
        "code" | "flight" | "no." | "number" | "p." | "page" | "pages" | "pp." | "room" | "route"
    );
    debug_assert_eq!(found, LABELS.contains(&w));
    found
}

/// Every date in `text`, in order.
pub fn dates(text: &str) -> Vec<DateFact> {
    let nums = numbers(text);
    let mut found = Vec::new();
    dates_from(text, &nums, &mut found);
    found
        .into_iter()
        .map(|d| DateFact {
            start: d.start as usize,
            end: d.end as usize,
            from: d.from,
            to: d.to,
            text: text
                .get(d.start as usize..d.end as usize)
                .unwrap_or("")
                .to_string(),
        })
        .collect()
}

/// The dates of `text`, given its [`numbers`], pushed onto `out` (as
/// [`dates`] finds them, without their text).
pub fn dates_from(text: &str, nums: &[Num<'_>], out: &mut Vec<Date>) {
    let mut k = 0;
    while let Some(n) = nums.get(k) {
        k += 1;
        let Some((mut from, mut end, era)) = point(text, n) else {
            continue;
        };
        let mut to = None;
        if let Some(next) = nums.get(k) {
            if let Some((p, e, next_era)) = range_end(text, end, n, from, next) {
                // `1200-1100 BC`: the era written after the range covers both.
                if next_era == Some(Era::Bc) && era.is_none() {
                    from = negate(from);
                }
                to = Some(p);
                end = e;
                k += 1;
            }
        }
        out.push(Date {
            start: n.start as u32,
            end: end as u32,
            from,
            to,
        });
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Era {
    Bc,
    Ad,
}

fn negate(p: Point) -> Point {
    match p {
        Point::Year(y) => Point::Year(-y),
        Point::Decade(y) => Point::Decade(-y),
    }
}

/// The era written right after byte `at`, and where it ends.
fn era_after(text: &str, at: usize) -> Option<(Era, usize)> {
    let rest = text.get(at..)?;
    let skip = rest.len() - rest.trim_start().len();
    let tail = &rest[skip..];
    // Every era starts with one of these.
    if !tail.starts_with(['A', 'B', 'C']) {
        return None;
    }
    for (mark, era) in [
        ("B.C.E.", Era::Bc),
        ("B.C.", Era::Bc),
        ("BCE", Era::Bc),
        ("BC", Era::Bc),
        ("A.D.", Era::Ad),
        ("AD", Era::Ad),
        ("CE", Era::Ad),
    ] {
        let boundary = |s: &str| !s.starts_with(|c: char| c.is_alphanumeric());
        if let Some(rest) = tail.strip_prefix(mark).filter(|r| boundary(r)) {
            return Some((era, text.len() - rest.len()));
        }
    }
    None
}

/// `n` read as a year or decade: the point, where it ends, and its era.
fn point(text: &str, n: &Num<'_>) -> Option<(Point, usize, Option<Era>)> {
    if n.separated || n.value < 1.0 {
        return None;
    }
    let year = i32::try_from(n.int()?).ok()?;
    let before = text.get(..n.start).unwrap_or("");
    if before.ends_with(['$', '£', '€', '¥', '#']) {
        return None;
    }
    let word = word_before(text, n.start);
    if is_label(&word) {
        return None;
    }
    let (point, mut end) = match &*n.suffix {
        "" => {
            let rest = text.get(n.end..).unwrap_or("");
            match rest.strip_prefix("'s").or_else(|| rest.strip_prefix("’s")) {
                Some(tail) if year % 10 == 0 => (Point::Decade(year), text.len() - tail.len()),
                _ => (Point::Year(year), n.end),
            }
        }
        "s" if year % 10 == 0 => (Point::Decade(year), n.end + 1),
        _ => return None,
    };
    if let Some((era, e)) = era_after(text, end) {
        end = e;
        let point = if era == Era::Bc { negate(point) } else { point };
        return (n.digits() <= 4).then_some((point, end, Some(era)));
    }
    if word == "ad" {
        return (n.digits() <= 4).then_some((point, end, Some(Era::Ad)));
    }
    if n.digits() != 4 || !(1000..=2100).contains(&year) || after(text, end).starts_with('%') {
        return None;
    }
    if matches!(point, Point::Year(_)) {
        if let Some((w, _)) = word_after(text, end) {
            if is_measure(&w) {
                return None;
            }
        }
    }
    Some((point, end, None))
}

/// The end of a range starting at `first` (which ends at `end`), when the
/// text goes on with a separator and a second point `next`.
fn range_end(
    text: &str,
    end: usize,
    first: &Num<'_>,
    from: Point,
    next: &Num<'_>,
) -> Option<(Point, usize, Option<Era>)> {
    let gap = text.get(end..next.start)?;
    let trimmed = gap.trim();
    let dash = matches!(trimmed, "-" | "–" | "—" | "−");
    let word = lower(trimmed.strip_suffix(" the").unwrap_or(trimmed));
    let worded = matches!(&*word, "to" | "until" | "till" | "til" | "through" | "thru")
        || (word == "and" && word_before(text, first.start) == "between");
    if !dash && !worded {
        return None;
    }
    if let Some(p) = point(text, next) {
        return Some(p);
    }
    // `1914-18`: two digits after a dash abbreviate the end year. When the
    // result would run backwards (`1989-12`), it is a month, not a range.
    let rest = text.get(next.end..).unwrap_or("");
    if dash
        && next.digits() == 2
        && !next.separated
        && next.suffix.is_empty()
        && !rest.starts_with(['-', '/', '.'])
    {
        if let (Point::Year(y), Some(yy)) = (from, next.int()) {
            let full = y - y.rem_euclid(100) + i32::try_from(yy).ok()?;
            if full > y {
                return Some((Point::Year(full), next.end, None));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> DateFact {
        let ds = dates(text);
        assert_eq!(ds.len(), 1, "{text}: {ds:?}");
        ds.into_iter().next().unwrap()
    }

    #[test]
    fn range_spellings_normalize_alike() {
        let want = (Point::Decade(1920), Some(Point::Year(1949)));
        for t in [
            "Began from the 1920s-1949 when",
            "Began from 1920s until 1949 when",
            "from 1920s to 1949",
            "1920s–1949",
            "between 1920s and 1949",
            "from the 1920s to the 1949 takeover",
        ] {
            let d = one(t);
            assert_eq!((d.from, d.to), want, "{t}");
        }
        assert_eq!(
            one("Border disputes heightened from 1967-1970").text,
            "1967-1970"
        );
    }

    #[test]
    fn abbreviated_and_backwards_ranges() {
        let d = one("the war of 1914-18 ended");
        assert_eq!(d.to, Some(Point::Year(1918)));
        assert!(!d.is_backwards());
        assert!(one("1979-1967").is_backwards());
        assert!(one("from 1979 to 1967").is_backwards());
        // A year and a month, not a range running back to 1912.
        assert_eq!(one("1989-12").to, None);
        assert_eq!(one("on 1945-05-08").to, None);
        assert!(!one("1200-1100 BC").is_backwards());
    }

    #[test]
    fn only_years_are_dates() {
        for t in [
            "$1950",
            "1,950 men",
            "1500 soldiers",
            "page 1200",
            "12-5",
            "3-1",
            "20th",
            "2000%",
            "300million",
            "12 May",
        ] {
            assert!(dates(t).is_empty(), "{t}: {:?}", dates(t));
        }
        assert_eq!(one("in 500 BC").from, Point::Year(-500));
        assert_eq!(one("the 1960's").from, Point::Decade(1960));
        assert_eq!(one("12 May 1945").from, Point::Year(1945));
        assert_eq!(one("Czech invasion of 1968").text, "1968");
    }

    #[test]
    fn compatibility() {
        let c = |a: &str, b: &str| one(a).compatible(&one(b));
        assert!(c("1968", "(1968)"));
        assert!(c("1968", "1960s"));
        assert!(c("1968", "1967-1970"));
        assert!(c("1920s-1949", "1920s until 1949"));
        assert!(c("1939-45", "1939–1945"));
        assert!(!c("1967-1970", "1967-1979"));
        assert!(!c("1950", "1956"));
        assert!(!c("1950s", "1960s"));
        assert!(!c("1971", "1967-1970"));
    }
}
