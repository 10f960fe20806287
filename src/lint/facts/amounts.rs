//! Amounts in card text: money (`$300million`, `$300 million`, `$300m`,
//! `300,000,000 dollars`), percentages (`40%`, `40 per cent`) and counts
//! with a plural unit (`1,500 soldiers`, `20 km`) and measurements with a
//! unit symbol (`340 m/s`, `100 °C`, `9.11 × 10^-31 kg`), normalized to one
//! value in one unit so that different spellings of one amount compare
//! equal.
//!
//! Bare numbers, ordinals, years and labels (`Phase 2`, `page 12`) are not
//! amounts: with no unit there is nothing to say two of them measure the
//! same thing.

use super::dates::Date;
use super::numbers::{word_after, word_before, Num};
use super::words::{key, stem};

/// One amount as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    pub start: usize,
    pub end: usize,
    /// `$`, `£`, `€`, `¥`, `%`, or the stemmed unit word (`soldier`).
    pub unit: String,
    /// Value range (equal ends unless written as a range, `2-3 million`).
    pub lo: f64,
    pub hi: f64,
    /// Hedged: `about`, `over`, `nearly`, `c.`…
    pub approx: bool,
}

impl Amount {
    /// The amount as written in `text`, the text it was found in.
    #[cfg(test)]
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// Whether both can describe the same quantity. Amounts in different
    /// units are never compared. A hedged amount gets 20% leeway around
    /// itself (`about 340` covers 272 to 408), so `about 91,000` does not
    /// stretch to meet `110,000`.
    pub fn compatible(&self, other: &Amount) -> bool {
        if self.unit != other.unit {
            return true;
        }
        let widen = |a: &Amount| {
            let slack = if a.approx { 0.2 } else { 1e-9 };
            let (x, y) = (a.lo * (1.0 - slack), a.lo * (1.0 + slack));
            let (u, v) = (a.hi * (1.0 - slack), a.hi * (1.0 + slack));
            (x.min(y), u.max(v))
        };
        let (a0, a1) = widen(self);
        let (b0, b1) = widen(other);
        a0 <= b1 && b0 <= a1
    }
}

fn multiplier(word: &str) -> Option<f64> {
    match word {
        "k" | "thousand" => Some(1e3),
        "m" | "mn" | "mil" | "million" | "millions" => Some(1e6),
        "b" | "bn" | "billion" | "billions" => Some(1e9),
        "tn" | "trillion" => Some(1e12),
        _ => None,
    }
}

fn currency_word(word: &str) -> Option<&'static str> {
    match word {
        "dollar" | "dollars" | "usd" => Some("$"),
        "pound" | "pounds" | "gbp" | "sterling" => Some("£"),
        "euro" | "euros" | "eur" => Some("€"),
        "yen" => Some("¥"),
        _ => None,
    }
}

/// Short units and plurals that do not end in `s`.
const UNITS: &[&str] = &[
    "cattle",
    "children",
    "cm",
    "feet",
    "ft",
    "kg",
    "km",
    "kph",
    "lb",
    "lbs",
    "men",
    "mm",
    "mph",
    "people",
    "personnel",
    "police",
    "sheep",
    "staff",
    "women",
];

/// Unit symbols that take a metric prefix (`m`, `km`, `mg`, `kPa`).
const BASE_UNITS: &[&str] = &[
    "A", "C", "Hz", "J", "K", "L", "N", "Pa", "V", "W", "Wh", "eV", "g", "h", "l", "m", "min",
    "mol", "s", "Ω",
];
/// Metric prefixes.
const PREFIXES: &[&str] = &["G", "M", "T", "c", "d", "k", "m", "n", "p", "µ", "μ"];

