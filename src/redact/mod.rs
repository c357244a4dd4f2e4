//! Redaction: operators that replace found values, and writers that produce redacted copies
//! (streamed line by line, mirrored into a directory, or rewritten in place atomically).
//!
//! Replacements only use characters that are inert in every supported format (letters,
//! digits, `*`, `_`, `[`, `]`, `@`, `.`, `+`, and the value's own separators), so a CSV keeps its
//! columns, a JSON string stays a string, a SQL dump still restores, and a log line stays one
//! line. Everything outside the found spans is copied byte for byte.

pub mod archive;
pub mod fpe;
pub mod operator;
pub mod state;
pub mod stream;

pub use operator::{Operator, Redactor, RedactorKey};
pub use stream::{
    is_json_name, redact_named, redact_stream, redact_structured, FpeSpan, NotCopied, RedactCounts,
    StreamOptions,
};
