//! Retention audits: the age of the record every finding is in, limits per kind of data, and
//! the report of personal data kept longer than allowed (`piiscan retention`,
//! `redact --older-than`, the age ranges of an inventory).

mod dater;
mod filter;
mod policy;
mod report;
pub mod time;

pub use dater::{date_field_score, BufferDates, DateSource, Dater, RecordAge};
pub use filter::AgeFilter;
pub use policy::{Limits, MaxAge};
pub use report::{to_text, RetentionReport, RetentionSink, StoreAge, RETENTION_SCHEMA};
pub use time::DateOrder;
