//! The compiled engine: every enabled detector, one pass over the bytes.
//!
//! The pass has two cheap parts that touch every byte — a SIMD scan for digit runs and one
//! Aho-Corasick automaton over every literal and keyword trigger (plus `memchr` for `@` and
//! `:`) — and an expensive part that runs only around what they find: each triggered
//! detector's regex over a small window, then its validator, then context keywords. Overlapping
//! candidates from different detectors are all considered; the final matches do not overlap.

use rayon::prelude::*;
use std::sync::Arc;

use super::blocks::{self, DigitTokens, LongRuns, WordStarts};
use super::catalog::{Anchor, Catalog, CatalogError, DetectorSpec, Trigger};
use super::long_runs::{self, Reach, Subgroup, Subgroups};
use super::scanner::{
    cluster_at, digit_run_end, first_digit, hexcolon_region, is_local_part_byte, is_plain_date,
    iso_date_at, Cluster, NUMBER_SEPARATORS,
};
use super::validate::{self, Check, Validator};
use super::words::{starts_like_word, ExactWordFilter, HeadMemo, OtherWords, WordHit, WordTable};
use crate::finding::Confidence;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_automata::hybrid;
use regex_automata::meta::{self, Regex};
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input};

/// Which detectors a run uses.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// Detector ids or categories to keep (empty: all). `api_key` also selects `api_key.*`.
    pub only: Vec<String>,
    /// Detector ids or categories to drop.
    pub skip: Vec<String>,
}

/// One match the engine reports: a byte span in the haystack and the detector that found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub detector: usize,
    pub confidence: Confidence,
    /// True when a validator proved the value (checksum or parse), not just its shape.
    pub validated: bool,
}

pub(crate) struct CompiledDetector {
    pub spec: DetectorSpec,
    /// The automata, built when the scan first needs them: a scan runs a few of the
    /// catalogue's detectors, and building all of them was most of a small scan's time. A
    /// pack given by the user is built at once, so its errors show before anything is read.
    automata: std::sync::OnceLock<Result<Automata, String>>,
    /// The regex has a capture group: the finding is group 1 (the value after its label).
    value_group: bool,
    validator: Option<&'static dyn Validator>,
    /// Which bytes a match can start with, by the byte before (see [`ValueStarts`]); built on
    /// first use, for the anchored tries after a keyword.
    value_starts: std::sync::OnceLock<ValueStarts>,
}

/// A detector's regexes and keyword automaton.
struct Automata {
    regex: Regex,
    keywords: Option<AhoCorasick>,
    reject_before: Option<Regex>,
    reject_after: Option<Regex>,
}

impl Automata {
    fn build(spec: &DetectorSpec) -> Result<Automata, String> {
        // Searched unanchored in a window: around a keyword (`require_keyword` digit and
        // token detectors) or a literal inside the match. Everything else is matched anchored
        // at its trigger (keyword values too: `search_after_keyword`).
        let unanchored = (spec.require_keyword
            && matches!(spec.trigger, Trigger::Digits | Trigger::Alnum))
            || (spec.trigger == Trigger::Literal && spec.anchor == Anchor::Inner);
        // A lexicon's alternation, or a long literal list written out.
        let lexicon_alternation = spec.lexicon.is_some() || spec.literals.len() > 16;
        let regex = compile(&spec.regex, unanchored && !lexicon_alternation)
            .map_err(|e| format!("regex: {e}"))?;
        let keywords = if spec.keywords.is_empty() {
            None
        } else {
            Some(keyword_automaton(&spec.keywords)?)
        };
        let opt = |p: &Option<String>, what: &str| -> Result<Option<Regex>, String> {
            p.as_deref()
                .map(|p| compile(p, true))
                .transpose()
                .map_err(|e| format!("{what}: {e}"))
        };
        Ok(Automata {
            regex,
            keywords,
            reject_before: opt(&spec.reject_before, "reject_before")?,
            reject_after: opt(&spec.reject_after, "reject_after")?,
        })
    }
}

impl CompiledDetector {
    /// The automata, or why they do not build; built on first use.
    #[inline]
    fn built(&self) -> &Result<Automata, String> {
        self.automata.get_or_init(|| Automata::build(&self.spec))
    }

    /// Builds the automata now, if not yet built; their error, if any.
    fn compile_now(&self) -> Result<(), String> {
        self.built().as_ref().map(drop).map_err(Clone::clone)
    }

    /// The automata, built on first use. `None` only for a built-in detector whose regex
    /// does not compile, which the test suite rules out (`every_builtin_detector_compiles`);
    /// a user's pack is built up front and its error reported.
    #[inline]
    fn automata(&self) -> Option<&Automata> {
        self.built().as_ref().ok()
    }
}

/// For each kind of byte before a position (start of text, `\n`, word byte, other byte: what
/// look-around such as `\b` and `^` can tell apart), the bytes a match of one regex can start
/// with, and the bytes that can follow each. Exact for skipping: a byte (or pair) marked false
/// leads the anchored automaton to its dead state. The second byte rules out what the first
/// cannot: the space after `password` in `password card iban`, where a value's `\s*` must
/// reach `=` or `:`.
struct ValueStarts {
    first: [[bool; 256]; 4],
    /// By kind of byte before and first byte: an index into `seconds`, the set of bytes that
    /// can follow (0: any, also where the first byte cannot start a match at all).
    second: Box<[[u8; 256]; 4]>,
    seconds: Vec<[u64; 4]>,
}

impl ValueStarts {
    fn new(pattern: &str) -> ValueStarts {
        let mut starts = ValueStarts {
            first: [[true; 256]; 4],
            second: Box::new([[0; 256]; 4]),
            seconds: vec![[u64::MAX; 4]],
        };
        let Ok(dfa) = hybrid::dfa::DFA::builder()
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .build(pattern)
        else {
            return starts;
        };
        let mut cache = dfa.create_cache();
        // The states after the first byte are few (a class of letters leads to one): the
        // bytes that can follow are worked out once per state.
        let mut by_state: Vec<(hybrid::LazyStateID, u8)> = Vec::new();
        for (class, before) in [None, Some(b'\n'), Some(b'a'), Some(b' ')]
            .into_iter()
            .enumerate()
        {
            for b in 0..=255u8 {
                let Some(next) = after_first_byte(&dfa, &mut cache, before, b) else {
                    continue;
                };
                starts.first[class][b as usize] = !next.is_dead();
                // (Past 255 states the rest keep "any": a set's index is a byte.)
                if next.is_dead() || next.is_match() || by_state.len() >= 255 {
                    continue;
                }
                let known = by_state.iter().find(|(id, _)| *id == next).map(|k| k.1);
                let set = match known {
                    Some(set) => set,
                    None => {
                        let Some(follow) = following_bytes(&dfa, &mut cache, next) else {
                            continue;
                        };
                        let set = match starts.seconds.iter().position(|s| *s == follow) {
                            Some(i) => i as u8,
                            None => {
                                starts.seconds.push(follow);
                                (starts.seconds.len() - 1) as u8
                            }
                        };
                        by_state.push((next, set));
                        set
                    }
                };
                starts.second[class][b as usize] = set;
            }
        }
        starts
    }

    /// Whether a match can start at `at` (before the end of `hay`) in a search that ends at
    /// `end`.
    #[inline]
    fn can_start(&self, hay: &[u8], at: usize, end: usize) -> bool {
        let class = match at.checked_sub(1).map(|p| hay[p]) {
            None => 0,
            Some(b'\n') => 1,
            Some(b) if b.is_ascii_alphanumeric() || b == b'_' => 2,
            Some(_) => 3,
        };
        let b = hay[at] as usize;
        if !self.first[class][b] {
            return false;
        }
        // Past the search's end the automaton sees the end of the text, not the next byte.
        if at + 1 >= end.min(hay.len()) {
            return true;
        }
        let follow = &self.seconds[self.second[class][b] as usize];
        let c = hay[at + 1] as usize;
        follow[c >> 6] >> (c & 63) & 1 != 0
    }
}

/// The state of an anchored search of `dfa` after the byte `b` at the start of a text (or right
/// after the byte `before`); `None` when the cache gives up.
fn after_first_byte(
    dfa: &hybrid::dfa::DFA,
    cache: &mut hybrid::dfa::Cache,
    before: Option<u8>,
    b: u8,
) -> Option<hybrid::LazyStateID> {
    let two = [before.unwrap_or(0), b];
    let input = match before {
        Some(_) => Input::new(&two[..]).range(1..2),
        None => Input::new(&two[1..]),
    }
    .anchored(Anchored::Yes);
    let start = dfa.start_state_forward(cache, &input).ok()?;
    dfa.next_state(cache, start, b).ok()
}

/// The bytes after which `state` is not dead, as a 256-bit set; `None` when the cache gives up.
fn following_bytes(
    dfa: &hybrid::dfa::DFA,
    cache: &mut hybrid::dfa::Cache,
    state: hybrid::LazyStateID,
) -> Option<[u64; 4]> {
    let mut set = [0u64; 4];
    for c in 0..=255u8 {
        let next = dfa.next_state(cache, state, c).ok()?;
        if !next.is_dead() {
            set[c as usize >> 6] |= 1 << (c & 63);
        }
    }
    Some(set)
}

/// Per-thread scratch space: one lazy-DFA cache per detector regex. Keep one per worker thread.
pub struct ScanState {
    /// Per detector, made when it is first searched (its automata are built then).
    caches: Vec<Option<meta::Cache>>,
    /// Capture slots of the detectors whose value is a group (reused, not allocated per match).
    captures: Vec<Option<regex_automata::util::captures::Captures>>,
    digit_cache: Option<hybrid::dfa::Cache>,
    /// The last long cluster's reach (its buffer reused).
    reach: Option<Reach>,
    /// Caches of the digit group's parts this thread has walked.
    subgroup_caches: Vec<(Arc<Subgroup>, hybrid::dfa::Cache)>,
    alnum_cache: Option<hybrid::dfa::Cache>,
    hits: Vec<usize>,
    last_end: Vec<usize>,
    candidates: Vec<Match>,
    /// Spans without a digit and without a line break, for keyword windows.
    digit_free: FreeSpan,
    newline_free: FreeSpan,
}

