//! Long digit clusters (`1 2 3 4 …`, `1.2.3.4.5.6…`, a row of a numeric table): keeping their
//! cost linear.
//!
//! A cluster's group starts are each walked by the anchored digit DFA, which is cheap for the
//! few groups of a timestamp or a card number but made a run of single digits cost one walk
//! per two bytes (46 MB/s; a dotted run 12 MB/s, each start also running a regex and a
//! rejecting context check). For a long cluster one unanchored walk of the same DFA first
//! finds every place a match can end ([`Reach`]); a start is then walked only when a match of
//! some detector can end within the anchored walk's reach, and that detector does not reject
//! the start for the digit and separator before it ([`digit_separator_rejects`]).
//!
//! When every group after a cluster's first follows a digit and one separator that rejects
//! some patterns (`1.2.3.4.…` rejects addresses and phones after `1.`), the walk needs only
//! the others ([`interior_patterns`], [`Subgroups`]): a dotted run then costs a walk that
//! finds nothing instead of a match state every second byte and a look at every group.

use regex_automata::dfa::{dense, Automaton};
use regex_automata::hybrid;
use regex_automata::util::{start, syntax};
use regex_automata::{Anchored, Input};
use std::sync::{Arc, Mutex};

/// Clusters longer than this (first digit to last, separators included) get a [`Reach`]...
pub(super) const LONG_CLUSTER: usize = 64;
/// ... when they have at least this many separator bytes (at least 9 groups).
pub(super) const LONG_CLUSTER_SEPARATORS: usize = 16;

/// How far an anchored walk from a start looks: matches end at most this far after it.
pub(super) const WALK_REACH: usize = 64;

/// Where matches of the digit detectors can end in and after one long cluster, from one
/// unanchored walk: a superset of what anchored walks from its starts can find. One bit per
/// byte (a dotted run ends an address at every group: a list of ends took eight times the
/// text), and which patterns end anywhere.
#[derive(Default)]
pub(super) struct Reach {
    /// Bit `i`: a match ends at `from + i`.
    ends: Vec<u64>,
    from: usize,
    /// Every pattern with an end anywhere.
    any: u64,
    /// The walk covered only the patterns that group starts after a digit and a separator
    /// can need ([`interior_patterns`]): other starts are not filtered by it.
    pub(super) interior_only: bool,
}

impl Reach {
    /// No match ends anywhere: no pattern that group starts after a digit and a separator
    /// can need was left to walk.
    pub(super) fn nowhere(mut reuse: Reach) -> Reach {
        reuse.ends.clear();
        reuse.any = 0;
        reuse.interior_only = true;
        reuse
    }

    /// Walks `group` (at most 64 patterns) unanchored over `hay[from..to]`; `pids` gives,
    /// when `group` is a [`Subgroup`], each of its patterns' id in the whole group. `None`
    /// when the lazy DFA gives up: then every start is walked as usual.
    ///
    /// A long range is walked as two halves in step: each transition waits for the one
    /// before it, so two independent walks take about the time of one. The first half runs
    /// [`WALK_REACH`] past the middle, where the second starts: a start before the middle
    /// has its matches end within the first walk, a start after it is the second's.
    pub(super) fn walk(
        group: &hybrid::dfa::DFA,
        pids: Option<&[u8]>,
        cache: &mut hybrid::dfa::Cache,
        hay: &[u8],
        from: usize,
        to: usize,
        mut reuse: Reach,
    ) -> Option<Reach> {
        reuse.ends.clear();
        reuse.ends.resize((to - from) / 64 + 1, 0);
        reuse.from = from;
        reuse.any = 0;
        reuse.interior_only = pids.is_some();
        let mut reach = reuse;
        let mut walker = Walker {
            group,
            pids,
            hay,
            reach: &mut reach,
        };
        if to - from >= TWO_WALKS_FROM {
            let mid = from + (to - from) / 2;
            match walker.two_lanes(cache, [(from, mid + WALK_REACH), (mid, to)]) {
                Some(true) => return Some(reach),
                // The cache was cleared under one of the walks: once more, as one walk.
                Some(false) => {
                    walker.reach.ends.fill(0);
                    walker.reach.any = 0;
                }
                None => return None,
            }
        }
        let mut lane = Lane::start(group, cache, hay, from, to)?;
        walker.finish(cache, &mut lane)?;
        Some(reach)
    }

