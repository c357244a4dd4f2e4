//! Singapore NRIC / FIN: prefix letter, 7 digits, weighted check letter (tables per prefix).

use super::{alnum_upper, Check, Validator};

pub struct SgNric;
impl Validator for SgNric {
    fn check(&self, c: &[u8]) -> Check {
        let s = alnum_upper(c);
        if s.len() != 9 || !s[1..8].iter().all(u8::is_ascii_digit) {
            return Check::Invalid;
        }
        let w = [2u32, 7, 6, 5, 4, 3, 2];
        let mut sum: u32 = s[1..8]
            .iter()
            .zip(w)
            .map(|(&b, w)| (b - b'0') as u32 * w)
            .sum();
        let table: &[u8; 11] = match s[0] {
            b'S' => b"JZIHGFEDCBA",
            b'T' => {
                sum += 4;
                b"JZIHGFEDCBA"
            }
            b'F' => b"XWUTRQPNMLK",
            b'G' => {
                sum += 4;
                b"XWUTRQPNMLK"
            }
            b'M' => {
                sum += 3;
                b"KLJNPQRTUWX"
            }
            _ => return Check::Invalid,
        };
        Check::from_bool(table[(sum % 11) as usize] == s[8])
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &SgNric,
            &["S1234567D", "T7654321B"],
            &["S1234567E", "A1234567D"],
        );
    }
}
