//! US ABA routing transit numbers: 3-7-1 weighted checksum and Federal Reserve prefixes.

use super::{digits, Check, Validator};

pub struct AbaRouting;
impl Validator for AbaRouting {
    fn check(&self, c: &[u8]) -> Check {
        let d = digits(c);
        if d.len() != 9 {
            return Check::Invalid;
        }
        let prefix = d[0] as u32 * 10 + d[1] as u32;
        let prefix_ok = prefix <= 12
            || (21..=32).contains(&prefix)
            || (61..=72).contains(&prefix)
            || prefix == 80;
        let w = [3u32, 7, 1];
        let sum: u32 = d
            .iter()
            .enumerate()
            .map(|(i, &x)| x as u32 * w[i % 3])
            .sum();
        Check::from_bool(prefix_ok && sum % 10 == 0 && d.iter().any(|&x| x != 0))
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &AbaRouting,
            &["011000015", "021000021", "111000025"],
            &["011000016", "000000000", "991000025", "12345678"],
        );
    }
}
