//! Phone numbers, validated against libphonenumber's numbering-plan metadata (the
//! `phonenumber` crate). International forms (`+CC`, `00CC`) are parsed as such; national forms
//! are tried against the supported regions and count as weaker evidence.

use super::{digits, Check, Validator};
use crate::detect::phone_plans;
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
/// in order for numbers without a country prefix. Only the plans of the country codes involved
/// are loaded (see `phone_plans`); the result is what the `phonenumber` crate's whole database
/// gives (tested below).
pub fn normalize(s: &str, default_regions: &[Id]) -> Option<String> {
    let trimmed = s.trim();
    if !phone_plans::handles(trimmed) {
        return normalize_with_crate(trimmed, default_regions);
    }
    if trimmed.contains('+') {
        return phone_plans::international(trimmed);
    }
    if let Some(rest) = trimmed.strip_prefix("00") {
        return phone_plans::international(&format!("+{rest}"));
    }
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    for region in default_regions {
        // Dialled from the region to abroad (`011 44 …` from the US): the region's
        // international prefix, then a country code.
        if let Some(rest) = phone_plans::after_idd(*region, &digits) {
            match phone_plans::international(&format!("+{rest}")) {
                Some(e164) => return Some(e164),
                None => continue,
            }
        }
        if let Some(e164) = phone_plans::national(*region, trimmed) {
            return Some(e164);
        }
    }
    None
}

/// [`normalize`] through the `phonenumber` crate's parser, for text `phone_plans` does not
/// read itself (letters, other punctuation: values typed into a subject file).
fn normalize_with_crate(trimmed: &str, default_regions: &[Id]) -> Option<String> {
    if trimmed.starts_with('+') {
        return international_with_crate(trimmed);
    }
    if let Some(rest) = trimmed.strip_prefix("00") {
        return international_with_crate(&format!("+{rest}"));
    }
    for region in default_regions {
        let Some(db) = phone_plans::for_region(*region) else {
            continue;
        };
        if let Some(rest) = after_international_prefix(db, *region, trimmed) {
            match international_with_crate(&format!("+{rest}")) {
                Some(e164) => return Some(e164),
                None => continue,
            }
        }
        if let Ok(n) = phonenumber::parse_with(db, Some(*region), trimmed) {
            if phonenumber::is_valid_with(db, &n) {
                return Some(e164(&n));
            }
        }
    }
    None
}

/// `+`, country code, national number: the crate's E.164 formatter writes the same, but
/// touches its default database (all territories) even when given another.
fn e164(n: &phonenumber::PhoneNumber) -> String {
    format!("+{}{}", n.code().value(), n.national())
}

/// A number written with `+` and its country code.
fn international_with_crate(text: &str) -> Option<String> {
    let db = phone_plans::for_code(phone_plans::code_prefix(&digits(text.as_bytes()))?)?;
    let n = phonenumber::parse_with(db, None, text).ok()?;
    phonenumber::is_valid_with(db, &n).then(|| e164(&n))
}

/// The digits after `region`'s international prefix when `s` starts with one (and no `0`
/// follows it, which no country code starts with), as the full parser strips it.
fn after_international_prefix(
    db: &phonenumber::metadata::Database,
    region: Id,
    s: &str,
) -> Option<String> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let idd = db.by_id(region.as_ref())?.international_prefix()?;
    let m = idd.find(&digits)?;
    let rest = &digits[m.end()..];
    (m.start() == 0 && !rest.starts_with('0')).then(|| rest.to_string())
}