/// A span of the text being scanned known to hold none of one kind of byte (a digit, a line
/// break). Keywords close together ask about their overlapping windows (does a gated
/// detector's window hold the digit its values need, does it cross a line): with the span
/// remembered each byte is looked at about once, not once per window.
#[derive(Default)]
struct FreeSpan {
    /// The text the span is of (address and length): a state outlives one text.
    text: (usize, usize),
    start: usize,
    /// The first byte past the span: one of the kind, the end of the text, or where the last
    /// look stopped.
    end: usize,
}

impl FreeSpan {
    /// How far past a window a look for the byte goes on, so the next windows of a dense line
    /// find their answer in the span.
    const LOOK_AHEAD: usize = 256;

    /// Whether `hay[ws..we]` holds no byte of the kind `first` finds (the position of the
    /// first one in a slice).
    fn lacks(
        &mut self,
        hay: &[u8],
        ws: usize,
        we: usize,
        first: impl Fn(&[u8]) -> Option<usize>,
    ) -> bool {
        let text = (hay.as_ptr() as usize, hay.len());
        if self.text != text || ws > self.end || we < self.start {
            *self = FreeSpan {
                text,
                start: ws,
                end: ws,
            };
        }
        // Windows around a keyword begin before the span the last one left.
        if ws < self.start {
            if first(&hay[ws..self.start]).is_some() {
                return false;
            }
            self.start = ws;
        }
        if we <= self.end {
            return true;
        }
        let from = self.end;
        let limit = we.max(from + Self::LOOK_AHEAD).min(hay.len());
        self.end = first(&hay[from..limit]).map_or(limit, |i| from + i);
        we <= self.end
    }
}

#[derive(Clone, Copy)]
enum Role {
    /// The literal announces detector `usize` (literal trigger).
    Literal(usize),
    /// The keyword announces detector `usize` (keyword trigger).
    Keyword(usize),
    /// The keyword lets detector `usize` run near it: a digit or token detector that needs a
    /// keyword anyway is looked for only around its keywords, never at every number.
    Gate(usize),
}

pub struct Engine {
    pub(crate) detectors: Vec<CompiledDetector>,
    digit_dets: Vec<usize>,
    /// One lazy DFA over every digit-triggered regex (all matches, anchored): a single walk
    /// from a candidate start says which detectors can match there.
    digit_group: Option<hybrid::dfa::DFA>,
    digit_max_lead: usize,
    /// Clusters longer than this get a [`Reach`] ([`long_runs::LONG_CLUSTER`]; tests turn it
    /// off to compare).
    long_cluster: usize,
    /// Clusters without separators go straight to [`Engine::scan_digit_run`]; a test turns
    /// it off to compare with the general loop. Test builds only: read in every build, the
    /// flag changed how the block loop was compiled (+3 % instructions on a log).
    #[cfg(test)]
    bare_runs_direct: bool,
    /// By separator byte: the digit group's patterns whose `reject_before` rejects any start
    /// right after a digit and that byte (made on the first long cluster).
    digit_separator_rejects: std::sync::OnceLock<Box<[u64; 256]>>,
    /// Parts of the digit group for long clusters whose separators rule out some patterns.
    digit_subgroups: Subgroups,
    /// Bytes a digit detector's match can start with: lead bytes before a cluster that no
    /// detector starts with (`=`, `:`, a space) cost no walk.
    digit_first: Box<[bool; 256]>,
    /// The same right after a word byte: a `\b` that starts every digit detector (and the
    /// letter prefixes of the NINO) rules out the digits and letters inside `ABCD1234EFGH`,
    /// which cost three walks per number in long upper-case tokens.
    digit_first_after_word: Box<[bool; 256]>,
    alnum_group: Option<hybrid::dfa::DFA>,
    /// Bytes a token detector's match can start with (from each detector's DFA), marked by
    /// the block classification: tokens starting otherwise are never measured.
    token_first: blocks::ByteSet,
    /// By first byte: the shortest and longest token the detectors starting so accept.
    alnum_len: Box<[[usize; 2]; 256]>,
    /// The shortest token any token detector accepts.
    alnum_min_len: usize,
    min_cluster_digits: usize,
    /// The shortest digit run (first digit to last, separators included) any digit detector
    /// can match: shorter runs are skipped without a DFA walk.
    min_cluster_span: usize,
    alnum_dets: Vec<usize>,
    hexcolon_dets: Vec<usize>,
    at_dets: Vec<usize>,
    /// Keywords and literals that begin like a word, looked up at word starts.
    word_table: Option<WordTable>,
    /// `word_roles[i]`: what word `i` of `word_table` announces.
    word_roles: Vec<Vec<Role>>,
    /// `word_bounded[i]`: every role of word `i` needs it to be a whole word (checked before
    /// the roles: `lat` begins every `latency_ms` key of a log).
    word_bounded: Vec<bool>,
    /// The other keywords and literals (`$2b$`, `-----BEGIN`, `%40`), found by substring search.
    other_words: Option<OtherWords>,
    other_roles: Vec<Vec<Role>>,
    /// Per detector, its id and keywords normalised as column names are
    /// ([`crate::format::normalize_name`]), made on first use.
    hint_words: std::sync::OnceLock<Vec<Vec<String>>>,
    /// Capitalised lexicons (given names): every capitalised word is looked up whole, so
    /// thousands of short names cost one hash lookup per capitalised word, not an automaton
    /// walk that fires inside every lower-case word.
    capitalized_words: foldhash::HashMap<Box<[u8]>, Vec<usize>>,
    capitalized_filter: ExactWordFilter,
    /// Endings of capitalised words (`straße`), lower-cased, with their last two bytes (see
    /// [`last_two`]) and their detector.
    suffixes: Vec<(u16, Box<[u8]>, usize)>,
    /// One bit per last two bytes of a suffix: most capitalised words end otherwise, and the
    /// few that share an ending compare two bytes before the whole suffix.
    suffix_ends: Box<[u64; 1024]>,
}

/// The last two bytes of `word` (at least two long), ASCII-lower-cased, as one key.
#[inline]
fn last_two(word: &[u8]) -> u16 {
    let n = word.len();
    u16::from_le_bytes([
        word[n - 2].to_ascii_lowercase(),
        word[n - 1].to_ascii_lowercase(),
    ])
}

/// Triggers of one kind, deduplicated case-insensitively (kept as first written), each with
/// what it announces.
#[derive(Default)]
struct TriggerWords {
    words: Vec<String>,
    roles: Vec<Vec<Role>>,
    index: foldhash::HashMap<String, usize>,
}

impl TriggerWords {
    fn add(&mut self, word: &str, role: Role) {
        let lw = word.to_ascii_lowercase();
        match self.index.get(&lw) {
            Some(&i) => self.roles[i].push(role),
            None => {
                self.index.insert(lw, self.words.len());
                self.words.push(word.to_string());
                self.roles.push(vec![role]);
            }
        }
    }
}

/// `prefilter`: let the regex find its literals with SIMD in a window. Only for regexes that
/// search windows unanchored, and not for lexicon alternations, whose windows the trigger
/// already placed on the literal: extracting prefilters was most of the start-up (45 → 27 ms
/// for the whole catalogue without them). No fully built DFA either: the meta regex builds one
/// for every small pattern up front (a sixth of start-up), while the lazy DFA it then uses
/// instead was as fast here (instruction counts of a log and a CSV scan went down).
fn compile(pattern: &str, prefilter: bool) -> Result<Regex, String> {
    Regex::builder()
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .configure(
            Regex::config()
                .utf8_empty(false)
                .auto_prefilter(prefilter)
                .dfa(false),
        )
        .build(pattern)
        .map_err(|e| match std::error::Error::source(&e) {
            Some(src) => format!("{e}: {src}"),
            None => e.to_string(),
        })
}