    /// The first match end after `at`, if any.
    pub(super) fn next_end_after(&self, at: usize) -> Option<usize> {
        let i = (at + 1).saturating_sub(self.from);
        let mut w = i / 64;
        let mut bits = self.ends.get(w)? & (!0u64 << (i % 64));
        loop {
            if bits != 0 {
                return Some(self.from + w * 64 + bits.trailing_zeros() as usize);
            }
            w += 1;
            bits = *self.ends.get(w)?;
        }
    }

    /// The patterns worth an anchored walk from `at`: those of `wanted` that end somewhere,
    /// when a match ends within [`WALK_REACH`] after `at`.
    pub(super) fn near(&self, at: usize, wanted: u64) -> u64 {
        let wanted = wanted & self.any;
        if wanted == 0 {
            return 0;
        }
        match self.next_end_after(at) {
            Some(end) if end <= at + WALK_REACH => wanted,
            _ => 0,
        }
    }
}

/// Ranges at least this long are walked as two lanes ([`Reach::walk`]).
const TWO_WALKS_FROM: usize = 4096;

/// One unanchored walk over `hay[i..=to]` (at `to`, the byte after the range or the end of
/// the text settles the matches ending there).
struct Lane {
    sid: hybrid::LazyStateID,
    i: usize,
    to: usize,
    /// The last match state seen and the cache's clear count then: a run of matches
    /// (`1.2.3.4.5…` ends an address at every group) repeats a few states, and reading a
    /// state's patterns is not free. (A cleared cache reuses state ids.)
    last: Option<(hybrid::LazyStateID, usize)>,
}

impl Lane {
    fn start(
        group: &hybrid::dfa::DFA,
        cache: &mut hybrid::dfa::Cache,
        hay: &[u8],
        from: usize,
        to: usize,
    ) -> Option<Lane> {
        let input = Input::new(hay).range(from..to);
        let sid = group.start_state_forward(cache, &input).ok()?;
        Some(Lane {
            sid,
            i: from,
            to,
            last: None,
        })
    }

    fn done(&self) -> bool {
        self.i > self.to
    }
}

/// What the lanes of one [`Reach::walk`] share.
struct Walker<'a> {
    group: &'a hybrid::dfa::DFA,
    pids: Option<&'a [u8]>,
    hay: &'a [u8],
    reach: &'a mut Reach,
}

