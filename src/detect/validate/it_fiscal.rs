//! Italian codice fiscale: 16 characters (surname, name, birth date and place codes) with the
//! odd/even-position check character; omocodia substitutions are accepted.

use super::{alnum_upper, Check, Validator};

const ODD: [u32; 36] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0-9
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
    23, // A-Z
];

fn index(b: u8) -> usize {
    if b.is_ascii_digit() {
        (b - b'0') as usize
    } else {
        (b - b'A') as usize + 10
    }
}

pub struct ItFiscalCode;
impl Validator for ItFiscalCode {
    fn check(&self, c: &[u8]) -> Check {
        let s = alnum_upper(c);
        if s.len() != 16
            || !s[..6].iter().all(u8::is_ascii_uppercase)
            || !s[15].is_ascii_uppercase()
        {
            return Check::Invalid;
        }
        if !b"ABCDEHLMPRST".contains(&s[8]) {
            return Check::Invalid;
        }
        let mut sum = 0u32;
        for (i, &b) in s[..15].iter().enumerate() {
            sum += if i % 2 == 0 {
                ODD[index(b)]
            } else if b.is_ascii_digit() {
                (b - b'0') as u32
            } else {
                (b - b'A') as u32
            };
        }
        Check::from_bool(s[15] == b'A' + (sum % 26) as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &ItFiscalCode,
            &["RSSMRA85T10A562S", "BNCGNN70A41H501V"],
            &["RSSMRA85T10A562T", "RSSMRA85Z10A562S", "1SSMRA85T10A562S"],
        );
    }
}
