//! Throwaway database servers for tests, on 127.0.0.1 only: a PostgreSQL cluster (run as the
//! `postgres` user when the tests run as root, as PostgreSQL refuses root) and a MariaDB server.
//! Both fail the test — never skip it — when their binaries are missing; `.ci/run` installs
//! them from Debian.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Cluster {
    dir: tempfile::TempDir,
    pub port: u16,
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
    pub fn run(&self, tool: &str, args: &[&str]) -> std::process::Output {
        let mut c = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(self.bin.join(tool));
            c
        } else {
            Command::new(self.bin.join(tool))
        };
        c.args(args).output().expect("run a PostgreSQL tool")
    }

    pub fn start() -> Cluster {
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
        let port = free_port();
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

    pub fn psql(&self, db: &str, args: &[&str]) -> String {
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

    pub fn restore(&self, db: &str, file: &Path) {
        self.psql("postgres", &["-c", &format!("CREATE DATABASE {db}")]);
        self.psql(db, &["-f", file.to_str().unwrap()]);
    }

    pub fn row_counts(&self, db: &str) -> Vec<(String, u64)> {
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
    pub fn dump_rows(&self, db: &str) -> String {
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

/// A MariaDB server in a temp dir, TCP on 127.0.0.1 and a socket for set-up as root.
pub struct Mariadb {
    dir: tempfile::TempDir,
    pub port: u16,
    child: std::process::Child,
}

fn mariadb_tool(name: &str) -> PathBuf {
    for dir in ["/usr/sbin", "/usr/bin"] {
        let p = Path::new(dir).join(name);
        if p.exists() {
            return p;
        }
    }
    panic!("{name} not found: .ci/run installs it with apt-get install mariadb-server");
}

impl Mariadb {
    pub fn start() -> Mariadb {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let user = if is_root() { "root" } else { "" };
        let mut install = Command::new(mariadb_tool("mariadb-install-db"));
        install
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg("--auth-root-authentication-method=socket")
            .arg("--skip-test-db");
        if !user.is_empty() {
            install.arg(format!("--user={user}"));
        }
        let out = install.output().expect("mariadb-install-db");
        assert!(
            out.status.success(),
            "mariadb-install-db: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = free_port();
        let socket = dir.path().join("sock");
        let mut cmd = Command::new(mariadb_tool("mariadbd"));
        cmd.arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--port={port}"))
            .arg("--bind-address=127.0.0.1")
            .arg(format!("--socket={}", socket.display()))
            .arg(format!("--pid-file={}", dir.path().join("pid").display()))
            .arg(format!(
                "--log-error={}",
                dir.path().join("err.log").display()
            ))
            .arg("--skip-name-resolve")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        if !user.is_empty() {
            cmd.arg(format!("--user={user}"));
        }
        let child = cmd.spawn().expect("start mariadbd");
        let m = Mariadb { dir, port, child };
        for _ in 0..300 {
            if m.sql_ok("SELECT 1") {
                return m;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let log = std::fs::read_to_string(m.dir.path().join("err.log")).unwrap_or_default();
        panic!("MariaDB did not start within 30 s: {log}");
    }

    fn client(&self) -> Command {
        let mut c = Command::new(mariadb_tool("mariadb"));
        c.arg("--no-defaults")
            .arg(format!(
                "--socket={}",
                self.dir.path().join("sock").display()
            ))
            .arg("-uroot");
        c
    }

    fn sql_ok(&self, sql: &str) -> bool {
        self.client()
            .args(["-e", sql])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    }

    /// Runs SQL as root over the socket; panics on failure.
    pub fn sql(&self, sql: &str) -> String {
        let out = self
            .client()
            .args(["-N", "-B", "-e", sql])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "mariadb {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Loads a dump file (which creates its own database).
    pub fn load(&self, file: &Path) {
        let out = self
            .client()
            .stdin(std::fs::File::open(file).unwrap())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "loading {}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Mariadb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
