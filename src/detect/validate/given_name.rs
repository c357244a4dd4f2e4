//! A given name on its own, where the context already says a person is addressed ("Dear
//! Jane,", "Hola María,"): the word must be a known given name (census and national lists).
//! Greetings to groups or roles ("Dear customer", "Hi team", "Hello World") are not names.

use super::{Check, Validator};
use std::collections::HashSet;
use std::sync::LazyLock;

/// The lexicon folded (lower case, accents off), so "María" is found as "Maria".
static GIVEN_NAMES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    crate::detect::catalog::lexicon("given_names")
        .unwrap_or("")
        .lines()
        .map(crate::subject::fold)
        .collect()
});

pub struct GivenName;
impl Validator for GivenName {
    fn check(&self, c: &[u8]) -> Check {
        let Ok(text) = std::str::from_utf8(c) else {
            return Check::Invalid;
        };
        let word = text
            .trim_end_matches([',', '!', ' '])
            .rsplit(' ')
            .next()
            .unwrap_or("");
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        if capitalised && GIVEN_NAMES.contains(&crate::subject::fold(word)) {
            Check::Valid
        } else {
            Check::Invalid
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let valid: &[&str] = &["Jane", "Dear Jane,", "Hola María,", "Liebe Anna!", "Tom"];
        let invalid: &[&str] = &["Customer", "Dear customer,", "Team", "World", "Sir", ""];
        for v in valid {
            assert!(matches!(GivenName.check(v.as_bytes()), Check::Valid), "{v}");
        }
        for v in invalid {
            assert!(
                matches!(GivenName.check(v.as_bytes()), Check::Invalid),
                "{v}"
            );
        }
    }
}
