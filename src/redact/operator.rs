//! Redaction operators (`mask`, `tag`, `partial`, `hash`, `fpe`, `drop`) and the per-run state that
//! keeps them consistent: numbered tags per distinct value in a file, keyed pseudonyms that are
//! the same for the same value in every file and every run with the same key.

use crate::detect::DetectorSpec;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::HashMap;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Operator {
    /// Same length, `*` for every letter and digit, separators kept.
    Mask,
    /// `[EMAIL]`, or `[EMAIL_1]`, `[EMAIL_2]` numbered per distinct value within a file.
    Tag,
    /// Keep what is safe and useful: last 4 of a card or account, an email's domain, a phone's
    /// country code, an IPv4 address's first two octets.
    Partial,
    /// Keyed HMAC-SHA256 pseudonym with the detector as prefix: `email_3f9a1c2b9d0e`.
    Hash,
    /// Format-preserving encryption (FF1): same shape, reversible with the key
    /// (`piiscan unredact`). Values too short to encrypt are masked.
    Fpe,
    /// Remove the value.
    Drop,
}

impl FromStr for Operator {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "mask" => Ok(Operator::Mask),
            "tag" => Ok(Operator::Tag),
            "partial" => Ok(Operator::Partial),
            "hash" => Ok(Operator::Hash),
            "drop" => Ok(Operator::Drop),
            "fpe" => Ok(Operator::Fpe),
            other => Err(format!(
                "unknown operator '{other}' (mask, tag, partial, hash, fpe, drop)"
            )),
        }
    }
}

impl Operator {
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Mask => "mask",
            Operator::Tag => "tag",
            Operator::Partial => "partial",
            Operator::Hash => "hash",
            Operator::Drop => "drop",
            Operator::Fpe => "fpe",
        }
    }
}

/// Where the pseudonym key comes from (never printed).
#[derive(Clone)]
pub struct RedactorKey(pub Vec<u8>);

impl std::fmt::Debug for RedactorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RedactorKey(..)")
    }
}

/// Chooses an operator per finding and produces replacements.
#[derive(Debug, Clone)]
pub struct Redactor {
    default: Operator,
    /// Operators by detector id or category (id wins).
    overrides: HashMap<String, Operator>,
    key: Option<RedactorKey>,
    fpe: Option<super::fpe::Fpe>,
    numbered_tags: bool,
}

/// Per-file state: numbered tags restart in every file.
#[derive(Default)]
pub struct FileState {
    tags: HashMap<(String, Vec<u8>), usize>,
    next: HashMap<String, usize>,
}

type HmacSha256 = Hmac<Sha256>;

fn is_sep(b: u8) -> bool {
    !b.is_ascii_alphanumeric() && b < 0x80
}

/// A canonical form for pseudonyms: case and separators do not change who a value points to.
fn normalize(detector: &str, value: &[u8]) -> Vec<u8> {
    match detector {
        "email" => value.to_ascii_lowercase(),
        "phone" => {
            let s = String::from_utf8_lossy(value);
            match crate::detect::validate::normalize_phone(&s) {
                Some(e164) => e164.into_bytes(),
                None => value.iter().copied().filter(u8::is_ascii_digit).collect(),
            }
        }
        _ => value
            .iter()
            .copied()
            .filter(|b| b.is_ascii_alphanumeric() || *b >= 0x80)
            .map(|b| b.to_ascii_uppercase())
            .collect(),
    }
}

impl Redactor {
    pub fn new(
        default: Operator,
        overrides: HashMap<String, Operator>,
        key: Option<RedactorKey>,
    ) -> Redactor {
        let fpe = key.as_ref().and_then(|k| super::fpe::Fpe::new(&k.0));
        Redactor {
            default,
            overrides,
            key,
            fpe,
            numbered_tags: true,
        }
    }

    pub fn needs_key(&self) -> bool {
        let keyed = |o: &Operator| matches!(o, Operator::Hash | Operator::Fpe);
        keyed(&self.default) || self.overrides.values().any(keyed)
    }

