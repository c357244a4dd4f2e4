//! Phone numbers, validated against libphonenumber's numbering-plan metadata (the
//! `phonenumber` crate). International forms (`+CC`, `00CC`) are parsed as such; national forms
//! are tried against the supported regions and count as weaker evidence.

use super::{digits, Check, Validator};
use phonenumber::country::Id;

/// Regions whose national formats are recognised without a `+` prefix.
pub(crate) const REGIONS: &[Id] = &[
    Id::US,
    Id::GB,
    Id::DE,
    Id::FR,
    Id::ES,
    Id::IT,
    Id::NL,
    Id::BE,
    Id::CH,
    Id::AT,
    Id::IE,
    Id::PT,
    Id::PL,
    Id::SE,
    Id::IN,
    Id::BR,
    Id::AU,
    Id::CA,
];

/// Parses a phone number, returning it in E.164 form when valid. `default_regions` are tried
/// in order for numbers without a country prefix.
pub fn normalize(s: &str, default_regions: &[Id]) -> Option<String> {
    let trimmed = s.trim();
    let international = trimmed.starts_with('+') || trimmed.starts_with("00");
    let as_e164 =
        |n: &phonenumber::PhoneNumber| n.format().mode(phonenumber::Mode::E164).to_string();
    if international {
        let text = if let Some(rest) = trimmed.strip_prefix("00") {
            format!("+{rest}")
        } else {
            trimmed.to_string()
        };
        let n = phonenumber::parse(None, &text).ok()?;
        return phonenumber::is_valid(&n).then(|| as_e164(&n));
    }
    for region in default_regions {
        if let Ok(n) = phonenumber::parse(Some(*region), trimmed) {
            if phonenumber::is_valid(&n) {
                return Some(as_e164(&n));
            }
        }
    }
    None
}

/// The regions worth trying for a national-format number, by its shape: a leading trunk `0`
/// points to the regions that dial one; ten digits without it to North America, India and
/// Italy; nine to the Iberian, Polish and Italian plans. Parsing is the costly step (≈ 16 µs),
/// so narrowing the list matters.
fn candidate_regions(s: &str, digit_count: usize) -> &'static [Id] {
    const TRUNK: &[Id] = &[
        Id::GB,
        Id::DE,
        Id::FR,
        Id::IT,
        Id::NL,
        Id::BE,
        Id::CH,
        Id::AT,
        Id::IE,
        Id::SE,
        Id::AU,
        Id::BR,
        Id::IN,
    ];
    const TEN: &[Id] = &[Id::US, Id::CA, Id::IN, Id::IT, Id::BR];
    const NINE: &[Id] = &[Id::ES, Id::PT, Id::PL, Id::IT, Id::BR, Id::AU];
    let first = s
        .trim_start_matches(['(', ' '])
        .bytes()
        .next()
        .unwrap_or(b'0');
    if first == b'0' {
        TRUNK
    } else if digit_count == 10 {
        TEN
    } else if digit_count == 9 {
        NINE
    } else {
        REGIONS
    }
}

thread_local! {
    /// Dumps and logs repeat the same numbers; parsing each once per thread is enough.
    static CACHE: std::cell::RefCell<foldhash::HashMap<Vec<u8>, Check>> = std::cell::RefCell::new(foldhash::HashMap::default());
}

pub struct Phone;
impl Validator for Phone {
    fn check(&self, c: &[u8]) -> Check {
        let Ok(s) = std::str::from_utf8(c) else {
            return Check::Invalid;
        };
        let d = digits(c);
        if d.len() < 7 || d.len() > 15 || d.windows(2).all(|w| w[0] == w[1]) {
            return Check::Invalid;
        }
        let international = s.starts_with('+') || s.starts_with("00");
        let b = c;
        let date_like = b.len() == 10
            && ((matches!(b[4], b'-' | b'/' | b'.') && b[4] == b[7])
                || (matches!(b[2], b'-' | b'/' | b'.') && b[2] == b[5]));
        // `078-05-1120`: the 3-2-4 grouping is a US Social Security number's, not a phone
        // number's in any plan this validator accepts nationally.
        let ssn_like = b.len() == 11
            && b[3] == b'-'
            && b[6] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 3 || i == 6 || c.is_ascii_digit());
        if date_like || ssn_like {
            return Check::Invalid;
        }
        if let Some(hit) = CACHE.with(|cache| cache.borrow().get(c).copied()) {
            return hit;
        }
        let verdict = match normalize(s, candidate_regions(s, d.len())) {
            Some(_) if international => Check::Valid,
            Some(_) => Check::Weak,
            None => Check::Invalid,
        };
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.len() > 100_000 {
                cache.clear();
            }
            cache.insert(c.to_vec(), verdict);
        });
        verdict
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &Phone,
            &[
                "+44 20 7946 0958",
                "020 7946 0958",
                "+1 201-555-0123",
                "(201) 555-0123",
                "+49 30 901820",
                "030 901820",
                "+33 1 23 45 67 89",
                "01 23 45 67 89",
                "+34 612 34 56 78",
                "+91 98765 43210",
            ],
            &[
                "+44 20",
                "2026-11-23",
                "1.2.3.4",
                "+99 123 456 7890",
                "0000000000",
                "078-05-1120",
                "012-34-5678",
            ],
        );
    }
    #[test]
    fn normalizes_equivalent_forms() {
        let gb = [Id::GB];
        let want = Some("+442079460958".to_string());
        assert_eq!(normalize("020 7946 0958", &gb), want);
        assert_eq!(normalize("+44 (0)20 7946-0958", &gb), want);
        assert_eq!(normalize("0044 20 7946 0958", &gb), want);
    }
}
