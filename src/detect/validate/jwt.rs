//! JSON Web Tokens: three base64url parts whose header decodes to a JSON object with `alg`.
//! [`personal_claims`] lists the claims in the payload that identify a person.

use super::{Check, Validator};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

fn decode_part(part: &[u8]) -> Option<serde_json::Value> {
    let trimmed: Vec<u8> = part.iter().copied().filter(|&b| b != b'=').collect();
    let bytes = URL_SAFE_NO_PAD.decode(trimmed).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Names of payload claims that carry personal data (never their values).
pub fn personal_claims(token: &[u8]) -> Vec<String> {
    const PERSONAL: &[&str] = &[
        "email",
        "name",
        "given_name",
        "family_name",
        "phone_number",
        "address",
        "birthdate",
        "sub",
        "preferred_username",
        "upn",
    ];
    let mut parts = token.split(|&b| b == b'.');
    let _header = parts.next();
    match parts.next().and_then(decode_part) {
        Some(serde_json::Value::Object(map)) => PERSONAL
            .iter()
            .filter(|k| map.contains_key(**k))
            .map(|k| k.to_string())
            .collect(),
        _ => Vec::new(),
    }
}

pub struct Jwt;
impl Validator for Jwt {
    fn check(&self, c: &[u8]) -> Check {
        let parts: Vec<&[u8]> = c.split(|&b| b == b'.').collect();
        if parts.len() != 3 {
            return Check::Invalid;
        }
        match decode_part(parts[0]) {
            Some(serde_json::Value::Object(h)) if h.contains_key("alg") => Check::Valid,
            _ => Check::Invalid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    const TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    #[test]
    fn table() {
        assert_table(
            &Jwt,
            &[TOKEN],
            &[
                "eyJhbGciOiJIUzI1NiJ9x.eyJ.abc",
                "eyJub3RhbGciOjF9.eyJzdWIiOiIxIn0.sig",
            ],
        );
    }
    #[test]
    fn claims() {
        assert_eq!(
            personal_claims(TOKEN.as_bytes()),
            vec!["name".to_string(), "sub".to_string()]
        );
    }
}
