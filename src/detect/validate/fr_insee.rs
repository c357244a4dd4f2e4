//! French INSEE / NIR (numéro de sécurité sociale): 13 characters and a 2-digit key,
//! key = 97 − (number mod 97), with Corsica's 2A/2B départements mapped to 19/18.

use super::{alnum_upper, Check, Validator};

pub struct FrInsee;
impl Validator for FrInsee {
    fn check(&self, c: &[u8]) -> Check {
        let s = alnum_upper(c);
        if s.len() != 15 || !(s[0] == b'1' || s[0] == b'2' || s[0] == b'7' || s[0] == b'8') {
            return Check::Invalid;
        }
        let mut body = s[..13].to_vec();
        let corsica = match (body[5], body[6]) {
            (b'2', b'A') => Some(1_000_000u64),
            (b'2', b'B') => Some(2_000_000u64),
            _ => None,
        };
        if corsica.is_some() {
            body[6] = b'0';
        }
        if !body.iter().all(u8::is_ascii_digit) || !s[13..].iter().all(u8::is_ascii_digit) {
            return Check::Invalid;
        }
        let month = (body[3] - b'0') * 10 + (body[4] - b'0');
        if !(1..=12).contains(&month) && !(20..=42).contains(&month) && month != 99 {
            return Check::Invalid;
        }
        let mut n: u64 = body.iter().fold(0, |a, &b| a * 10 + (b - b'0') as u64);
        if let Some(sub) = corsica {
            n -= sub;
        }
        let key = ((s[13] - b'0') * 10 + (s[14] - b'0')) as u64;
        Check::from_bool(97 - n % 97 == key)
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &FrInsee,
            &["2 55 08 14 168 025 38", "184017512345658"],
            &[
                "2 55 08 14 168 025 39",
                "355081416802538",
                "2551314168025xx",
            ],
        );
    }
}
