//! Format-preserving encryption for the `fpe` operator (NIST SP 800-38G FF1 over AES-256, key
//! derived from the run's key): digits stay digits, letters stay letters in the same case,
//! separators stay where they were, the length stays. A card keeps its issuer prefix (BIN) and
//! gets a correct Luhn check digit, an IBAN keeps its country and gets correct check digits,
//! an e-mail keeps its domain — so the output still reads, validates and joins like real data,
//! for test databases made from production dumps. `piiscan unredact` reverses it with the key.
//!
//! FF1 needs at least a million possible values: a value with fewer than six digits and five
//! letters to encrypt (a CVV) cannot be encrypted safely and is masked instead (the caller is
//! told, and counts it as `mask`). The tweak is the detector id, so the same digits found by
//! different detectors encrypt differently.

use aes::Aes256;
use fpe::ff1::{FlexibleNumeralString, FF1};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const MIN_DIGITS: usize = 6; // 10^6
const MIN_LETTERS: usize = 5; // 26^5 > 10^6

#[derive(Clone)]
pub struct Fpe {
    ff1_digits: std::sync::Arc<FF1<Aes256>>,
    ff1_letters: std::sync::Arc<FF1<Aes256>>,
    check: String,
}

impl std::fmt::Debug for Fpe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fpe(..)")
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Encrypt,
    Decrypt,
}

impl Fpe {
    /// From the run's key (`--key-file` / `PIISCAN_KEY`): an AES-256 key derived with
    /// HMAC-SHA256, so the FPE key is never the pseudonym key itself.
    pub fn new(key: &[u8]) -> Option<Fpe> {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
        mac.update(b"piiscan fpe ff1 aes-256 v1");
        let k = mac.finalize().into_bytes();
        let mut mac = Hmac::<Sha256>::new_from_slice(&k).ok()?;
        mac.update(b"key check");
        let check = hex::encode(&mac.finalize().into_bytes()[..8]);
        Some(Fpe {
            check,
            ff1_digits: std::sync::Arc::new(FF1::<Aes256>::new(&k, 10).ok()?),
            ff1_letters: std::sync::Arc::new(FF1::<Aes256>::new(&k, 26).ok()?),
        })
    }

    /// A short fingerprint of the key (not the key): the manifest records it, so unredact can
    /// refuse a wrong key instead of writing garbage.
    pub fn key_check(&self) -> &str {
        &self.check
    }

    /// The encrypted value, or `None` when it has too few digits and letters to encrypt.
    pub fn encrypt(&self, detector: &str, value: &[u8]) -> Option<Vec<u8>> {
        self.transform(detector, value, Direction::Encrypt)
    }

    /// The original of an encrypted value (`None` if it cannot be one).
    pub fn decrypt(&self, detector: &str, value: &[u8]) -> Option<Vec<u8>> {
        self.transform(detector, value, Direction::Decrypt)
    }

    fn transform(&self, detector: &str, value: &[u8], dir: Direction) -> Option<Vec<u8>> {
        let mut out = value.to_vec();
        match detector {
            "credit_card" => self.card(detector, &mut out, dir)?,
            "iban" => self.iban(detector, &mut out, dir)?,
            "date_of_birth" => self.date(detector, &mut out, dir)?,
            "email" => {
                let at = value.iter().rposition(|&b| b == b'@')?;
                let done = self.classes(detector, &mut out[..at], dir)?;
                if !done {
                    return None;
                }
            }
            _ => {
                if !self.classes(detector, &mut out, dir)? {
                    return None;
                }
            }
        }
        Some(out)
    }

    fn ff1(
        &self,
        radix: u32,
        tweak: &[u8],
        numerals: Vec<u16>,
        dir: Direction,
    ) -> Option<Vec<u16>> {
        let ff1 = if radix == 10 {
            &self.ff1_digits
        } else {
            &self.ff1_letters
        };
        let ns = FlexibleNumeralString::from(numerals);
        let r = match dir {
            Direction::Encrypt => ff1.encrypt(tweak, &ns),
            Direction::Decrypt => ff1.decrypt(tweak, &ns),
        };
        r.ok().map(Vec::from)
    }

