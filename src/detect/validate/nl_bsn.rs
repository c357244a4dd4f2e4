//! Dutch BSN (burgerservicenummer): 9 digits passing the "11-proef" with weight −1 on the last.

use super::{digits, Check, Validator};

pub struct NlBsn;
impl Validator for NlBsn {
    fn check(&self, c: &[u8]) -> Check {
        let d = digits(c);
        if d.len() != 9 || d.iter().all(|&x| x == 0) {
            return Check::Invalid;
        }
        let w = [9i32, 8, 7, 6, 5, 4, 3, 2, -1];
        let sum: i32 = d.iter().zip(w).map(|(&x, w)| x as i32 * w).sum();
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
            &NlBsn,
            &["111222333", "123456782"],
            &["111222334", "000000000", "12345678"],
        );
    }
}
