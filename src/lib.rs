//! piiscan finds personal data in dumps, exports, logs and file stores, reports where it is,
//! and (in later modules) builds inventories and redacted copies.
//!
//! The pipeline: [`source`] turns paths into inputs and bytes, [`detect::Engine`] finds
//! matches in bytes, [`scan::Scanner`] drives many inputs in parallel and turns matches into
//! [`Finding`]s pushed into a [`scan::Sink`]; [`report`] holds the sinks that print them.
//!
//! ```
//! use piiscan::{detect::{Catalog, Engine, EngineOptions}, scan::{Scanner, ScanOptions}};
//! let engine = Engine::new(&Catalog::builtin().unwrap(), &EngineOptions::default()).unwrap();
//! let scanner = Scanner::new(engine, ScanOptions::default());
//! let found = scanner.scan_bytes("memo.txt", b"mail jane.doe@example.org");
//! assert_eq!(found[0].detector, "email");
//! assert_eq!(found[0].masked, "j*******@e******.org");
//! ```

pub mod config;
pub mod db;
pub mod detect;
pub mod error;
pub mod filter;
pub mod finding;
pub mod format;
pub mod redact;
pub mod report;
pub mod retention;
pub mod scan;
pub mod source;
pub mod subject;

pub use error::Error;
pub use finding::{Confidence, Finding, Location, Sensitivity, SCHEMA_VERSION};
