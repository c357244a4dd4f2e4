//! Masking: the only form in which a found value appears in reports without `--reveal`.

use super::catalog::MaskStyle;

fn is_sep(c: char) -> bool {
    !c.is_alphanumeric()
}

/// Stars for every alphanumeric character, separators kept.
/// Each character that is not a separator as `*`.
fn star(c: char) -> char {
    if is_sep(c) {
        c
    } else {
        '*'
    }
}

/// The first character of `part`, then a `*` for each other one.
fn push_first_then_stars(out: &mut String, part: &str) {
    let mut cs = part.chars();
    if let Some(c) = cs.next() {
        out.push(c);
        out.extend(cs.map(|_| '*'));
    }
}

/// Masks `value` in the given style. The output never contains more than the style reveals:
/// the first character (`edges`), an email's first letters and top-level domain, a card's last
/// four digits, or a detector's fixed non-secret prefix. Written into one string sized once:
/// dense exports mask findings by the million.
pub fn mask(value: &[u8], style: MaskStyle, prefix_len: usize) -> String {
    if value.is_ascii() {
        let out = mask_ascii(value, style, prefix_len);
        // ASCII in, ASCII out: the conversion cannot fail.
        return String::from_utf8(out).unwrap_or_default();
    }
    let s = String::from_utf8_lossy(value);
    let s = s.as_ref();
    let mut out = String::with_capacity(s.len() + 3);
    match style {
        MaskStyle::Full => out.extend(s.chars().map(star)),
        MaskStyle::Edges => {
            // The first letter or digit stays when there are six or more.
            let mut keep_first = s.chars().filter(|c| !is_sep(*c)).count() >= 6;
            for c in s.chars() {
                if keep_first && !is_sep(c) {
                    out.push(c);
                    keep_first = false;
                } else {
                    out.push(star(c));
                }
            }
        }
        MaskStyle::Email => {
            let Some(at) = s.rfind('@') else {
                out.extend(s.chars().map(star));
                return out;
            };
            let (local, domain) = (&s[..at], &s[at + 1..]);
            let tld_at = domain.rfind('.').unwrap_or(domain.len());
            push_first_then_stars(&mut out, local);
            out.push('@');
            push_first_then_stars(&mut out, &domain[..tld_at]);
            out.push_str(&domain[tld_at..]);
        }
        MaskStyle::Last4 => {
            let total = s.chars().filter(|c| c.is_ascii_digit()).count();
            let shown_from = if total >= 12 { total - 4 } else { usize::MAX };
            let mut seen = 0;
            for c in s.chars() {
                out.push(if c.is_ascii_digit() {
                    seen += 1;
                    if seen > shown_from {
                        c
                    } else {
                        '*'
                    }
                } else {
                    star(c)
                });
            }
        }
        MaskStyle::Prefix => {
            out.extend(s.chars().take(prefix_len));
            let rest = s.chars().skip(prefix_len).count().min(12);
            out.extend(std::iter::repeat_n('*', rest.max(3)));
        }
    }
    out
}

/// [`mask`] of an ASCII value, byte by byte (most values are ASCII, and a `char` at a time
/// cost a tenth of a dense export's scan).
fn mask_ascii(s: &[u8], style: MaskStyle, prefix_len: usize) -> Vec<u8> {
    let star = |b: u8| if b.is_ascii_alphanumeric() { b'*' } else { b };
    let mut out = Vec::with_capacity(s.len() + 3);
    match style {
        MaskStyle::Full => out.extend(s.iter().map(|&b| star(b))),
        MaskStyle::Edges => {
            let mut keep_first = s.iter().filter(|b| b.is_ascii_alphanumeric()).count() >= 6;
            for &b in s {
                if keep_first && b.is_ascii_alphanumeric() {
                    out.push(b);
                    keep_first = false;
                } else {
                    out.push(star(b));
                }
            }
        }
        MaskStyle::Email => {
            let Some(at) = s.iter().rposition(|&b| b == b'@') else {
                out.extend(s.iter().map(|&b| star(b)));
                return out;
            };
            let (local, domain) = (&s[..at], &s[at + 1..]);
            let tld_at = domain
                .iter()
                .rposition(|&b| b == b'.')
                .unwrap_or(domain.len());
            let first_then_stars = |out: &mut Vec<u8>, part: &[u8]| {
                if let Some((&first, rest)) = part.split_first() {
                    out.push(first);
                    out.resize(out.len() + rest.len(), b'*');
                }
            };
            first_then_stars(&mut out, local);
            out.push(b'@');
            first_then_stars(&mut out, &domain[..tld_at]);
            out.extend_from_slice(&domain[tld_at..]);
        }
        MaskStyle::Last4 => {
            let total = s.iter().filter(|b| b.is_ascii_digit()).count();
            let shown_from = if total >= 12 { total - 4 } else { usize::MAX };
            let mut seen = 0;
            for &b in s {
                out.push(if b.is_ascii_digit() {
                    seen += 1;
                    if seen > shown_from {
                        b
                    } else {
                        b'*'
                    }
                } else {
                    star(b)
                });
            }
        }
        MaskStyle::Prefix => {
            let keep = prefix_len.min(s.len());
            out.extend_from_slice(&s[..keep]);
            let rest = (s.len() - keep).min(12);
            out.resize(out.len() + rest.max(3), b'*');
        }
    }
    out
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

    /// The implementation before the allocation-free one, as the reference.
    #[allow(clippy::all)]
    mod before {
        use super::super::{is_sep, MaskStyle};
        fn stars_before(s: &str) -> String {
            s.chars().map(|c| if is_sep(c) { c } else { '*' }).collect()
        }

        pub(super) fn mask_before(value: &[u8], style: MaskStyle, prefix_len: usize) -> String {
            let s = String::from_utf8_lossy(value);
            let s = s.as_ref();
            match style {
                MaskStyle::Full => stars_before(s),
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
                        return stars_before(s);
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
    }

    #[test]
    fn every_style_matches_the_reference_on_generated_values() {
        let alphabet = "ab9Z0@@..--  _+é€1234567890xY";
        let chars: Vec<char> = alphabet.chars().collect();
        let mut seed = 7u32;
        for _ in 0..4000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let len = (seed >> 16) as usize % 24;
            let value: String = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    chars[(seed >> 16) as usize % chars.len()]
                })
                .collect();
            for style in [
                MaskStyle::Full,
                MaskStyle::Edges,
                MaskStyle::Email,
                MaskStyle::Last4,
                MaskStyle::Prefix,
            ] {
                for prefix in [0, 4] {
                    assert_eq!(
                        mask(value.as_bytes(), style, prefix),
                        before::mask_before(value.as_bytes(), style, prefix),
                        "{value:?} {style:?}"
                    );
                }
            }
        }
    }
}