/// The regions worth trying for a national-format number, by its shape: a leading trunk `0`
/// points to the regions that dial one; ten digits without it to North America, India and
/// Italy; nine to the Iberian, Polish and Italian plans. Each region tried costs a parse and
/// its pattern matches, so narrowing the list matters.
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
    /// The previous implementation: the `phonenumber` crate's default database, every
    /// territory loaded at once.
    fn normalize_with_default_database(s: &str, default_regions: &[Id]) -> Option<String> {
        let trimmed = s.trim();
        let e164 =
            |n: &phonenumber::PhoneNumber| n.format().mode(phonenumber::Mode::E164).to_string();
        if trimmed.starts_with('+') || trimmed.starts_with("00") {
            let text = match trimmed.strip_prefix("00") {
                Some(rest) => format!("+{rest}"),
                None => trimmed.to_string(),
            };
            let n = phonenumber::parse(None, &text).ok()?;
            return phonenumber::is_valid(&n).then(|| e164(&n));
        }
        default_regions.iter().find_map(|r| {
            let n = phonenumber::parse(Some(*r), trimmed).ok()?;
            phonenumber::is_valid(&n).then(|| e164(&n))
        })
    }

    #[test]
    fn per_code_plans_agree_with_the_whole_database() {
        let text = crate::detect::scanner::pseudo_random_text(11, 4_500, b"0123456789");
        let mut valid = 0;
        for (i, chunk) in text.chunks(15).enumerate() {
            let len = 7 + i % 9;
            let digits = std::str::from_utf8(&chunk[..len.min(chunk.len())]).unwrap_or("");
            let forms = [
                format!("+{digits}"),
                format!("00{digits}"),
                format!("0{digits}"),
                digits.to_string(),
                format!("+1 {digits}"),
                format!("+44 {digits}"),
            ];
            for f in &forms {
                let want = normalize_with_default_database(f, REGIONS);
                valid += want.is_some() as usize;
                assert_eq!(normalize(f, REGIONS), want, "{f}");
            }
        }
        assert!(valid > 40, "only {valid} valid numbers generated");
        // Dialled abroad from a region with its own international prefix (US, Australia).
        for f in [
            "011358333011",
            "011 44 20 7946 0958",
            "0011 44 20 7946 0958",
            "01144",
        ] {
            assert_eq!(
                normalize(f, REGIONS),
                normalize_with_default_database(f, REGIONS),
                "{f}"
            );
        }
        assert_eq!(
            normalize("011 44 20 7946 0958", REGIONS).as_deref(),
            Some("+442079460958")
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

    /// Every example number of every territory in the metadata, written internationally and
    /// nationally, and with one digit changed, dropped or added: the plans here and the
    /// crate's whole database agree on each (valid or not, and the E.164 form).
    #[test]
    fn every_territory_s_example_numbers_agree_with_the_whole_database() {
        let xml = include_str!("../../../third_party/libphonenumber/PhoneNumberMetadata.xml");
        let mut checked = 0;
        let mut valid = 0;
        for territory in xml.split("<territory ").skip(1) {
            let Some(code) = territory
                .split("countryCode=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
            else {
                continue;
            };
            // National forms are tried in every region of `REGIONS`: only those regions' own
            // numbers, which keeps the test quick in a debug build (random digits in every
            // region are the other test's).
            let id = territory
                .split("id=\"")
                .nth(1)
                .and_then(|r| r.split('"').next());
            let national = REGIONS.iter().any(|r| Some(r.as_ref()) == id);
            for example in territory.split("<exampleNumber>").skip(1) {
                let Some(number) = example.split('<').next() else {
                    continue;
                };
                let n = number.len();
                let mut variants = vec![number.to_string()];
                if n > 4 {
                    let last = (number.as_bytes()[n - 1] - b'0' + 1) % 10;
                    variants.push(format!("{}{last}", &number[..n - 1]));
                    variants.push(if n % 2 == 0 {
                        number[..n - 1].to_string()
                    } else {
                        format!("{number}5")
                    });
                }
                for v in &variants {
                    let split = v.len() / 2;
                    let mut forms = vec![
                        format!("+{code} {v}"),
                        format!("+{code} ({}) {}", &v[..split], &v[split..]),
                        format!("00{code}{v}"),
                        format!("+{code} 0{v}"),
                    ];
                    if national {
                        forms.push(format!("0{v}"));
                        forms.push(v.clone());
                        forms.push(format!("{}-{}", &v[..split], &v[split..]));
                    }
                    for f in &forms {
                        let want = normalize_with_default_database(f, REGIONS);
                        valid += want.is_some() as usize;
                        checked += 1;
                        assert_eq!(normalize(f, REGIONS), want, "{f}");
                    }
                }
            }
        }
        assert!(
            checked > 12_000 && valid > 2_500,
            "{checked} forms, {valid} valid"
        );
    }

    proptest::proptest! {
        /// Any text of digits and the separators the detector matches (a `+` anywhere, stray
        /// parentheses, nothing at all) is read without a panic, and a valid result is E.164.
        #[test]
        fn any_separator_text_is_read_without_panic(text in "[+()\\-. /0-9]{0,28}") {
            if let Some(e164) = normalize(&text, REGIONS) {
                proptest::prop_assert!(e164.starts_with('+'));
                proptest::prop_assert!(e164[1..].bytes().all(|b| b.is_ascii_digit()));
                // A national number gains its country code (three digits at most), and a
                // transform rule may add a digit (Argentina's mobile `9`); no more.
                let digits = text.bytes().filter(u8::is_ascii_digit).count();
                proptest::prop_assert!(e164.len() <= digits + 5, "{text} -> {e164}");
            }
        }
    }

    /// One deliberate difference from the crate: text that reads as a `tel:` URI's global
    /// number (`+`, then digits, `-` and `.` without spaces) goes through the crate's RFC 3966
    /// parser, which takes a first group glued to the country code for a longer code and
    /// rejects valid numbers (`+44207946-0958`: "integer overflow"). Here it reads as the same
    /// number written with spaces.
    #[test]
    fn hyphens_right_after_the_country_code_read_as_the_spaced_number() {
        for (glued, spaced) in [
            ("+44207946-0958", "+44 207946 0958"),
            ("+1201555-0123", "+1 201555 0123"),
            ("+4930-901820", "+49 30 901820"),
        ] {
            assert_eq!(
                normalize_with_default_database(glued, REGIONS),
                None,
                "{glued}"
            );
            let want = normalize_with_default_database(spaced, REGIONS);
            assert!(want.is_some(), "{spaced}");
            assert_eq!(normalize(glued, REGIONS), want, "{glued}");
        }
    }
}