    /// Digits (radix 10) and ASCII letters (radix 26, case kept per position) of `v`, each
    /// class encrypted on its own when long enough. Returns whether anything was encrypted;
    /// `None` on failure. A class too short to encrypt is kept only when another class was
    /// encrypted (the value's identifying part), otherwise the caller masks the value.
    fn classes(&self, detector: &str, v: &mut [u8], dir: Direction) -> Option<bool> {
        let digits: Vec<usize> = (0..v.len()).filter(|&i| v[i].is_ascii_digit()).collect();
        let letters: Vec<usize> = (0..v.len())
            .filter(|&i| v[i].is_ascii_alphabetic())
            .collect();
        let mut any = false;
        if digits.len() >= MIN_DIGITS {
            let tweak = [detector.as_bytes(), b"/d"].concat();
            let n: Vec<u16> = digits.iter().map(|&i| u16::from(v[i] - b'0')).collect();
            let e = self.ff1(10, &tweak, n, dir)?;
            for (&i, d) in digits.iter().zip(e) {
                v[i] = b'0' + d as u8;
            }
            any = true;
        }
        if letters.len() >= MIN_LETTERS {
            let tweak = [detector.as_bytes(), b"/l"].concat();
            let n: Vec<u16> = letters
                .iter()
                .map(|&i| u16::from(v[i].to_ascii_lowercase() - b'a'))
                .collect();
            let e = self.ff1(26, &tweak, n, dir)?;
            for (&i, l) in letters.iter().zip(e) {
                let c = b'a' + l as u8;
                v[i] = if v[i].is_ascii_uppercase() {
                    c.to_ascii_uppercase()
                } else {
                    c
                };
            }
            any = true;
        }
        Some(any)
    }

    /// Keeps the first six digits (issuer) and recomputes the Luhn digit; the digits between
    /// are encrypted.
    fn card(&self, detector: &str, v: &mut [u8], dir: Direction) -> Option<()> {
        let pos: Vec<usize> = (0..v.len()).filter(|&i| v[i].is_ascii_digit()).collect();
        if pos.len() < 6 + MIN_DIGITS + 1 {
            return None;
        }
        let middle = &pos[6..pos.len() - 1];
        let n: Vec<u16> = middle.iter().map(|&i| u16::from(v[i] - b'0')).collect();
        let e = self.ff1(10, detector.as_bytes(), n, dir)?;
        for (&i, d) in middle.iter().zip(e) {
            v[i] = b'0' + d as u8;
        }
        let body: Vec<u8> = pos[..pos.len() - 1].iter().map(|&i| v[i] - b'0').collect();
        v[pos[pos.len() - 1]] = b'0' + luhn_check_digit(&body);
        Some(())
    }

