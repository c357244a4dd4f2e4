//! Belgian national register number (rijksregisternummer): YYMMDD-SSS-CC, check = 97 − (n mod
//! 97), with a leading 2 prepended for people born from 2000.

use super::{digits, Check, Validator};

pub struct BeNationalNumber;
impl Validator for BeNationalNumber {
    fn check(&self, c: &[u8]) -> Check {
        let d = digits(c);
        if d.len() != 11 {
            return Check::Invalid;
        }
        let month = d[2] * 10 + d[3];
        if month > 12 && !(20..=32).contains(&month) && !(40..=52).contains(&month) {
            return Check::Invalid;
        }
        let n: u64 = d[..9].iter().fold(0, |a, &x| a * 10 + x as u64);
        let check = (d[9] * 10 + d[10]) as u64;
        Check::from_bool(97 - n % 97 == check || 97 - (2_000_000_000 + n) % 97 == check)
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &BeNationalNumber,
            &["85.07.30-033.28", "93010112361"],
            &["85.07.30-033.29", "85.17.30-033.28"],
        );
    }
}