    /// The fpe key's fingerprint (see [`super::fpe::Fpe::key_check`]).
    pub fn fpe_key_check(&self) -> Option<&str> {
        self.fpe.as_ref().map(|f| f.key_check())
    }

    pub fn has_key(&self) -> bool {
        self.key.is_some()
    }

    pub fn operator_for(&self, spec: &DetectorSpec) -> Operator {
        self.overrides
            .get(&spec.id)
            .or_else(|| {
                spec.id
                    .split_once('.')
                    .and_then(|(base, _)| self.overrides.get(base))
            })
            .or_else(|| self.overrides.get(&spec.category))
            .copied()
            .unwrap_or(self.default)
    }

    /// The keyed pseudonym of a value (what `hash` writes).
    pub fn pseudonym(&self, detector: &str, value: &[u8]) -> Option<String> {
        let key = self.key.as_ref()?;
        let mut mac = HmacSha256::new_from_slice(&key.0).ok()?;
        mac.update(detector.as_bytes());
        mac.update(&[0]);
        mac.update(&normalize(detector, value));
        let digest = mac.finalize().into_bytes();
        Some(format!(
            "{}_{}",
            detector.replace('.', "_"),
            hex::encode(&digest[..6])
        ))
    }

    /// The replacement for `value` found by `spec`.
    pub fn replace(
        &self,
        spec: &DetectorSpec,
        value: &[u8],
        file: &mut FileState,
    ) -> (Operator, Vec<u8>) {
        let op = self.operator_for(spec);
        let out = match op {
            // A masked date still has to load into a typed date column (a restored dump):
            // its digit groups become 1900-01-01 in the same layout.
            Operator::Mask if spec.id == "date_of_birth" => mask_date(value),
            Operator::Mask => mask(value),
            Operator::Drop => Vec::new(),
            Operator::Tag => {
                let label = spec.id.replace('.', "_").to_ascii_uppercase();
                if self.numbered_tags {
                    let key = (spec.id.clone(), normalize(&spec.id, value));
                    let n = match file.tags.get(&key) {
                        Some(n) => *n,
                        None => {
                            let n = file.next.entry(spec.id.clone()).or_insert(0);
                            *n += 1;
                            file.tags.insert(key, *n);
                            *n
                        }
                    };
                    format!("[{label}_{n}]").into_bytes()
                } else {
                    format!("[{label}]").into_bytes()
                }
            }
            Operator::Partial => partial(&spec.id, value),
            // Without a key there is no safe pseudonym: mask instead (the CLI refuses to start
            // a hashing run without a key, so this only guards library use).
            Operator::Hash => self
                .pseudonym(&spec.id, value)
                .map(String::into_bytes)
                .unwrap_or_else(|| mask(value)),
            Operator::Fpe => match self.fpe.as_ref().and_then(|f| f.encrypt(&spec.id, value)) {
                Some(e) => e,
                // Too short to encrypt (or no key): masked, and counted as such.
                None if spec.id == "date_of_birth" => return (Operator::Mask, mask_date(value)),
                None => return (Operator::Mask, mask(value)),
            },
        };
        (op, out)
    }
}

fn mask(value: &[u8]) -> Vec<u8> {
    // A multi-byte UTF-8 letter becomes as many '*' as it had bytes: the text stays valid
    // UTF-8 and every byte offset after it stays where it was.
    let s = String::from_utf8_lossy(value);
    let mut out = Vec::with_capacity(value.len());
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(std::iter::repeat_n(b'*', c.len_utf8()));
        } else {
            let mut b = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
        }
    }
    out
}

fn mask_date(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        let run = value[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if run == 0 {
            let b = value[i];
            out.push(if b.is_ascii_alphabetic() { b'*' } else { b });
            i += 1;
            continue;
        }
        let filler: &[u8] = match run {
            4 => b"1900",
            2 => b"01",
            1 => b"1",
            _ => &[],
        };
        if filler.is_empty() {
            out.extend(std::iter::repeat_n(b'0', run));
        } else {
            out.extend_from_slice(filler);
        }
        i += run;
    }
    out
}

