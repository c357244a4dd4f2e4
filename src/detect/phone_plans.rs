//! libphonenumber's numbering plans, loaded per country code on first use, and phone-number
//! validation against them. The metadata is the file the `phonenumber` crate embeds, same
//! version, vendored in `third_party/libphonenumber/`.
//!
//! Validation follows that crate's `parse_with` + `is_valid_with` step for step (its quirks
//! included, so results do not change; tests compare the two on generated numbers), but
//! compiles each territory's patterns once, ASCII-only, and matches them without the crate's
//! per-call pattern cache: that cache hashed every pattern's source on each use and made a
//! column of distinct phone numbers validate at ≈ 19 µs each. One step is not followed: text
//! shaped like a `tel:` URI (`+4930-901820`) is read like any other, where the crate's RFC 3966
//! parser misreads the country code and rejects valid numbers. The crate's own databases
//! (`for_code`, `for_region`) remain for text this module does not take (letters, other
//! punctuation).

use phonenumber::country::Id;
use phonenumber::metadata::{loader, Database};
use regex_automata::meta::Regex;
use regex_automata::{Anchored, Input};
use std::sync::{LazyLock, OnceLock};

static METADATA: &str = include_str!("../../third_party/libphonenumber/PhoneNumberMetadata.xml");

/// Patterns one territory's plan holds, at most (descriptors, formats and their leading
/// digits): room enough in the compiled-pattern cache.
const METADATA_PATTERN_ROOM: usize = 256;

/// One country code: where its territories are in [`METADATA`], and their database once built.
struct CodePlans {
    code: u16,
    territories: Vec<(usize, usize)>,
    database: OnceLock<Option<Database>>,
    /// The main territory first, then the others in file order (as the crate lists them).
    plans: OnceLock<Vec<Territory>>,
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
                plans: OnceLock::new(),
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
            let db = Database::from(loader::load(doc.as_bytes()).ok()?).ok()?;
            // The crate keeps compiled patterns in an LRU of 100 per database; one validation
            // in a code with many territories (the NANP's 25) touches more than that, so every
            // number recompiled hundreds of patterns. Room for all of them.
            let patterns = METADATA_PATTERN_ROOM * plans.territories.len();
            if let Ok(mut cache) = db.cache().lock() {
                cache.set_capacity(patterns);
            }
            Some(db)
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

/// One territory's plan as the validator needs it; patterns compile on first use.
struct Territory {
    id: &'static str,
    /// `001` (non-geographic codes) or an id the crate knows; others are never a source.
    usable_alone: bool,
    /// Its match end tells where the number after it starts (`after_idd`).
    international_prefix: Option<LazyRegex>,
    national_prefix: Option<String>,
    /// Its capture groups rewrite the number.
    national_prefix_for_parsing: Option<LazyRegex>,
    national_prefix_transform_rule: Option<String>,
    leading_digits: Option<LazyRegex>,
    general: Descriptor,
    /// The number types that make a number valid.
    types: Vec<Descriptor>,
}

/// A number type's pattern (compiled on first use) and lengths.
struct Descriptor {
    pattern: LazyRegex,
    lengths: Vec<u16>,
    local_lengths: Vec<u16>,
}

impl Descriptor {
    /// The crate's `Descriptor::is_match`: a length it lists (when it lists any) and a match
    /// of the pattern at the start (not necessarily to the end).
    fn is_match(&self, value: &str) -> bool {
        (self.lengths.is_empty() || self.lengths.contains(&(value.len() as u16)))
            && self.pattern.matches_start(value)
    }
}

/// A metadata pattern compiled on its first use. Most numbers reach few of a territory's
/// patterns: a `+1` number asks two dozen territories for their leading digits, and a number
/// type whose lengths exclude the number is never matched; compiling them all was most of the
/// cost of the first phone number of a run.
struct LazyRegex {
    source: String,
    /// Built with every engine and capture group (else for `is_match` only).
    full: bool,
    regex: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    fn new(source: &str, full: bool) -> LazyRegex {
        LazyRegex {
            source: source.to_string(),
            full,
            regex: OnceLock::new(),
        }
    }

