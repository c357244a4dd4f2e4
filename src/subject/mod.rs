//! Data-subject requests: who the subject is (identifiers given by flags or a file, possibly
//! as keyed hashes), how identifiers are normalised so that any written form matches, and the
//! detectors that find them in one pass for many subjects at once.

use crate::detect::{Catalog, DetectorSpec, MaskStyle, Trigger};
use crate::finding::{Confidence, Sensitivity};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::HashMap;

/// One person's identifiers, as given.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Subject {
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub email: Vec<String>,
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub phone: Vec<String>,
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub name: Vec<String>,
    /// `{"customer_id": "4711"}` (values may be lists).
    #[serde(
        default,
        deserialize_with = "id_map",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub id: Vec<(String, String)>,
    /// True when every value is a keyed hash of the normalised identifier.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hashed: bool,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum V {
        One(String),
        Many(Vec<String>),
    }
    Ok(match V::deserialize(d)? {
        V::One(s) => vec![s],
        V::Many(v) => v,
    })
}

fn id_map<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum V {
        Str(String),
        Num(i64),
        Many(Vec<serde_json::Value>),
    }
    let map: HashMap<String, V> = HashMap::deserialize(d)?;
    let mut out = Vec::new();
    for (k, v) in map {
        match v {
            V::Str(s) => out.push((k, s)),
            V::Num(n) => out.push((k, n.to_string())),
            V::Many(list) => out.extend(list.into_iter().map(|x| {
                (
                    k.clone(),
                    x.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| x.to_string()),
                )
            })),
        }
    }
    out.sort();
    Ok(out)
}

/// Reads subjects from JSON or TOML: one object, a list, or `{"subjects": [...]}`.
pub fn parse_subjects(text: &str) -> Result<Vec<Subject>, String> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Doc {
        Many(Vec<Subject>),
        Wrapped { subjects: Vec<Subject> },
        One(Subject),
    }
    let doc: Doc = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(json_err) => toml::from_str(text)
            .map_err(|e| format!("neither JSON ({json_err}) nor TOML ({})", e.message()))?,
    };
    Ok(match doc {
        Doc::Many(v) | Doc::Wrapped { subjects: v } => v,
        Doc::One(s) => vec![s],
    })
}

/// The kinds of identifier a subject has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum IdKind {
    Email,
    Phone,
    Name,
    Id,
}

impl IdKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Email => "email",
            IdKind::Phone => "phone",
            IdKind::Name => "name",
            IdKind::Id => "id",
        }
    }
}

/// Folds the accents of Latin letters and lower-cases: `Zoë Ångström` → `zoe angstrom`.
pub fn fold(s: &str) -> String {
    const FROM: &str = "àáâãäåāăąçćčďèéêëēėęěìíîïīįıñńňòóôõöøōőùúûüūůűųýÿžźżšśşțţřľĺłðþß";
    const TO: &str = "aaaaaaaaacccdeeeeeeeeiiiiiiinnnoooooooouuuuuuuuyyzzzsssttrllldts";
    let from: Vec<char> = FROM.chars().collect();
    let to: Vec<char> = TO.chars().collect();
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| {
            from.iter()
                .position(|&f| f == c)
                .and_then(|i| to.get(i).copied())
                .unwrap_or(c)
        })
        .collect()
}

/// The normalised form an identifier is compared in.
pub fn normalize(kind: IdKind, value: &str) -> String {
    match kind {
        IdKind::Email => value.trim().to_lowercase(),
        IdKind::Phone => crate::detect::validate::normalize_phone(value.trim())
            .unwrap_or_else(|| value.chars().filter(char::is_ascii_digit).collect()),
        IdKind::Name => {
            // Order-insensitive, punctuation-free tokens without initials:
            // "Doe, Jane Q." == "jane doe" == "JANE DOE".
            let folded = fold(value);
            let mut tokens: Vec<&str> = folded
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| t.chars().count() > 1)
                .collect();
            tokens.sort_unstable();
            tokens.join(" ")
        }
        IdKind::Id => value
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_uppercase)
            .collect(),
    }
}