/// One unit symbol, possibly with a power: `m`, `km`, `s²`, `dm³`, `s^-1`.
fn is_unit_part(part: &str) -> bool {
    let base = part.trim_end_matches(|c: char| "²³⁻¹^-0123456789".contains(c));
    if base.len() < part.len() && base.is_empty() {
        return false;
    }
    BASE_UNITS.contains(&base)
        || PREFIXES.iter().any(|p| {
            base.strip_prefix(p)
                .is_some_and(|b| !b.is_empty() && BASE_UNITS.contains(&b))
        })
}

/// A unit symbol right after byte `at` (glued or after one space), with
/// the byte offset where it ends: `m/s`, `km/h`, `kg`, `°C`, `g/dm³`,
/// `mol·dm⁻³`, `°`. Case matters (`mW` is not `MW`).
fn unit_symbol(text: &str, at: usize) -> Option<(String, usize)> {
    let rest = text.get(at..)?;
    let rest_trim = rest.strip_prefix(' ').unwrap_or(rest);
    let skip = rest.len() - rest_trim.len();
    let len: usize = rest_trim
        .chars()
        .take_while(|&c| c.is_alphabetic() || "/·°²³⁻¹".contains(c))
        .map(char::len_utf8)
        .sum();
    let mut token = rest_trim.get(..len)?;
    // `10 m/s.`: a token ends at the last letter or power.
    token = token.trim_end_matches(['/', '·']);
    if token.is_empty() {
        return None;
    }
    let symbol = match token {
        "°" | "°C" | "°F" => true,
        _ => token
            .split(['/', '·'])
            .all(|p| !p.is_empty() && is_unit_part(p)),
    };
    symbol.then(|| (token.to_string(), at + skip + token.len()))
}

/// Words before a number that make it a label (`Phase 2`, `page 12`).
const LABELS: &[&str] = &[
    "act", "article", "book", "chapter", "class", "grade", "level", "line", "no.", "number", "p.",
    "page", "part", "phase", "pp.", "room", "round", "scene", "section", "stage", "step", "type",
    "verse", "version", "volume", "war",
];

const HEDGES: &[&str] = &[
    "about",
    "almost",
    "approx.",
    "approximately",
    "around",
    "c.",
    "ca.",
    "circa",
    "estimated",
    "least",
    "nearly",
    "over",
    "roughly",
    "some",
    "than",
    "to",
    "under",
    "up",
];

/// A plural noun or a known unit, usable as the unit of a count.
fn count_unit(word: &str) -> Option<String> {
    if UNITS.contains(&word) {
        return Some(word.to_string());
    }
    let plural = word.len() >= 4
        && word.ends_with('s')
        && !["ss", "us", "is"].iter().any(|e| word.ends_with(e));
    (plural && key(word).is_some()).then(|| stem(word))
}

/// Every amount in `text`, in order.
#[cfg(test)]
pub fn amounts(text: &str) -> Vec<Amount> {
    let nums = super::numbers::numbers(text);
    let mut years = Vec::new();
    super::dates::dates_from(text, &nums, &mut years);
    let mut out = Vec::new();
    amounts_from(text, &nums, &years, &mut out);
    out
}

/// The amounts of `text`, given its [`super::numbers::numbers`] and its dates (whose
/// numbers are no amounts), pushed onto `out`.
pub fn amounts_from(text: &str, nums: &[Num<'_>], years: &[Date], out: &mut Vec<Amount>) {
    let in_date = |n: &Num<'_>| {
        years
            .iter()
            .any(|d| d.start as usize <= n.start && n.end <= d.end as usize)
    };
    let mut range_from: Option<(usize, f64)> = None;
    for n in nums {
        if in_date(n) {
            continue;
        }
        let Some(mut a) = amount(text, n) else {
            range_from = dash_follows(text, n).then_some((n.start, n.value));
            continue;
        };
        // `2-3 million`: the first number borrows the second one's scale.
        if let Some((start, v)) = range_from.take() {
            let scale = if n.value > 0.0 { a.lo / n.value } else { 1.0 };
            a.lo = v * scale;
            a.start = start;
        }
        out.push(a);
    }
}

