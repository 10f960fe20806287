//! How a card looks in Anki: the note type's templates and CSS, and the
//! exact HTML of each field. The Anki package stores these, and
//! `deckc preview` renders them, from this one place, so the preview shows
//! what learners will see.

use super::html;
use crate::media;
use crate::model::Card;

/// Card styling: readable text, lists that show the teacher's own marker,
/// and colors that follow Anki's night mode.
pub const CSS: &str = r#".card {
  font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.45;
  text-align: left;
  color: #1d1d1f;
  background-color: #ffffff;
}
.card-body { max-width: 40em; margin: 0 auto; padding: 0 0.6em; }
.question { font-weight: 600; }
hr#answer { border: none; border-top: 1px solid #c8c8cc; margin: 0.9em 0; }
ul.gt, ul.dash, ul.bullet { margin: 0.35em 0; padding-left: 1.7em; }
li { margin: 0.15em 0; }
ul.gt > li { list-style-type: "> "; }
ul.dash > li { list-style-type: "- "; }
ul.bullet > li { list-style-type: "• "; }
img { max-width: 100%; height: auto; }
.nightMode.card, .nightMode .card, .night_mode .card { color: #e6e6e6; background-color: #2c2c2e; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #5a5a5e; }
"#;

/// The front template: the question field in a styled block.
pub const QFMT: &str = "<div class=\"card-body question\">{{Front}}</div>";
/// The back template: the front, a rule, then the answer field.
pub const AFMT: &str =
    "{{FrontSide}}\n\n<hr id=answer>\n\n<div class=\"card-body answer\">{{Back}}</div>";

/// The Front field exactly as the package stores it.
pub fn front_field(card: &Card, source_is_html: bool) -> String {
    field_html(html::question(card, source_is_html), source_is_html)
}

/// The Back field exactly as the package stores it.
pub fn back_field(card: &Card, source_is_html: bool) -> String {
    field_html(html::answer(card, source_is_html), source_is_html)
}

/// The HTML of one field, with markdown images turned into `<img>` tags.
/// A `\x1f` would split the field in two, so it becomes a space.
pub fn field_html(html_text: String, source_is_html: bool) -> String {
    // Every markdown image starts with `![`, so most fields skip the scan
    // (and both copies).
    let with_images = if media::has_image_start(&html_text) {
        media::markdown_to_img(&html_text, !source_is_html)
    } else {
        html_text
    };
    if with_images.contains('\x1f') {
        with_images.replace('\x1f', " ")
    } else {
        with_images
    }
}

/// The two sides of a card as Anki renders them: the templates with their
/// field references filled in (`{{FrontSide}}` is the rendered front).
pub fn render_sides(front: &str, back: &str) -> (String, String) {
    let question = QFMT.replace("{{Front}}", front);
    // Fill `{{Back}}` before `{{FrontSide}}`, so that a field that happens
    // to contain the text `{{Back}}` is not substituted a second time.
    let answer = AFMT
        .replace("{{Back}}", back)
        .replacen("{{FrontSide}}", &question, 1);
    (question, answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_fill_the_templates() {
        let (q, a) = render_sides("Q &amp; A", "x<br>y");
        assert_eq!(q, "<div class=\"card-body question\">Q &amp; A</div>");
        assert!(a.starts_with(&q), "{a}");
        assert!(
            a.ends_with("<div class=\"card-body answer\">x<br>y</div>"),
            "{a}"
        );
        assert!(a.contains("<hr id=answer>"), "{a}");
    }

    #[test]
    fn template_syntax_in_fields_is_not_substituted_twice() {
        let (q, a) = render_sides("{{Back}}", "{{FrontSide}}");
        assert_eq!(q, "<div class=\"card-body question\">{{Back}}</div>");
        assert_eq!(a.matches("{{FrontSide}}").count(), 1, "{a}");
        assert_eq!(a.matches("{{Back}}").count(), 1, "{a}");
    }
}