impl Walker<'_> {
    /// One step of `lane` through `next_state` (which computes states the cache lacks),
    /// noting a match. `None` when the lazy DFA gives up.
    fn careful_step(&mut self, cache: &mut hybrid::dfa::Cache, lane: &mut Lane) -> Option<()> {
        let group = self.group;
        lane.sid = match self.hay.get(lane.i) {
            Some(&b) => group.next_state(cache, lane.sid, b),
            None => group.next_eoi_state(cache, lane.sid),
        }
        .ok()?;
        if lane.sid.is_match() {
            // Reported one byte late: the match ended at `i`, before its byte.
            if lane.last != Some((lane.sid, cache.clear_count())) {
                for k in 0..group.match_len(cache, lane.sid) {
                    let p = group.match_pattern(cache, lane.sid, k).as_usize();
                    let pid = self.pids.map_or(p, |ids| usize::from(ids[p]));
                    self.reach.any |= 1 << pid;
                }
                lane.last = Some((lane.sid, cache.clear_count()));
            }
            let at = lane.i - self.reach.from;
            self.reach.ends[at / 64] |= 1 << (at % 64);
        }
        if lane.sid.is_quit() {
            return None;
        }
        lane.i += 1;
        Some(())
    }

    /// Walks `lane` to its end.
    fn finish(&mut self, cache: &mut hybrid::dfa::Cache, lane: &mut Lane) -> Option<()> {
        while !lane.done() {
            // Most steps are between untagged states (no match, nothing to compute): those
            // skip the checks of `next_state`.
            if lane.i < lane.to && !lane.sid.is_tagged() {
                let next = self
                    .group
                    .next_state_untagged(cache, lane.sid, self.hay[lane.i]);
                if !next.is_tagged() {
                    lane.sid = next;
                    lane.i += 1;
                    continue;
                }
            }
            self.careful_step(cache, lane)?;
        }
        Some(())
    }

    /// Walks two ranges in step. `Some(false)` when the cache was cleared while both
    /// walked (a clear keeps only the state being computed: the other lane's is lost).
    fn two_lanes(
        &mut self,
        cache: &mut hybrid::dfa::Cache,
        ranges: [(usize, usize); 2],
    ) -> Option<bool> {
        let clears = cache.clear_count();
        let mut a = Lane::start(self.group, cache, self.hay, ranges[0].0, ranges[0].1)?;
        let mut b = Lane::start(self.group, cache, self.hay, ranges[1].0, ranges[1].1)?;
        while !a.done() && !b.done() {
            if cache.clear_count() != clears {
                return Some(false);
            }
            if a.i < a.to && b.i < b.to && !a.sid.is_tagged() && !b.sid.is_tagged() {
                let next_a = self.group.next_state_untagged(cache, a.sid, self.hay[a.i]);
                let next_b = self.group.next_state_untagged(cache, b.sid, self.hay[b.i]);
                if !next_a.is_tagged() && !next_b.is_tagged() {
                    a.sid = next_a;
                    b.sid = next_b;
                    a.i += 1;
                    b.i += 1;
                    continue;
                }
            }
            self.careful_step(cache, &mut a)?;
            if cache.clear_count() != clears {
                return Some(false);
            }
            self.careful_step(cache, &mut b)?;
        }
        if cache.clear_count() != clears {
            return Some(false);
        }
        // One lane is done; the other goes on alone (a clear now loses nothing).
        let rest = if a.done() { &mut b } else { &mut a };
        self.finish(cache, rest)?;
        Some(true)
    }
}

/// The patterns (of `all`) that some group start of `cluster` after its first can need, when
/// each such start follows a digit and one separator other than `+` or `(`: those that
/// `rejects` (by separator byte, see [`digit_separator_rejects`]) does not rule out after
/// every separator the cluster has. `None` when a group starts any other way (after two
/// separators, after `+` or `(`): such starts need every pattern.
pub(super) fn interior_patterns(cluster: &[u8], rejects: &[u64; 256], all: u64) -> Option<u64> {
    // Flags accumulated over whole slices (compiled to vector compares): two separators in
    // a row, then which separators occur. With none doubled, and the cluster starting with a
    // digit, every separator follows a digit.
    let separator = |b: u8| b.wrapping_sub(b'0') > 9;
    let doubled = cluster
        .iter()
        .zip(cluster.get(1..).unwrap_or_default())
        .fold(false, |acc, (&a, &b)| acc | (separator(a) & separator(b)));
    if doubled || cluster.first().is_some_and(|&b| separator(b)) {
        return None;
    }
    let mut rejected = all;
    for &sep in super::scanner::NUMBER_SEPARATORS {
        if cluster.iter().fold(false, |acc, &b| acc | (b == sep)) {
            if matches!(sep, b'+' | b'(') {
                return None;
            }
            rejected &= rejects[sep as usize];
        }
    }
    Some(all & !rejected)
}

/// A part of the digit group: the patterns of `mask`, as their own lazy DFA.
pub(super) struct Subgroup {
    pub(super) mask: u64,
    pub(super) dfa: hybrid::dfa::DFA,
    /// Each pattern's id in the whole group.
    pub(super) pids: Vec<u8>,
}

