//! Generic secrets: a value is only a credential if it looks random — enough Shannon entropy
//! and a mix of character classes — so words and identifiers after `token=` are not reported.

use super::{Check, Validator};

pub fn shannon_entropy(s: &[u8]) -> f64 {
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

pub struct HighEntropy;
impl Validator for HighEntropy {
    fn check(&self, c: &[u8]) -> Check {
        let digits = c.iter().any(u8::is_ascii_digit);
        let letters = c.iter().any(u8::is_ascii_alphabetic);
        Check::from_bool(c.len() >= 16 && digits && letters && shannon_entropy(c) >= 3.5)
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &HighEntropy,
            &["9f8e7d6c5b4a39281706f5e4d3c2b1a0", "x7Gk2pQ9vL4mN8rT1wZ5"],
            &[
                "my_secret_key_name_here",
                "aaaaaaaaaaaaaaaaaaaa1",
                "12345678901234567890",
            ],
        );
    }
}
