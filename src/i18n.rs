//! The interface's words: Fluent files in `i18n/<language>/shebao.ftl`, embedded in the binary
//! and looked up with [`fl!`](crate::fl). Chinese is the default and the fallback; English is
//! complete (a test compares the two files key by key).

use std::sync::LazyLock;

use i18n_embed::fluent::{FluentLanguageLoader, fluent_language_loader};
use i18n_embed::{LanguageLoader, unic_langid::LanguageIdentifier};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Translations;

/// The languages the interface speaks, in the order the settings offer them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Chinese,
    English,
}

#[allow(dead_code)] // The settings page offers the languages.
impl Language {
    pub const ALL: [Language; 2] = [Language::Chinese, Language::English];

    pub fn tag(self) -> &'static str {
        match self {
            Language::Chinese => "zh-CN",
            Language::English => "en-US",
        }
    }

    /// A language tag as people write it (`zh`, `zh_CN.UTF-8`, `en-GB`); anything not English
    /// is Chinese, the language of the agency.
    pub fn from_tag(tag: &str) -> Language {
        if tag.trim().to_ascii_lowercase().starts_with("en") {
            Language::English
        } else {
            Language::Chinese
        }
    }

    /// The name of the language in itself, as a language menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::Chinese => "中文",
            Language::English => "English",
        }
    }
}

pub static LOADER: LazyLock<FluentLanguageLoader> = LazyLock::new(|| {
    let loader: FluentLanguageLoader = fluent_language_loader!();
    // The fallback file is embedded and checked by `fl!` at compile time.
    #[allow(clippy::expect_used)]
    loader
        .load_fallback_language(&Translations)
        .expect("the embedded Chinese translations load");
    // The bidi marks Fluent puts around arguments show as boxes in some fonts and break
    // searching for the text; nothing here is right-to-left. The setting applies to the
    // bundles loaded so far, so it comes after the loading.
    loader.set_use_isolating(false);
    loader
});

/// Speak `language` from now on. Views built afterwards use it.
pub fn select(language: Language) {
    let Ok(id) = language.tag().parse::<LanguageIdentifier>() else {
        return;
    };
    // Only fails if the embedded file is missing, which the key test rules out.
    if let Err(e) = i18n_embed::select(&*LOADER, &Translations, &[id]) {
        tracing::warn!("cannot switch the interface language: {e}");
    }
    LOADER.set_use_isolating(false);
}

/// The language chosen by `SHEBAO_LANG`, if any; the settings file can choose too.
pub fn from_environment() -> Option<Language> {
    std::env::var("SHEBAO_LANG")
        .ok()
        .filter(|tag| !tag.trim().is_empty())
        .map(|tag| Language::from_tag(&tag))
}

/// `fl!("key")` or `fl!("key", name = value, ...)`: the interface text for `key` in the
/// current language.
#[macro_export]
macro_rules! fl {
    ($id:literal) => {{ i18n_embed_fl::fl!($crate::i18n::LOADER, $id) }};
    ($id:literal, $($args:tt)*) => {{ i18n_embed_fl::fl!($crate::i18n::LOADER, $id, $($args)*) }};
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn keys(language: Language) -> BTreeSet<String> {
        let path = format!("{}/shebao.ftl", language.tag());
        let file = Translations::get(&path).unwrap_or_else(|| panic!("{path} is embedded"));
        let source = String::from_utf8(file.data.into_owned()).expect("UTF-8");
        let resource = fluent_syntax::parser::parse(source.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{path} parses: {errors:?}"));
        resource
            .body
            .iter()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                fluent_syntax::ast::Entry::Term(t) => Some(format!("-{}", t.id.name)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_key_is_translated_in_both_languages() {
        let chinese = keys(Language::Chinese);
        let english = keys(Language::English);
        let missing_in_english: Vec<_> = chinese.difference(&english).collect();
        let missing_in_chinese: Vec<_> = english.difference(&chinese).collect();
        assert!(
            missing_in_english.is_empty() && missing_in_chinese.is_empty(),
            "missing in en-US: {missing_in_english:?}; missing in zh-CN: {missing_in_chinese:?}"
        );
        assert!(chinese.len() > 10, "the files hold the interface's words");
    }

    #[test]
    fn a_language_tag_is_read_as_people_write_it() {
        assert_eq!(Language::from_tag("en_GB.UTF-8"), Language::English);
        assert_eq!(Language::from_tag("zh_CN.UTF-8"), Language::Chinese);
        assert_eq!(Language::from_tag("fr"), Language::Chinese);
    }
}
