//! MAC addresses: six hex octets with one consistent separator, or Cisco's dotted form;
//! all-zero and broadcast addresses are not a device.

use super::{Check, Validator};

pub struct MacAddress;
impl Validator for MacAddress {
    fn check(&self, c: &[u8]) -> Check {
        let hex: Vec<u8> = c.iter().copied().filter(u8::is_ascii_hexdigit).collect();
        if hex.len() != 12 {
            return Check::Invalid;
        }
        let seps: Vec<u8> = c
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_hexdigit())
            .collect();
        if !seps.windows(2).all(|w| w[0] == w[1]) {
            return Check::Invalid;
        }
        let lower = hex.to_ascii_lowercase();
        if lower.iter().all(|&b| b == b'0') || lower.iter().all(|&b| b == b'f') {
            return Check::Invalid;
        }
        // Mixed-case hex within one address is almost never a MAC.
        let has_upper = hex.iter().any(u8::is_ascii_uppercase);
        let has_lower = hex.iter().any(u8::is_ascii_lowercase);
        Check::from_bool(!(has_upper && has_lower))
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &MacAddress,
            &["00:1A:2B:3C:4D:5E", "a4-5e-60-e8-1b-2c", "001a.2b3c.4d5e"],
            &[
                "00:00:00:00:00:00",
                "ff:ff:ff:ff:ff:ff",
                "00:1A-2B:3C:4D:5E",
                "00:1a:2B:3c:4D:5e",
            ],
        );
    }
}
