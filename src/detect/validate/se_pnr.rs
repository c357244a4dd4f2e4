//! Swedish personnummer / samordningsnummer: (YY)YYMMDD[-+]NNNC with a Luhn check over the
//! ten-digit form; day + 60 marks a coordination number.

use super::luhn::luhn_ok;
use super::{digits, Check, Validator};

pub struct SePersonnummer;
impl Validator for SePersonnummer {
    fn check(&self, c: &[u8]) -> Check {
        let d = digits(c);
        let ten = match d.len() {
            10 => &d[..],
            12 => &d[2..],
            _ => return Check::Invalid,
        };
        let month = ten[2] * 10 + ten[3];
        let day = (ten[4] * 10 + ten[5]) % 60;
        Check::from_bool((1..=12).contains(&month) && (1..=31).contains(&day) && luhn_ok(ten))
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &SePersonnummer,
            &["811218-9876", "19811218-9876"],
            &["811218-9877", "811318-9876"],
        );
    }
}
