//! Sources: walking inputs, reading files (whole when small, in overlapping chunks when
//! large), binary and text-encoding detection.

pub mod compress;
pub mod decode;
pub mod document;
pub mod walk;

pub use decode::{sniff, Encoding, Sniffed};
pub use walk::{walk_inputs, Input, WalkError, WalkOptions};
