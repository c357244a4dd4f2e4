//! Postal codes by their national shapes (`9` a digit, `A` a letter): US ZIP and ZIP+4,
//! Canadian and British alphanumeric codes, the 4- and 5-digit codes of most of Europe,
//! Brazil's CEP, Poland, Portugal, Sweden, Japan, India, the Netherlands. Only used with
//! context (a postal-code label or column): a bare five-digit number is not a postal code.

use super::{Check, Validator};

const SHAPES: &[&str] = &[
    "99999",
    "99999-9999",
    "9999",
    "999999",
    "99999-999",
    "99-999",
    "9999-999",
    "999 99",
    "999-9999",
    "9999 AA",
    "9999AA",
    "A9A 9A9",
    "A9A9A9",
    "A-9999",
    "A-99999",
    "AA-9999",
    "AA-99999",
    "A9 9AA",
    "A99 9AA",
    "AA9 9AA",
    "AA99 9AA",
    "A9A 9AA",
    "AA9A 9AA",
    "A99AA",
    "A9AA",
    "AA99AA",
    "AA9AA",
    "AA9A9AA",
    "A9A9AA",
];

pub struct PostalCode;
impl Validator for PostalCode {
    fn check(&self, c: &[u8]) -> Check {
        let shape: String = c
            .trim_ascii()
            .iter()
            .map(|b| match b {
                b'0'..=b'9' => '9',
                b if b.is_ascii_alphabetic() => 'A',
                b => *b as char,
            })
            .collect();
        Check::from_bool(SHAPES.contains(&shape.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &PostalCode,
            &[
                "95014",
                "98052-8300",
                "SW1V 3EN",
                "EH4 1HH",
                "H2G 1A7",
                "01310-200",
                "00-358",
                "1016",
                "H-1073",
                "114 55",
                "1017 AB",
            ],
            &[
                "1",
                "12",
                "123456789",
                "ABCDE",
                "SW1V",
                "10115 Berlin",
                "12.345",
            ],
        );
    }
}