    /// `None` only for a pattern that does not compile (the metadata has none: see the test
    /// `every_metadata_pattern_compiles`).
    fn get(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| {
                if self.full {
                    pattern(&self.source)
                } else {
                    match_pattern(&self.source)
                }
            })
            .as_ref()
    }

    /// A match at the start of `value` (not necessarily to its end).
    fn matches_start(&self, value: &str) -> bool {
        self.get()
            .is_some_and(|re| re.is_match(Input::new(value).anchored(Anchored::Yes)))
    }
}

/// The number types the crate's `number_type` tries (any match makes a number valid).
const NUMBER_TYPES: &[&str] = &[
    "premiumRate",
    "tollFree",
    "sharedCost",
    "voip",
    "personalNumber",
    "pager",
    "uan",
    "voicemail",
    "fixedLine",
    "mobile",
];

/// A metadata pattern as the crate compiles it (whitespace ignored); ASCII classes suffice,
/// since only ASCII digits are ever matched.
fn pattern(source: &str) -> Option<Regex> {
    pattern_with(source, Regex::config())
}

/// A pattern only ever asked `is_match` on a short number: built without captures, literal
/// prefilter, one-pass DFA or backtracker, which are most of its compile time (patterns compile
/// on a run's first numbers, inside the scan).
fn match_pattern(source: &str) -> Option<Regex> {
    pattern_with(
        source,
        Regex::config()
            .which_captures(regex_automata::nfa::thompson::WhichCaptures::None)
            .auto_prefilter(false)
            .onepass(false)
            .backtrack(false),
    )
}

fn pattern_with(source: &str, config: regex_automata::meta::Config) -> Option<Regex> {
    Regex::builder()
        // No fully built DFA (the meta regex makes one for every small pattern): building
        // them was half of the plans' cost on a run's first numbers, and the lazy DFA
        // answers a number of a dozen digits as fast.
        .configure(config.dfa(false))
        .syntax(
            regex_automata::util::syntax::Config::new()
                .unicode(false)
                .utf8(false)
                .ignore_whitespace(true),
        )
        .build(source)
        .ok()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// `7,[9-11]` → 7, 9, 10, 11 (the crate's reading: listed order).
fn lengths(value: &str) -> Vec<u16> {
    let mut out = Vec::new();
    for part in value.split(',').map(str::trim) {
        if let Some(range) = part.strip_prefix('[').and_then(|p| p.strip_suffix(']')) {
            if let Some((a, b)) = range.split_once('-') {
                if let (Ok(a), Ok(b)) = (a.parse::<u16>(), b.parse::<u16>()) {
                    out.extend(a..=b);
                }
            }
        } else if let Ok(n) = part.parse() {
            out.push(n);
        }
    }
    out
}

/// The text of the first `<name>…</name>` in `xml`.
fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let at = xml.find(&open)? + open.len();
    let len = xml[at..].find(&close)?;
    Some(&xml[at..at + len])
}

fn descriptor(body: &str) -> Option<Descriptor> {
    let pattern = unescape(element(body, "nationalNumberPattern")?);
    let (mut national, mut local) = (Vec::new(), Vec::new());
    if let Some(at) = body.find("<possibleLengths") {
        let tag = &body[at..at + body[at..].find('>')?];
        national = attribute(tag, "national").map(lengths).unwrap_or_default();
        local = attribute(tag, "localOnly").map(lengths).unwrap_or_default();
    }
    Some(Descriptor {
        pattern: LazyRegex::new(&pattern, false),
        lengths: national,
        local_lengths: local,
    })
}

/// Reads one `<territory>` element (comments and formats removed first: they hold tags of
/// their own).
fn territory(xml: &'static str) -> Option<Territory> {
    let tag = &xml[..xml.find('>')?];
    let mut body = String::with_capacity(xml.len());
    let mut rest = &xml[tag.len()..];
    while let Some(at) = rest.find("<!--") {
        body.push_str(&rest[..at]);
        rest = rest[at..].find("-->").map_or("", |e| &rest[at + e + 3..]);
    }
    body.push_str(rest);
    if let (Some(a), Some(b)) = (
        body.find("<availableFormats>"),
        body.find("</availableFormats>"),
    ) {
        body.replace_range(a..b, "");
    }
    let attr = |name: &str| attribute(tag, name).map(unescape);
    let regex = |name: &str, full: bool| attr(name).map(|p| LazyRegex::new(&p, full));
    let id = attribute(tag, "id")?;
    Some(Territory {
        id,
        usable_alone: id == "001" || id.parse::<Id>().is_ok(),
        international_prefix: regex("internationalPrefix", true),
        national_prefix: attr("nationalPrefix"),
        national_prefix_for_parsing: regex("nationalPrefixForParsing", true),
        national_prefix_transform_rule: attr("nationalPrefixTransformRule"),
        leading_digits: regex("leadingDigits", false),
        general: descriptor(element(&body, "generalDesc")?)?,
        types: NUMBER_TYPES
            .iter()
            .filter_map(|name| element(&body, name).and_then(descriptor))
            .collect(),
    })
}

