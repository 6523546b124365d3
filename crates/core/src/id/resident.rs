//! Resident identity numbers (居民身份号码, GB 11643-1999), and the 18-character numbers of the
//! same structure used by residence permits and foreigners' permanent residence cards.

use std::fmt;

use chrono::NaiveDate;
use thiserror::Error;

use super::check::check_character;

/// Sex as the identity number encodes it: the last digit of the sequence code is odd for men.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// The wire value ("male" / "female").
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    /// The Chinese label shown to the clerk.
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }

    pub fn parse(s: &str) -> Option<Sex> {
        match s.trim() {
            "male" | "男" | "1" | "M" | "m" => Some(Sex::Male),
            "female" | "女" | "2" | "F" | "f" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// What is wrong with an identity number. Each message tells the clerk what to fix.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdError {
    #[error("证件号码为空，请填写")]
    Empty,
    #[error("身份号码应为 18 位（旧号码为 15 位），这里是 {found} 位")]
    Length { found: usize },
    #[error("身份号码第 {position} 位“{found}”不是数字；只有第 18 位可以是 X")]
    NotDigit { position: usize, found: char },
    #[error("身份号码中的出生日期 {digits} 不是一个存在的日期，请核对第 7–14 位")]
    ImpossibleBirthDate { digits: String },
    #[error("身份号码中的出生日期 {date} 在今天之后，请核对第 7–14 位")]
    FutureBirthDate { date: NaiveDate },
    #[error("身份号码校验位应为 {expected}，这里是 {found}；号码中可能有一位录错了")]
    CheckCharacter { expected: char, found: char },
}

impl IdError {
    /// A stable code for forms, the wire and translations.
    pub fn code(&self) -> &'static str {
        match self {
            IdError::Empty => "required",
            IdError::Length { .. } => "id_length",
            IdError::NotDigit { .. } => "id_not_digit",
            IdError::ImpossibleBirthDate { .. } => "id_impossible_date",
            IdError::FutureBirthDate { .. } => "id_future_date",
            IdError::CheckCharacter { .. } => "id_check_character",
        }
    }
}

/// A checked 18-character number in the GB 11643-1999 layout: upper-case, check character
/// verified, birth date a real date not after the day it was checked.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResidentId {
    chars: [u8; 18],
    birth_date: NaiveDate,
}

impl ResidentId {
    /// Parses a resident identity number, reading today's date from the system clock to reject
    /// birth dates in the future. Use [`ResidentId::parse_on`] where the date must be fixed.
    pub fn parse(input: &str) -> Result<ResidentId, IdError> {
        ResidentId::parse_on(input, chrono::Local::now().date_naive())
    }

