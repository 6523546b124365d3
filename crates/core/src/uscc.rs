//! The unified social credit code of an organisation (统一社会信用代码, GB 32100-2015).

use std::fmt;

use thiserror::Error;

/// The 31 characters of the code, in value order; I, O, S, V and Z are left out because they
/// are easily confused with digits.
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码为空，请填写")]
    Empty,
    #[error("统一社会信用代码应为 18 位，这里是 {found} 位")]
    Length { found: usize },
    #[error(
        "统一社会信用代码第 {position} 位“{found}”不是允许的字符（数字和大写字母，不含 I、O、S、V、Z）"
    )]
    Character { position: usize, found: char },
    #[error("统一社会信用代码校验位应为 {expected}，这里是 {found}；代码中可能有一位录错了")]
    CheckCharacter { expected: char, found: char },
}

impl CreditCodeError {
    pub fn code(&self) -> &'static str {
        match self {
            CreditCodeError::Empty => "required",
            CreditCodeError::Length { .. } => "uscc_length",
            CreditCodeError::Character { .. } => "uscc_character",
            CreditCodeError::CheckCharacter { .. } => "uscc_check_character",
        }
    }
}

/// A unified social credit code whose characters and check character are right.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CreditCode([u8; 18]);

impl CreditCode {
    /// Parses a code; surrounding spaces and lower-case letters are accepted.
    pub fn parse(input: &str) -> Result<CreditCode, CreditCodeError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(CreditCodeError::Empty);
        }
        let found = trimmed.chars().count();
        if found != 18 {
            return Err(CreditCodeError::Length { found });
        }
        let mut code = [0u8; 18];
        let mut values = [0u32; 18];
        for (i, c) in trimmed.chars().enumerate() {
            let upper = c.to_ascii_uppercase();
            let value = u8::try_from(upper)
                .ok()
                .and_then(|b| CHARSET.iter().position(|&x| x == b))
                .ok_or(CreditCodeError::Character {
                    position: i + 1,
                    found: c,
                })?;
            code[i] = CHARSET[value];
            values[i] = value as u32;
        }
        let expected = check_character(&values);
        let found = char::from(code[17]);
        if found != expected {
            return Err(CreditCodeError::CheckCharacter { expected, found });
        }
        Ok(CreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

fn check_character(values: &[u32; 18]) -> char {
    let sum: u32 = values[..17].iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    char::from(CHARSET[check as usize])
}

impl fmt::Debug for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CreditCode({})", self.as_str())
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn published_example() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y43").unwrap().as_str(),
            "91350100M000100Y43"
        );
        assert_eq!(
            CreditCode::parse(" 91350100m000100y43").unwrap().as_str(),
            "91350100M000100Y43"
        );
    }

    #[test]
    fn faults() {
        assert_eq!(CreditCode::parse(""), Err(CreditCodeError::Empty));
        assert_eq!(
            CreditCode::parse("91350100M000100Y4"),
            Err(CreditCodeError::Length { found: 17 })
        );
        assert_eq!(
            CreditCode::parse("91350100O000100Y43"),
            Err(CreditCodeError::Character {
                position: 9,
                found: 'O'
            })
        );
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(CreditCodeError::CheckCharacter {
                expected: '3',
                found: '4'
            })
        );
    }

    fn arbitrary_body() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(0..31usize, 17)
            .prop_map(|v| v.into_iter().map(|i| CHARSET[i]).collect())
    }

    proptest! {
        #[test]
        fn every_body_with_its_check_character_parses(body in arbitrary_body()) {
            let mut values = [0u32; 18];
            for (i, b) in body.iter().enumerate() {
                values[i] = CHARSET.iter().position(|x| x == b).unwrap() as u32;
            }
            let code = format!("{}{}", String::from_utf8(body).unwrap(), check_character(&values));
            let parsed = CreditCode::parse(&code).unwrap();
            prop_assert_eq!(parsed.as_str(), code.as_str());
        }

        #[test]
        fn changing_one_character_is_caught(body in arbitrary_body(), at in 0..17usize, delta in 1..31usize) {
            let mut values = [0u32; 18];
            for (i, b) in body.iter().enumerate() {
                values[i] = CHARSET.iter().position(|x| x == b).unwrap() as u32;
            }
            let check = check_character(&values);
            let mut changed = body.clone();
            let old = values[at] as usize;
            changed[at] = CHARSET[(old + delta) % 31];
            let code = format!("{}{check}", String::from_utf8(changed).unwrap());
            // The weights are all coprime to 31, so any single substitution changes the sum.
            prop_assert!(
                matches!(CreditCode::parse(&code), Err(CreditCodeError::CheckCharacter { .. })),
                "{} should fail", code
            );
        }
    }
}
