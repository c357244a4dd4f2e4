//! German identity card (Personalausweis) document numbers: 9 characters from the restricted
//! alphabet plus a 7-3-1 weighted check digit.

use super::{alnum_upper, Check, Validator};

pub struct DeIdCard;
impl Validator for DeIdCard {
    fn check(&self, c: &[u8]) -> Check {
        let s = alnum_upper(c);
        if s.len() != 10 || !s[9].is_ascii_digit() || !s[..9].iter().any(u8::is_ascii_digit) {
            return Check::Invalid;
        }
        let allowed = b"0123456789CFGHJKLMNPRTVWXYZ";
        if !s[..9].iter().all(|b| allowed.contains(b)) || !b"LMNPRTVWXYZ".contains(&s[0]) {
            return Check::Invalid;
        }
        let w = [7u32, 3, 1];
        let sum: u32 = s[..9]
            .iter()
            .enumerate()
            .map(|(i, &b)| {
                let v = if b.is_ascii_digit() {
                    (b - b'0') as u32
                } else {
                    (b - b'A') as u32 + 10
                };
                v * w[i % 3]
            })
            .sum();
        Check::from_bool(sum % 10 == (s[9] - b'0') as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &DeIdCard,
            &["T220001293", "L01X00T471"],
            &["T220001294", "A220001293", "TTTTTTTTT0"],
        );
    }
}
