//! A choice from one of the agency's code tables (reasons, employment forms, household types…)
//! that is searched by typing: the clerk types part of a code or of a name and the matches
//! show under the field; Enter or Tab takes the first, a click takes any.
//!
//! iced's `combo_box` would do the searching, but in iced 0.14 it takes Tab for its own menu
//! and cannot be reached by focus operations, so a form of combo boxes cannot be filled from
//! the keyboard. This is a plain text input (focusable by id) with the matches beside it.

use iced::widget::{Id, button, column, row, text, text_input};
use iced::{Element, Length};

/// Matches shown under the field; more would push the form around as the clerk types.
const SHOWN_MATCHES: usize = 5;

/// The table's entries, what the field shows, and the code chosen.
#[derive(Debug, Clone, Default)]
pub struct CodeChoice {
    options: Vec<(String, String)>,
    text: String,
    code: Option<String>,
}

impl CodeChoice {
    /// A choice over `(code, name)` entries, in the order the agency publishes them.
    pub fn new(options: impl IntoIterator<Item = (String, String)>) -> Self {
        Self {
            options: options.into_iter().collect(),
            text: String::new(),
            code: None,
        }
    }

    /// The chosen code; `None` while the text names no entry.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The chosen code, or else the text as typed, so a check can say what is wrong with it.
    pub fn value(&self) -> String {
        self.code
            .clone()
            .unwrap_or_else(|| self.text.trim().to_owned())
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Choose `code` (a default, a draft being edited); a code not in the table stays as text
    /// so that the check names it.
    pub fn set(&mut self, code: &str) {
        match self.options.iter().find(|(c, _)| c == code) {
            Some((c, n)) => {
                self.text = label(c, n);
                self.code = Some(c.clone());
            }
            None => {
                self.text = code.to_owned();
                self.code = None;
            }
        }
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.code = None;
    }

    /// The clerk typed: the text names an entry when it is exactly its code, name or label.
    /// Typing after a chosen entry's label starts a new search, so a field reached by Tab
    /// need not be emptied first.
    pub fn input(&mut self, typed: String) {
        let typed = match typed.strip_prefix(self.text.as_str()) {
            Some(added) if self.code.is_some() && !added.is_empty() => added.to_owned(),
            _ => typed,
        };
        let wanted = typed.trim();
        self.code = self
            .options
            .iter()
            .find(|(c, n)| c == wanted || n == wanted || label(c, n) == wanted)
            .map(|(c, _)| c.clone());
        self.text = typed;
    }

    /// Entries whose code starts with the text or whose name contains it, in table order.
    pub fn matches(&self) -> impl Iterator<Item = (&str, &str)> {
        let wanted = self.text.trim();
        self.options
            .iter()
            .filter(move |(c, n)| c.starts_with(wanted) || n.contains(wanted))
            .map(|(c, n)| (c.as_str(), n.as_str()))
    }

    /// Leaving the field: take the first match if the text names no entry yet. Returns whether
    /// a code is chosen.
    pub fn commit(&mut self) -> bool {
        if self.code.is_none() && !self.text.trim().is_empty() {
            let first = self.matches().next().map(|(c, _)| c.to_owned());
            if let Some(code) = first {
                self.set(&code);
            }
        }
        self.code.is_some()
    }

    /// The field, and the matches while the text names no entry. `on_input` gets keystrokes,
    /// `on_pick` a clicked code, `on_submit` Enter.
    pub fn view<'a, M: Clone + 'a>(
        &'a self,
        id: Id,
        on_input: impl Fn(String) -> M + 'a,
        on_pick: impl Fn(String) -> M + 'a,
        on_submit: M,
    ) -> Element<'a, M> {
        let input = text_input("", &self.text)
            .id(id)
            .on_input(on_input)
            .on_submit(on_submit)
            .width(Length::Fixed(220.0));
        if self.code.is_some() || self.text.trim().is_empty() {
            return input.into();
        }
        let matches = row(self.matches().take(SHOWN_MATCHES).map(|(c, n)| {
            button(text(label(c, n)).size(13))
                .style(button::secondary)
                .padding([2, 6])
                .on_press(on_pick(c.to_owned()))
                .into()
        }))
        .spacing(4);
        column![input, matches].spacing(4).into()
    }
}

/// How an entry shows in the field: "11 新参加工作".
pub fn label(code: &str, name: &str) -> String {
    format!("{code} {name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons() -> CodeChoice {
        CodeChoice::new([
            ("11".to_owned(), "新参加工作".to_owned()),
            ("12".to_owned(), "调入".to_owned()),
            ("16".to_owned(), "续保".to_owned()),
        ])
    }

    #[test]
    fn typing_part_of_a_name_finds_it_and_leaving_takes_it() {
        let mut choice = reasons();
        choice.input("续".into());
        assert_eq!(choice.code(), None);
        assert_eq!(choice.matches().collect::<Vec<_>>(), [("16", "续保")]);
        assert!(choice.commit());
        assert_eq!(choice.code(), Some("16"));
        assert_eq!(choice.text(), "16 续保");
    }

    #[test]
    fn typing_after_a_chosen_entry_searches_afresh() {
        let mut choice = reasons();
        choice.set("11");
        choice.input("11 新参加工作调".into());
        assert_eq!(choice.text(), "调");
        assert!(choice.commit());
        assert_eq!(choice.code(), Some("12"));
    }

    #[test]
    fn an_exact_code_or_name_is_chosen_as_typed() {
        let mut choice = reasons();
        choice.input("12".into());
        assert_eq!(choice.code(), Some("12"));
        choice.input("新参加工作".into());
        assert_eq!(choice.code(), Some("11"));
    }

    #[test]
    fn text_that_matches_nothing_stays_for_the_check_to_name() {
        let mut choice = reasons();
        choice.input("退休".into());
        assert!(!choice.commit());
        assert_eq!(choice.value(), "退休");
        choice.set("99");
        assert_eq!(choice.code(), None);
        assert_eq!(choice.value(), "99");
    }
}
