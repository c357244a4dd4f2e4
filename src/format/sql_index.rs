//! SQL dumps: pg_dump (`CREATE TABLE`, `COPY … FROM stdin` blocks with tab-separated rows and
//! `\N`, `INSERT INTO … VALUES`) and mysqldump (backquoted names, extended INSERTs whose column
//! order comes from the dump's `CREATE TABLE`, backslash escapes). Every value becomes a cell
//! of `table.column`.

use super::{Place, StructureIndex};
use std::collections::HashMap;
use std::sync::Arc;

/// `public."Customer"` / `` `Customer` `` → `Customer`.
fn table_name(raw: &str) -> Arc<str> {
    let last = raw.rsplit('.').next().unwrap_or(raw);
    Arc::from(last.trim_matches(|c| c == '"' || c == '`' || c == '[' || c == ']'))
}

fn column_name(raw: &str) -> Arc<str> {
    Arc::from(raw.trim().trim_matches(|c| c == '"' || c == '`'))
}

fn first_word(s: &str) -> &str {
    s.split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
}

/// What one window of a dump hands the next: table definitions, row counts, the dialect, and
/// the COPY block the window ended in.
#[derive(Debug, Clone, Default)]
pub struct State {
    columns: HashMap<Arc<str>, Vec<Arc<str>>>,
    rows: HashMap<Arc<str>, u64>,
    mysql: Option<bool>,
    in_copy: Option<(Arc<str>, Vec<Arc<str>>)>,
}

struct Parser<'a> {
    buf: &'a [u8],
    ix: StructureIndex,
    columns: HashMap<Arc<str>, Vec<Arc<str>>>,
    rows: HashMap<Arc<str>, u64>,
    mysql: bool,
    eof: bool,
    /// Set (unless at the end of the input) where the buffer ends inside a statement.
    stop: Option<usize>,
    in_copy: Option<(Arc<str>, Vec<Arc<str>>)>,
    /// The row count of the table an INSERT goes to, before it (restored if it is cut off).
    insert_rows_before: Option<(Arc<str>, u64)>,
}

impl<'a> Parser<'a> {
    fn place(&mut self, table: &Arc<str>, col: usize, cols: &[Arc<str>]) -> u32 {
        let column = cols
            .get(col)
            .cloned()
            .unwrap_or_else(|| Arc::from(format!("col{}", col + 1)));
        self.ix.place_id(Place {
            table: Some(table.clone()),
            column: Some(column),
            key_path: None,
        })
    }

    fn next_row(&mut self, table: &Arc<str>) -> u64 {
        let r = self.rows.entry(table.clone()).or_insert(0);
        *r += 1;
        *r
    }

    /// Column definitions of a `CREATE TABLE` starting at `pos`; returns the end offset.
    fn create_table(&mut self, pos: usize, header: &str) -> usize {
        let name = header
            .trim_start_matches("CREATE TABLE")
            .trim()
            .trim_start_matches("IF NOT EXISTS")
            .trim();
        let table = table_name(first_word(name));
        let mut cols = Vec::new();
        let mut p = memchr::memchr(b'\n', &self.buf[pos..]).map_or(self.buf.len(), |i| pos + i + 1);
        let mut closed = false;
        while p < self.buf.len() {
            let end = memchr::memchr(b'\n', &self.buf[p..]).map_or(self.buf.len(), |i| p + i);
            let line = String::from_utf8_lossy(&self.buf[p..end]);
            let t = line.trim();
            p = end + 1;
            if t.starts_with(')') && (end < self.buf.len() || self.eof) {
                closed = true;
                break;
            }
            let w = first_word(t);
            let upper = w.to_ascii_uppercase();
            if w.is_empty()
                || [
                    "CONSTRAINT",
                    "PRIMARY",
                    "KEY",
                    "UNIQUE",
                    "FOREIGN",
                    "CHECK",
                    "INDEX",
                    "FULLTEXT",
                    "SPATIAL",
                ]
                .contains(&upper.as_str())
            {
                continue;
            }
            cols.push(column_name(w));
        }
        if !closed && !self.eof {
            self.stop = Some(pos);
            return self.buf.len();
        }
        self.columns.insert(table, cols);
        p
    }

    /// A `COPY t (cols) FROM stdin;` block starting at the line after `pos`.
    fn copy_block(&mut self, pos: usize, header: &str) -> usize {
        let rest = header.trim_start_matches("COPY").trim();
        let table = table_name(first_word(rest));
        let cols: Vec<Arc<str>> = match (rest.find('('), rest.find(')')) {
            (Some(a), Some(b)) if a < b => rest[a + 1..b].split(',').map(column_name).collect(),
            _ => self.columns.get(&table).cloned().unwrap_or_default(),
        };
        let p = memchr::memchr(b'\n', &self.buf[pos..]).map_or(self.buf.len(), |i| pos + i + 1);
        self.copy_rows(p, table, cols)
    }