/// Parts of the digit group, each built the first time a cluster needs it (few: one per
/// combination of separators that long clusters use).
pub(super) struct Subgroups {
    /// The whole group's patterns, in order (at most 64).
    patterns: Vec<String>,
    built: Mutex<Vec<Arc<Subgroup>>>,
}

impl Subgroups {
    /// Builds beyond this many are refused: the whole group serves.
    const MAX_BUILT: usize = 16;

    pub(super) fn new(patterns: Vec<String>) -> Subgroups {
        Subgroups {
            patterns,
            built: Mutex::new(Vec::new()),
        }
    }

    /// How many parts were built.
    #[cfg(test)]
    pub(super) fn built(&self) -> usize {
        self.built.lock().map_or(0, |b| b.len())
    }

    /// The part of `mask`'s patterns; `None` when it cannot be built (or too many were).
    pub(super) fn get(&self, mask: u64) -> Option<Arc<Subgroup>> {
        let mut built = self.built.lock().ok()?;
        if let Some(sub) = built.iter().find(|s| s.mask == mask) {
            return Some(Arc::clone(sub));
        }
        if built.len() >= Self::MAX_BUILT {
            return None;
        }
        let pids: Vec<u8> = (0..self.patterns.len().min(64) as u8)
            .filter(|&p| mask & (1 << p) != 0)
            .collect();
        let patterns: Vec<&str> = pids
            .iter()
            .map(|&p| self.patterns[usize::from(p)].as_str())
            .collect();
        let dfa = group_dfa(&patterns, 2 << 20).ok()?;
        let sub = Arc::new(Subgroup { mask, dfa, pids });
        built.push(Arc::clone(&sub));
        Some(sub)
    }
}

/// One lazy DFA over `patterns` reporting every pattern that matches (over bytes, Unicode
/// off): the digit and token groups, and parts of the digit group.
pub(super) fn group_dfa(
    patterns: &[&str],
    cache_capacity: usize,
) -> Result<hybrid::dfa::DFA, Box<hybrid::BuildError>> {
    hybrid::dfa::DFA::builder()
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .configure(
            hybrid::dfa::DFA::config()
                .match_kind(regex_automata::MatchKind::All)
                .cache_capacity(cache_capacity),
        )
        .build_many(patterns)
        .map_err(Box::new)
}

