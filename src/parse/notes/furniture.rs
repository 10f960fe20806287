//! Page furniture: lines copied with the notes that belong to no card —
//! page numbers, rules, blank form fields, Quizlet's term count, copyright
//! lines, and date lines written at the top of a lesson ("Monday 3rd
//! March"). The `notes` parser reports them as `orphan-line` findings
//! (rule `furniture`) wherever they stand, so a date between two lessons
//! never ends up inside an answer.

use super::rules::words;

/// Page furniture that belongs to no card: `Page 3`, `Page 2 of 5`, `- 4 -`,
/// rules like `-----`, `Name: ______`, copyright lines.
pub(super) fn is_furniture(text: &str) -> bool {
    let lower = text.to_lowercase();
    // Page numbers have at most four words: longer lines skip the split.
    let few_words = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .nth(4)
        .is_none();
    let w = if few_words { words(&lower) } else { Vec::new() };
    let numeric = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let page = matches!(w.first().map(String::as_str), Some("page" | "p" | "pg"))
        && match w.len() {
            2 => numeric(&w[1]),
            4 => numeric(&w[1]) && w[2] == "of" && numeric(&w[3]),
            _ => false,
        }
        && !lower.contains('?');
    let dashed_number = w.len() == 1
        && numeric(&w[0])
        && text.starts_with(['-', '–', '—'])
        && text.ends_with(['-', '–', '—']);
    let rule = text.chars().count() >= 3 && text.chars().all(|c| "-=_*~#•—–. ".contains(c));
    let copyright = lower.starts_with('©') || lower.starts_with("copyright ");
    page || dashed_number || rule || blank_fields(&lower) || copyright || quizlet_count(&lower)
}

/// Form fields to fill in, one or several on a line: `Name: ______`,
/// `Name: ________   Class: ____`, `Date: …….`.
fn blank_fields(lower: &str) -> bool {
    const LABELS: &[&str] = &[
        "name", "date", "class", "teacher", "form", "group", "set", "score", "mark", "marks",
    ];
    let mut parts = lower.split(':');
    let Some(first) = parts.next() else {
        return false;
    };
    let mut label = first.trim();
    let mut fields = 0;
    for part in parts {
        // Each part is a blank (underscores, dots) then the next label.
        let blank_len = part.len() - part.trim_start_matches(['_', '.', '…', ' ']).len();
        let blank = part.get(..blank_len).unwrap_or("");
        if !LABELS.contains(&label) || !blank.contains(['_', '.', '…']) {
            return false;
        }
        fields += 1;
        label = part.get(blank_len..).unwrap_or("").trim();
    }
    fields > 0 && label.is_empty()
}

/// A lesson date on its own line: a weekday with a day or month, and
/// nothing but date words and numbers — `Monday 3rd March`, `Tues 4/3/25`,
/// `Wednesday, 5 March 2025`. A bare `March 1921` is not one: it answers
/// "When…?". Whether it is furniture depends on where it stands (see
/// `context::date_lines`): under a question it is the answer.
pub(super) fn is_date_line(text: &str) -> bool {
    const WEEKDAYS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
    ];
    const MONTHS: &[&str] = &[
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ];
    let w = words(&text.to_lowercase());
    let number = |t: &str| {
        let digits = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &t[digits.len()..];
        !digits.is_empty()
            && digits.len() <= 4
            && digits.chars().all(|c| c.is_ascii_digit())
            && matches!(suffix, "" | "st" | "nd" | "rd" | "th")
    };
    let weekday = w.first().is_some_and(|t| WEEKDAYS.contains(&t.as_str()));
    let dated = w
        .iter()
        .skip(1)
        .all(|t| MONTHS.contains(&t.as_str()) || number(t));
    weekday && dated && (2..=5).contains(&w.len())
}

/// Quizlet's `Terms in this set (24)` line, copied with the page.
fn quizlet_count(lower: &str) -> bool {
    lower
        .strip_prefix("terms in this set (")
        .and_then(|rest| rest.strip_suffix(')'))
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_and_content() {
        for furniture in [
            "Page 3",
            "page 2 of 5",
            "- 4 -",
            "-----",
            "Name: ______",
            "Name: ______________   Class: ________",
            "Date: ……",
            "Terms in this set (24)",
        ] {
            assert!(is_furniture(furniture), "{furniture}");
        }
        for content in [
            "1950",
            "Page boys served knights",
            "Date: 1066",
            "Name: the Treaty of Rome. Date: ____",
            "Terms in this set are hard",
        ] {
            assert!(!is_furniture(content), "{content}");
        }
        for date in ["Monday 3rd March", "Tues 4/3/25", "Wednesday, 5 March 2025"] {
            assert!(is_date_line(date), "{date}");
        }
        for text in [
            "March 1921",
            "Friday",
            "Monday morning lessons",
            "Sunday 7 of them",
        ] {
            assert!(!is_date_line(text), "{text}");
        }
    }
}