    /// The rows of a COPY block from `p` to its `\.` line.
    fn copy_rows(&mut self, mut p: usize, table: Arc<str>, cols: Vec<Arc<str>>) -> usize {
        while p < self.buf.len() {
            let end = memchr::memchr(b'\n', &self.buf[p..]).map_or(self.buf.len(), |i| p + i);
            if end == self.buf.len() && !self.eof {
                self.stop = Some(p);
                self.in_copy = Some((table, cols));
                return end;
            }
            let line = &self.buf[p..end];
            if line == b"\\." {
                return end + 1;
            }
            let row = self.next_row(&table);
            let mut s = p;
            for (c, field) in line.split(|&b| b == b'\t').enumerate() {
                let e = s + field.len();
                if field != b"\\N" {
                    let place = self.place(&table, c, &cols);
                    self.ix.push(s, e, place, row);
                }
                s = e + 1;
            }
            p = end + 1;
        }
        if !self.eof {
            self.stop = Some(p);
            self.in_copy = Some((table, cols));
            return p;
        }
        self.ix
            .problem
            .get_or_insert_with(|| format!("COPY block for {table} has no terminating \\. line"));
        self.buf.len()
    }

    /// An `INSERT INTO t [(cols)] VALUES (…), (…);` statement starting at `pos`; a statement
    /// the buffer ends in is left for the next window (its rows uncounted).
    fn insert(&mut self, pos: usize) -> usize {
        let problem_before = self.ix.problem.clone();
        let end = self.insert_statement(pos);
        if end >= self.buf.len() && !self.eof {
            if let Some((table, rows)) = self.insert_rows_before.take() {
                self.rows.insert(table, rows);
            }
            self.ix.problem = problem_before;
            self.stop = Some(pos);
        }
        end
    }

