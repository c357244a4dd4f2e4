//! JSON and NDJSON: a byte-level tokenizer that tracks the key path of every string and number
//! (`$.user.contact.email`, arrays as `[*]`). Each top-level value is a record (one per NDJSON
//! line); a top-level array's elements are records too.

use super::{Place, StructureIndex};
use std::sync::Arc;

#[derive(Debug, Clone)]
enum Frame {
    Object {
        path: Arc<str>,
        key_path: Option<Arc<str>>,
        expecting_key: bool,
    },
    Array {
        path: Arc<str>,
    },
}

/// What one window of a JSON file hands the next: the open containers and the record count.
#[derive(Debug, Clone, Default)]
pub struct State {
    stack: Vec<Frame>,
    row: u64,
    top_array: bool,
}

pub fn index(buf: &[u8]) -> StructureIndex {
    index_window(buf, &mut State::default(), true).0
}

/// Indexes `buf`; unless `eof`, stops after the last whole record (or, inside one record
/// larger than the buffer, before the token the buffer ends in) and returns where.
pub fn index_window(buf: &[u8], state: &mut State, eof: bool) -> (StructureIndex, usize) {
    let mut ix = StructureIndex::default();
    let State {
        mut stack,
        mut row,
        mut top_array,
    } = std::mem::take(state);
    // The last record boundary: its offset and the state there.
    let mut boundary: Option<(usize, State)> = None;
    let n = buf.len();
    let mut i = 0;
    // Where the buffer ends inside a token (a string or number not yet complete).
    let mut cut_token: Option<usize> = None;
    let value_path = |stack: &[Frame]| -> Option<Arc<str>> {
        match stack.last() {
            Some(Frame::Object { key_path, .. }) => key_path.clone(),
            Some(Frame::Array { path }) => Some(Arc::from(format!("{path}[*]"))),
            None => Some(Arc::from("$")),
        }
    };
    while i < n {
        let b = buf[i];
        match b {
            b' ' | b'\t' | b'\r' | b'\n' | b',' => {
                if b == b',' {
                    if let Some(Frame::Object { expecting_key, .. }) = stack.last_mut() {
                        *expecting_key = true;
                    }
                }
                i += 1;
            }
            b':' => {
                if let Some(Frame::Object { expecting_key, .. }) = stack.last_mut() {
                    *expecting_key = false;
                }
                i += 1;
            }
            b'{' | b'[' => {
                let path: Arc<str> = if stack.is_empty() {
                    top_array = b == b'[';
                    if !top_array {
                        row += 1;
                    }
                    Arc::from("$")
                } else {
                    if top_array && stack.len() == 1 {
                        row += 1;
                    }
                    value_path(&stack).unwrap_or_else(|| Arc::from("$"))
                };
                stack.push(if b == b'{' {
                    Frame::Object {
                        path,
                        key_path: None,
                        expecting_key: true,
                    }
                } else {
                    Frame::Array { path }
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                if stack.is_empty() {
                    top_array = false;
                }
                i += 1;
                if !eof && (stack.is_empty() || (top_array && stack.len() == 1)) {
                    boundary = Some((
                        i,
                        State {
                            stack: stack.clone(),
                            row,
                            top_array,
                        },
                    ));
                }
            }
            b'"' => {
                let s = i + 1;
                let mut j = s;
                while j < n && buf[j] != b'"' {
                    j += if buf[j] == b'\\' { 2 } else { 1 };
                }
                if j >= n {
                    if !eof {
                        cut_token = Some(i);
                        break;
                    }
                    ix.problem = Some(format!("string starting at byte {i} is not closed"));
                    break;
                }
                let is_key = matches!(
                    stack.last(),
                    Some(Frame::Object {
                        expecting_key: true,
                        ..
                    })
                );
                if is_key {
                    if let Some(Frame::Object { path, key_path, .. }) = stack.last_mut() {
                        let key = String::from_utf8_lossy(&buf[s..j]);
                        *key_path = Some(Arc::from(format!("{path}.{key}")));
                    }
                } else if let Some(kp) = value_path(&stack) {
                    let place = ix.place_id(Place {
                        table: None,
                        column: None,
                        key_path: Some(kp),
                    });
                    ix.push(s, j, place, row.max(1));
                }
                i = j + 1;
            }
            _ => {
                // number, true, false, null
                let s = i;
                while i < n
                    && !matches!(
                        buf[i],
                        b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n' | b':'
                    )
                {
                    i += 1;
                }
                if i == n && !eof {
                    cut_token = Some(s);
                    break;
                }
                if stack.is_empty() {
                    row += 1;
                }
                let tok = &buf[s..i];
                if tok
                    .first()
                    .is_some_and(|c| c.is_ascii_digit() || *c == b'-')
                {
                    if let Some(kp) = value_path(&stack) {
                        let place = ix.place_id(Place {
                            table: None,
                            column: None,
                            key_path: Some(kp),
                        });
                        ix.push(s, i, place, row.max(1));
                    }
                }
                if i == s {
                    i += 1;
                }
            }
        }
    }
    let consumed = if eof {
        if !stack.is_empty() && ix.problem.is_none() {
            ix.problem = Some("the JSON document is cut off (unclosed object or array)".into());
        }
        n
    } else if let Some((at, st)) = boundary {
        ix.cells.retain(|c| c.start < at);
        (stack, row, top_array) = (st.stack, st.row, st.top_array);
        at
    } else {
        cut_token.unwrap_or(n)
    };
    // Every key path was looked for in every record.
    ix.rows.iter_mut().for_each(|r| *r = row);
    *state = State {
        stack,
        row,
        top_array,
    };
    (ix, consumed)
}

#[cfg(test)]
mod tests {
    use super::*;
    fn path_of(buf: &[u8], ix: &StructureIndex, value: &[u8]) -> (String, u64) {
        let c = ix
            .cells
            .iter()
            .find(|c| &buf[c.start..c.end] == value)
            .unwrap();
        (
            ix.places[c.place as usize]
                .key_path
                .as_deref()
                .unwrap()
                .to_string(),
            c.row,
        )
    }
    #[test]
    fn key_paths_and_rows() {
        let buf = b"{\"user\":{\"email\":\"a@example.com\",\"tags\":[\"x\"]},\"n\":5}\n{\"user\":{\"email\":\"b@example.org\"},\"geo\":{\"lat\":51.5}}\n";
        let ix = index(buf);
        assert_eq!(
            path_of(buf, &ix, b"a@example.com"),
            ("$.user.email".into(), 1)
        );
        assert_eq!(
            path_of(buf, &ix, b"b@example.org"),
            ("$.user.email".into(), 2)
        );
        assert_eq!(path_of(buf, &ix, b"x"), ("$.user.tags[*]".into(), 1));
        assert_eq!(path_of(buf, &ix, b"51.5"), ("$.geo.lat".into(), 2));
        let arr = b"[{\"email\":\"c@example.net\"},{\"email\":\"d@example.net\"}]";
        let ix = index(arr);
        assert_eq!(
            path_of(arr, &ix, b"d@example.net"),
            ("$[*].email".into(), 2)
        );
        assert!(index(b"{\"a\":\"cut").problem.is_some());
    }
}
