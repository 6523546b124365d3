//! People's names as the agency records them.
//!
//! Chinese names are written in Han characters; names of several ethnic minorities are
//! transliterated with a middle dot between parts (买买提·艾力). Foreign nationals may be
//! recorded in Latin letters as in their passport.

use thiserror::Error;

const MAX_CHARS: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NameError {
    #[error("姓名为空，请填写")]
    Empty,
    #[error("姓名最多 {max} 个字，这里是 {found} 个")]
    TooLong { found: usize, max: usize },
    #[error("中文姓名至少两个字")]
    TooShort,
    #[error("姓名中有不允许的字符“{found}”；中文姓名只用汉字和间隔号·")]
    Character { found: char },
    #[error("间隔号·只能出现在两部分姓名之间，不能在开头、结尾或连用")]
    MisplacedDot,
}

impl NameError {
    pub fn code(&self) -> &'static str {
        match self {
            NameError::Empty => "required",
            NameError::TooLong { .. } => "name_too_long",
            NameError::TooShort => "name_too_short",
            NameError::Character { .. } => "name_character",
            NameError::MisplacedDot => "name_dot",
        }
    }
}

/// The middle dot as it is keyed in: U+00B7 is standard, but input methods also produce the
/// katakana middle dot, the bullet and the full-width dot.
fn is_name_dot(c: char) -> bool {
    matches!(c, '·' | '・' | '•' | '．' | '‧')
}

fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{3134F}'
        | '〇')
}

/// Checks a name. `latin_allowed` is true for foreign nationals, whose name may also be
/// written with Latin letters, spaces, hyphens, apostrophes, commas and full stops.
pub fn check_name(name: &str, latin_allowed: bool) -> Result<(), NameError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    let count = name.chars().count();
    if count > MAX_CHARS {
        return Err(NameError::TooLong {
            found: count,
            max: MAX_CHARS,
        });
    }
    let mut previous_dot = true; // a dot may not open the name
    let mut has_latin = false;
    for c in name.chars() {
        if is_name_dot(c) {
            if previous_dot {
                return Err(NameError::MisplacedDot);
            }
            previous_dot = true;
            continue;
        }
        previous_dot = false;
        if is_han(c) {
            continue;
        }
        if latin_allowed && (c.is_ascii_alphabetic() || matches!(c, ' ' | '-' | '\'' | ',' | '.')) {
            has_latin = true;
            continue;
        }
        return Err(NameError::Character { found: c });
    }
    if previous_dot {
        return Err(NameError::MisplacedDot);
    }
    if !has_latin && count < 2 {
        return Err(NameError::TooShort);
    }
    Ok(())
}

/// The name as stored: trimmed, every variant of the middle dot made U+00B7, runs of spaces
/// collapsed, Latin letters upper-case as in a passport's machine-readable zone.
pub fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut previous_space = false;
    for c in name.trim().chars() {
        if c.is_whitespace() {
            if !previous_space {
                out.push(' ');
            }
            previous_space = true;
            continue;
        }
        previous_space = false;
        if is_name_dot(c) {
            out.push('·');
        } else {
            out.push(c.to_ascii_uppercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names() {
        assert_eq!(check_name("张三", false), Ok(()));
        assert_eq!(check_name("买买提·艾力", false), Ok(()));
        assert_eq!(check_name("买买提•艾力", false), Ok(()));
        assert_eq!(check_name("王", false), Err(NameError::TooShort));
        assert_eq!(check_name("·艾力", false), Err(NameError::MisplacedDot));
        assert_eq!(
            check_name("买买提··艾力", false),
            Err(NameError::MisplacedDot)
        );
        assert_eq!(check_name("艾力·", false), Err(NameError::MisplacedDot));
        assert_eq!(
            check_name("张3", false),
            Err(NameError::Character { found: '3' })
        );
        assert_eq!(
            check_name("John Smith", false),
            Err(NameError::Character { found: 'J' })
        );
        assert_eq!(check_name("  ", false), Err(NameError::Empty));
    }

    #[test]
    fn foreign_names() {
        assert_eq!(check_name("SMITH, JOHN", true), Ok(()));
        assert_eq!(check_name("O'Neil-Brown", true), Ok(()));
        assert_eq!(check_name("史密斯", true), Ok(()));
        assert_eq!(check_name("A", true), Ok(()));
        assert!(matches!(
            check_name(&"A".repeat(51), true),
            Err(NameError::TooLong { .. })
        ));
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalise_name(" 买买提・艾力 "), "买买提·艾力");
        assert_eq!(normalise_name("john   smith"), "JOHN SMITH");
    }
}
