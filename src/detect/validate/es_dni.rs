//! Spanish DNI (8 digits + check letter) and NIE (X/Y/Z + 7 digits + check letter).

use super::{alnum_upper, Check, Validator};

const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

fn letter_ok(number: u32, letter: u8) -> bool {
    LETTERS[(number % 23) as usize] == letter
}

fn parse_digits(s: &[u8]) -> Option<u32> {
    s.iter().try_fold(0u32, |a, &b| {
        b.is_ascii_digit().then(|| a * 10 + (b - b'0') as u32)
    })
}

pub struct EsDni;
impl Validator for EsDni {
    fn check(&self, c: &[u8]) -> Check {
        let s = alnum_upper(c);
        if s.len() != 9 {
            return Check::Invalid;
        }
        match parse_digits(&s[..8]) {
            Some(n) if n != 0 => Check::from_bool(letter_ok(n, s[8])),
            _ => Check::Invalid,
        }
    }
}

pub struct EsNie;
impl Validator for EsNie {
    fn check(&self, c: &[u8]) -> Check {
        let s = alnum_upper(c);
        if s.len() != 9 {
            return Check::Invalid;
        }
        let lead = match s[0] {
            b'X' => 0,
            b'Y' => 1,
            b'Z' => 2,
            _ => return Check::Invalid,
        };
        match parse_digits(&s[1..8]) {
            Some(n) => Check::from_bool(letter_ok(lead * 10_000_000 + n, s[8])),
            None => Check::Invalid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &EsDni,
            &["12345678Z", "87654321X", "12345678-Z"],
            &["12345678A", "00000000T", "1234567Z"],
        );
        assert_table(
            &EsNie,
            &["X1234567L", "Y1234567X", "Z1234567R"],
            &["X1234567A", "A1234567L"],
        );
    }
}
