//! Identity documents: a person is identified by a document type and a number, and how the
//! number is checked depends on the type.

mod check;
mod resident;

use std::fmt;

use chrono::NaiveDate;
use thiserror::Error;

pub use check::complete as check_character;
pub use resident::{IdError, ResidentId, Sex};

/// The kinds of identity document the agency accepts for insured people. The codes are the
/// `code` values of the `document_types` table of the reference data; the rules that check a
/// number are fixed by national standards, so they live here rather than in reference data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentType {
    /// 居民身份证 (GB 11643-1999).
    ResidentId,
    /// 外国人永久居留身份证, 2023 format: 18 characters starting with 9.
    ForeignPermanentResidence,
    /// 港澳居民居住证: area code 810000 (Hong Kong) or 820000 (Macau).
    HongKongMacauResidencePermit,
    /// 台湾居民居住证: area code 830000.
    TaiwanResidencePermit,
    /// 护照: free-form letters and digits.
    Passport,
}

impl DocumentType {
    pub const ALL: [DocumentType; 5] = [
        DocumentType::ResidentId,
        DocumentType::ForeignPermanentResidence,
        DocumentType::HongKongMacauResidencePermit,
        DocumentType::TaiwanResidencePermit,
        DocumentType::Passport,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocumentType::ResidentId => "01",
            DocumentType::ForeignPermanentResidence => "02",
            DocumentType::HongKongMacauResidencePermit => "03",
            DocumentType::TaiwanResidencePermit => "04",
            DocumentType::Passport => "05",
        }
    }

    pub fn from_code(code: &str) -> Option<DocumentType> {
        DocumentType::ALL
            .into_iter()
            .find(|t| t.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentType::ResidentId => "居民身份证",
            DocumentType::ForeignPermanentResidence => "外国人永久居留身份证",
            DocumentType::HongKongMacauResidencePermit => "港澳居民居住证",
            DocumentType::TaiwanResidencePermit => "台湾居民居住证",
            DocumentType::Passport => "护照",
        }
    }

    /// Whether the number itself carries the birth date and sex, so the clerk need not type
    /// them (and must not contradict them).
    pub fn encodes_birth_and_sex(self) -> bool {
        self != DocumentType::Passport
    }

    /// Whether the holder is a foreign national, whose name may be written in Latin letters
    /// and whose nationality must be stated.
    pub fn is_foreign(self) -> bool {
        matches!(
            self,
            DocumentType::ForeignPermanentResidence | DocumentType::Passport
        )
    }
}

/// What is wrong with a document number.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DocumentError {
    #[error(transparent)]
    Id(#[from] IdError),
    #[error("外国人永久居留身份证号码以 9 开头，这里以“{found}”开头")]
    NotPermanentResidence { found: char },
    #[error("港澳居民居住证号码以 810000（香港）或 820000（澳门）开头，这里是 {found}")]
    NotHongKongMacauPermit { found: String },
    #[error("台湾居民居住证号码以 830000 开头，这里是 {found}")]
    NotTaiwanPermit { found: String },
    #[error("护照号码应为 {min}–{max} 位字母或数字，这里是 {found} 位")]
    PassportLength {
        found: usize,
        min: usize,
        max: usize,
    },
    #[error("护照号码只能包含字母和数字，这里有“{found}”")]
    PassportCharacter { found: char },
}

impl DocumentError {
    pub fn code(&self) -> &'static str {
        match self {
            DocumentError::Id(e) => e.code(),
            DocumentError::NotPermanentResidence { .. } => "not_permanent_residence_id",
            DocumentError::NotHongKongMacauPermit { .. } => "not_hk_macau_permit",
            DocumentError::NotTaiwanPermit { .. } => "not_taiwan_permit",
            DocumentError::PassportLength { .. } => "passport_length",
            DocumentError::PassportCharacter { .. } => "passport_character",
        }
    }
}

const PASSPORT_LENGTH: std::ops::RangeInclusive<usize> = 5..=20;

/// A checked document number of a known type.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DocumentNumber {
    document_type: DocumentType,
    kind: Number,
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum Number {
    /// Every 18-character type shares the GB 11643 layout.
    Gb11643(ResidentId),
    Passport(String),
}

impl DocumentNumber {
    /// Checks `input` as a number of `document_type`, as of `today` (birth dates after it are
    /// impossible).
    pub fn parse_on(
        document_type: DocumentType,
        input: &str,
        today: NaiveDate,
    ) -> Result<DocumentNumber, DocumentError> {
        let kind = match document_type {
            DocumentType::ResidentId => Number::Gb11643(ResidentId::parse_on(input, today)?),
            DocumentType::ForeignPermanentResidence => {
                let first = input.trim().chars().next().ok_or(IdError::Empty)?;
                if first != '9' {
                    return Err(DocumentError::NotPermanentResidence { found: first });
                }
                Number::Gb11643(parse_18_only(input, today)?)
            }
            DocumentType::HongKongMacauResidencePermit => {
                let id = parse_18_only(input, today)?;
                if !matches!(id.area_code(), "810000" | "820000") {
                    return Err(DocumentError::NotHongKongMacauPermit {
                        found: id.area_code().to_owned(),
                    });
                }
                Number::Gb11643(id)
            }
            DocumentType::TaiwanResidencePermit => {
                let id = parse_18_only(input, today)?;
                if id.area_code() != "830000" {
                    return Err(DocumentError::NotTaiwanPermit {
                        found: id.area_code().to_owned(),
                    });
                }
                Number::Gb11643(id)
            }
            DocumentType::Passport => Number::Passport(parse_passport(input)?),
        };
        Ok(DocumentNumber {
            document_type,
            kind,
        })
    }

