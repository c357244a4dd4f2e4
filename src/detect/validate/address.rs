//! Street addresses in address fields and columns: a house number and a street name, i.e. at
//! least one digit, at least one letter and more than one word. IP and MAC addresses, hex
//! values and bare numbers (which address-named columns also hold) are not street addresses.

use super::{Check, Validator};

pub struct StreetAddress;
impl Validator for StreetAddress {
    fn check(&self, c: &[u8]) -> Check {
        let t = c.trim_ascii();
        let has_digit = t.iter().any(u8::is_ascii_digit);
        let has_letter = t.iter().any(|b| b.is_ascii_alphabetic() || *b >= 0x80);
        let words = t
            .split(|b| *b == b' ' || *b == b',')
            .filter(|w| !w.is_empty())
            .count();
        let hex = t.len() > 2 && t[..2].eq_ignore_ascii_case(b"0x");
        Check::from_bool(has_digit && has_letter && words >= 2 && !hex)
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &StreetAddress,
            &[
                "12 Main Street",
                "Theodor-Heuss-Straße 34",
                "302 S 700 E",
                "Rua Dr. Falcão Filho, 155",
                "C/ San Bernardo 85",
                "4, Rue Milton",
            ],
            &[
                "10.0.0.1",
                "0x7ffe 1234",
                "Main Street",
                "12345",
                "jane",
                "Lijnbaansgracht",
            ],
        );
    }
}
