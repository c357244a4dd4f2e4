//! Redacted real pg_dump files must still restore into PostgreSQL with the same row counts,
//! and no e-mail address or phone number of the original may survive in the restored data.
//! The test starts a throwaway cluster on 127.0.0.1 (as the `postgres` user when run as
//! root, which `.ci/run` is). It fails — never skips — when PostgreSQL cannot be started.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Cluster {
    dir: tempfile::TempDir,
    port: u16,
    bin: PathBuf,
    as_postgres: bool,
}

fn pg_bin() -> PathBuf {
    let base = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<PathBuf> = std::fs::read_dir(base)
        .unwrap_or_else(|e| panic!("PostgreSQL server binaries not found under {} ({e}); .ci/run installs them with apt-get install postgresql", base.display()))
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    versions.sort();
    versions
        .pop()
        .expect("an initdb under /usr/lib/postgresql/*/bin")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl Cluster {
    fn run(&self, tool: &str, args: &[&str]) -> std::process::Output {
        let mut c = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(self.bin.join(tool));
            c
        } else {
            Command::new(self.bin.join(tool))
        };
        c.args(args).output().expect("run a PostgreSQL tool")
    }

    fn start() -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let as_postgres = is_root();
        if as_postgres {
            let ok = Command::new("chown")
                .arg("postgres")
                .arg(dir.path())
                .status()
                .unwrap()
                .success();
            assert!(ok, "chown to postgres");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let c = Cluster {
            dir,
            port,
            bin: pg_bin(),
            as_postgres,
        };
        let data = c.dir.path().join("data");
        let data_s = data.to_str().unwrap();
        let out = c.run(
            "initdb",
            &[
                "-D",
                data_s,
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
        );
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let opts = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {}",
            c.port,
            c.dir.path().display()
        );
        let log = c.dir.path().join("log");
        let out = c.run(
            "pg_ctl",
            &[
                "-D",
                data_s,
                "-w",
                "-l",
                log.to_str().unwrap(),
                "-o",
                &opts,
                "start",
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        c
    }

    fn psql(&self, db: &str, args: &[&str]) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                db,
                "-v",
                "ON_ERROR_STOP=1",
                "-X",
                "-q",
                "-A",
                "-t",
            ])
            .args(args)
            .output()
            .expect("psql");
        assert!(
            out.status.success(),
            "psql {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn restore(&self, db: &str, file: &Path) {
        self.psql("postgres", &["-c", &format!("CREATE DATABASE {db}")]);
        self.psql(db, &["-f", file.to_str().unwrap()]);
    }

    fn row_counts(&self, db: &str) -> Vec<(String, u64)> {
        let tables = self.psql(db, &["-c", "SELECT table_name FROM information_schema.tables WHERE table_schema='public' AND table_type='BASE TABLE' ORDER BY 1"]);
        tables
            .lines()
            .filter(|t| !t.is_empty())
            .map(|t| {
                (
                    t.to_string(),
                    self.psql(db, &["-c", &format!("SELECT count(*) FROM public.\"{t}\"")])
                        .trim()
                        .parse()
                        .unwrap(),
                )
            })
            .collect()
    }

    /// Every row of every table as text (COPY format), for scanning.
    fn dump_rows(&self, db: &str) -> String {
        self.row_counts(db)
            .iter()
            .map(|(t, _)| self.psql(db, &["-c", &format!("COPY public.\"{t}\" TO STDOUT")]))
            .collect()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let _ = self.run(
            "pg_ctl",
            &["-D", data.to_str().unwrap(), "-m", "fast", "stop"],
        );
    }
}

#[test]
fn redacted_real_dumps_restore_with_identical_row_counts_and_no_contact_data() {
    let pg = Cluster::start();
    let realdata = repo().join("../shared/realdata");
    let out = tempfile::tempdir().unwrap();
    piiscan()
        .env("PIISCAN_KEY", "restore-test-key")
        .arg("redact")
        .arg(realdata.join("chinook.pg_dump.sql"))
        .arg(realdata.join("northwind.pg_dump.sql"))
        .arg("--out")
        .arg(out.path())
        .args([
            "--operator",
            "email=hash",
            "--operator",
            "phone=tag",
            "--operator",
            "iban=partial",
        ])
        .assert()
        .code(0);
    for name in ["chinook", "northwind"] {
        let original = realdata.join(format!("{name}.pg_dump.sql"));
        let redacted =
            walk_find(out.path(), &format!("{name}.pg_dump.sql")).expect("redacted dump written");
        pg.restore(&format!("orig_{name}"), &original);
        pg.restore(&format!("red_{name}"), &redacted);
        let before = pg.row_counts(&format!("orig_{name}"));
        assert!(
            before.len() >= 8 && before.iter().any(|(_, n)| *n > 50),
            "{name}: {before:?}"
        );
        assert_eq!(
            before,
            pg.row_counts(&format!("red_{name}")),
            "{name}: row counts differ after redaction"
        );

        // The original holds e-mails and phones; the restored redacted data holds none.
        let rows = pg.dump_rows(&format!("red_{name}"));
        let scan = piiscan()
            .args(["scan", "-", "--format", "jsonl", "--only", "email,phone"])
            .write_stdin(rows.clone())
            .output()
            .unwrap();
        let left = jsonl(&scan.stdout);
        assert!(
            left.is_empty(),
            "{name}: {} e-mails/phones survive, e.g. {}",
            left.len(),
            left[0]
        );
        let orig_rows = pg.dump_rows(&format!("orig_{name}"));
        let scan = piiscan()
            .args([
                "scan",
                "-",
                "--format",
                "jsonl",
                "--only",
                "email,phone",
                "--reveal",
            ])
            .write_stdin(orig_rows)
            .output()
            .unwrap();
        let originals = jsonl(&scan.stdout);
        assert!(
            originals.len() > 20,
            "{name}: the original has contact data to remove"
        );
        for f in &originals {
            let v = f["value"].as_str().unwrap();
            assert!(
                !rows.contains(v),
                "{name}: {} survives redaction",
                f["detector"]
            );
        }
    }
}

fn walk_find(dir: &Path, name: &str) -> Option<PathBuf> {
    for e in std::fs::read_dir(dir).ok()? {
        let p = e.ok()?.path();
        if p.is_dir() {
            if let Some(f) = walk_find(&p, name) {
                return Some(f);
            }
        } else if p.file_name().is_some_and(|n| n == name) {
            return Some(p);
        }
    }
    None
}
