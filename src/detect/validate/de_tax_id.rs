//! German Steuerliche Identifikationsnummer: 11 digits, ISO 7064 MOD 11,10 check digit, and
//! in the first ten digits exactly one digit repeated (twice, or three times not all adjacent).

use super::{digits, Check, Validator};

pub struct DeTaxId;
impl Validator for DeTaxId {
    fn check(&self, c: &[u8]) -> Check {
        let d = digits(c);
        if d.len() != 11 || d[0] == 0 {
            return Check::Invalid;
        }
        let mut counts = [0u8; 10];
        for &x in &d[..10] {
            counts[x as usize] += 1;
        }
        let repeated: Vec<usize> = (0..10).filter(|&i| counts[i] > 1).collect();
        if repeated.len() != 1 || counts[repeated[0]] > 3 {
            return Check::Invalid;
        }
        if counts[repeated[0]] == 3 && d[..10].windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) {
            return Check::Invalid;
        }
        let mut product = 10u32;
        for &x in &d[..10] {
            let mut sum = (x as u32 + product) % 10;
            if sum == 0 {
                sum = 10;
            }
            product = (sum * 2) % 11;
        }
        let check = match 11 - product {
            10 => 0,
            c => c,
        };
        Check::from_bool(check == d[10] as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &DeTaxId,
            &["86095742719", "86 095 742 719"],
            &["86095742718", "65401237899", "11111111111", "01234567890"],
        );
    }
}