/// `2-` or `2 to` right after a bare number.
fn dash_follows(text: &str, n: &Num<'_>) -> bool {
    if !n.suffix.is_empty() {
        return false;
    }
    let rest = text.get(n.end..).unwrap_or("").trim_start();
    rest.starts_with(['-', '–']) || rest.starts_with("to ")
}

fn amount(text: &str, n: &Num<'_>) -> Option<Amount> {
    let before = text.get(..n.start).unwrap_or("").trim_end();
    let currency = match before.chars().next_back() {
        Some('$') => Some("$"),
        Some('£') => Some("£"),
        Some('€') => Some("€"),
        Some('¥') => Some("¥"),
        _ => None,
    };
    // The word before, looking past a currency sign (`about $300m`).
    let lead = before.trim_end_matches(['$', '£', '€', '¥']);
    let lead = lead.strip_suffix("US").unwrap_or(lead);
    let prev = word_before(text, lead.len());
    if currency.is_none() && LABELS.contains(&&*prev) {
        return None;
    }
    // A measurement: `340 m/s`, `-1.6 × 10^-19 C`. A glued `m` before a
    // plural word is millions (`300m people`), and after a currency sign
    // `m` is always millions.
    if let (None, Some((unit, end))) = (currency, unit_symbol(text, n.end)) {
        let millions =
            unit == "m" && word_after(text, end).is_some_and(|(w, _)| count_unit(&w).is_some());
        if !millions {
            let mut a = make(text, n, unit, n.value, end, &prev);
            // A minus sign right before the digits, not a range dash.
            let signed = text
                .get(..n.start)
                .and_then(|h| h.strip_suffix(['-', '−']))
                .filter(|h| h.chars().next_back().is_none_or(char::is_whitespace));
            if let Some(h) = signed {
                let start = h.len();
                a.lo = -a.lo;
                a.hi = -a.hi;
                a.start = start;
            }
            return Some(a);
        }
    }
    let mut value = n.value;
    let mut end = n.end;
    match (&*n.suffix, multiplier(&n.suffix)) {
        ("", _) => {}
        (_, Some(m)) => {
            value *= m;
            end += n.suffix.len();
        }
        (s, None) if UNITS.contains(&s) => {
            return Some(make(text, n, s.to_string(), value, n.end + s.len(), &prev));
        }
        _ => return None,
    }
    let mut next = word_after(text, end);
    if let Some((w, e)) = &next {
        // A lone `m` after a space is metres unless money came first.
        if let Some(m) = multiplier(w).filter(|_| w != "m" || currency.is_some()) {
            if n.suffix.is_empty() {
                value *= m;
                end = *e;
                next = word_after(text, end);
            }
        }
    }
    let rest = text.get(end..).unwrap_or("").trim_start();
    if let Some(tail) = rest.strip_prefix('%') {
        return Some(make(
            text,
            n,
            "%".into(),
            value,
            text.len() - tail.len(),
            &prev,
        ));
    }
    let (unit, end) = match next {
        Some((w, e)) if w == "percent" => ("%".to_string(), e),
        Some((w, e)) if w == "per" && word_after(text, e).is_some_and(|(c, _)| c == "cent") => {
            let e2 = word_after(text, e).map_or(e, |(_, e2)| e2);
            ("%".to_string(), e2)
        }
        Some((w, e)) if currency_word(&w).is_some() => {
            (currency_word(&w).unwrap_or("$").to_string(), e)
        }
        _ if currency.is_some() => (currency.unwrap_or("$").to_string(), end),
        Some((w, e)) if value >= 2.0 => (count_unit(&w)?, e),
        _ => return None,
    };
    // A count right after a capitalized word is a label (`Apollo 11 crew`).
    let head = text.get(..n.start).unwrap_or("");
    let capital_before = head
        .trim_end()
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .is_some_and(|w| w.starts_with(char::is_uppercase) && head.ends_with(' '));
    if currency.is_none() && unit != "%" && capital_before && !HEDGES.contains(&&*prev) {
        return None;
    }
    Some(make(text, n, unit, value, end, &prev))
}