    /// Parses an 18-digit number, or converts an old 15-digit one (century "19" inserted after
    /// the area code, check character computed). Spaces around the number and a lower-case x
    /// are accepted; the number is kept upper-case.
    pub fn parse_on(input: &str, today: NaiveDate) -> Result<ResidentId, IdError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(IdError::Empty);
        }
        let found = trimmed.chars().count();
        match found {
            18 => parse_18(trimmed.as_bytes(), today),
            15 => parse_15(trimmed.as_bytes(), today),
            _ => Err(IdError::Length { found }),
        }
    }

    pub fn as_str(&self) -> &str {
        // The bytes are ASCII digits and 'X' by construction.
        std::str::from_utf8(&self.chars).unwrap_or_default()
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// The 17th character is the last digit of the sequence code: odd for men, even for women.
    pub fn sex(&self) -> Sex {
        if (self.chars[16] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The six-digit administrative area code of the place the number was first issued. Old and
    /// retired codes stay valid in people's numbers, so no code is rejected.
    pub fn area_code(&self) -> &str {
        &self.as_str()[..6]
    }
}

impl fmt::Debug for ResidentId {
    // An identity number is sensitive personal data: debug output (and so any log line built
    // from it) shows only the area code and the check character.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ResidentId({}***********{})",
            self.area_code(),
            char::from(self.chars[17])
        )
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn require_digits(bytes: &[u8], offset: usize) -> Result<(), IdError> {
    for (i, &b) in bytes.iter().enumerate() {
        if !b.is_ascii_digit() {
            return Err(IdError::NotDigit {
                position: offset + i + 1,
                found: char_at(bytes, i),
            });
        }
    }
    Ok(())
}

/// The character starting at byte `i`, for messages; input may hold non-ASCII text.
fn char_at(bytes: &[u8], i: usize) -> char {
    String::from_utf8_lossy(&bytes[i..])
        .chars()
        .next()
        .unwrap_or('\u{FFFD}')
}

fn birth_date(digits: &[u8], today: NaiveDate) -> Result<NaiveDate, IdError> {
    let number = |range: std::ops::Range<usize>| -> u32 {
        digits[range]
            .iter()
            .fold(0, |acc, d| acc * 10 + u32::from(d - b'0'))
    };
    let (year, month, day) = (number(0..4), number(4..6), number(6..8));
    let date = i32::try_from(year)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
        .ok_or_else(|| IdError::ImpossibleBirthDate {
            digits: String::from_utf8_lossy(digits).into_owned(),
        })?;
    if date > today {
        return Err(IdError::FutureBirthDate { date });
    }
    Ok(date)
}

fn parse_18(bytes: &[u8], today: NaiveDate) -> Result<ResidentId, IdError> {
    // 18 characters; if any is multi-byte the byte length differs and a digit check fails.
    if bytes.len() != 18 {
        let position = bytes.iter().position(|b| !b.is_ascii()).unwrap_or_default();
        return Err(IdError::NotDigit {
            position: String::from_utf8_lossy(&bytes[..position]).chars().count() + 1,
            found: char_at(bytes, position),
        });
    }
    require_digits(&bytes[..17], 0)?;
    let last = bytes[17].to_ascii_uppercase();
    if !(last.is_ascii_digit() || last == b'X') {
        return Err(IdError::NotDigit {
            position: 18,
            found: char::from(bytes[17]),
        });
    }
    let birth_date = birth_date(&bytes[6..14], today)?;
    let mut chars = [0u8; 18];
    chars[..17].copy_from_slice(&bytes[..17]);
    chars[17] = last;
    let first17: &[u8; 17] = chars[..17]
        .try_into()
        .map_err(|_| IdError::Length { found: 18 })?;
    let expected = check_character(first17);
    if char::from(last) != expected {
        return Err(IdError::CheckCharacter {
            expected,
            found: char::from(last),
        });
    }
    Ok(ResidentId { chars, birth_date })
}

fn parse_15(bytes: &[u8], today: NaiveDate) -> Result<ResidentId, IdError> {
    if bytes.len() != 15 {
        let position = bytes.iter().position(|b| !b.is_ascii()).unwrap_or_default();
        return Err(IdError::NotDigit {
            position: position + 1,
            found: char_at(bytes, position),
        });
    }
    require_digits(bytes, 0)?;
    // Old numbers carry a two-digit year; all of them were issued to people born in the 1900s.
    let mut first17 = [0u8; 17];
    first17[..6].copy_from_slice(&bytes[..6]);
    first17[6..8].copy_from_slice(b"19");
    first17[8..].copy_from_slice(&bytes[6..]);
    let birth_date = birth_date(&first17[6..14], today)?;
    let mut chars = [0u8; 18];
    chars[..17].copy_from_slice(&first17);
    chars[17] = check_character(&first17) as u8;
    Ok(ResidentId { chars, birth_date })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn parse(s: &str) -> Result<ResidentId, IdError> {
        ResidentId::parse_on(s, today())
    }

    #[test]
    fn published_examples_pass() {
        for s in [
            "11010519491231002X",
            "440524188001010014",
            "370101190102039973",
        ] {
            assert_eq!(parse(s).unwrap().as_str(), s);
        }
    }

    #[test]
    fn derived_facts() {
        let id = parse("11010519491231002X").unwrap();
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.area_code(), "110105");
        assert_eq!(parse("370101190102039973").unwrap().sex(), Sex::Male);
    }

    #[test]
    fn lower_case_x_and_spaces_are_accepted_and_normalised() {
        assert_eq!(
            parse("  11010519491231002x ").unwrap().as_str(),
            "11010519491231002X"
        );
    }

    #[test]
    fn fifteen_digit_numbers_are_converted() {
        assert_eq!(
            parse("110105491231002").unwrap().as_str(),
            "11010519491231002X"
        );
    }

    #[test]
    fn each_fault_has_its_own_error() {
        assert_eq!(parse(""), Err(IdError::Empty));
        assert_eq!(
            parse("1101051949123100"),
            Err(IdError::Length { found: 16 })
        );
        assert_eq!(
            parse("11010519491231A02X"),
            Err(IdError::NotDigit {
                position: 15,
                found: 'A'
            })
        );
        assert!(matches!(
            parse("110105194902310021"),
            Err(IdError::ImpossibleBirthDate { .. })
        ));
        assert_eq!(
            parse("110105194912310021"),
            Err(IdError::CheckCharacter {
                expected: 'X',
                found: '1'
            })
        );
    }

    #[test]
    fn twenty_ninth_of_february_only_in_leap_years() {
        // 2001 is not a leap year; 2000 is.
        let bad = with_check("11010520010229001");
        assert!(matches!(
            parse(&bad),
            Err(IdError::ImpossibleBirthDate { .. })
        ));
        let good = with_check("11010520000229001");
        assert_eq!(parse(&good).unwrap().birth_date().to_string(), "2000-02-29");
    }

    #[test]
    fn birth_dates_after_today_are_rejected() {
        let future = with_check("11010520261129001");
        assert!(matches!(
            parse(&future),
            Err(IdError::FutureBirthDate { .. })
        ));
        let born_today = with_check("11010520261128001");
        assert!(parse(&born_today).is_ok());
    }

    #[test]
    fn full_width_characters_are_reported_not_panicked_on() {
        let err = parse("１１０１０５１９４９１２３１００２Ｘ").unwrap_err();
        assert_eq!(
            err,
            IdError::NotDigit {
                position: 1,
                found: '１'
            }
        );
    }

    #[test]
    fn debug_output_hides_the_number() {
        let shown = format!("{:?}", parse("11010519491231002X").unwrap());
        assert!(!shown.contains("19491231"), "{shown}");
    }

    fn body() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        // Area, a real birth date between 1900 and 2009, sequence.
        (
            100000u32..999999,
            1900i32..2010,
            1u32..13,
            1u32..29,
            0u32..1000,
        )
            .prop_map(|(area, y, m, d, seq)| format!("{area:06}{y:04}{m:02}{d:02}{seq:03}"))
    }

    proptest::proptest! {
        #[test]
        fn every_body_with_its_check_character_parses(first17 in body()) {
            let number = with_check(&first17);
            let id = parse(&number).unwrap();
            proptest::prop_assert_eq!(id.as_str(), number.as_str());
            proptest::prop_assert_eq!(parse(&number.to_lowercase()).unwrap(), id);
        }

        #[test]
        fn one_wrong_digit_is_always_caught(first17 in body(), at in 0usize..17, delta in 1u8..10) {
            let number = with_check(&first17);
            let mut bytes = number.into_bytes();
            bytes[at] = b'0' + (bytes[at] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            // The digit may break the date instead; either way the number is refused.
            proptest::prop_assert!(parse(&changed).is_err());
        }

        #[test]
        fn old_numbers_convert_to_the_new_form(first17 in body()) {
            proptest::prop_assume!(first17[6..8] == *"19");
            let old = format!("{}{}", &first17[..6], &first17[8..]);
            let converted = parse(&old).unwrap();
            proptest::prop_assert_eq!(converted.as_str(), with_check(&first17));
        }
    }

    pub(crate) fn with_check(first17: &str) -> String {
        let digits: [u8; 17] = first17.as_bytes().try_into().unwrap();
        format!("{first17}{}", check_character(&digits))
    }
}
