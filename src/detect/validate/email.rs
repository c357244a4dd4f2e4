//! E-mail addresses: RFC-plausible local part and domain, a real-looking top-level domain, and
//! not a file name with a retina suffix (`logo@2x.png`).

use super::{Check, Validator};

const FILE_EXTENSIONS: &[&[u8]] = &[
    b"png", b"jpg", b"jpeg", b"gif", b"svg", b"webp", b"js", b"css", b"ts", b"map", b"json",
    b"ico", b"bmp", b"tiff", b"mp4", b"html", b"txt", b"pdf", b"woff", b"woff2", b"ttf",
];

pub struct Email;
impl Validator for Email {
    fn check(&self, c: &[u8]) -> Check {
        let Some(at) = memchr::memrchr(b'@', c) else {
            return Check::Invalid;
        };
        let (local, domain) = (&c[..at], &c[at + 1..]);
        if local.is_empty() || local.len() > 64 || domain.len() > 253 {
            return Check::Invalid;
        }
        if local[0] == b'.'
            || local[local.len() - 1] == b'.'
            || local.windows(2).any(|w| w == b"..")
        {
            return Check::Invalid;
        }
        let labels: Vec<&[u8]> = domain.split(|&b| b == b'.').collect();
        if labels.len() < 2 {
            return Check::Invalid;
        }
        for l in &labels {
            if l.is_empty() || l.len() > 63 || l[0] == b'-' || l[l.len() - 1] == b'-' {
                return Check::Invalid;
            }
        }
        let tld = labels[labels.len() - 1];
        if tld.len() < 2 || tld.len() > 24 || !tld.iter().all(u8::is_ascii_alphabetic) {
            return Check::Invalid;
        }
        let tld_lower = tld.to_ascii_lowercase();
        if FILE_EXTENSIONS.contains(&tld_lower.as_slice()) {
            return Check::Invalid;
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
            &Email,
            &[
                "jane.doe@example.org",
                "a+tag@sub.example.co.uk",
                "x_y@b-c.io",
            ],
            &[
                "logo@2x.png",
                "a..b@example.org",
                "a@localhost",
                "a@example.c0m",
                ".a@example.org",
                "a@-bad.com",
            ],
        );
    }
}