fn make(text: &str, n: &Num<'_>, unit: String, value: f64, end: usize, prev: &str) -> Amount {
    let head = text.get(..n.start).unwrap_or("");
    // The span starts at a currency sign written before the digits.
    let signed = head.trim_end().trim_end_matches(['$', '£', '€', '¥']);
    let start = if signed.len() < head.trim_end().len() {
        let us = signed.strip_suffix("US").unwrap_or(signed);
        us.len()
    } else {
        n.start
    };
    Amount {
        start,
        end,
        unit,
        lo: value,
        hi: value,
        approx: HEDGES.contains(&prev) || signed.trim_end().ends_with('~'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Amount {
        let a = amounts(text);
        assert_eq!(a.len(), 1, "{text}: {a:?}");
        a.into_iter().next().unwrap()
    }

    #[test]
    fn money_spellings_normalize_alike() {
        for t in [
            "aid ($300million - mostly",
            "aid of $300million- mostly",
            "$300 million",
            "$300m",
            "$ 300 m",
            "300,000,000 dollars",
            "$0.3bn",
        ] {
            let a = one(t);
            assert_eq!((a.unit.as_str(), a.lo), ("$", 3e8), "{t}");
        }
        assert!(!one("$300million").compatible(&one("$200 million")));
        assert!(one("about $300 million").compatible(&one("$320 million")));
    }

    #[test]
    fn percentages_and_counts() {
        assert_eq!(one("40% of").unit, "%");
        assert_eq!(one("40 per cent of").lo, 40.0);
        let a = one("killed 1,500 soldiers");
        assert_eq!((a.unit.as_str(), a.lo), ("soldier", 1500.0));
        assert_eq!(one("6 million people").lo, 6e6);
        let r = one("2-3 million people");
        assert_eq!((r.lo, r.hi), (2e6, 3e6));
        assert!(r.compatible(&one("2.5 million people")));
    }

    #[test]
    fn measurements_with_unit_symbols() {
        for (t, unit, v) in [
            ("About 340 m/s", "m/s", 340.0),
            ("travels at 430 m/s in air", "m/s", 430.0),
            ("limit of 50 km/h", "km/h", 50.0),
            ("boils at 100 °C", "°C", 100.0),
            ("a mass of 5kg", "kg", 5.0),
            ("3.0 × 10^8 m/s", "m/s", 3e8),
            ("-1.6 × 10^-19 C", "C", -1.6e-19),
            ("9.11 × 10⁻³¹ kg", "kg", 9.11e-31),
            ("2 mol/dm³", "mol/dm³", 2.0),
            ("50 Hz", "Hz", 50.0),
            ("angles add up to 180°", "°", 180.0),
        ] {
            let a = one(t);
            assert_eq!(a.unit, unit, "{t}");
            assert!((a.lo - v).abs() <= v.abs() * 1e-9, "{t}: {}", a.lo);
        }
        let t = "-1.6 × 10^-19 C";
        assert_eq!(one(t).text(t), t);
        // Millions, not metres, before a plural noun.
        assert_eq!(one("300m people").unit, "people");
        assert!(!one("About 340 m/s").compatible(&one("430 m/s")));
        assert!(one("About 340 m/s").compatible(&one("343 m/s")));
        assert!(!one("about 91,000 prisoners").compatible(&one("110,000 prisoners")));
    }

    #[test]
    fn not_amounts() {
        for t in [
            "in 1950 by",
            "Phase 2 ends",
            "the 20th Party Congress",
            "page 12 lines",
            "3-1",
            "Apollo 11 astronauts",
            "1 man",
            "2 began",
            "5 Mar",
            "a 3 in 10 chance",
        ] {
            assert!(amounts(t).is_empty(), "{t}: {:?}", amounts(t));
        }
    }
}