fn territories(code: u16) -> Option<&'static [Territory]> {
    let plans = plans_of(code)?;
    let list = plans.plans.get_or_init(|| {
        let mut list: Vec<Territory> = Vec::new();
        for &(s, e) in &plans.territories {
            let xml = &METADATA[s..e];
            let Some(t) = territory(xml) else { continue };
            let main = attribute(&xml[..xml.find('>').unwrap_or(0)], "mainCountryForCode")
                .is_some_and(|v| v == "true");
            if main {
                list.insert(0, t);
            } else {
                list.push(t);
            }
        }
        list
    });
    (!list.is_empty()).then_some(list.as_slice())
}

/// The crate's `number_type(..) != Unknown`.
fn has_number_type(t: &Territory, value: &str) -> bool {
    t.general.is_match(value) && t.types.iter().any(|d| d.is_match(value))
}

#[derive(PartialEq)]
enum Length {
    Possible,
    TooShort,
    Other,
}

/// The crate's `validator::length(.., Type::Unknown)`, reduced to what callers ask.
fn length(t: &Territory, value: &str) -> Length {
    let (possible, local) = (&t.general.lengths, &t.general.local_lengths);
    let (Some(&min), Some(&max)) = (possible.first(), possible.last()) else {
        return Length::Other;
    };
    let n = value.len() as u16;
    if local.contains(&n) || n == min {
        Length::Possible
    } else if n < min {
        Length::TooShort
    } else if n > max || !possible.contains(&n) {
        Length::Other
    } else {
        Length::Possible
    }
}

/// The territory a number of `code` belongs to (the crate's `source_for`).
fn source_for(code: u16, national: &str) -> Option<&'static Territory> {
    let list = territories(code)?;
    if let [only] = list {
        return only.usable_alone.then_some(only);
    }
    list.iter().find(|t| match &t.leading_digits {
        Some(ld) => ld.matches_start(national),
        None => has_number_type(t, national),
    })
}

/// The crate's `helper::national_number`: the national prefix (and carrier code) stripped or
/// transformed away.
fn strip_national_prefix(t: &Territory, national: String) -> String {
    let Some(parsing) = t
        .national_prefix_for_parsing
        .as_ref()
        .and_then(LazyRegex::get)
    else {
        return match &t.national_prefix {
            Some(np) if national.starts_with(np.as_str()) => national[np.len()..].to_string(),
            _ => national,
        };
    };
    let mut caps = parsing.create_captures();
    parsing.search_captures(
        &Input::new(national.as_str()).anchored(Anchored::Yes),
        &mut caps,
    );
    let Some(whole) = caps.get_match() else {
        return national;
    };
    let viable = t.general.is_match(&national);
    let last = caps.get_group(caps.group_len().saturating_sub(1));
    match (&t.national_prefix_transform_rule, last) {
        (Some(rule), Some(_)) => {
            let mut transformed = String::new();
            caps.interpolate_string_into(&national, rule, &mut transformed);
            transformed.push_str(&national[whole.end()..]);
            if viable && !t.general.is_match(&transformed) {
                national
            } else {
                transformed
            }
        }
        // The crate re-checks the number from the match start (0): the check never fails.
        _ => national[whole.end()..].to_string(),
    }
}

