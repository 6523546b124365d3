//! The check character of GB 11643-1999 (ISO 7064 MOD 11-2), shared by resident identity
//! numbers, residence permits of Hong Kong, Macau and Taiwan residents, and the 2023 foreigners'
//! permanent residence identity card.

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS: &[u8; 11] = b"10X98765432";

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
    fn published_examples() {
        assert_eq!(check_character(&first17("11010519491231002X")), 'X');
        assert_eq!(check_character(&first17("440524188001010014")), '4');
        assert_eq!(check_character(&first17("370101190102039973")), '3');
    }
}