/// For each byte `b` of `separators`: whether `reject_before`, searched as the engine does
/// (unanchored, in the text before a value), matches every text that ends in a digit and `b`. A value starting
/// right after `1.` is then rejected whatever precedes it (IPv4's `\d\.$`, the phone's
/// `[…./-]$`), and a long cluster's later groups need no walk for that detector. Decided
/// exactly, over the states of a dense DFA of `reject_before`: every state the DFA reaches
/// without having matched must match after any digit, `b` and the end of the text. `None`
/// when the DFA cannot be built.
pub(super) fn digit_separator_rejects(
    reject_before: &str,
    separators: &[u8],
) -> Option<Box<[bool; 256]>> {
    let dfa = dense::DFA::builder()
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .build(reject_before)
        .ok()?;
    let start = dfa
        .start_state(&start::Config::new().anchored(Anchored::No))
        .ok()?;
    // The states reachable from the start without passing a match (a text that passed one
    // is rejected whatever follows).
    let mut seen = vec![start];
    let mut todo = vec![start];
    while let Some(s) = todo.pop() {
        for b in 0..=255u8 {
            let n = dfa.next_state(s, b);
            if !dfa.is_match_state(n) && !seen.contains(&n) {
                seen.push(n);
                todo.push(n);
            }
        }
        if seen.len() > 4096 {
            return None;
        }
    }
    let matches_after = |s, tail: [u8; 2]| {
        let mut s = s;
        for b in tail {
            s = dfa.next_state(s, b);
            if dfa.is_match_state(s) {
                return true;
            }
        }
        dfa.is_match_state(dfa.next_eoi_state(s))
    };
    let mut out = Box::new([false; 256]);
    for &b in separators {
        out[b as usize] = seen
            .iter()
            .all(|&s| (b'0'..=b'9').all(|d| matches_after(s, [d, b])));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEPS: &[u8] = b" -./()+";

    #[test]
    fn separator_rejects_are_decided_by_the_whole_pattern() {
        let ipv4 =
            digit_separator_rejects(r"(?i)(?:\bv|version[ :=]?|\d\.|[a-z]-)$", SEPS).unwrap();
        assert!(ipv4[b'.' as usize]);
        assert!(!ipv4[b' ' as usize] && !ipv4[b'-' as usize]);
        let phone = digit_separator_rejects(r"[A-Za-z0-9_.\-/]$", SEPS).unwrap();
        assert!(phone[b'.' as usize] && phone[b'-' as usize] && phone[b'/' as usize]);
        assert!(!phone[b' ' as usize] && !phone[b'(' as usize]);
        // Not every digit, or not whatever comes before: no.
        let some_digits = digit_separator_rejects(r"[1-8]\.$", SEPS).unwrap();
        assert!(!some_digits[b'.' as usize]);
        let not_after_x = digit_separator_rejects(r"[^x]\d\.$", SEPS).unwrap();
        assert!(!not_after_x[b'.' as usize]);
        let at_start = digit_separator_rejects(r"^\d\.$", SEPS).unwrap();
        assert!(!at_start[b'.' as usize]);
        // An alternative that catches what the other leaves: yes.
        let either = digit_separator_rejects(r"(?:[^x]\d\.|x\d\.|^\d\.)$", SEPS).unwrap();
        assert!(either[b'.' as usize]);
    }

    /// Every match an anchored walk from any start finds ends where the unanchored walk says
    /// one can end: short texts (one walk) and long ones (two lanes), with the group's usual
    /// cache and with one so small that it is cleared while the lanes walk.
    #[test]
    fn reach_covers_every_anchored_match() {
        let patterns = [
            r"\b\d{3}-\d{2}-\d{4}\b",
            r"\b(?:\d{1,3}\.){3}\d{1,3}\b",
            r"\d{4} \d{4}",
        ];
        let build = |capacity: usize| {
            hybrid::dfa::DFA::builder()
                .syntax(syntax::Config::new().unicode(false).utf8(false))
                .configure(
                    hybrid::dfa::DFA::config()
                        .match_kind(regex_automata::MatchKind::All)
                        .cache_capacity(capacity)
                        .skip_cache_capacity_check(true),
                )
                .build_many(&patterns)
                .unwrap()
        };
        let regexes: Vec<regex_automata::meta::Regex> = patterns
            .iter()
            .map(|p| regex_automata::meta::Regex::new(p).unwrap())
            .collect();
        let mut r: u32 = 3;
        for (capacity, len, rounds) in [(8 << 20, 160, 200), (8 << 20, 9000, 3), (0, 9000, 3)] {
            let group = build(capacity);
            let mut cache = group.create_cache();
            for _ in 0..rounds {
                let hay: Vec<u8> = (0..len)
                    .map(|_| {
                        r = r.wrapping_mul(1_103_515_245).wrapping_add(12345);
                        b"0123456789012345678.- "[(r >> 16) as usize % 22]
                    })
                    .collect();
                let clears = cache.clear_count();
                let reach = Reach::walk(
                    &group,
                    None,
                    &mut cache,
                    &hay,
                    0,
                    hay.len(),
                    Reach::default(),
                )
                .unwrap();
                assert!(capacity > 0 || cache.clear_count() > clears);
                for at in 0..hay.len() {
                    let mut found = 0u64;
                    for (p, re) in regexes.iter().enumerate() {
                        let input = Input::new(&hay)
                            .range(at..(at + WALK_REACH).min(hay.len()))
                            .anchored(Anchored::Yes);
                        if re.search(&input).is_some() {
                            found |= 1 << p;
                        }
                    }
                    assert_eq!(
                        reach.near(at, u64::MAX) & found,
                        found,
                        "{} at {at}",
                        String::from_utf8_lossy(&hay)
                    );
                }
            }
        }
    }
}
