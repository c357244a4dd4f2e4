//! NHS numbers (England, Wales, Isle of Man): 10 digits, mod-11 check digit.

use super::{digits, Check, Validator};

pub struct UkNhs;
impl Validator for UkNhs {
    fn check(&self, c: &[u8]) -> Check {
        let d = digits(c);
        if d.len() != 10 || d.windows(2).all(|w| w[0] == w[1]) {
            return Check::Invalid;
        }
        let sum: u32 = d[..9]
            .iter()
            .enumerate()
            .map(|(i, &x)| x as u32 * (10 - i as u32))
            .sum();
        let check = match 11 - sum % 11 {
            11 => 0,
            10 => return Check::Invalid,
            r => r,
        };
        Check::from_bool(check == d[9] as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &UkNhs,
            &["943 476 5919", "4010232137", "943-476-5919"],
            &["943 476 5918", "1234567890", "0000000000"],
        );
    }
}
