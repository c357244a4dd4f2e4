//! Typed errors of the library, and short human reasons for I/O errors.

use std::io;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Catalog(#[from] crate::detect::CatalogError),
    #[error("{path}: {reason}")]
    Input { path: String, reason: String },
    #[error("config {path}: {reason}")]
    Config { path: String, reason: String },
    #[error("baseline {path}: {reason}")]
    Baseline { path: String, reason: String },
    #[error("{0}")]
    Usage(String),
    #[error("output: {0}")]
    Output(#[from] io::Error),
}

/// A short reason for an I/O error, without the OS error number noise.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::InvalidData => "invalid data".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}
