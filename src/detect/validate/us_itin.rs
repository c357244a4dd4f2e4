//! US ITIN: 9XX-XX-XXXX with the group in the ranges the IRS assigns.

use super::{digits, Check, Validator};

pub struct UsItin;
impl Validator for UsItin {
    fn check(&self, c: &[u8]) -> Check {
        let d = digits(c);
        if d.len() != 9 || d[0] != 9 {
            return Check::Invalid;
        }
        let group = d[3] as u32 * 10 + d[4] as u32;
        Check::from_bool(matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99))
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &UsItin,
            &["912-70-1234", "999 99 9999", "923-55-0001"],
            &["912-89-1234", "812-70-1234", "912-93-1234"],
        );
    }
}