/// `code` + `national` as the crate's `parse_with` leaves them after the national prefix:
/// `meta` is the territory whose national prefix applies.
fn finish(code: u16, national: String, meta: Option<&Territory>) -> Option<String> {
    let mut national = national;
    if let Some(t) = meta {
        let mut potential = strip_national_prefix(t, national.clone());
        if let Some(np) = &t.national_prefix {
            if potential.starts_with(np.as_str()) {
                potential.drain(..np.len());
            }
        }
        if length(t, &potential) != Length::TooShort {
            national = potential;
        }
    }
    // The crate stores the national number as leading zeros plus a value below 2^56.
    let significant = national.trim_start_matches('0');
    if !(2..=17).contains(&national.len())
        || significant.is_empty()
        || significant.parse::<u64>().map_or(true, |v| v >= 1 << 56)
    {
        return None;
    }
    // `is_valid_with`.
    let t = source_for(code, &national)?;
    has_number_type(t, &national).then(|| format!("+{code}{national}"))
}

/// Digits of a number text the way the crate's parser reads it: from the first `+` or digit,
/// the `+`s there, then digits. `None` for text with anything but digits and the separators
/// the phone detector matches (the caller falls back to the crate for those).
fn read(text: &str) -> Option<(bool, String)> {
    let start = text.find(|c: char| c == '+' || c.is_ascii_digit())?;
    let rest = &text[start..];
    let body = rest.trim_start_matches('+');
    let plus = body.len() < rest.len();
    if !handles(text) || body.contains('+') {
        return None;
    }
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    // The crate's viability check: at least three digits.
    (digits.len() >= 3).then_some((plus, digits))
}

/// Whether this module can validate `text` itself (else the crate's parser should).
pub fn handles(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_digit() || b" ()-./+".contains(&b))
}

/// A number written with `+` and its country code: its E.164 form when valid.
pub fn international(text: &str) -> Option<String> {
    let (plus, national) = read(text)?;
    if !plus || national.len() <= 2 || national.starts_with('0') {
        return None;
    }
    let code = code_prefix(&national.bytes().map(|b| b - b'0').collect::<Vec<_>>())?;
    let national = national[code.to_string().len()..].to_string();
    let meta = source_for(code, national.trim_start_matches('0'));
    finish(code, national, meta)
}

/// `region`'s country code and plan.
fn territory_of(region: Id) -> Option<(u16, &'static Territory)> {
    let code = *PLANS.regions.get(region.as_ref())?;
    let t = territories(code)?
        .iter()
        .find(|t| t.id == region.as_ref())?;
    Some((code, t))
}

/// A number in `region`'s national format: its E.164 form when valid. (Numbers dialled
/// abroad with the region's international prefix are the caller's: [`after_idd`].)
pub fn national(region: Id, text: &str) -> Option<String> {
    let (plus, mut national) = read(text)?;
    if plus {
        return None;
    }
    let (code, t) = territory_of(region)?;
    let code_text = code.to_string();
    if national.starts_with(&code_text)
        && (!t.general.is_match(&national) || length(t, &national) != Length::Possible)
    {
        national.drain(..code_text.len());
    }
    finish(code, national, Some(t))
}

/// The digits after `region`'s international prefix when `digits` start with one and no `0`
/// follows it (no country code starts with `0`).
pub fn after_idd(region: Id, digits: &str) -> Option<String> {
    let (_, t) = territory_of(region)?;
    let idd = t.international_prefix.as_ref()?.get()?;
    let m = idd.search(&Input::new(digits).anchored(Anchored::Yes))?;
    let rest = &digits[m.end()..];
    (!rest.starts_with('0')).then(|| rest.to_string())
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

    /// Patterns compile on first use, each on its own: a territory with a pattern that does not
    /// compile would silently lose that pattern, so every one of them must compile, in the
    /// mode it is built in.
    #[test]
    fn every_metadata_pattern_compiles() {
        let mut patterns = 0;
        for plans in &PLANS.codes {
            let list = territories(plans.code).unwrap_or_default();
            for t in list {
                let descriptors = std::iter::once(&t.general).chain(&t.types);
                let regexes = descriptors
                    .map(|d| &d.pattern)
                    .chain(t.international_prefix.as_ref())
                    .chain(t.national_prefix_for_parsing.as_ref())
                    .chain(t.leading_digits.as_ref());
                for re in regexes {
                    assert!(re.get().is_some(), "{}: {}", t.id, re.source);
                    patterns += 1;
                }
            }
        }
        assert!(patterns > 1500, "{patterns} patterns");
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