/// A keyed hash of a normalised identifier, as `subject hash` writes it.
pub fn hash_identifier(key: &[u8], kind: IdKind, normalized: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(kind.as_str().as_bytes());
    mac.update(&[0]);
    mac.update(normalized.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// "Jane Quinn Doe" → "Jane Doe" (initials do not count as names); `None` for two names.
pub fn first_and_last(name: &str) -> Option<String> {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| w.trim_end_matches('.').chars().count() > 1)
        .collect();
    (words.len() > 2).then(|| format!("{} {}", words[0], words[words.len() - 1]))
}

/// Writes the hashed form of a subject.
pub fn hash_subject(key: &[u8], s: &Subject) -> Subject {
    let h = |k: IdKind, v: &String| hash_identifier(key, k, &normalize(k, v));
    Subject {
        email: s.email.iter().map(|v| h(IdKind::Email, v)).collect(),
        phone: s.phone.iter().map(|v| h(IdKind::Phone, v)).collect(),
        // A name with middle names also matches as first + last ("Jane Quinn Doe" is found
        // as "Jane Doe"): both forms are hashed, since the plain name is not kept.
        name: s
            .name
            .iter()
            .flat_map(|v| {
                let mut forms = vec![h(IdKind::Name, v)];
                if let Some(short) = first_and_last(v) {
                    forms.push(hash_identifier(
                        key,
                        IdKind::Name,
                        &normalize(IdKind::Name, &short),
                    ));
                }
                forms
            })
            .collect(),
        id: s
            .id
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    hash_identifier(
                        key,
                        IdKind::Id,
                        &format!(
                            "{}={}",
                            crate::format::normalize_name(k),
                            normalize(IdKind::Id, v)
                        ),
                    ),
                )
            })
            .collect(),
        hashed: true,
    }
}

/// Looks found values up among many subjects at once.
pub struct Matcher {
    /// (kind, comparable form) -> subject indices
    table: foldhash::HashMap<(IdKind, String), Vec<usize>>,
    /// Found phone text -> normalised form: parsing a number is the costly step, and dumps and
    /// logs repeat the same numbers.
    phone_cache: std::cell::RefCell<foldhash::HashMap<String, String>>,
    key: Option<Vec<u8>>,
    pub subjects: usize,
}

impl Matcher {
    /// Plain subjects are compared on normalised values; hashed ones need the key.
    pub fn new(subjects: &[Subject], key: Option<&[u8]>) -> Result<Matcher, String> {
        let hashed = subjects.iter().any(|s| s.hashed);
        if hashed && key.is_none() {
            return Err(
                "the subject file is hashed: give the key (--key-file or PIISCAN_KEY)".into(),
            );
        }
        // Normalising is the costly part (a phone number is parsed against its numbering
        // plan, behind the phone library's shared cache, so threads do not help); request
        // files repeat values, so each distinct one is normalised once.
        let mut seen: foldhash::HashMap<(IdKind, String), String> = Default::default();
        let forms: Vec<Vec<(IdKind, String)>> = subjects
            .iter()
            .map(|s| {
                let mut conv = |k: IdKind, v: &String| -> String {
                    if s.hashed {
                        return v.clone();
                    }
                    if let Some(n) = seen.get(&(k, v.clone())) {
                        return n.clone();
                    }
                    let n = normalize(k, v);
                    seen.insert((k, v.clone()), n.clone());
                    n
                };
                let mut f = Vec::new();
                for v in &s.email {
                    f.push((IdKind::Email, conv(IdKind::Email, v)));
                }
                for v in &s.phone {
                    f.push((IdKind::Phone, conv(IdKind::Phone, v)));
                }
                for v in &s.name {
                    f.push((IdKind::Name, conv(IdKind::Name, v)));
                }
                for (k, v) in &s.id {
                    let form = if s.hashed {
                        v.clone()
                    } else {
                        format!(
                            "{}={}",
                            crate::format::normalize_name(k),
                            normalize(IdKind::Id, v)
                        )
                    };
                    f.push((IdKind::Id, form));
                }
                f
            })
            .collect();
        let mut table: foldhash::HashMap<(IdKind, String), Vec<usize>> = Default::default();
        for (i, f) in forms.into_iter().enumerate() {
            for key in f {
                table.entry(key).or_default().push(i);
            }
        }
        Ok(Matcher {
            table,
            phone_cache: Default::default(),
            key: if hashed {
                key.map(<[u8]>::to_vec)
            } else {
                None
            },
            subjects: subjects.len(),
        })
    }

