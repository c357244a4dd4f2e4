//! libphonenumber's numbering plans, loaded per country code on first use. The `phonenumber`
//! crate's default database checks the patterns of all ~250 territories when first touched
//! (≈ 75 ms per process: half of a small scan), while a scan meets a handful of country codes
//! (≈ 4 ms each). The metadata is the file that crate embeds, same version, vendored in
//! `third_party/libphonenumber/`.

use phonenumber::country::Id;
use phonenumber::metadata::{loader, Database};
use std::sync::{LazyLock, OnceLock};

static METADATA: &str = include_str!("../../third_party/libphonenumber/PhoneNumberMetadata.xml");

/// One country code: where its territories are in [`METADATA`], and their database once built.
struct CodePlans {
    code: u16,
    territories: Vec<(usize, usize)>,
    database: OnceLock<Option<Database>>,
}

struct Plans {
    /// Sorted by code.
    codes: Vec<CodePlans>,
    regions: foldhash::HashMap<&'static str, u16>,
}

static PLANS: LazyLock<Plans> = LazyLock::new(|| index(METADATA));

/// Finds each `<territory …>…</territory>` element and its `id` and `countryCode`.
fn index(xml: &'static str) -> Plans {
    const CLOSE: &str = "</territory>";
    let mut by_code: std::collections::BTreeMap<u16, Vec<(usize, usize)>> = Default::default();
    let mut regions = foldhash::HashMap::default();
    let bytes = xml.as_bytes();
    for start in memchr::memmem::find_iter(bytes, b"<territory ") {
        let Some(tag_len) = memchr::memchr(b'>', &bytes[start..]) else {
            continue;
        };
        let Some(len) = memchr::memmem::find(&bytes[start..], CLOSE.as_bytes()) else {
            continue;
        };
        let tag = &xml[start..start + tag_len];
        let Some(code) = attribute(tag, "countryCode").and_then(|c| c.parse::<u16>().ok()) else {
            continue;
        };
        if let Some(id) = attribute(tag, "id") {
            regions.entry(id).or_insert(code);
        }
        by_code
            .entry(code)
            .or_default()
            .push((start, start + len + CLOSE.len()));
    }
    Plans {
        codes: by_code
            .into_iter()
            .map(|(code, territories)| CodePlans {
                code,
                territories,
                database: OnceLock::new(),
            })
            .collect(),
        regions,
    }
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let len = tag[at..].find('"')?;
    Some(&tag[at..at + len])
}

fn plans_of(code: u16) -> Option<&'static CodePlans> {
    let plans = &*PLANS;
    let i = plans.codes.binary_search_by_key(&code, |c| c.code).ok()?;
    plans.codes.get(i)
}

/// The numbering plans of every territory dialled with country code `code`.
pub fn for_code(code: u16) -> Option<&'static Database> {
    let plans = plans_of(code)?;
    plans
        .database
        .get_or_init(|| {
            let mut doc = String::from("<phoneNumberMetadata><territories>");
            for &(s, e) in &plans.territories {
                doc.push_str(&METADATA[s..e]);
            }
            doc.push_str("</territories></phoneNumberMetadata>");
            Database::from(loader::load(doc.as_bytes()).ok()?).ok()
        })
        .as_ref()
}

/// The plans of `region` and of the territories sharing its country code (the NANP's). The
/// database holds `region` (the parser requires it).
pub fn for_region(region: Id) -> Option<&'static Database> {
    let code = *PLANS.regions.get(region.as_ref())?;
    for_code(code).filter(|db| db.by_id(region.as_ref()).is_some())
}

/// The country code that the digits (values 0–9) written after a `+` start with (codes are
/// prefix-free).
pub fn code_prefix(digits: &[u8]) -> Option<u16> {
    let mut code = 0u16;
    for &d in digits.iter().take(3) {
        code = code * 10 + d as u16;
        if plans_of(code).is_some() {
            return Some(code);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_territory_is_indexed_and_loads() {
        let territories: usize = PLANS.codes.iter().map(|c| c.territories.len()).sum();
        assert_eq!(territories, METADATA.matches("<territory ").count());
        assert!(territories > 240, "{territories} territories");
        for code in [1, 44, 49, 33, 91, 61, 55, 800] {
            let db = for_code(code).unwrap_or_else(|| panic!("code {code} did not load"));
            assert!(db.by_code(&code).is_some_and(|m| !m.is_empty()));
        }
        assert_eq!(PLANS.regions.get("CA"), Some(&1));
        assert!(for_region(Id::CA).is_some_and(|db| db.by_id("US").is_some()));
    }

    #[test]
    fn country_code_prefixes() {
        let digits = |s: &str| s.bytes().map(|b| b - b'0').collect::<Vec<u8>>();
        assert_eq!(code_prefix(&digits("442079460958")), Some(44));
        assert_eq!(code_prefix(&digits("12015550123")), Some(1));
        assert_eq!(code_prefix(&digits("35312345678")), Some(353));
        assert_eq!(code_prefix(&digits("99912345")), None);
        assert_eq!(code_prefix(&digits("")), None);
    }
}
