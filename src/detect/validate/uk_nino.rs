//! UK National Insurance numbers: the prefix letters HMRC never allocates and the A–D suffix.

use super::{alnum_upper, Check, Validator};

pub struct UkNino;
impl Validator for UkNino {
    fn check(&self, c: &[u8]) -> Check {
        let s = alnum_upper(c);
        if s.len() != 9 && s.len() != 8 {
            return Check::Invalid;
        }
        let (a, b) = (s[0], s[1]);
        if !a.is_ascii_uppercase()
            || !b.is_ascii_uppercase()
            || !s[2..8].iter().all(u8::is_ascii_digit)
        {
            return Check::Invalid;
        }
        if b"DFIQUV".contains(&a) || b"DFIOQUV".contains(&b) {
            return Check::Invalid;
        }
        if [b"BG", b"GB", b"KN", b"NK", b"NT", b"TN", b"ZZ"]
            .iter()
            .any(|p| p[..] == [a, b])
        {
            return Check::Invalid;
        }
        if s.len() == 9 && !(b'A'..=b'D').contains(&s[8]) {
            return Check::Invalid;
        }
        Check::Valid
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &UkNino,
            &["AB123456C", "AB 12 34 56 C", "JG103759A"],
            &[
                "QQ123456C",
                "BG123456A",
                "AB123456E",
                "DA123456A",
                "AO123456A",
            ],
        );
    }
}
