//! Polish PESEL: 11 digits, birth date with century-encoded month, weighted check digit.

use super::{digits, Check, Validator};

pub struct PlPesel;
impl Validator for PlPesel {
    fn check(&self, c: &[u8]) -> Check {
        let d = digits(c);
        if d.len() != 11 {
            return Check::Invalid;
        }
        let month = (d[2] * 10 + d[3]) % 20;
        let day = d[4] * 10 + d[5];
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return Check::Invalid;
        }
        let w = [1u32, 3, 7, 9, 1, 3, 7, 9, 1, 3];
        let sum: u32 = d[..10].iter().zip(w).map(|(&x, w)| x as u32 * w).sum();
        Check::from_bool((10 - sum % 10) % 10 == d[10] as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &PlPesel,
            &["44051401359", "02070803628"],
            &["44051401358", "44151401359", "44053201359"],
        );
    }
}