    /// A date stays a valid date in the same layout (so it still loads into a date column):
    /// its day number between 1900-01-01 and 2099-12-31 is encrypted as six digits, walking
    /// the cycle until it lands in range. Layouts: year first (`1985-04-12`), or year last
    /// with `.` or `-` as day-month-year and `/` as month/day/year; two-digit day and month.
    fn date(&self, detector: &str, v: &mut [u8], dir: Direction) -> Option<()> {
        use crate::retention::time::{civil_from_days, days_from_civil};
        let groups: Vec<(usize, usize)> = {
            let mut g = Vec::new();
            let mut i = 0;
            while i < v.len() {
                if v[i].is_ascii_digit() {
                    let s = i;
                    while i < v.len() && v[i].is_ascii_digit() {
                        i += 1;
                    }
                    g.push((s, i));
                } else {
                    i += 1;
                }
            }
            g
        };
        if groups.len() != 3 {
            return None;
        }
        let num = |(s, e): (usize, usize)| -> Option<u32> {
            std::str::from_utf8(&v[s..e]).ok()?.parse().ok()
        };
        let width = |(s, e): (usize, usize)| e - s;
        let (yi, mi, di) = if width(groups[0]) == 4 {
            (0, 1, 2)
        } else if width(groups[2]) == 4 {
            let sep = v[groups[0].1];
            if sep == b'/' {
                (2, 0, 1)
            } else {
                (2, 1, 0)
            }
        } else {
            return None;
        };
        if width(groups[mi]) != 2 || width(groups[di]) != 2 {
            return None;
        }
        let (y, m, d) = (num(groups[yi])?, num(groups[mi])?, num(groups[di])?);
        let base = days_from_civil(1900, 1, 1);
        const SPAN: u32 = 73_049; // days from 1900-01-01 to 2099-12-31
        let day = days_from_civil(i64::from(y), m, d) - base;
        // The day number must round-trip (no 31 February) and lie in range.
        if civil_from_days(day + base) != (i64::from(y), m, d) || !(0..SPAN as i64).contains(&day) {
            return None;
        }
        let tweak = [detector.as_bytes(), b"/date"].concat();
        let mut x = day as u32;
        loop {
            let digits: Vec<u16> = format!("{x:06}")
                .bytes()
                .map(|b| u16::from(b - b'0'))
                .collect();
            let e = self.ff1(10, &tweak, digits, dir)?;
            x = e.iter().fold(0u32, |acc, &d| acc * 10 + u32::from(d));
            if x < SPAN {
                break;
            }
        }
        let (ny, nm, nd) = civil_from_days(i64::from(x) + base);
        for (idx, val, w) in [(yi, ny as u32, 4), (mi, nm, 2), (di, nd, 2)] {
            let text = format!("{val:0w$}");
            v[groups[idx].0..groups[idx].1].copy_from_slice(text.as_bytes());
        }
        Some(())
    }

    /// Keeps the country code and the bank-code letters, encrypts the account digits, and
    /// recomputes the two check digits (ISO 13616 mod 97).
    fn iban(&self, detector: &str, v: &mut [u8], dir: Direction) -> Option<()> {
        let pos: Vec<usize> = (0..v.len())
            .filter(|&i| v[i].is_ascii_alphanumeric())
            .collect();
        if pos.len() < 4 + MIN_DIGITS {
            return None;
        }
        let bban: Vec<usize> = pos[4..]
            .iter()
            .copied()
            .filter(|&i| v[i].is_ascii_digit())
            .collect();
        if bban.len() < MIN_DIGITS {
            return None;
        }
        let n: Vec<u16> = bban.iter().map(|&i| u16::from(v[i] - b'0')).collect();
        let e = self.ff1(10, detector.as_bytes(), n, dir)?;
        for (&i, d) in bban.iter().zip(e) {
            v[i] = b'0' + d as u8;
        }
        // Check digits: 98 - (BBAN ‖ country ‖ "00" mod 97), letters as 10..35.
        let mut rem = 0u32;
        let mut feed = |c: u8| {
            let c = c.to_ascii_uppercase();
            if c.is_ascii_digit() {
                rem = (rem * 10 + u32::from(c - b'0')) % 97;
            } else {
                rem = (rem * 100 + u32::from(c - b'A') + 10) % 97;
            }
        };
        for &i in &pos[4..] {
            feed(v[i]);
        }
        feed(v[pos[0]]);
        feed(v[pos[1]]);
        feed(b'0');
        feed(b'0');
        let check = 98 - rem;
        v[pos[2]] = b'0' + (check / 10) as u8;
        v[pos[3]] = b'0' + (check % 10) as u8;
        Some(())
    }
}

