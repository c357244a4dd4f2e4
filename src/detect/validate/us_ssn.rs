//! US Social Security numbers: the area/group/serial rules the SSA never issues.

use super::{digits, Check, Validator};

pub(crate) fn ssn_parts_ok(d: &[u8]) -> bool {
    if d.len() != 9 {
        return false;
    }
    let area = d[0] as u32 * 100 + d[1] as u32 * 10 + d[2] as u32;
    let group = d[3] as u32 * 10 + d[4] as u32;
    let serial = d[5..].iter().fold(0u32, |a, &x| a * 10 + x as u32);
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

pub struct UsSsn;
impl Validator for UsSsn {
    fn check(&self, c: &[u8]) -> Check {
        let d = digits(c);
        // A run of one digit (111-11-1111) is a placeholder, not a number anybody holds.
        let repeated = d.windows(2).all(|w| w[0] == w[1]);
        Check::from_bool(ssn_parts_ok(&d) && !repeated && d != [1, 2, 3, 4, 5, 6, 7, 8, 9])
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &UsSsn,
            &["078-05-1120", "536-90-4399", "219 09 9999"],
            &[
                "000-12-3456",
                "666-12-3456",
                "912-12-3456",
                "123-00-4567",
                "123-45-0000",
                "111-11-1111",
                "123-45-6789",
            ],
        );
    }
}
