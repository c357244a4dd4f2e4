//! Australian Tax File Number: 9 digits, weights 1 4 3 7 5 8 6 9 10, sum divisible by 11.

use super::{digits, Check, Validator};

pub struct AuTfn;
impl Validator for AuTfn {
    fn check(&self, c: &[u8]) -> Check {
        let d = digits(c);
        if d.len() != 9 || d.iter().all(|&x| x == 0) {
            return Check::Invalid;
        }
        let w = [1u32, 4, 3, 7, 5, 8, 6, 9, 10];
        let sum: u32 = d.iter().zip(w).map(|(&x, w)| x as u32 * w).sum();
        Check::from_bool(sum % 11 == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &AuTfn,
            &["123 456 782", "876543210"],
            &["123 456 783", "000000000"],
        );
    }
}