/// The Luhn check digit for `body` (digits without the check digit).
fn luhn_check_digit(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::validate;

    fn fpe() -> Fpe {
        Fpe::new(b"test key").unwrap()
    }

    #[test]
    fn round_trips_keep_the_format() {
        let f = fpe();
        // (detector, value) — every one must change, keep its shape and come back.
        let table: &[(&str, &str)] = &[
            ("credit_card", "4111 1111 1111 1111"),
            ("credit_card", "378282246310005"),
            ("iban", "DE89 3704 0044 0532 0130 00"),
            ("iban", "GB82WEST12345698765432"),
            ("email", "Jane.Doe-77@example.com"),
            ("phone", "+44 20 7946 0958"),
            ("date_of_birth", "1985-04-12"),
            ("date_of_birth", "12.04.1985"),
            ("date_of_birth", "04/12/1985"),
            ("person_name", "Grace Hopper"),
            ("us_ssn", "078-05-1120"),
        ];
        for (det, v) in table {
            let e = f.encrypt(det, v.as_bytes()).unwrap();
            assert_ne!(&e[..], v.as_bytes(), "{det} unchanged");
            assert_eq!(e.len(), v.len());
            for (a, b) in v.bytes().zip(&e) {
                assert_eq!(a.is_ascii_digit(), b.is_ascii_digit(), "{det}");
                assert_eq!(a.is_ascii_uppercase(), b.is_ascii_uppercase(), "{det}");
                if !a.is_ascii_alphanumeric() {
                    assert_eq!(a, *b, "{det}: separators stay");
                }
            }
            assert_eq!(f.decrypt(det, &e).unwrap(), v.as_bytes(), "{det}");
            // Deterministic: the same value, the same output.
            assert_eq!(f.encrypt(det, v.as_bytes()).unwrap(), e);
        }
    }

    #[test]
    fn cards_and_ibans_stay_valid_with_their_issuer_and_country() {
        let f = fpe();
        for card in ["4111111111111111", "5500005555555559", "6011111111111117"] {
            let e = f.encrypt("credit_card", card.as_bytes()).unwrap();
            assert_eq!(&e[..6], &card.as_bytes()[..6]);
            let check = validate::by_name("credit_card").unwrap().check(&e);
            assert!(
                matches!(check, validate::Check::Valid),
                "{}",
                String::from_utf8_lossy(&e)
            );
        }
        for iban in ["DE89370400440532013000", "FR1420041010050500013M02606"] {
            let e = f.encrypt("iban", iban.as_bytes()).unwrap();
            assert_eq!(&e[..2], &iban.as_bytes()[..2]);
            let check = validate::by_name("iban").unwrap().check(&e);
            assert!(
                matches!(check, validate::Check::Valid),
                "{}",
                String::from_utf8_lossy(&e)
            );
        }
        for date in ["1985-04-12", "29.02.2000", "12/31/1999"] {
            let e = f.encrypt("date_of_birth", date.as_bytes()).unwrap();
            let e = String::from_utf8(e).unwrap();
            let parts: Vec<u32> = e
                .split(['-', '.', '/'])
                .map(|p| p.parse().unwrap())
                .collect();
            let (y, m, d) = match date.as_bytes()[2] {
                b'.' => (parts[2], parts[1], parts[0]),
                b'/' => (parts[2], parts[0], parts[1]),
                _ => (parts[0], parts[1], parts[2]),
            };
            assert!((1900..=2099).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d));
            let back = crate::retention::time::days_from_civil(i64::from(y), m, d);
            assert_eq!(
                crate::retention::time::civil_from_days(back),
                (i64::from(y), m, d),
                "{e} is a real date"
            );
        }
        assert!(f.encrypt("date_of_birth", b"1850-01-01").is_none());
        let e = f.encrypt("email", b"someone@example.org").unwrap();
        assert!(e.ends_with(b"@example.org"));
    }

    #[test]
    fn too_short_values_are_not_encrypted_and_keys_matter() {
        let f = fpe();
        assert!(f.encrypt("card_cvv", b"123").is_none());
        assert!(f.encrypt("email", b"al@example.com").is_none());
        let other = Fpe::new(b"another key").unwrap();
        assert_ne!(
            f.encrypt("phone", b"+1 201-555-0142"),
            other.encrypt("phone", b"+1 201-555-0142")
        );
    }
}
