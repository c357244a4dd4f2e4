//! The library API: building a scanner, scanning bytes and readers, and properties of the
//! engine and validators that hold for generated inputs.

use piiscan::detect::{Catalog, Engine, EngineOptions};
use piiscan::scan::{ScanOptions, Scanner, Stats, VecSink};
use piiscan::source::Input;
use piiscan::Confidence;
use proptest::prelude::*;

fn scanner(opts: ScanOptions) -> Scanner {
    let engine = Engine::new(&Catalog::builtin().unwrap(), &EngineOptions::default()).unwrap();
    Scanner::new(engine, opts)
}

/// Compiling the catalogue takes a while; property tests share one scanner per threshold.
static DEFAULT_SCANNER: std::sync::LazyLock<Scanner> =
    std::sync::LazyLock::new(|| scanner(ScanOptions::default()));
static LOW_SCANNER: std::sync::LazyLock<Scanner> = std::sync::LazyLock::new(|| {
    scanner(ScanOptions {
        min_confidence: Confidence::Low,
        ..Default::default()
    })
});

fn luhn_complete(prefix: &[u8]) -> Vec<u8> {
    // An independent Luhn: compute the check digit by trying all ten.
    (0..10u8)
        .map(|c| {
            let mut d = prefix.to_vec();
            d.push(c);
            d
        })
        .find(|d| {
            let sum: u32 = d
                .iter()
                .rev()
                .enumerate()
                .map(|(i, &x)| {
                    let v = if i % 2 == 1 { x as u32 * 2 } else { x as u32 };
                    if v > 9 {
                        v - 9
                    } else {
                        v
                    }
                })
                .sum();
            sum % 10 == 0
        })
        .unwrap()
}

fn format_card(digits: &[u8], sep: &str) -> String {
    digits
        .chunks(4)
        .map(|c| c.iter().map(|d| (b'0' + d) as char).collect::<String>())
        .collect::<Vec<_>>()
        .join(sep)
}

#[test]
fn overlapping_detectors_do_not_hide_each_other() {
    let s = scanner(ScanOptions {
        min_confidence: Confidence::Low,
        ..Default::default()
    });
    // A phone-looking prefix must not swallow the card that follows; the card wins its span.
    let found = s.scan_bytes("x", b"ref +44 20 7946 0958 and card 4111 1111 1111 1111.");
    let dets: Vec<&str> = found.iter().map(|f| f.detector.as_str()).collect();
    assert_eq!(dets, ["phone", "credit_card"]);
    // A phone after other digits of the same run still starts at its `+`.
    let found = s.scan_bytes("x", b"ref 12 +44 20 7946 0958");
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].detector.as_str(), found[0].start), ("phone", 7));
    // Final findings never overlap.
    let found = s.scan_bytes(
        "x",
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/logs/app.log"))
            .unwrap()
            .as_slice(),
    );
    for w in found.windows(2) {
        assert!(w[0].end <= w[1].start, "{:?} overlaps {:?}", w[0], w[1]);
    }
}

#[test]
fn the_engine_scans_bytes_and_the_driver_streams_readers_alike() {
    let s = scanner(ScanOptions {
        chunk_size: 8192,
        ..Default::default()
    });
    let mut text = Vec::new();
    for i in 0..400 {
        text.extend_from_slice(
            format!(
                "line {i} user{i}@example.com paid 4111111111111111 from 203.0.113.{}\n",
                i % 250 + 1
            )
            .as_bytes(),
        );
    }
    let whole = s.scan_bytes("-", &text);
    let mut state = s.engine().new_state();
    let streamed = s
        .scan_stream("-", &mut text.as_slice(), &mut state, &Stats::default())
        .unwrap();
    assert_eq!(whole, streamed);
    assert_eq!(whole.len(), 1200);
}

#[test]
fn run_pushes_findings_and_errors_into_a_sink() {
    let s = scanner(ScanOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    std::fs::write(&a, "x jane.doe@example.com\n").unwrap();
    let inputs = vec![
        Input::File {
            path: dir.path().join("nope.txt"),
            display: "nope.txt".into(),
        },
        Input::File {
            path: a,
            display: "a.txt".into(),
        },
    ];
    let mut sink = VecSink::default();
    let stats = Stats::default();
    s.run(&inputs, &mut sink, &stats).unwrap();
    assert_eq!(sink.findings.len(), 1);
    assert_eq!(sink.findings[0].path, "a.txt");
    assert_eq!(
        sink.errors,
        vec![(
            "nope.txt".to_string(),
            "no such file or directory".to_string()
        )]
    );
    assert_eq!(Stats::get(&stats.errors), 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn valid_cards_are_found_with_any_separator(body in proptest::collection::vec(0u8..10, 14), sep in prop::sample::select(vec!["", " ", "-"]), filler in "[a-z ]{0,40}") {
        let mut prefix = vec![4u8];
        prefix.extend(&body);
        let digits = luhn_complete(&prefix);
        let card = format_card(&digits, sep);
        let s = &*DEFAULT_SCANNER;
        let text = format!("{filler} card {card} {filler}");
        let found = s.scan_bytes("p", text.as_bytes());
        prop_assert!(found.iter().any(|f| f.detector == "credit_card" && text[f.start as usize..f.end as usize] == card), "{text}");
    }

    #[test]
    fn one_changed_digit_breaks_a_card(body in proptest::collection::vec(0u8..10, 14), pos in 1usize..16, delta in 1u8..10) {
        let mut prefix = vec![4u8];
        prefix.extend(&body);
        let mut digits = luhn_complete(&prefix);
        digits[pos] = (digits[pos] + delta) % 10;
        let card = format_card(&digits, " ");
        let found = LOW_SCANNER.scan_bytes("p", format!("card {card}").as_bytes());
        prop_assert!(!found.iter().any(|f| f.detector == "credit_card"));
    }

    #[test]
    fn streaming_with_any_block_size_equals_scanning_whole(n in 1usize..60, block in 9000usize..30000, seed in 0u64..1000) {
        let mut text = Vec::new();
        for i in 0..n {
            let pad = "p".repeat(((seed as usize * 31 + i * 97) % 700) + 1);
            text.extend_from_slice(format!("{pad} a{i}@example.org {pad} 078-05-1120 ssn\n").as_bytes());
        }
        let s = scanner(ScanOptions { chunk_size: block, ..Default::default() });
        let whole = s.scan_bytes("-", &text);
        let mut state = s.engine().new_state();
        let streamed = s.scan_stream("-", &mut text.as_slice(), &mut state, &Stats::default()).unwrap();
        prop_assert_eq!(whole, streamed);
    }
}

#[test]
fn every_shipped_detector_passes_its_examples_and_negative_examples() {
    let catalog = Catalog::builtin().unwrap();
    let (failures, count) = piiscan::detect::check::check_examples(&catalog).unwrap();
    assert!(
        failures.is_empty(),
        "{}",
        failures
            .iter()
            .map(|f| f.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(count >= catalog.detectors.len() * 2);
    for d in &catalog.detectors {
        assert!(
            !d.examples.is_empty() && !d.negative_examples.is_empty(),
            "{}",
            d.id
        );
    }
}
