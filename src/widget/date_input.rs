//! A date typed the way clerks type dates: "2015-07-01", "2015/7/1" or "20150701" (the
//! fastest: no separators). The text stays as typed while the clerk types; [`normalized`]
//! gives the wire form once the field is left, so a draft always holds "YYYY-MM-DD".

use iced::widget::{Id, text_input};
use iced::{Element, Length};
use shebao_core::declaration::parse_date;

/// The wire form ("YYYY-MM-DD") of a typed date, `None` when it is not a date (the field's
/// check then says what is wrong).
pub fn normalized(typed: &str) -> Option<String> {
    parse_date(typed).map(|d| d.format("%Y-%m-%d").to_string())
}

/// A date field: `on_input` gets every keystroke, `on_submit` is Enter.
pub fn date_input<'a, M: Clone + 'a>(
    id: Id,
    value: &'a str,
    on_input: impl Fn(String) -> M + 'a,
    on_submit: M,
) -> Element<'a, M> {
    text_input("YYYY-MM-DD", value)
        .id(id)
        .on_input(on_input)
        .on_submit(on_submit)
        .width(Length::Fixed(160.0))
        .into()
}

#[cfg(test)]
mod tests {
    use super::normalized;

    #[test]
    fn every_usual_spelling_becomes_the_wire_form() {
        assert_eq!(normalized("20150701").as_deref(), Some("2015-07-01"));
        assert_eq!(normalized("2015/7/1").as_deref(), Some("2015-07-01"));
        assert_eq!(normalized(" 2015-07-01 ").as_deref(), Some("2015-07-01"));
        assert_eq!(normalized("2015-02-30"), None);
        assert_eq!(normalized("七月一日"), None);
    }
}
