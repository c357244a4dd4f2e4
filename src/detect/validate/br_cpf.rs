//! Brazilian CPF: 11 digits with two mod-11 check digits; repeated-digit numbers are invalid.

use super::{digits, Check, Validator};

fn check_digit(d: &[u8]) -> u8 {
    let n = d.len() as u32 + 1;
    let sum: u32 = d
        .iter()
        .enumerate()
        .map(|(i, &x)| x as u32 * (n - i as u32))
        .sum();
    ((sum * 10 % 11) % 10) as u8
}

pub struct BrCpf;
impl Validator for BrCpf {
    fn check(&self, c: &[u8]) -> Check {
        let d = digits(c);
        if d.len() != 11 || d.windows(2).all(|w| w[0] == w[1]) {
            return Check::Invalid;
        }
        Check::from_bool(check_digit(&d[..9]) == d[9] && check_digit(&d[..10]) == d[10])
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &BrCpf,
            &["111.444.777-35", "52998224725"],
            &["111.444.777-36", "111.111.111-11", "5299822472"],
        );
    }
}
