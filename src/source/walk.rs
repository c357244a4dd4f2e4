//! Walking inputs: files, directories (recursive, sorted, symlinks inside trees not followed),
//! and `-` for stdin, filtered by include/exclude globs and size.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File {
        path: PathBuf,
        display: String,
    },
    /// A live database (`postgres://…`, `mysql://…`, `sqlite:…`).
    Database(crate::db::DbTarget),
}

#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Follow symbolic links found inside directories.
    pub follow_links: bool,
}

/// An input that could not be walked, with the reason, one line.
#[derive(Debug, Clone)]
pub struct WalkError {
    pub path: String,
    pub reason: String,
}

fn globset(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let bad = |e: globset::Error| format!("bad glob '{p}': {e}");
        // A leading '/' anchors the glob at the input root; any other glob also matches
        // below any directory, so `logs/**` excludes `samples/logs/app.log`.
        match p.strip_prefix('/') {
            Some(anchored) => {
                b.add(Glob::new(anchored).map_err(bad)?);
            }
            None => {
                b.add(Glob::new(p).map_err(bad)?);
                if !p.starts_with("**") {
                    b.add(Glob::new(&format!("**/{p}")).map_err(bad)?);
                }
            }
        }
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

fn display_path(p: &Path) -> String {
    let s = p.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Expands the inputs into the list of things to read, in a stable order, plus the errors met
/// while walking (the walk goes on after each).
pub fn walk_inputs(
    paths: &[String],
    opts: &WalkOptions,
) -> Result<(Vec<Input>, Vec<WalkError>), String> {
    let include = globset(&opts.include)?;
    let exclude = globset(&opts.exclude)?;
    let keep = |p: &Path| {
        let rel = display_path(p);
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let m = |g: &GlobSet| g.is_match(&rel) || g.is_match(&name);
        include.as_ref().is_none_or(m) && !exclude.as_ref().is_some_and(m)
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p == "-" {
            out.push(Input::Stdin);
            continue;
        }
        match crate::db::DbTarget::parse(p) {
            Some(Ok(t)) => {
                out.push(Input::Database(t));
                continue;
            }
            Some(Err(reason)) => {
                errors.push(WalkError {
                    path: "database URL".into(),
                    reason,
                });
                continue;
            }
            None => {}
        }
        let path = PathBuf::from(p);
        match std::fs::metadata(&path) {
            Err(e) => errors.push(WalkError {
                path: p.clone(),
                reason: crate::error::io_reason(&e),
            }),
            Ok(md) if md.is_dir() => {
                let walker = walkdir::WalkDir::new(&path)
                    .follow_links(opts.follow_links)
                    .sort_by_file_name();
                for entry in walker {
                    match entry {
                        Ok(e) if e.file_type().is_file() => {
                            if keep(e.path()) {
                                out.push(Input::File {
                                    display: display_path(e.path()),
                                    path: e.path().to_path_buf(),
                                });
                            }
                        }
                        Ok(_) => {}
                        Err(e) => errors.push(WalkError {
                            path: e.path().map(display_path).unwrap_or_else(|| p.clone()),
                            reason: e
                                .io_error()
                                .map(crate::error::io_reason)
                                .unwrap_or_else(|| e.to_string()),
                        }),
                    }
                }
            }
            Ok(_) => {
                // A file named explicitly is read even when a glob would leave it out, as in rg.
                out.push(Input::File {
                    display: display_path(&path),
                    path,
                });
            }
        }
    }
    Ok((out, errors))
}