fn keep_last_digits(value: &[u8], keep: usize) -> Vec<u8> {
    let total = value.iter().filter(|b| b.is_ascii_alphanumeric()).count();
    let mut seen = 0;
    value
        .iter()
        .map(|&b| {
            if is_sep(b) {
                b
            } else {
                seen += 1;
                if seen > total.saturating_sub(keep) {
                    b
                } else {
                    b'*'
                }
            }
        })
        .collect()
}

fn partial(detector: &str, value: &[u8]) -> Vec<u8> {
    match detector {
        "credit_card" | "iban" | "bank_account" | "imei" => keep_last_digits(value, 4),
        "email" => match memchr::memrchr(b'@', value) {
            Some(at) => {
                let mut out = vec![b'*'; at.min(3)];
                out.extend_from_slice(&value[at..]);
                out
            }
            None => mask(value),
        },
        "phone" => {
            // Keep a leading "+CC" (or "00CC"); mask the rest.
            let cc_len = if value.starts_with(b"+") {
                1 + value[1..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count()
                    .min(3)
            } else {
                0
            };
            let mut out = value[..cc_len].to_vec();
            out.extend(mask(&value[cc_len..]));
            out
        }
        "ipv4" => {
            let mut dots = 0;
            value
                .iter()
                .map(|&b| {
                    if b == b'.' {
                        dots += 1;
                        b
                    } else if dots >= 2 {
                        b'*'
                    } else {
                        b
                    }
                })
                .collect()
        }
        _ => {
            let mut out = mask(value);
            if let (Some(first), Some(slot)) = (value.first(), out.first_mut()) {
                if first.is_ascii_alphanumeric() && value.len() >= 6 {
                    *slot = *first;
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Catalog;

    fn spec(id: &str) -> DetectorSpec {
        Catalog::builtin().unwrap().get(id).unwrap().clone()
    }

    #[test]
    fn operators() {
        let key = Some(RedactorKey(b"k".to_vec()));
        let r = Redactor::new(Operator::Mask, HashMap::new(), key.clone());
        let mut fs = FileState::default();
        assert_eq!(
            r.replace(&spec("email"), b"jane@example.com", &mut fs).1,
            b"****@*******.***"
        );
        let mut o = HashMap::new();
        o.insert("email".to_string(), Operator::Tag);
        o.insert("financial".to_string(), Operator::Partial);
        o.insert("phone".to_string(), Operator::Hash);
        let r = Redactor::new(Operator::Mask, o, key);
        assert_eq!(
            r.replace(&spec("email"), b"a@example.com", &mut fs).1,
            b"[EMAIL_1]"
        );
        assert_eq!(
            r.replace(&spec("email"), b"b@example.com", &mut fs).1,
            b"[EMAIL_2]"
        );
        assert_eq!(
            r.replace(&spec("email"), b"A@Example.com", &mut fs).1,
            b"[EMAIL_1]"
        );
        assert_eq!(
            r.replace(&spec("credit_card"), b"4111 1111 1111 1111", &mut fs)
                .1,
            b"**** **** **** 1111"
        );
        let p1 = r.replace(&spec("phone"), b"+44 20 7946 0958", &mut fs).1;
        let p2 = r.replace(&spec("phone"), b"+44 (0)20 7946-0958", &mut fs).1;
        assert_eq!(p1, p2, "one number in two formats gets one pseudonym");
        assert!(String::from_utf8(p1).unwrap().starts_with("phone_"));
        assert_eq!(
            partial("email", b"jane.doe@example.com"),
            b"***@example.com"
        );
        assert_eq!(partial("phone", b"+44 20 7946 0958"), b"+44 ** **** ****");
        assert_eq!(partial("ipv4", b"203.0.113.42"), b"203.0.***.**");
        assert_eq!(mask_date(b"1984-07-23"), b"1900-01-01");
        assert_eq!(mask_date(b"23.7.1984"), b"01.1.1900");
    }
}