    /// Subjects a found value belongs to. For ids, `value` is `key=value`.
    pub fn lookup(&self, kind: IdKind, raw: &str) -> &[usize] {
        let normalized = match kind {
            IdKind::Id => match raw.split_once('=') {
                Some((k, v)) => format!(
                    "{}={}",
                    crate::format::normalize_name(k),
                    normalize(IdKind::Id, v)
                ),
                None => return &[],
            },
            IdKind::Phone => {
                let mut cache = self.phone_cache.borrow_mut();
                match cache.get(raw) {
                    Some(n) => n.clone(),
                    None => {
                        if cache.len() > 1_000_000 {
                            cache.clear();
                        }
                        let n = normalize(kind, raw);
                        cache.insert(raw.to_string(), n.clone());
                        n
                    }
                }
            }
            _ => normalize(kind, raw),
        };
        let form = match &self.key {
            Some(k) => hash_identifier(k, kind, &normalized),
            None => normalized,
        };
        self.table.get(&(kind, form)).map_or(&[], Vec::as_slice)
    }
}

/// Detectors that find the subjects' names and custom ids (plain subjects only); emails and
/// phones come from the catalogue's own detectors.
pub fn subject_detectors(subjects: &[Subject]) -> Vec<DetectorSpec> {
    let mut out = Vec::new();
    let escape = |s: &str| regex_syntax::escape(s);
    let mut names: Vec<String> = Vec::new();
    for s in subjects.iter().filter(|s| !s.hashed) {
        for n in &s.name {
            let words: Vec<&str> = n
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|w| !w.is_empty())
                .collect();
            if words.len() < 2 {
                continue;
            }
            let first = words[0];
            let last = words[words.len() - 1];
            // "Jane Doe", "Jane Q. Doe", "Doe, Jane", "DOE Jane"
            names.push(format!(
                r"{}(?:\s+\w\.?)*\s+{}",
                escape(first),
                escape(last)
            ));
            names.push(format!(r"{},?\s+{}", escape(last), escape(first)));
        }
    }
    let spec =
        |id: &str, regex: String, literals: Vec<String>, keywords: Vec<String>| DetectorSpec {
            id: id.into(),
            variant: None,
            name: "data subject".into(),
            category: "subject".into(),
            sensitivity: Sensitivity::Personal,
            regex,
            trigger: Trigger::Literal,
            min_digits: 0,
            min_span: 0,
            token_len: None,
            lead: 0,
            literals,
            lexicon: None,
            capitalized: false,
            suffix: false,
            whole_word: false,
            anchor: crate::detect::catalog::Anchor::Start,
            keywords,
            keyword_window: 32,
            require_keyword: false,
            needs_digit: false,
            validator: None,
            confidence: Confidence::High,
            mask: MaskStyle::Edges,
            mask_prefix: 0,
            reject_before: None,
            reject_after: None,
            max_len: 200,
            examples: vec![],
            negative_examples: vec![],
            pack: "subject".into(),
            builtin: false,
        };
    if !names.is_empty() {
        let literals: Vec<String> = subjects
            .iter()
            .flat_map(|s| s.name.iter())
            .flat_map(|n| {
                n.split(|c: char| c.is_whitespace() || c == ',')
                    .filter(|w| w.len() > 1)
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        out.push(spec(
            "subject.name",
            format!(r"(?i)\b(?:{})\b", names.join("|")),
            literals,
            vec![],
        ));
    }
    // Custom ids are found after their key (`customer_id=4711`, `"customer_id": 4711`) or in
    // a column of that name; the value is then looked up, so hashed subjects work too.
    let mut keys: Vec<String> = subjects
        .iter()
        .flat_map(|s| s.id.iter().map(|(k, _)| k.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let mut d = spec(
            &format!("subject.id.{}", crate::format::normalize_name(&k)),
            r#"["']?\s*(?:=|:|=>)?\s*["']?\b([A-Za-z0-9][A-Za-z0-9_.\-]{0,63})\b"#.to_string(),
            vec![],
            vec![k.clone()],
        );
        d.trigger = Trigger::Keyword;
        d.keyword_window = 4;
        out.push(d);
    }
    out
}

/// A catalogue with only what subject search needs: e-mail, phone and the subject detectors.
pub fn subject_catalog(subjects: &[Subject]) -> Result<Catalog, crate::Error> {
    let builtin = Catalog::builtin()?;
    let mut detectors: Vec<DetectorSpec> = builtin
        .detectors
        .into_iter()
        // Names of hashed subjects cannot become search patterns: every name the name
        // detectors find is looked up instead.
        .filter(|d| {
            d.id == "email"
                || d.id == "phone"
                || (d.id == "person_name"
                    && subjects.iter().any(|s| s.hashed && !s.name.is_empty()))
        })
        .collect();
    detectors.extend(subject_detectors(subjects));
    Ok(Catalog { detectors })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_table() {
        let same = [
            (
                IdKind::Email,
                "Jane.Doe@Example.com",
                "jane.doe@example.com",
            ),
            (IdKind::Phone, "+44 (0)20 7946-0958", "+442079460958"),
            (IdKind::Phone, "0044 20 7946 0958", "+44 20 7946 0958"),
            (IdKind::Name, "Doe, Jane", "jane doe"),
            (IdKind::Name, "Jane Q. Doe", "JANE DOE"),
            (IdKind::Name, "ZOË Ångström", "zoe angstrom"),
            (IdKind::Id, "ab-12 34", "AB1234"),
        ];
        for (k, a, b) in same {
            assert_eq!(normalize(k, a), normalize(k, b), "{a} vs {b}");
        }
        let different = [
            (
                IdKind::Email,
                "jane.doe@example.com",
                "jane.doe@example.org",
            ),
            (IdKind::Phone, "+44 20 7946 0958", "+44 20 7946 0959"),
            (IdKind::Name, "Jane Doe", "John Doe"),
            (IdKind::Id, "4711", "47110"),
        ];
        for (k, a, b) in different {
            assert_ne!(normalize(k, a), normalize(k, b), "{a} vs {b}");
        }
    }

    #[test]
    fn subject_files_and_hashing() {
        let subs = parse_subjects(r#"[{"email":"A@example.com","phone":["+44 20 7946 0958"],"id":{"customer_id":4711}},{"name":"Jane Doe"}]"#).unwrap();
        assert_eq!(subs.len(), 2);
        assert_eq!(
            subs[0].id,
            vec![("customer_id".to_string(), "4711".to_string())]
        );
        let toml = parse_subjects("email = \"a@example.com\"\nname = [\"Jane Doe\"]\n").unwrap();
        assert_eq!(toml[0].name, vec!["Jane Doe".to_string()]);
        let m = Matcher::new(&subs, None).unwrap();
        assert_eq!(m.lookup(IdKind::Email, "a@EXAMPLE.com"), &[0]);
        assert_eq!(m.lookup(IdKind::Phone, "020 7946 0958"), &[0]);
        assert_eq!(m.lookup(IdKind::Id, "CUSTOMER_ID=4711"), &[0]);
        assert_eq!(m.lookup(IdKind::Name, "doe jane"), &[1]);
        let hashed: Vec<Subject> = subs.iter().map(|s| hash_subject(b"k", s)).collect();
        assert!(Matcher::new(&hashed, None).is_err());
        let hm = Matcher::new(&hashed, Some(b"k")).unwrap();
        assert_eq!(hm.lookup(IdKind::Email, "a@example.com"), &[0]);
        assert_eq!(hm.lookup(IdKind::Id, "customer_id=4711"), &[0]);
        let wrong = Matcher::new(&hashed, Some(b"other")).unwrap();
        assert!(wrong.lookup(IdKind::Email, "a@example.com").is_empty());
    }
}
