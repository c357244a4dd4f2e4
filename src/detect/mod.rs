//! Detection: the catalogue of detectors (pattern packs as data), the compiled one-pass engine,
//! validators, context scoring and masking.

mod blocks;
pub mod catalog;
pub mod check;
pub mod engine;
mod long_runs;
pub mod mask;
mod phone_plans;
mod scanner;
pub mod validate;
mod words;

pub use catalog::{Catalog, CatalogError, DetectorSpec, MaskStyle, Trigger};
pub use engine::{Engine, EngineOptions, Match, ScanState};