/// Whether a regex has a capture group, read from its text: a `(` that is not escaped, not in
/// a class, and not `(?` unless it names a group (`(?P<`, `(?<`). For the built-in packs,
/// whose automata are built on first use (a parse of every regex was a quarter of start-up):
/// `every_builtin_detector_compiles` checks it against the compiled regexes.
fn capture_group_in_text(re: &str) -> bool {
    let b = re.as_bytes();
    let mut i = 0;
    // Depth of character classes (they nest: `[a-z&&[^aeiou]]`).
    let mut class = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' if b[i + 1..].starts_with(b":") && class > 0 => {
                // `[:alpha:]` inside a class.
                if let Some(end) = re[i..].find(":]") {
                    i += end + 1;
                }
            }
            b'[' => {
                class += 1;
                // A `]` first (after an optional `^`) is a literal.
                if b.get(i + 1) == Some(&b'^') {
                    i += 1;
                }
                if b.get(i + 1) == Some(&b']') {
                    i += 1;
                }
            }
            b']' if class > 0 => class -= 1,
            b'(' if class == 0 => {
                let rest = &b[i + 1..];
                if !rest.starts_with(b"?") || rest.starts_with(b"?P<") || rest.starts_with(b"?<") {
                    return true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// A detector's context keywords, for [`Engine::keyword_near`] over a short window.
fn keyword_automaton(words: &[String]) -> Result<AhoCorasick, String> {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        // Overlapping iteration with standard semantics: every keyword is seen, even when one
        // is a prefix of another.
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .build(words)
        .map_err(|e| e.to_string())
}

/// A digit detector's shortest digit span (`DetectorSpec::min_span`, at least its digits).
fn min_span(spec: &DetectorSpec) -> usize {
    spec.min_span.max(spec.min_digits)
}

fn selected(spec: &DetectorSpec, names: &[String]) -> bool {
    names.iter().any(|n| {
        spec.id == *n
            || spec.category == *n
            || spec.sensitivity.as_str() == n
            || spec.id.starts_with(&format!("{n}."))
    })
}

/// `hay[lo..hi]` cut to the line that holds `at..end` (`lo <= at <= end <= hi`).
fn within_line(hay: &[u8], lo: usize, at: usize, end: usize, hi: usize) -> (usize, usize) {
    let lo = memchr::memrchr(b'\n', &hay[lo..at]).map_or(lo, |nl| lo + nl + 1);
    let hi = memchr::memchr(b'\n', &hay[end..hi]).map_or(hi, |nl| end + nl);
    (lo, hi)
}

/// A keyword counts only as a whole word: not inside a longer word or right after a number
/// (`3dob`), except at a camelCase seam (`customerEmail`).
pub(crate) fn keyword_boundary_ok(hay: &[u8], s: usize, e: usize) -> bool {
    let seam = |a: u8, b: u8| a.is_ascii_lowercase() && b.is_ascii_uppercase();
    let before = s == 0 || !hay[s - 1].is_ascii_alphanumeric() || seam(hay[s - 1], hay[s]);
    let after = e >= hay.len() || !hay[e].is_ascii_alphabetic() || seam(hay[e - 1], hay[e]);
    before && after
}

impl Engine {
    /// Compiles the catalogue's detectors, keeping those the options select.
    pub fn new(catalog: &Catalog, opts: &EngineOptions) -> Result<Engine, CatalogError> {
        // Compiling the regexes and keyword automata is most of start-up (a scan of a small
        // file): done on all threads, the catalogue order kept.
        let detectors = catalog
            .detectors
            .par_iter()
            .filter(|spec| opts.only.is_empty() || selected(spec, &opts.only))
            .filter(|spec| !selected(spec, &opts.skip))
            .map(Self::compile_detector)
            .collect::<Result<Vec<_>, _>>()?;
        let mut engine = Engine {
            detectors,
            digit_dets: Vec::new(),
            digit_group: None,
            digit_max_lead: 0,
            long_cluster: long_runs::LONG_CLUSTER,
            #[cfg(test)]
            bare_runs_direct: true,
            digit_separator_rejects: Default::default(),
            digit_subgroups: Subgroups::new(Vec::new()),
            digit_first: Box::new([true; 256]),
            digit_first_after_word: Box::new([true; 256]),
            alnum_group: None,
            token_first: blocks::ByteSet::NONE,
            alnum_len: Box::new([[usize::MAX, 0]; 256]),
            alnum_min_len: usize::MAX,
            min_cluster_digits: usize::MAX,
            min_cluster_span: usize::MAX,
            alnum_dets: Vec::new(),
            hexcolon_dets: Vec::new(),
            at_dets: Vec::new(),
            word_table: None,
            word_roles: Vec::new(),
            word_bounded: Vec::new(),
            other_words: None,
            other_roles: Vec::new(),
            hint_words: Default::default(),
            capitalized_words: Default::default(),
            capitalized_filter: Default::default(),
            suffixes: Vec::new(),
            suffix_ends: Box::new([0; 1024]),
        };
        let mut cap_words: Vec<(String, usize)> = Vec::new();
        let mut word_like = TriggerWords::default();
        let mut other = TriggerWords::default();
        let mut add_word = |w: &str, role: Role| {
            if starts_like_word(w) {
                word_like.add(w, role)
            } else {
                other.add(w, role)
            }
        };
        for (i, d) in engine.detectors.iter().enumerate() {
            let gated = d.spec.require_keyword
                && matches!(d.spec.trigger, Trigger::Digits | Trigger::Alnum)
                && !d.spec.keywords.is_empty();
            if gated {
                d.spec
                    .keywords
                    .iter()
                    .for_each(|k| add_word(k, Role::Gate(i)));
                continue;
            }
            match d.spec.trigger {
                Trigger::Digits => {
                    engine.digit_dets.push(i);
                    engine.min_cluster_digits = engine.min_cluster_digits.min(d.spec.min_digits);
                    engine.min_cluster_span = engine.min_cluster_span.min(min_span(&d.spec));
                }
                Trigger::Alnum => engine.alnum_dets.push(i),
                Trigger::HexColon => engine.hexcolon_dets.push(i),
                Trigger::At => engine.at_dets.push(i),
                Trigger::Literal if d.spec.capitalized && d.spec.suffix => {
                    for l in &d.spec.literals {
                        let l = l.to_ascii_lowercase().into_bytes();
                        if l.len() < 2 {
                            return Err(CatalogError::Detector {
                                pack: d.spec.pack.clone(),
                                id: d.spec.id.clone(),
                                reason: format!(
                                    "suffix literal '{}' is shorter than two bytes",
                                    l.escape_ascii()
                                ),
                            });
                        }
                        let key = last_two(&l);
                        engine.suffix_ends[(key >> 6) as usize] |= 1 << (key & 63);
                        engine.suffixes.push((key, l.into_boxed_slice(), i));
                    }
                }
                Trigger::Literal if d.spec.capitalized => {
                    for l in &d.spec.literals {
                        cap_words.push((l.clone(), i));
                    }
                }
                Trigger::Literal => d
                    .spec
                    .literals
                    .iter()
                    .for_each(|l| add_word(l, Role::Literal(i))),
                Trigger::Keyword => d
                    .spec
                    .keywords
                    .iter()
                    .for_each(|k| add_word(k, Role::Keyword(i))),
            }
        }
        engine
            .digit_dets
            .sort_by_key(|&i| engine.detectors[i].spec.min_digits);
        let group = |members: &[usize]| -> Result<Option<hybrid::dfa::DFA>, CatalogError> {
            if members.is_empty() {
                return Ok(None);
            }
            let patterns: Vec<&str> = members
                .iter()
                .map(|&i| engine.detectors[i].spec.regex.as_str())
                .collect();
            long_runs::group_dfa(&patterns, 8 << 20)
                .map(Some)
                .map_err(|e| CatalogError::Detector {
                    pack: "(all)".into(),
                    id: "(digit/alnum group)".into(),
                    reason: e.to_string(),
                })
        };
        engine.digit_group = group(&engine.digit_dets)?;
        engine.digit_subgroups = Subgroups::new(
            engine
                .digit_dets
                .iter()
                .map(|&i| engine.detectors[i].spec.regex.clone())
                .collect(),
        );
        engine.alnum_group = group(&engine.alnum_dets)?;
        if let Some(g) = &engine.digit_group {
            engine.digit_first = first_bytes(g, None);
            engine.digit_first_after_word = first_bytes(g, Some(b'a'));
        }
        let mut token_first = [false; 256];
        for &i in &engine.alnum_dets {
            let [lo, hi] = engine.detectors[i]
                .spec
                .token_len
                .unwrap_or([0, usize::MAX]);
            let first = match group(&[i])? {
                Some(dfa) => first_bytes(&dfa, None),
                None => Box::new([true; 256]),
            };
            for b in 0..256 {
                if first[b] {
                    token_first[b] = true;
                    let len = &mut engine.alnum_len[b];
                    *len = [len[0].min(lo), len[1].max(hi)];
                }
            }
        }
        engine.token_first = blocks::ByteSet::new(&token_first);
        engine.alnum_min_len = engine.alnum_len.iter().map(|l| l[0]).min().unwrap_or(0);
        engine.digit_max_lead = engine
            .digit_dets
            .iter()
            .map(|&i| engine.detectors[i].spec.lead)
            .max()
            .unwrap_or(0);
        if !word_like.words.is_empty() {
            engine.word_table = Some(WordTable::new(&word_like.words));
            engine.word_roles = word_like.roles;
            engine.word_bounded = engine
                .word_roles
                .iter()
                .map(|roles| {
                    roles.iter().all(|r| match *r {
                        Role::Keyword(_) | Role::Gate(_) => true,
                        Role::Literal(d) => engine.detectors[d].spec.whole_word,
                    })
                })
                .collect();
        }
        if !other.words.is_empty() {
            engine.other_words = Some(OtherWords::new(&other.words));
            engine.other_roles = other.roles;
        }
        for (w, d) in cap_words {
            engine.capitalized_filter.insert(w.as_bytes());
            let dets = engine
                .capitalized_words
                .entry(w.into_bytes().into_boxed_slice())
                .or_default();
            if !dets.contains(&d) {
                dets.push(d);
            }
        }
        Ok(engine)
    }

    fn compile_detector(spec: &DetectorSpec) -> Result<CompiledDetector, CatalogError> {
        let err = |reason: String| CatalogError::Detector {
            pack: spec.pack.clone(),
            id: spec.id.clone(),
            reason,
        };
        let validator = match &spec.validator {
            Some(name) => Some(
                validate::by_name(name)
                    .ok_or_else(|| err(format!("unknown validator '{name}'")))?,
            ),
            None => None,
        };
        let mut detector = CompiledDetector {
            spec: spec.clone(),
            automata: std::sync::OnceLock::new(),
            value_group: false,
            validator,
            value_starts: std::sync::OnceLock::new(),
        };
        if spec.builtin {
            detector.value_group = capture_group_in_text(&spec.regex);
        } else {
            detector.compile_now().map_err(err)?;
            detector.value_group = detector.automata().is_some_and(|a| {
                a.regex
                    .group_info()
                    .group_len(regex_automata::PatternID::ZERO)
                    > 1
            });
        }
        Ok(detector)
    }

    /// Builds every detector's automata now (`patterns check`, the tests): errors of a
    /// built-in pack show here.
    pub fn compile_all(&self) -> Result<(), CatalogError> {
        self.detectors.par_iter().try_for_each(|d| {
            d.compile_now().map_err(|reason| CatalogError::Detector {
                pack: d.spec.pack.clone(),
                id: d.spec.id.clone(),
                reason,
            })
        })
    }

    /// The detectors this engine runs, in priority order; `Match::detector` indexes this list.
    pub fn specs(&self) -> impl Iterator<Item = &DetectorSpec> {
        self.detectors.iter().map(|d| &d.spec)
    }

    pub fn spec(&self, i: usize) -> &DetectorSpec {
        &self.detectors[i].spec
    }

    pub fn len(&self) -> usize {
        self.detectors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.detectors.is_empty()
    }

    /// The longest match any detector can produce: chunked scans overlap by at least this.
    pub fn max_match_len(&self) -> usize {
        self.detectors
            .iter()
            .map(|d| d.spec.max_len + d.spec.keyword_window)
            .max()
            .unwrap_or(0)
    }

    pub fn new_state(&self) -> ScanState {
        ScanState {
            caches: self.detectors.iter().map(|_| None).collect(),
            captures: self.detectors.iter().map(|_| None).collect(),
            last_end: vec![0; self.detectors.len()],
            candidates: Vec::new(),
            digit_free: FreeSpan::default(),
            newline_free: FreeSpan::default(),
            digit_cache: self.digit_group.as_ref().map(|g| g.create_cache()),
            reach: None,
            subgroup_caches: Vec::new(),
            alnum_cache: self.alnum_group.as_ref().map(|g| g.create_cache()),
            hits: Vec::new(),
        }
    }

    /// Finds every match in `hay`, sorted by start, not overlapping.
    ///
    /// One classification of each 64-byte block feeds every per-byte pass: digit runs,
    /// tokens, the `:` of hex/colon runs, the `@` of addresses and word starts. Each detector
    /// belongs to one pass and each pass keeps its own place, so running them block by block
    /// finds what running them one after the other finds.
    pub fn scan(&self, hay: &[u8], state: &mut ScanState) -> Vec<Match> {
        state.candidates.clear();
        state.last_end.iter_mut().for_each(|x| *x = 0);
        let digits = !self.digit_dets.is_empty();
        let tokens = !self.alnum_dets.is_empty();
        let colons = !self.hexcolon_dets.is_empty();
        let ats = !self.at_dets.is_empty();
        let caps = !self.capitalized_words.is_empty() || !self.suffixes.is_empty();
        let words = self.word_table.is_some() || caps;
        let others: Vec<WordHit> = self
            .other_words
            .as_ref()
            .map_or_else(Vec::new, |o| o.hits(hay));
        let mut next_other = 0;
        let mut next_other_start = others.first().map_or(usize::MAX, |h| h.start);
        let word_table = self.word_table.as_ref();
        // On the stack (6 KiB, filled again for each text): no register holds its address
        // through the block loop.
        let mut head_memo = HeadMemo::default();
        let mut runs = LongRuns::new(self.min_cluster_span);
        let mut digit_tokens = DigitTokens::new(self.alnum_min_len);
        let mut word_starts = WordStarts::default();
        let mut colon_resume = 0;
        blocks::for_each_block(hay, &self.token_first, |base, m, next| {
            if digits {
                runs.block(base, m, next, |p| {
                    if iso_date_at(hay, p) {
                        return p + 10;
                    }
                    let c = cluster_at(hay, p);
                    self.scan_cluster(hay, c, state);
                    c.end
                });
            }
            if tokens {
                digit_tokens.block(hay, base, m, |s, e| {
                    let [min_len, max_len] = self.alnum_len[hay[s] as usize];
                    if e - s >= min_len && e - s <= max_len {
                        self.try_alnum_token(hay, s, e, state);
                    }
                });
            }
            if colons && m.colon != 0 && !blocks::colons_cannot_start_region(m) {
                self.colons_in_block(hay, base, m, &mut colon_resume, state);
            }
            if ats {
                blocks::address_ats(hay, base, m, |pos| self.address_at(hay, pos, state));
            }
            if words {
                let mut starts = word_starts.block(m);
                let capitals = if caps { starts & m.upper } else { 0 };
                while starts != 0 {
                    let i = starts.trailing_zeros() as usize;
                    starts &= starts - 1;
                    let s = base + i;
                    while next_other_start < s {
                        let h = &others[next_other];
                        self.on_trigger(
                            hay,
                            h.start,
                            h.end,
                            &self.other_roles[h.word],
                            state,
                            None,
                        );
                        next_other += 1;
                        next_other_start = others.get(next_other).map_or(usize::MAX, |h| h.start);
                    }
                    if capitals >> i & 1 != 0 {
                        self.capitalized_at(hay, s, state);
                    }
                    if let Some(table) = word_table {
                        table.hits_at(hay, s, &mut head_memo, &mut |h: WordHit| {
                            let whole_word = self.word_bounded[h.word]
                                .then(|| keyword_boundary_ok(hay, h.start, h.end));
                            if whole_word == Some(false) {
                                return;
                            }
                            let roles = &self.word_roles[h.word];
                            self.on_trigger(hay, h.start, h.end, roles, state, whole_word)
                        });
                    }
                }
            }
        });
        for h in &others[next_other..] {
            self.on_trigger(hay, h.start, h.end, &self.other_roles[h.word], state, None);
        }
        resolve_overlaps(&mut state.candidates);
        std::mem::take(&mut state.candidates)
    }

    /// The hex/colon detectors at the `:` of one block; runs already looked at (up to
    /// `resume`) are skipped.
    fn colons_in_block(
        &self,
        hay: &[u8],
        base: usize,
        m: &blocks::Masks,
        resume: &mut usize,
        state: &mut ScanState,
    ) {
        let mut colons = blocks::plausible_colons(m);
        while colons != 0 {
            let i = colons.trailing_zeros() as usize;
            colons &= colons - 1;
            let pos = base + i;
            if pos < *resume {
                continue;
            }
            let region =
                blocks::hexcolon_in_block(base, i, m).unwrap_or_else(|| hexcolon_region(hay, pos));
            match region {
                Some((s, e, true)) => {
                    *resume = e;
                    for &d in &self.hexcolon_dets {
                        self.search_anchored(hay, d, s, state);
                    }
                }
                // A short run without enough groups: its other colons see the same run.
                Some((s, e, false)) if e - s < 45 => *resume = e,
                _ => {}
            }
        }
    }

    /// The address detectors at an `@` that can join a local part and a domain.
    fn address_at(&self, hay: &[u8], pos: usize, state: &mut ScanState) {
        let domain_len = hay[pos + 1..]
            .iter()
            .take(253)
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            .count();
        if memchr::memchr(b'.', &hay[pos + 1..pos + 1 + domain_len]).is_none() {
            return;
        }
        // The address starts where the run of local-part characters before the `@` starts:
        // one anchored attempt, linear in the input however many `@` it has.
        let mut ls = pos;
        while ls > 0 && pos - ls <= 64 && is_local_part_byte(hay[ls - 1]) {
            ls -= 1;
        }
        if pos - ls > 64 {
            return;
        }
        for &d in &self.at_dets {
            if pos >= state.last_end[d] {
                self.search_anchored(hay, d, ls, state);
            }
        }
    }

    /// Hands a result of [`Self::scan`] back once read, so the next scan fills the same
    /// memory instead of growing a fresh vector into fresh pages.
    pub fn recycle(&self, mut matches: Vec<Match>, state: &mut ScanState) {
        if matches.capacity() > state.candidates.capacity() {
            matches.clear();
            state.candidates = matches;
        }
    }

    /// Runs gated detector `d` over the values its keyword at `ks..ke` can vouch for: those
    /// starting up to a keyword window after it, or ending up to half a window before it, on
    /// the keyword's line (the span `keyword_near` accepts).
    fn search_near_keyword(
        &self,
        hay: &[u8],
        d: usize,
        ks: usize,
        ke: usize,
        state: &mut ScanState,
    ) {
        let spec = &self.detectors[d].spec;
        let w = spec.keyword_window;
        let (lo, hi) = (
            ks.saturating_sub(w / 2 + spec.max_len),
            (ke + w + spec.max_len).min(hay.len()),
        );
        let (ws, we) = if state
            .newline_free
            .lacks(hay, lo, hi, |b| memchr::memchr(b'\n', b))
        {
            (lo, hi)
        } else {
            within_line(hay, lo, ks, ke, hi)
        };
        let ws = ws.max(state.last_end[d]);
        if ws < we {
            self.search_window(hay, d, ws, we, None, Some(ke + w), state);
        }
    }

    /// A capitalised word starting at `s`: looked up whole in the capitalised lexicons, and
    /// its ending among the suffixes.
    fn capitalized_at(&self, hay: &[u8], s: usize, state: &mut ScanState) {
        if s > 0 && (hay[s - 1].is_ascii_alphanumeric() || hay[s - 1] >= 0x80) {
            return;
        }
        let mut j = s + 1;
        while j < hay.len() && (hay[j].is_ascii_lowercase() || hay[j] >= 0x80) {
            j += 1;
        }
        let word = &hay[s..j];
        if let Some(dets) = self
            .capitalized_filter
            .may_contain(word)
            .then(|| self.capitalized_words.get(word))
            .flatten()
        {
            for &d in dets {
                match self.detectors[d].spec.anchor {
                    Anchor::Start if s >= state.last_end[d] => {
                        self.search_anchored(hay, d, s, state)
                    }
                    Anchor::Start => {}
                    // The word sits inside the match (`221 Baker Street`).
                    Anchor::Inner => self.on_trigger(hay, s, j, &[Role::Literal(d)], state, None),
                }
            }
        }
        if j - s < 2 || self.suffixes.is_empty() {
            return;
        }
        let key = last_two(&hay[s..j]);
        if self.suffix_ends[(key >> 6) as usize] & (1 << (key & 63)) == 0 {
            return;
        }
        for (end, suffix, d) in &self.suffixes {
            let n = suffix.len();
            if *end == key && j - s >= n && hay[j - n..j].eq_ignore_ascii_case(suffix) {
                self.on_trigger(hay, j - n, j, &[Role::Literal(*d)], state, None);
            }
        }
    }

    /// What a trigger found at `start..end` sets off, for each of its roles. `whole_word`:
    /// whether it is a whole word, when known already (else checked at most once, whatever
    /// the number of roles).
    fn on_trigger(
        &self,
        hay: &[u8],
        start: usize,
        end: usize,
        roles: &[Role],
        state: &mut ScanState,
        mut whole_word: Option<bool>,
    ) {
        let mut is_whole =
            || *whole_word.get_or_insert_with(|| keyword_boundary_ok(hay, start, end));
        for role in roles {
            match *role {
                Role::Literal(d) => {
                    // Capitalised literals come from `capitalized_at`, which checked the word.
                    let spec = &self.detectors[d].spec;
                    if spec.whole_word && !is_whole() {
                        continue;
                    }
                    match spec.anchor {
                        Anchor::Start => self.search_anchored(hay, d, start, state),
                        Anchor::Inner => {
                            if start < state.last_end[d] {
                                continue;
                            }
                            let ws = start.saturating_sub(spec.max_len);
                            let we = (end + spec.max_len).min(hay.len());
                            self.search_window(hay, d, ws, we, Some((start, end)), None, state);
                        }
                    }
                }
                Role::Gate(d) => {
                    if is_whole() {
                        self.search_near_keyword(hay, d, start, end, state);
                    }
                }
                Role::Keyword(d) => {
                    if !is_whole() {
                        continue;
                    }
                    let spec = &self.detectors[d].spec;
                    let ws = end.max(state.last_end[d]);
                    let we = (end + spec.keyword_window + spec.max_len).min(hay.len());
                    if ws < we {
                        self.search_after_keyword(hay, d, ws, we, end + spec.keyword_window, state);
                    }
                }
            }
        }
    }

    /// Whether detector `d` needs a digit in every value (`needs_digit`, or a digit trigger:
    /// its values are runs of digits) and `hay[ws..we]` has none, so the window can be skipped
    /// before any regex runs (a gated `ssn` in a column of labels).
    fn lacks_needed_digit(
        &self,
        hay: &[u8],
        d: usize,
        ws: usize,
        we: usize,
        state: &mut ScanState,
    ) -> bool {
        let spec = &self.detectors[d].spec;
        (spec.needs_digit || spec.trigger == Trigger::Digits)
            && state.digit_free.lacks(hay, ws, we, first_digit)
    }

    /// The value after a keyword: the leftmost match of detector `d` in `hay[ws..we]` that
    /// starts by `limit`, tried anchored at each start in turn (what an unanchored search
    /// finds first, without its reverse pass for the start). A rejected value resumes after
    /// its end, as in [`Self::search_window`].
    fn search_after_keyword(
        &self,
        hay: &[u8],
        d: usize,
        ws: usize,
        we: usize,
        limit: usize,
        state: &mut ScanState,
    ) {
        if self.lacks_needed_digit(hay, d, ws, we, state) {
            return;
        }
        let starts = self.detectors[d]
            .value_starts
            .get_or_init(|| ValueStarts::new(&self.detectors[d].spec.regex));
        let mut at = ws;
        while at <= limit && at < we {
            if !starts.can_start(hay, at, we) {
                at += 1;
                continue;
            }
            let input = Input::new(hay).range(at..we).anchored(Anchored::Yes);
            let Some((_, s, e, _)) = self.find(d, &input, state) else {
                at += 1;
                continue;
            };
            if e > s && s >= state.last_end[d] && self.consider(hay, d, s, e, state) {
                return;
            }
            at = e.max(at + 1);
        }
    }

    /// The digit detectors at one cluster: matches start at a digit group of the cluster, or up
    /// to `lead` bytes before it (`+`, `(`, a letter prefix). One anchored walk of the combined
    /// DFA per start tells which detectors can match there; only those run their own regex. A
    /// long cluster first gets its [`Reach`], and its starts only the walks it leaves.
    fn scan_cluster(&self, hay: &[u8], c: Cluster, state: &mut ScanState) {
        if c.digits < self.min_cluster_digits
            || c.end - c.start < self.min_cluster_span
            || is_plain_date(&hay[c.start..c.end])
        {
            return;
        }
        #[cfg(test)]
        let direct = self.bare_runs_direct;
        #[cfg(not(test))]
        let direct = true;
        if direct && c.digits == c.end - c.start {
            self.scan_digit_run(hay, c, state);
            return;
        }
        let reach = self.long_cluster_reach(hay, c, state);
        let rejects = reach.as_ref().map(|_| self.digit_separator_rejects());
        // The patterns worth walking from `at`: all, or for a long cluster those its reach
        // leaves and, for a group right after a digit and one separator, that do not reject
        // that context. (A reach of only those patterns says nothing about other starts.)
        let allowed = |reach: &Option<Reach>, at: usize, after_separator: bool| -> u64 {
            let (Some(reach), Some(rejects)) = (reach.as_ref(), rejects) else {
                return u64::MAX;
            };
            let mut wanted = u64::MAX;
            if after_separator && at >= 2 && hay[at - 2].is_ascii_digit() {
                wanted &= !rejects[hay[at - 1] as usize];
            } else if reach.interior_only {
                return u64::MAX;
            }
            reach.near(at, wanted)
        };
        for j in (1..=self.digit_max_lead.min(c.start)).rev() {
            if !self.can_start_digits(hay, c.start - j) {
                continue;
            }
            let ok = allowed(&reach, c.start - j, false);
            self.digit_candidates_at(hay, c.start - j, j, c.digits, c.end - c.start, ok, state);
        }
        // Each digit group of the cluster (a run of digits: the loop jumps over it).
        let mut digits_left = c.digits;
        let mut g = c.start;
        while g < c.end {
            if digits_left < self.min_cluster_digits || c.end - g < self.min_cluster_span {
                break;
            }
            if !hay[g].is_ascii_digit() {
                g += 1;
                continue;
            }
            // In a long cluster, straight on to the groups a match can end after (from the
            // second group when the reach covers those only).
            let filtered = reach.as_ref().filter(|r| g > c.start || !r.interior_only);
            if let Some(next_end) = filtered.map(|r| r.next_end_after(g)) {
                let Some(next_end) = next_end else { break };
                if next_end > g + long_runs::WALK_REACH {
                    let to = digit_run_end(hay, next_end - long_runs::WALK_REACH).min(c.end);
                    digits_left -= hay[g..to].iter().filter(|b| b.is_ascii_digit()).count();
                    g = to;
                    continue;
                }
            }
            // Inside a cluster, a `+` or `(` before a group may start a match
            // (`ref 12 +44 20 7946 0958`).
            if g > c.start && matches!(hay[g - 1], b'+' | b'(') && self.digit_max_lead > 0 {
                let ok = allowed(&reach, g - 1, false);
                self.digit_candidates_at(hay, g - 1, 1, digits_left, c.end - g, ok, state);
            }
            // A date that ends the cluster starts nothing, as at a cluster's start (where the
            // digit pass skips it): the timestamp after `?page=29 ` in a log kept on one line.
            if g > c.start && c.end - g == 10 && iso_date_at(hay, g) {
                break;
            }
            let ok = allowed(&reach, g, g > c.start);
            if ok != 0 && self.can_start_digits(hay, g) {
                self.digit_candidates_at(hay, g, 0, digits_left, c.end - g, ok, state);
            }
            let run_end = digit_run_end(hay, g).min(c.end);
            digits_left -= run_end - g;
            g = run_end;
        }
        if let Some(r) = reach {
            state.reach = Some(r);
        }
    }

    /// [`Self::scan_cluster`] for a cluster without separators (`id=726600539`, a third of a
    /// log's clusters): one group, no reach, no group boundaries to find. Walks what the
    /// general loop walks for such a cluster, with less around each walk.
    #[inline(never)]
    fn scan_digit_run(&self, hay: &[u8], c: Cluster, state: &mut ScanState) {
        let span = c.end - c.start;
        for j in (1..=self.digit_max_lead.min(c.start)).rev() {
            if self.can_start_digits(hay, c.start - j) {
                self.digit_candidates_at(hay, c.start - j, j, c.digits, span, u64::MAX, state);
            }
        }
        if self.can_start_digits(hay, c.start) {
            self.digit_candidates_at(hay, c.start, 0, c.digits, span, u64::MAX, state);
        }
    }

    /// Whether a digit detector's match can start at `at`, by its byte and whether a word
    /// byte comes before it.
    #[inline]
    fn can_start_digits(&self, hay: &[u8], at: usize) -> bool {
        let after_word = at > 0 && (hay[at - 1].is_ascii_alphanumeric() || hay[at - 1] == b'_');
        let first = if after_word {
            &self.digit_first_after_word
        } else {
            &self.digit_first
        };
        first[hay[at] as usize]
    }

    /// A long cluster's [`Reach`]: one unanchored walk from its first possible lead byte to a
    /// full anchored walk past its end. `None` for other clusters, or when the group has more
    /// patterns than a bit set holds, or the lazy DFA gives up.
    fn long_cluster_reach(&self, hay: &[u8], c: Cluster, state: &mut ScanState) -> Option<Reach> {
        // Many groups, not just many bytes: a long run of digits alone is one start, and an
        // unanchored walk over it would cost more than that start's walk.
        let separators = c.end - c.start - c.digits;
        if c.end - c.start <= self.long_cluster
            || separators < long_runs::LONG_CLUSTER_SEPARATORS
            || self.digit_dets.len() > 64
        {
            return None;
        }
        let (Some(group), Some(cache)) = (&self.digit_group, state.digit_cache.as_mut()) else {
            return None;
        };
        let from = c.start - self.digit_max_lead.min(c.start);
        let to = (c.end + long_runs::WALK_REACH).min(hay.len());
        let reuse = state.reach.take().unwrap_or_default();
        let all = u64::MAX >> (64 - self.digit_dets.len().max(1));
        let rejects = self.digit_separator_rejects();
        match long_runs::interior_patterns(&hay[c.start..c.end], rejects, all) {
            Some(0) => return Some(Reach::nowhere(reuse)),
            Some(part) if part != all => {
                if let Some(sub) = self.digit_subgroups.get(part) {
                    let at = match state
                        .subgroup_caches
                        .iter()
                        .position(|(s, _)| s.mask == part)
                    {
                        Some(at) => at,
                        None => {
                            let cache = sub.dfa.create_cache();
                            state.subgroup_caches.push((sub, cache));
                            state.subgroup_caches.len() - 1
                        }
                    };
                    let (sub, cache) = &mut state.subgroup_caches[at];
                    return Reach::walk(&sub.dfa, Some(&sub.pids), cache, hay, from, to, reuse);
                }
            }
            _ => {}
        }
        Reach::walk(group, None, cache, hay, from, to, reuse)
    }

    /// See [`long_runs::digit_separator_rejects`]; by separator byte, a bit per digit pattern.
    /// Detectors whose value is a capture group are left out: their value need not start where
    /// the walk does.
    fn digit_separator_rejects(&self) -> &[u64; 256] {
        self.digit_separator_rejects.get_or_init(|| {
            let mut out = Box::new([0u64; 256]);
            for (pid, &d) in self.digit_dets.iter().enumerate().take(64) {
                let det = &self.detectors[d];
                let Some(rb) = det.spec.reject_before.as_deref() else {
                    continue;
                };
                if det.value_group {
                    continue;
                }
                if let Some(rejects) = long_runs::digit_separator_rejects(rb, NUMBER_SEPARATORS) {
                    for (b, &r) in rejects.iter().enumerate() {
                        if r {
                            out[b] |= 1 << pid;
                        }
                    }
                }
            }
            out
        })
    }

    /// Runs the combined digit DFA anchored at `at` (which lies `lead` bytes before the first
    /// digit) and the regexes of the detectors it reports, of those in `allowed` (a bit per
    /// pattern of the group).
    #[allow(clippy::too_many_arguments)]
    fn digit_candidates_at(
        &self,
        hay: &[u8],
        at: usize,
        lead: usize,
        digits: usize,
        span: usize,
        allowed: u64,
        state: &mut ScanState,
    ) {
        if allowed == 0 {
            return;
        }
        let (Some(group), Some(cache)) = (&self.digit_group, state.digit_cache.as_mut()) else {
            return;
        };
        let end = (at + 64).min(hay.len());
        state.hits.clear();
        group_matches(group, cache, hay, at, end, &mut state.hits);
        if state.hits.is_empty() {
            return;
        }
        let hits = std::mem::take(&mut state.hits);
        for &pid in &hits {
            if pid < 64 && allowed & (1 << pid) == 0 {
                continue;
            }
            let d = self.digit_dets[pid];
            let spec = &self.detectors[d].spec;
            if spec.min_digits <= digits && min_span(spec) <= span && lead <= spec.lead {
                self.search_anchored(hay, d, at, state);
            }
        }
        state.hits = hits;
    }

    fn try_alnum_token(&self, hay: &[u8], ts: usize, te: usize, state: &mut ScanState) {
        let len = te - ts;
        let (Some(group), Some(cache)) = (&self.alnum_group, state.alnum_cache.as_mut()) else {
            return;
        };
        state.hits.clear();
        group_matches(
            group,
            cache,
            hay,
            ts,
            (ts + 64).min(hay.len()),
            &mut state.hits,
        );
        if state.hits.is_empty() {
            return;
        }
        let digits = hay[ts..te].iter().filter(|b| b.is_ascii_digit()).count();
        let hits = std::mem::take(&mut state.hits);
        for &pid in &hits {
            let d = self.alnum_dets[pid];
            let spec = &self.detectors[d].spec;
            let [lo, hi] = spec.token_len.unwrap_or([0, 0]);
            if len >= lo && len <= hi && digits >= spec.min_digits {
                self.search_anchored(hay, d, ts, state);
            }
        }
        state.hits = hits;
    }

    /// The next match of detector `d` in `input`: (match start, value start, value end, match
    /// end); the value is capture group 1 when the regex has one.
    fn find(
        &self,
        d: usize,
        input: &Input<'_>,
        state: &mut ScanState,
    ) -> Option<(usize, usize, usize, usize)> {
        let det = &self.detectors[d];
        let regex = &det.automata()?.regex;
        let cache = state.caches[d].get_or_insert_with(|| regex.create_cache());
        if det.value_group {
            // Most anchored tries fail within a few bytes: the lazy DFA says so for less than
            // the capture engine's set-up.
            if input.get_anchored().is_anchored() && regex.search_half_with(cache, input).is_none()
            {
                return None;
            }
            let caps = state.captures[d].get_or_insert_with(|| regex.create_captures());
            regex.search_captures_with(cache, input, caps);
            let whole = caps.get_match()?;
            let value = caps.get_group(1).unwrap_or(whole.span());
            Some((whole.start(), value.start, value.end, whole.end()))
        } else {
            regex
                .search_with(cache, input)
                .map(|m| (m.start(), m.start(), m.end(), m.end()))
        }
    }

    /// Runs detector `d` over `hay[ws..we]` (look-around sees the whole haystack) and keeps the
    /// matches that overlap `must_touch` and, when `start_limit` is set, start before it. A
    /// rejected match resumes the search one byte after its start, so a shorter valid value
    /// inside a longer invalid run is still found — except after a keyword (`start_limit`),
    /// where the value is what follows the label: its tails are not values of their own, and
    /// retrying each of them made every mention of `address` in prose cost dozens of searches.
    #[allow(clippy::too_many_arguments)]
    fn search_window(
        &self,
        hay: &[u8],
        d: usize,
        ws: usize,
        we: usize,
        must_touch: Option<(usize, usize)>,
        start_limit: Option<usize>,
        state: &mut ScanState,
    ) {
        if self.lacks_needed_digit(hay, d, ws, we, state) {
            return;
        }
        let mut input = Input::new(hay).range(ws..we);
        while let Some((ms, s, e, end)) = self.find(d, &input, state) {
            if end <= input.start() || start_limit.is_some_and(|l| ms > l) {
                break;
            }
            let touches = must_touch.is_none_or(|(ts, te)| s < te && e > ts);
            let accepted =
                e > s && touches && s >= state.last_end[d] && self.consider(hay, d, s, e, state);
            let next = if accepted {
                end
            } else if start_limit.is_some() {
                e.max(input.start() + 1)
            } else {
                input.start().max(s) + 1
            };
            if next >= we {
                break;
            }
            input.set_start(next);
        }
    }

    fn search_anchored(&self, hay: &[u8], d: usize, at: usize, state: &mut ScanState) {
        if at < state.last_end[d] {
            return;
        }
        let we = (at + self.detectors[d].spec.max_len).min(hay.len());
        let input = Input::new(hay).range(at..we).anchored(Anchored::Yes);
        if let Some((_, s, e, _)) = self.find(d, &input, state) {
            if e > s {
                self.consider(hay, d, s, e, state);
            }
        }
    }

    /// Validation and context scoring of one regex match.
    fn consider(&self, hay: &[u8], d: usize, s: usize, e: usize, state: &mut ScanState) -> bool {
        match self.evaluate(hay, d, s, e, false) {
            Some(m) => {
                state.last_end[d] = e;
                state.candidates.push(m);
                true
            }
            None => false,
        }
    }

    /// Validation and context scoring of `hay[s..e]` for detector `d`. `context_known` says a
    /// keyword-equivalent context was established elsewhere (a column name).
    fn evaluate(
        &self,
        hay: &[u8],
        d: usize,
        s: usize,
        e: usize,
        context_known: bool,
    ) -> Option<Match> {
        let det = &self.detectors[d];
        let spec = &det.spec;
        // A value without a single letter or digit (`****-**-****`) is an already redacted
        // one, not personal data.
        if !hay[s..e]
            .iter()
            .any(|b| b.is_ascii_alphanumeric() || *b >= 0x80)
        {
            return None;
        }
        let automata = det.automata()?;
        if let Some(rb) = &automata.reject_before {
            let from = s.saturating_sub(32);
            if !context_known && rb.is_match(Input::new(&hay[from..s])) {
                return None;
            }
        }
        if let Some(ra) = &automata.reject_after {
            let to = (e + 32).min(hay.len());
            if !context_known && ra.is_match(Input::new(&hay[e..to]).anchored(Anchored::Yes)) {
                return None;
            }
        }
        let check = det.validator.map_or(Check::Valid, |v| v.check(&hay[s..e]));
        if check == Check::Invalid {
            return None;
        }
        let keyword =
            context_known || spec.trigger == Trigger::Keyword || self.keyword_near(hay, d, s, e);
        if spec.require_keyword && !keyword {
            return None;
        }
        let mut confidence = spec.confidence;
        if check == Check::Weak {
            confidence = confidence.lowered();
        }
        if keyword && (spec.trigger != Trigger::Keyword || context_known) {
            confidence = confidence.raised();
        }
        Some(Match {
            start: s,
            end: e,
            detector: d,
            confidence,
            validated: det.validator.is_some() && check == Check::Valid,
        })
    }

    /// Detector indices whose keywords a column or key name hints at (`customer_email` →
    /// `email`, `dob` → `date_of_birth`).
    pub fn hinted_detectors(&self, name: &str) -> Vec<usize> {
        // Every structured window asks for each of its columns: the detectors' names and
        // keywords are normalised once, not per question (that allocated two strings per
        // keyword and column, every window).
        let words = self.hint_words.get_or_init(|| {
            self.detectors
                .iter()
                .map(|d| {
                    std::iter::once(&d.spec.id)
                        .chain(&d.spec.keywords)
                        .map(|w| crate::format::normalize_name(w))
                        .collect()
                })
                .collect()
        });
        let name = crate::format::normalize_name(name);
        words
            .iter()
            .enumerate()
            .filter(|(_, ws)| {
                ws.iter()
                    .any(|k| crate::format::normalized_name_matches(&name, k))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Whether the whole value `hay[start..end]` (a structured cell) is data of detector `d`,
    /// with the column name as context: the value is matched anchored and must end where the
    /// cell ends (spaces aside).
    pub fn check_cell(
        &self,
        hay: &[u8],
        d: usize,
        start: usize,
        end: usize,
        state: &mut ScanState,
    ) -> Option<Match> {
        let mut s = start;
        let mut e = end;
        while s < e && hay[s].is_ascii_whitespace() {
            s += 1;
        }
        while e > s && hay[e - 1].is_ascii_whitespace() {
            e -= 1;
        }
        if s >= e {
            return None;
        }
        let det = &self.detectors[d];
        let input = Input::new(hay).range(s..e).anchored(Anchored::Yes);
        // Keyword detectors carry a label prefix in their regex; a cell holds the bare value,
        // which their value group must cover on its own.
        let regex = &det.automata()?.regex;
        let cache = state.caches[d].get_or_insert_with(|| regex.create_cache());
        let m = regex.search_with(cache, &input)?;
        // A date column of a timestamp type holds `1962-02-18 00:00:00`: the time after the
        // value is allowed.
        if m.end() != e && !is_time_suffix(&hay[m.end()..e]) {
            return None;
        }
        self.evaluate(hay, d, s, m.end(), true)
    }

    /// Whether one of detector `d`'s keywords stands near the span (same line, within the
    /// keyword window before it or half of it after).
    pub(crate) fn keyword_near(&self, hay: &[u8], d: usize, s: usize, e: usize) -> bool {
        let det = &self.detectors[d];
        let Some(ac) = det.automata().and_then(|a| a.keywords.as_ref()) else {
            return false;
        };
        let w = det.spec.keyword_window;
        let (from, to) = within_line(hay, s.saturating_sub(w), s, e, (e + w / 2).min(hay.len()));
        ac.find_overlapping_iter(&hay[from..to]).any(|m| {
            let (ks, ke) = (from + m.start(), from + m.end());
            (ke <= s || ks >= e) && keyword_boundary_ok(hay, ks, ke)
        })
    }
}

/// ` 00:00:00`, `T12:30`, ` 12:30:00.000+01` …
fn is_time_suffix(rest: &[u8]) -> bool {
    let Some((&first, tail)) = rest.split_first() else {
        return true;
    };
    (first == b' ' || first == b'T')
        && tail.len() >= 5
        && tail[2] == b':'
        && tail
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b':' | b'.' | b'+' | b'-' | b'Z'))
}

/// The bytes after which an anchored search of `group` from the start of a text (or right
/// after the byte `after`) is not dead.
fn first_bytes(group: &hybrid::dfa::DFA, after: Option<u8>) -> Box<[bool; 256]> {
    let mut cache = group.create_cache();
    let mut first = Box::new([true; 256]);
    for b in 0..=255u8 {
        if let Some(next) = after_first_byte(group, &mut cache, after, b) {
            first[b as usize] = !next.is_dead();
        }
    }
    first
}

/// Every pattern of `group` that matches anchored at `at` (ends before `end`), deduplicated,
/// in pattern order. The DFA is stepped by hand: most walks die after two or three bytes, and
/// the overlapping-search API cost more per call than such a walk.
fn group_matches(
    group: &hybrid::dfa::DFA,
    cache: &mut hybrid::dfa::Cache,
    hay: &[u8],
    at: usize,
    end: usize,
    out: &mut Vec<usize>,
) {
    if walk_group(group, cache, hay, at, end, out).is_err() {
        // The cache gave up (pathological input): let every member try its own regex.
        out.clear();
        out.extend(0..group.pattern_len());
        return;
    }
    out.sort_unstable();
    out.dedup();
}

fn walk_group(
    group: &hybrid::dfa::DFA,
    cache: &mut hybrid::dfa::Cache,
    hay: &[u8],
    at: usize,
    end: usize,
    out: &mut Vec<usize>,
) -> Result<(), ()> {
    let input = Input::new(hay).range(at..end).anchored(Anchored::Yes);
    let mut sid = group.start_state_forward(cache, &input).map_err(drop)?;
    let mut collect = |sid: hybrid::LazyStateID, cache: &hybrid::dfa::Cache| {
        for k in 0..group.match_len(cache, sid) {
            out.push(group.match_pattern(cache, sid, k).as_usize());
        }
    };
    for &b in &hay[at..end] {
        // Between untagged states (most steps), without the checks of `next_state`.
        if !sid.is_tagged() {
            let next = group.next_state_untagged(cache, sid, b);
            if !next.is_tagged() {
                sid = next;
                continue;
            }
        }
        sid = group.next_state(cache, sid, b).map_err(drop)?;
        if sid.is_tagged() {
            // Matches are reported one byte late: this state says which ended before `b`.
            if sid.is_match() {
                collect(sid, cache);
            }
            if sid.is_dead() || sid.is_quit() {
                return Ok(());
            }
        }
    }
    // The byte after the range (or the end of the text) settles matches ending at `end`.
    sid = match hay.get(end) {
        Some(&b) => group.next_state(cache, sid, b),
        None => group.next_eoi_state(cache, sid),
    }
    .map_err(drop)?;
    if sid.is_match() {
        collect(sid, cache);
    }
    Ok(())
}

/// Keeps the best of overlapping candidates: higher confidence, then validated, then longer,
/// then the detector listed first. The result is sorted by start.
///
/// Candidates only compete within a run of mutually reachable overlaps, so each run is
/// resolved on its own: most candidates overlap nothing and cost one comparison, and a run
/// keeps what a greedy pass over all candidates in order of preference would keep.
fn resolve_overlaps(cands: &mut Vec<Match>) {
    cands.sort_by_key(|m| m.start);
    let mut lose: Vec<usize> = Vec::new();
    let mut order: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < cands.len() {
        let mut j = i + 1;
        let mut reach = cands[i].end;
        while j < cands.len() && cands[j].start < reach {
            reach = reach.max(cands[j].end);
            j += 1;
        }
        if j - i > 1 {
            resolve_run(&cands[i..j], i, &mut order, &mut lose);
        }
        i = j;
    }
    if !lose.is_empty() {
        lose.sort_unstable();
        let mut k = 0;
        let mut next_loser = 0;
        cands.retain(|_| {
            let lost = lose.get(next_loser) == Some(&k);
            next_loser += usize::from(lost);
            k += 1;
            !lost
        });
    }
}

/// The order in which overlapping candidates are preferred: higher confidence, validated,
/// longer, earlier detector, earlier start.
fn preference(a: &Match, b: &Match) -> std::cmp::Ordering {
    b.confidence
        .cmp(&a.confidence)
        .then(b.validated.cmp(&a.validated))
        .then((b.end - b.start).cmp(&(a.end - a.start)))
        .then(a.detector.cmp(&b.detector))
        .then(a.start.cmp(&b.start))
}

/// The greedy choice within one run of overlapping candidates (`run` starts at index `base`
/// of the candidates): pushes the indices of those that lose to `lose`.
fn resolve_run(run: &[Match], base: usize, order: &mut Vec<usize>, lose: &mut Vec<usize>) {
    order.clear();
    order.extend(0..run.len());
    // Stable: candidates equal in every respect keep their order of discovery.
    order.sort_by(|&x, &y| preference(&run[x], &run[y]));
    let mut kept: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for &k in order.iter() {
        let m = &run[k];
        let before = kept.range(..m.end).next_back();
        if before.is_some_and(|(&s, &e)| s < m.end && e > m.start) {
            lose.push(base + k);
        } else {
            kept.insert(m.start, m.end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Long clusters skip the starts their reach leaves out, and starts right after a word
    /// byte are looked at only when a detector can start there: the matches must be those of
    /// walking every start, on generated runs of numbers, cards, phones, addresses, dates and
    /// letter-prefixed ids joined by single separators or glued to letters.
    /// The built-in packs build their automata on first use: every one of them must build
    /// (a user's pack is built up front instead, and its error reported).
    #[test]
    fn every_builtin_detector_compiles() {
        let catalog = Catalog::builtin().unwrap();
        assert!(catalog.detectors.iter().all(|d| d.builtin));
        let engine = Engine::new(&catalog, &EngineOptions::default()).unwrap();
        engine.compile_all().unwrap();
        for d in &engine.detectors {
            let regex = &d.automata().unwrap().regex;
            let groups = regex
                .group_info()
                .group_len(regex_automata::PatternID::ZERO);
            assert_eq!(d.value_group, groups > 1, "{}", d.spec.id);
        }
        // The reading of the text, on what it must tell apart.
        for (re, capture) in [
            (r"a(b)", true),
            (r"a(?:b)", false),
            (r"(?i)ab", false),
            (r"(?P<v>b)", true),
            (r"(?<v>b)", true),
            (r"\(b\)", false),
            (r"[(]b", false),
            (r"[]()]b", false),
            (r"[^]()]b", false),
            (r"[[:alpha:](]b", false),
            (r"[a-z&&[^(]](x)", true),
            (r"\\(b)", true),
        ] {
            assert_eq!(capture_group_in_text(re), capture, "{re}");
            let compiled = compile(re, false).unwrap();
            assert_eq!(
                compiled
                    .group_info()
                    .group_len(regex_automata::PatternID::ZERO)
                    > 1,
                capture,
                "{re}"
            );
        }
    }

    #[test]
    fn bare_runs_find_what_the_cluster_loop_finds() {
        let catalog = Catalog::builtin().unwrap();
        let fast = Engine::new(&catalog, &EngineOptions::default()).unwrap();
        let mut slow = Engine::new(&catalog, &EngineOptions::default()).unwrap();
        slow.bare_runs_direct = false;
        // Runs of every length after lead bytes some detector starts with (`+`, `(`, a
        // NINO's or NIE's letters) and others, valid values and random ones, then a byte that
        // ends the run (a letter a DNI ends with, a separator with no digit after).
        let leads = [
            "", "+", "(", "=", "id=", "AB", "AB ", "X", "X-", "tel ", "v", "/", "card ", "0",
        ];
        let values = [
            "4111111111111111",
            "078051120",
            "02079460958",
            "12345678",
            "447946095812",
            "612345678",
            "0033612345678",
            "490089801234567",
            "123456789",
            "987654321",
            "123456",
            "1234567",
        ];
        let tails = [" ", "", "Z", "-", ".", "x", "\n", "&a=1", "C", "L", ") "];
        let mut rng = crate::format::test_rng(5);
        let mut next = |m: usize| rng(m as u32) as usize;
        let mut hay = Vec::new();
        for lead in leads {
            for value in values {
                for tail in tails {
                    hay.extend_from_slice(format!("{lead}{value}{tail} ").as_bytes());
                }
            }
        }
        for _ in 0..3000 {
            hay.extend_from_slice(leads[next(leads.len())].as_bytes());
            for _ in 0..1 + next(20) {
                hay.push(b'0' + next(10) as u8);
            }
            hay.extend_from_slice(tails[next(tails.len())].as_bytes());
            hay.push(b' ');
        }
        let got = fast.scan(&hay, &mut fast.new_state());
        let want = slow.scan(&hay, &mut slow.new_state());
        assert!(want.len() > 200, "{} matches", want.len());
        assert_eq!(got, want);
    }

    #[test]
    fn long_clusters_find_what_walking_every_start_finds() {
        let catalog = Catalog::builtin().unwrap();
        let fast = Engine::new(&catalog, &EngineOptions::default()).unwrap();
        let mut slow = Engine::new(&catalog, &EngineOptions::default()).unwrap();
        slow.long_cluster = usize::MAX;
        slow.digit_first_after_word = slow.digit_first.clone();
        let tokens = [
            "1",
            "22",
            "333",
            "0",
            "7",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "+44 20 7946 0958",
            "020 7946 0958",
            "192.168.1.20",
            "203.0.113.42",
            "078-05-1120",
            "(555) 201-3344",
            "+1 415 555 0134",
            "5555 5555 5555 4444",
            "12.34.56.78.90",
            "2026-11-23",
            "4111111111111111",
            "+49 30 901820",
            "1-2-3",
            "9 9 9",
            "AB123456C",
            "XAB123456C",
            "QQ 12 34 56 C",
            "X1234567L",
            "ABCDEFGHIJ1234567890",
            "ZZ12345678Z",
            "12345678Z",
            "T1234567J",
        ];
        let mut r: u32 = 11;
        let mut next = |m: usize| {
            r = r.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (r >> 16) as usize % m
        };
        let mut hay = Vec::new();
        for _ in 0..400 {
            hay.extend_from_slice([&b"x "[..], b"ip ", b"tel ", b"", b"card "][next(5)]);
            let sep = [&b" "[..], b".", b"-", b" ", b"/", b"", b"x"][next(7)];
            for k in 0..5 + next(50) {
                if k > 0 {
                    hay.extend_from_slice(sep);
                }
                hay.extend_from_slice(tokens[next(tokens.len())].as_bytes());
            }
            hay.push(b'\n');
        }
        let got = fast.scan(&hay, &mut fast.new_state());
        let want = slow.scan(&hay, &mut slow.new_state());
        assert!(want.len() > 500, "{} matches", want.len());
        assert_eq!(got, want);

        // Long clusters whose groups all follow a digit and one separator (or two kinds of
        // separator) are walked for the patterns those separators leave: groups of 1–5
        // digits, now and then an address, a card or an SSN written with the same
        // separators, and lines that break the rule once (a doubled separator, a `+`, a `(`)
        // just before such a value, which ends the line where nothing can swallow it.
        let mut hay = Vec::new();
        let valid = [
            "192.168.1.20",
            "4111-1111-1111-1111",
            "078-05-1120",
            "10.0.0.1",
        ];
        for _ in 0..600 {
            hay.extend_from_slice([&b"x "[..], b"ip ", b"v", b""][next(4)]);
            let seps: &[u8] = [&b"."[..], b"-", b"/", b".-", b")", b"./"][next(6)];
            for k in 0..20 + next(60) {
                if k > 0 {
                    hay.push(seps[next(seps.len())]);
                }
                if next(15) == 0 {
                    hay.extend_from_slice(valid[next(valid.len())].as_bytes());
                } else {
                    for _ in 0..1 + next(5) {
                        hay.push(b'0' + next(10) as u8);
                    }
                }
            }
            if next(2) == 0 {
                hay.push(seps[0]);
                hay.push([seps[0], b'+', b'('][next(3)]);
                hay.extend_from_slice(valid[next(valid.len())].as_bytes());
            }
            hay.push(b'\n');
        }
        let got = fast.scan(&hay, &mut fast.new_state());
        let want = slow.scan(&hay, &mut slow.new_state());
        assert!(want.len() > 100, "{} matches", want.len());
        assert!(fast.digit_subgroups.built() > 0, "no cluster walked a part");
        assert_eq!(got, want);
    }
}

#[cfg(test)]
mod digit_free_tests {
    use super::*;

    /// The remembered digit-free span answers as a look at the whole window would: windows
    /// that move forward, start before the span, jump past it, on two texts in turn (one
    /// state scans many chunks), over text with digits sparse and dense.
    #[test]
    fn digit_free_span_answers_like_a_look_at_every_window() {
        let mut rng = crate::format::test_rng(11);
        // One digit in ten bytes, and one in four hundred.
        let texts: Vec<Vec<u8>> = [10, 400]
            .iter()
            .map(|&one_in| {
                (0..2000)
                    .map(|_| match rng(one_in) {
                        0 => b'7',
                        _ => b"ab cd\nef"[rng(8) as usize],
                    })
                    .collect()
            })
            .collect();
        let mut span = FreeSpan::default();
        let mut at = 0usize;
        let mut looked = 0;
        for round in 0..20_000 {
            let hay = &texts[(round / 500) % 2];
            at = match rng(10) {
                0 => rng(hay.len() as u32) as usize,
                1..=3 => at.saturating_sub(rng(80) as usize),
                _ => (at + rng(40) as usize).min(hay.len()),
            };
            let we = (at + rng(300) as usize).min(hay.len());
            let want = !hay[at..we].iter().any(u8::is_ascii_digit);
            looked += usize::from(want);
            assert_eq!(
                span.lacks(hay, at, we, first_digit),
                want,
                "round {round}: {at}..{we}"
            );
        }
        assert!(
            looked > 1000 && looked < 19_000,
            "{looked} windows without a digit"
        );
    }
}

#[cfg(test)]
mod value_start_tests {
    use super::*;

    /// Wherever the start table rules a position out (by its first byte or its first two), an
    /// anchored search there finds no value: checked for every built-in detector on its own
    /// examples and on text around labels, at every position.
    #[test]
    fn ruled_out_starts_have_no_anchored_match() {
        let catalog = Catalog::builtin().unwrap();
        let fixed = [
            "password: hunter2hunter",
            "pwd=\"s3cr3t\" token = abcdefghijklmnop0123456789",
            "DOB 1990-01-02\nborn on 3 March 1980, ssn 078-05-1120",
            "address:\t221B Baker Street, London\r\n_x",
            "api_key => 'AKIAIOSFODNN7EXAMPLE', secret:wJalrXUtnFEMI/K7MDENG",
        ];
        let mut ruled_out = 0;
        // Of those, positions whose first byte could start a value but not with the second.
        let mut by_second_byte = 0;
        for spec in &catalog.detectors {
            let det = Engine::compile_detector(spec).unwrap();
            let starts = ValueStarts::new(&spec.regex);
            let regex = &det.automata().unwrap().regex;
            let mut cache = regex.create_cache();
            let texts = spec.examples.iter().chain(&spec.negative_examples);
            for text in texts.map(String::as_str).chain(fixed) {
                let hay = text.as_bytes();
                for at in 0..hay.len() {
                    if starts.can_start(hay, at, hay.len()) {
                        continue;
                    }
                    ruled_out += 1;
                    by_second_byte += usize::from(starts.can_start(hay, at, at + 1));
                    let input = Input::new(hay).range(at..).anchored(Anchored::Yes);
                    let found = regex.search_with(&mut cache, &input);
                    assert!(
                        found.is_none_or(|m| m.is_empty()),
                        "{}: ruled out {at} in {text:?}",
                        spec.id
                    );
                }
            }
        }
        assert!(ruled_out > 1000, "only {ruled_out} positions ruled out");
        assert!(
            by_second_byte > 100,
            "only {by_second_byte} by the second byte"
        );
    }
}

#[cfg(test)]
mod overlap_tests {
    use super::*;
    use proptest::prelude::*;

    /// The greedy choice over all candidates at once, in order of preference.
    fn resolve_all_at_once(cands: &[Match]) -> Vec<Match> {
        let mut order = cands.to_vec();
        order.sort_by(preference);
        let mut kept: Vec<Match> = Vec::new();
        for m in order {
            if kept.iter().all(|k| k.end <= m.start || k.start >= m.end) {
                kept.push(m);
            }
        }
        kept.sort_by_key(|m| m.start);
        kept
    }

    fn candidate() -> impl Strategy<Value = Match> {
        (0usize..200, 1usize..30, 0usize..4, 0u8..3, any::<bool>()).prop_map(
            |(start, len, detector, c, validated)| Match {
                start,
                end: start + len,
                detector,
                confidence: [Confidence::Low, Confidence::Medium, Confidence::High][c as usize],
                validated,
            },
        )
    }

    proptest! {
        /// Resolving run by run keeps exactly what one greedy pass over everything keeps.
        #[test]
        fn runs_resolve_as_one_greedy_pass(cands in proptest::collection::vec(candidate(), 0..60)) {
            let mut by_runs = cands.clone();
            resolve_overlaps(&mut by_runs);
            prop_assert_eq!(by_runs, resolve_all_at_once(&cands));
        }
    }
}
