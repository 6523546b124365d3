//! The check character of GB 11643-1999 (ISO 7064 MOD 11-2), shared by resident identity
//! numbers, residence permits of Hong Kong, Macau and Taiwan residents, and the 2023 foreigners'
//! permanent residence identity card.

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS: &[u8; 11] = b"10X98765432";

/// The check character that completes 17 digits into a GB 11643-1999 number, or `None` when
/// `first17` is not 17 ASCII digits. Generators of test and demo data use it too.
pub fn complete(first17: &str) -> Option<char> {
    let digits: &[u8; 17] = first17.as_bytes().try_into().ok()?;
    digits
        .iter()
        .all(u8::is_ascii_digit)
        .then(|| check_character(digits))
}

/// The check character of the first 17 digits. `digits` must be ASCII digits.
pub(crate) fn check_character(digits: &[u8; 17]) -> char {
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    char::from(CHECK_CHARACTERS[(sum % 11) as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first17(s: &str) -> [u8; 17] {
        s.as_bytes()[..17].try_into().unwrap()
    }

    #[test]
    fn completing_a_number() {
        assert_eq!(complete("11010519491231002"), Some('X'));
        assert_eq!(complete("1101051949123100"), None);
        assert_eq!(complete("1101051949123100A"), None);
    }

    #[test]
    fn published_examples() {
        assert_eq!(check_character(&first17("11010519491231002X")), 'X');
        assert_eq!(check_character(&first17("440524188001010014")), '4');
        assert_eq!(check_character(&first17("370101190102039973")), '3');
    }
}