    fn insert_statement(&mut self, pos: usize) -> usize {
        let buf = self.buf;
        let head_end = memchr::memmem::find(&buf[pos..], b"VALUES")
            .or_else(|| memchr::memmem::find(&buf[pos..], b"values"));
        let Some(head_len) = head_end else {
            return memchr::memchr(b'\n', &buf[pos..]).map_or(buf.len(), |i| pos + i + 1);
        };
        let head = String::from_utf8_lossy(&buf[pos..pos + head_len]).to_string();
        let rest = head.trim_start_matches("INSERT INTO").trim();
        let table = table_name(first_word(rest));
        self.insert_rows_before =
            Some((table.clone(), self.rows.get(&table).copied().unwrap_or(0)));
        let cols: Vec<Arc<str>> = match (rest.find('('), rest.rfind(')')) {
            (Some(a), Some(b)) if a < b => rest[a + 1..b].split(',').map(column_name).collect(),
            _ => self.columns.get(&table).cloned().unwrap_or_default(),
        };
        let mut i = pos + head_len + "VALUES".len();
        let n = buf.len();
        loop {
            while i < n && buf[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= n {
                return n;
            }
            match buf[i] {
                b'(' => {
                    i += 1;
                    let row = self.next_row(&table);
                    let mut col = 0;
                    loop {
                        while i < n && buf[i].is_ascii_whitespace() {
                            i += 1;
                        }
                        if i >= n {
                            self.ix
                                .problem
                                .get_or_insert_with(|| format!("INSERT into {table} is cut off"));
                            return n;
                        }
                        if buf[i] == b'\'' {
                            let s = i + 1;
                            let mut j = s;
                            while j < n {
                                if self.mysql && buf[j] == b'\\' {
                                    j += 2;
                                    continue;
                                }
                                if buf[j] == b'\'' {
                                    if buf.get(j + 1) == Some(&b'\'') {
                                        j += 2;
                                        continue;
                                    }
                                    break;
                                }
                                j += 1;
                            }
                            let place = self.place(&table, col, &cols);
                            self.ix.push(s, j.min(n), place, row);
                            i = j + 1;
                        } else {
                            let s = i;
                            let mut depth = 0;
                            while i < n && !(depth == 0 && (buf[i] == b',' || buf[i] == b')')) {
                                match buf[i] {
                                    b'(' => depth += 1,
                                    b')' => depth -= 1,
                                    _ => {}
                                }
                                i += 1;
                            }
                            let v = &buf[s..i];
                            let trimmed = v.trim_ascii_end();
                            if !trimmed.eq_ignore_ascii_case(b"NULL") && !trimmed.is_empty() {
                                let place = self.place(&table, col, &cols);
                                self.ix.push(s, s + trimmed.len(), place, row);
                            }
                        }
                        while i < n && buf[i].is_ascii_whitespace() {
                            i += 1;
                        }
                        match buf.get(i) {
                            Some(b',') => {
                                col += 1;
                                i += 1;
                            }
                            Some(b')') => {
                                i += 1;
                                break;
                            }
                            _ => {
                                self.ix.problem.get_or_insert_with(|| {
                                    format!("unexpected byte in INSERT into {table}")
                                });
                                return memchr::memchr(b'\n', &buf[i.min(n)..])
                                    .map_or(n, |k| i + k + 1);
                            }
                        }
                    }
                }
                b',' => i += 1,
                b';' => return i + 1,
                _ => {
                    self.ix
                        .problem
                        .get_or_insert_with(|| format!("unexpected byte after a row of {table}"));
                    return memchr::memchr(b'\n', &buf[i..]).map_or(n, |k| i + k + 1);
                }
            }
        }
    }
}

pub fn index(buf: &[u8]) -> StructureIndex {
    index_window(buf, &mut State::default(), true).0
}

/// Indexes the complete statements (and COPY rows) of `buf`; returns the index and where the
/// first incomplete one starts (the buffer's length when none is).
pub fn index_window(buf: &[u8], state: &mut State, eof: bool) -> (StructureIndex, usize) {
    let st = std::mem::take(state);
    let mysql = st.mysql.unwrap_or_else(|| {
        memchr::memmem::find(buf, b"CREATE TABLE `").is_some()
            || memchr::memmem::find(&buf[..buf.len().min(4096)], b"MySQL dump").is_some()
    });
    let mut p = Parser {
        buf,
        ix: StructureIndex::default(),
        columns: st.columns,
        rows: st.rows,
        mysql,
        eof,
        stop: None,
        in_copy: None,
        insert_rows_before: None,
    };
    let mut pos = 0;
    if let Some((table, cols)) = st.in_copy {
        pos = p.copy_rows(0, table, cols);
    }
    while pos < buf.len() && p.stop.is_none() {
        let end = memchr::memchr(b'\n', &buf[pos..]).map_or(buf.len(), |i| pos + i);
        if end == buf.len() && !eof {
            p.stop = Some(pos);
            break;
        }
        let line = &buf[pos..end];
        pos = if line.starts_with(b"CREATE TABLE") {
            let header = String::from_utf8_lossy(line).to_string();
            p.create_table(pos, &header)
        } else if line.starts_with(b"COPY ") && line.ends_with(b"FROM stdin;") {
            let header = String::from_utf8_lossy(line).to_string();
            p.copy_block(pos, &header)
        } else if line.starts_with(b"INSERT INTO") || line.starts_with(b"insert into") {
            p.insert(pos)
        } else {
            end + 1
        };
    }
    let consumed = p.stop.unwrap_or(buf.len());
    p.ix.truncate_at(consumed);
    *state = State {
        columns: p.columns,
        rows: p.rows,
        mysql: Some(mysql),
        in_copy: p.in_copy,
    };
    (p.ix, consumed)
}

#[cfg(test)]
mod tests {
    use super::*;
    fn cell_text<'a>(buf: &'a [u8], ix: &StructureIndex, col: &str, row: u64) -> &'a [u8] {
        let c = ix
            .cells()
            .find(|c| ix.places[c.place as usize].column.as_deref() == Some(col) && c.row == row)
            .unwrap();
        &buf[c.start..c.end]
    }
    #[test]
    fn pg_copy_and_insert() {
        let buf = b"CREATE TABLE public.customer (\n    id integer NOT NULL,\n    email text,\n    note text\n);\n\nCOPY public.customer (id, email, note) FROM stdin;\n1\ta@example.com\t\\N\n2\tb@example.org\thi\n\\.\nINSERT INTO public.customer VALUES (3, 'c@example.net', 'it''s');\n";
        let ix = index(buf);
        assert_eq!(cell_text(buf, &ix, "email", 2), b"b@example.org");
        assert_eq!(cell_text(buf, &ix, "email", 3), b"c@example.net");
        assert_eq!(cell_text(buf, &ix, "note", 3), b"it''s");
        assert!(ix
            .places
            .iter()
            .all(|p| p.table.as_deref() == Some("customer")));
        assert!(ix.problem.is_none());
    }
    #[test]
    fn mysql_extended_insert() {
        let buf = b"CREATE TABLE `Customer` (\n  `CustomerId` int(11) NOT NULL,\n  `Email` varchar(60) NOT NULL,\n  PRIMARY KEY (`CustomerId`)\n);\nINSERT INTO `Customer` VALUES (1,'a@example.com'),(2,'O\\'Brien@example.org');\n";
        let ix = index(buf);
        assert_eq!(cell_text(buf, &ix, "Email", 1), b"a@example.com");
        assert_eq!(cell_text(buf, &ix, "Email", 2), b"O\\'Brien@example.org");
        assert_eq!(cell_text(buf, &ix, "CustomerId", 2), b"2");
    }
}
