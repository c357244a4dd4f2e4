//! Luhn (mod 10) and the identifiers that use it: payment cards (with issuer ranges and
//! lengths), IMEI and Canadian SIN.

use super::{digits, Check, Validator};

pub(crate) fn luhn_ok(ds: &[u8]) -> bool {
    if ds.is_empty() {
        return false;
    }
    let mut sum = 0u32;
    for (i, &d) in ds.iter().rev().enumerate() {
        let mut x = d as u32;
        if i % 2 == 1 {
            x *= 2;
            if x > 9 {
                x -= 9;
            }
        }
        sum += x;
    }
    sum % 10 == 0
}

fn all_same(ds: &[u8]) -> bool {
    ds.windows(2).all(|w| w[0] == w[1])
}

pub struct Luhn;
impl Validator for Luhn {
    fn check(&self, c: &[u8]) -> Check {
        Check::from_bool(luhn_ok(&digits(c)))
    }
}

/// Issuer identification ranges and the lengths each issuer uses.
fn issuer_length_ok(ds: &[u8]) -> bool {
    let n = ds.len();
    let prefix = |k: usize| ds.iter().take(k).fold(0u32, |a, &d| a * 10 + d as u32);
    let p1 = prefix(1);
    let p2 = prefix(2);
    let p3 = prefix(3);
    let p4 = prefix(4);
    let p6 = prefix(6);
    match p1 {
        4 => matches!(n, 13 | 16 | 19),                             // Visa
        5 if (51..=55).contains(&p2) => n == 16,                    // Mastercard
        2 if (2221..=2720).contains(&p4) => n == 16,                // Mastercard 2-series
        3 if p2 == 34 || p2 == 37 => n == 15,                       // Amex
        3 if (3528..=3589).contains(&p4) => (16..=19).contains(&n), // JCB
        3 if p2 == 36 || p2 == 38 || p2 == 39 || (300..=305).contains(&p3) => {
            (14..=19).contains(&n)
        } // Diners
        6 if p4 == 6011 || p2 == 65 || (644..=649).contains(&p3) => (16..=19).contains(&n), // Discover
        6 if p2 == 62 => (16..=19).contains(&n), // UnionPay
        6 if (622126..=622925).contains(&p6) => (16..=19).contains(&n),
        5 | 6 if p2 == 50 || (56..=69).contains(&p2) => (12..=19).contains(&n), // Maestro
        _ => false,
    }
}

pub struct CreditCard;
impl Validator for CreditCard {
    fn check(&self, c: &[u8]) -> Check {
        let ds = digits(c);
        Check::from_bool(
            (12..=19).contains(&ds.len())
                && !all_same(&ds)
                && issuer_length_ok(&ds)
                && luhn_ok(&ds),
        )
    }
}

pub struct Imei;
impl Validator for Imei {
    fn check(&self, c: &[u8]) -> Check {
        let ds = digits(c);
        Check::from_bool(ds.len() == 15 && !all_same(&ds) && luhn_ok(&ds))
    }
}

pub struct CaSin;
impl Validator for CaSin {
    fn check(&self, c: &[u8]) -> Check {
        let ds = digits(c);
        // 8 is not issued as a first digit.
        Check::from_bool(ds.len() == 9 && ds[0] != 8 && luhn_ok(&ds))
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;

    #[test]
    fn cards() {
        assert_table(
            &CreditCard,
            &[
                "4111111111111111",
                "4111 1111 1111 1111",
                "5500-0055-5555-5559",
                "378282246310005",
                "6011111111111117",
                "3530111333300000",
                "2223003122003222",
                "4012888888881881",
            ],
            &[
                "4111111111111112",
                "1234567890123456",
                "0000000000000000",
                "9111111111111111",
                "37828224631000",
                "4111111111111",
            ],
        );
    }

    #[test]
    fn imei_and_sin() {
        assert_table(
            &Imei,
            &["490154203237518", "35-209900-176148-1"],
            &["490154203237519", "000000000000000"],
        );
        assert_table(
            &CaSin,
            &["046 454 286", "046-454-286"],
            &["046 454 287", "846454281"],
        );
    }
}