    pub fn document_type(&self) -> DocumentType {
        self.document_type
    }

    pub fn as_str(&self) -> &str {
        match &self.kind {
            Number::Gb11643(id) => id.as_str(),
            Number::Passport(p) => p,
        }
    }

    /// The birth date the number encodes; passports encode none.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        match &self.kind {
            Number::Gb11643(id) => Some(id.birth_date()),
            Number::Passport(_) => None,
        }
    }

    /// The sex the number encodes; passports encode none.
    pub fn sex(&self) -> Option<Sex> {
        match &self.kind {
            Number::Gb11643(id) => Some(id.sex()),
            Number::Passport(_) => None,
        }
    }

    /// The ISO 3166-1 numeric nationality code of a foreigners' permanent residence number
    /// (positions 4–6).
    pub fn nationality(&self) -> Option<&str> {
        match (&self.kind, self.document_type) {
            (Number::Gb11643(id), DocumentType::ForeignPermanentResidence) => {
                Some(&id.as_str()[3..6])
            }
            _ => None,
        }
    }
}

impl fmt::Debug for DocumentNumber {
    // Like ResidentId: never the whole number in a debug line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.as_str();
        let shown: String = s.chars().take(2).collect();
        write!(f, "DocumentNumber({:?}, {shown}…)", self.document_type)
    }
}

/// Permits and permanent residence cards never had a 15-digit form.
fn parse_18_only(input: &str, today: NaiveDate) -> Result<ResidentId, IdError> {
    let found = input.trim().chars().count();
    if found != 18 {
        return Err(IdError::Length { found });
    }
    ResidentId::parse_on(input, today)
}

fn parse_passport(input: &str) -> Result<String, DocumentError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(IdError::Empty.into());
    }
    if let Some(found) = trimmed.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(DocumentError::PassportCharacter { found });
    }
    let found = trimmed.len();
    if !PASSPORT_LENGTH.contains(&found) {
        return Err(DocumentError::PassportLength {
            found,
            min: *PASSPORT_LENGTH.start(),
            max: *PASSPORT_LENGTH.end(),
        });
    }
    Ok(trimmed.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn with_check(first17: &str) -> String {
        let digits: [u8; 17] = first17.as_bytes().try_into().unwrap();
        format!("{first17}{}", check::check_character(&digits))
    }

    #[test]
    fn codes_round_trip() {
        for t in DocumentType::ALL {
            assert_eq!(DocumentType::from_code(t.code()), Some(t));
        }
        assert_eq!(DocumentType::from_code("99"), None);
    }

    #[test]
    fn permanent_residence_2023_format() {
        // 9, province 11, nationality 840 (United States), born 1985-06-15, sequence 01, sex 3.
        let number = with_check("91184019850615013");
        let doc =
            DocumentNumber::parse_on(DocumentType::ForeignPermanentResidence, &number, today())
                .unwrap();
        assert_eq!(doc.nationality(), Some("840"));
        assert_eq!(doc.sex(), Some(Sex::Male));
        assert_eq!(doc.birth_date().unwrap().to_string(), "1985-06-15");
        let err = DocumentNumber::parse_on(
            DocumentType::ForeignPermanentResidence,
            "11010519491231002X",
            today(),
        )
        .unwrap_err();
        assert_eq!(err, DocumentError::NotPermanentResidence { found: '1' });
    }

    #[test]
    fn residence_permits_need_their_area_code() {
        let hk = with_check("81000019900101002");
        let tw = with_check("83000019900101002");
        let parse = |t, n: &str| DocumentNumber::parse_on(t, n, today());
        assert!(parse(DocumentType::HongKongMacauResidencePermit, &hk).is_ok());
        assert!(parse(DocumentType::TaiwanResidencePermit, &tw).is_ok());
        assert!(matches!(
            parse(DocumentType::TaiwanResidencePermit, &hk),
            Err(DocumentError::NotTaiwanPermit { .. })
        ));
        assert!(matches!(
            parse(
                DocumentType::HongKongMacauResidencePermit,
                "11010519491231002X"
            ),
            Err(DocumentError::NotHongKongMacauPermit { .. })
        ));
        // No 15-digit form for permits.
        assert_eq!(
            parse(
                DocumentType::HongKongMacauResidencePermit,
                "810000900101002"
            ),
            Err(DocumentError::Id(IdError::Length { found: 15 }))
        );
    }

    #[test]
    fn passports_are_free_form_but_bounded() {
        let parse = |n: &str| DocumentNumber::parse_on(DocumentType::Passport, n, today());
        assert_eq!(parse(" e12345678 ").unwrap().as_str(), "E12345678");
        assert!(parse("E123").is_err());
        assert!(parse("E1234-5678").is_err());
        assert_eq!(parse("E12345678").unwrap().sex(), None);
    }
}
