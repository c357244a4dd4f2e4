//! IP addresses, parsed rather than shaped. Addresses that identify no one (unspecified,
//! loopback, broadcast, netmasks, documentation prefixes stay valid) are rejected; private
//! ranges are weak evidence.

use super::{Check, Validator};
use std::net::{Ipv4Addr, Ipv6Addr};

pub struct Ipv4;
impl Validator for Ipv4 {
    fn check(&self, c: &[u8]) -> Check {
        let Ok(s) = std::str::from_utf8(c) else {
            return Check::Invalid;
        };
        // Leading zeros ("01.02.03.04") are version numbers or dates, not addresses.
        if s.split('.').any(|p| p.len() > 1 && p.starts_with('0')) {
            return Check::Invalid;
        }
        let Ok(ip) = s.parse::<Ipv4Addr>() else {
            return Check::Invalid;
        };
        let o = ip.octets();
        if ip.is_unspecified() || ip.is_loopback() || ip.is_broadcast() || o[0] == 255 || o[0] == 0
        {
            return Check::Invalid;
        }
        if ip.is_private() || ip.is_link_local() {
            return Check::Weak;
        }
        Check::Valid
    }
}

pub struct Ipv6;
impl Validator for Ipv6 {
    fn check(&self, c: &[u8]) -> Check {
        let Ok(s) = std::str::from_utf8(c) else {
            return Check::Invalid;
        };
        let Ok(ip) = s.parse::<Ipv6Addr>() else {
            return Check::Invalid;
        };
        if ip.is_unspecified() || ip.is_loopback() {
            return Check::Invalid;
        }
        // "a:b::c"-style strings parse too; a real address has hex groups of some length.
        let groups = s.split(':').filter(|g| !g.is_empty()).count();
        let hex_digits = s.bytes().filter(u8::is_ascii_hexdigit).count();
        if groups < 2 || hex_digits < 4 || (groups < 3 && !s.contains("::")) {
            return Check::Invalid;
        }
        let seg = ip.segments();
        if seg[0] & 0xffc0 == 0xfe80 || seg[0] & 0xfe00 == 0xfc00 {
            return Check::Weak;
        }
        Check::Valid
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &Ipv4,
            &["203.0.113.42", "8.8.8.8", "192.168.1.20"],
            &[
                "0.0.0.0",
                "127.0.0.1",
                "255.255.255.0",
                "256.1.1.1",
                "01.02.03.04",
            ],
        );
        assert_table(
            &Ipv6,
            &[
                "2001:db8::1",
                "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                "fe80::1ff:fe23:4567:890a",
            ],
            &["::1", "::", "12:34", "2001:db8:::1"],
        );
    }
}
