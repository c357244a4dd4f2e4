//! `patterns check`: every detector's examples must be found by it, and none of its negative
//! examples may be, with the real engine (triggers, validators, context) doing the work.

use super::catalog::Catalog;
use super::engine::{Engine, EngineOptions};
use crate::error::Error;

/// One example that did not behave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    pub detector: String,
    pub variant: Option<String>,
    pub example: String,
    pub expected_match: bool,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let id = match &self.variant {
            Some(v) => format!("{} ({v})", self.detector),
            None => self.detector.clone(),
        };
        if self.expected_match {
            write!(f, "{id}: example not detected: {:?}", self.example)
        } else {
            write!(f, "{id}: negative example detected: {:?}", self.example)
        }
    }
}

/// Checks every detector of `catalog`; returns the failures (empty when all pass) and the
/// number of examples run.
pub fn check_examples(catalog: &Catalog) -> Result<(Vec<ExampleFailure>, usize), Error> {
    let mut failures = Vec::new();
    let mut count = 0;
    for spec in &catalog.detectors {
        let single = Catalog {
            detectors: vec![spec.clone()],
        };
        let engine = Engine::new(&single, &EngineOptions::default())?;
        // Built-in packs build their automata on first use: here, all of them, loudly.
        engine.compile_all()?;
        let mut state = engine.new_state();
        for (examples, expected) in [(&spec.examples, true), (&spec.negative_examples, false)] {
            for ex in examples {
                count += 1;
                let found = !engine.scan(ex.as_bytes(), &mut state).is_empty();
                if found != expected {
                    failures.push(ExampleFailure {
                        detector: spec.id.clone(),
                        variant: spec.variant.clone(),
                        example: ex.clone(),
                        expected_match: expected,
                    });
                }
            }
        }
    }
    Ok((failures, count))
}
