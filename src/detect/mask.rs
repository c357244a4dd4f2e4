//! Masking: the only form in which a found value appears in reports without `--reveal`.

use super::catalog::MaskStyle;

fn is_sep(c: char) -> bool {
    !c.is_alphanumeric()
}

/// Stars for every alphanumeric character, separators kept.
fn stars(s: &str) -> String {
    s.chars().map(|c| if is_sep(c) { c } else { '*' }).collect()
}

/// Masks `value` in the given style. The output never contains more than the style reveals:
/// the first character (`edges`), an email's first letters and top-level domain, a card's last
/// four digits, or a detector's fixed non-secret prefix.
pub fn mask(value: &[u8], style: MaskStyle, prefix_len: usize) -> String {
    let s = String::from_utf8_lossy(value);
    let s = s.as_ref();
    match style {
        MaskStyle::Full => stars(s),
        MaskStyle::Edges => {
            let mut out = String::with_capacity(s.len());
            let mut first = true;
            let n = s.chars().filter(|c| !is_sep(*c)).count();
            for c in s.chars() {
                if !is_sep(c) && first && n >= 6 {
                    out.push(c);
                    first = false;
                } else if is_sep(c) {
                    out.push(c);
                } else {
                    out.push('*');
                }
            }
            out
        }
        MaskStyle::Email => {
            let Some(at) = s.rfind('@') else {
                return stars(s);
            };
            let (local, domain) = (&s[..at], &s[at + 1..]);
            let tld_at = domain.rfind('.').unwrap_or(domain.len());
            let keep_first = |p: &str| -> String {
                let mut cs = p.chars();
                match cs.next() {
                    Some(c) => std::iter::once(c).chain(cs.map(|_| '*')).collect(),
                    None => String::new(),
                }
            };
            format!(
                "{}@{}{}",
                keep_first(local),
                keep_first(&domain[..tld_at]),
                &domain[tld_at..]
            )
        }
        MaskStyle::Last4 => {
            let total = s.chars().filter(|c| c.is_ascii_digit()).count();
            let mut seen = 0;
            s.chars()
                .map(|c| {
                    if c.is_ascii_digit() {
                        seen += 1;
                        if seen > total.saturating_sub(4) && total >= 12 {
                            c
                        } else {
                            '*'
                        }
                    } else if is_sep(c) {
                        c
                    } else {
                        '*'
                    }
                })
                .collect()
        }
        MaskStyle::Prefix => {
            let keep: String = s.chars().take(prefix_len).collect();
            let rest = s.chars().skip(prefix_len).count().min(12);
            format!("{keep}{}", "*".repeat(rest.max(3)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn styles() {
        assert_eq!(
            mask(b"jane.doe@example.com", MaskStyle::Email, 0),
            "j*******@e******.com"
        );
        assert_eq!(
            mask(b"4111 1111 1111 1111", MaskStyle::Last4, 0),
            "**** **** **** 1111"
        );
        assert_eq!(mask(b"078-05-1120", MaskStyle::Full, 0), "***-**-****");
        assert_eq!(mask(b"078-05-1120", MaskStyle::Edges, 0), "0**-**-****");
        assert_eq!(
            mask(b"AKIAIOSFODNN7EXAMPLE", MaskStyle::Prefix, 4),
            "AKIA************"
        );
        assert_eq!(mask(b"12", MaskStyle::Edges, 0), "**");
    }
}
