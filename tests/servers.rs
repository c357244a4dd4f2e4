//! Throwaway database servers for tests, on 127.0.0.1 only: a PostgreSQL cluster (run as the
//! `postgres` user when the tests run as root, as PostgreSQL refuses root) and a MariaDB server.
//! Both fail the test — never skip it — when their binaries are missing; `.ci/run` installs
//! them from Debian.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A throwaway CA and a server certificate it signed for 127.0.0.1 and localhost, in `dir`:
/// (CA certificate, server certificate, server key).
pub fn self_signed(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let p = |n: &str| dir.join(n);
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl (.ci/run installs it)");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    std::fs::write(p("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n").unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "san.ext",
        "-out",
        "server.crt",
    ]);
    (p("ca.crt"), p("server.crt"), p("server.key"))
}

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

impl Cluster {
    /// Turns TLS on with a certificate of a throwaway CA and refuses TCP connections without
    /// it; returns the CA certificate (the root to verify against).
    pub fn require_tls(&self) -> PathBuf {
        let (ca, crt, key) = self_signed(self.dir.path());
        let data = self.dir.path().join("data");
        if self.as_postgres {
            for f in [&crt, &key] {
                assert!(Command::new("chown")
                    .arg("postgres")
                    .arg(f)
                    .status()
                    .unwrap()
                    .success());
            }
        }
        assert!(Command::new("chmod")
            .arg("600")
            .arg(&key)
            .status()
            .unwrap()
            .success());
        let conf = data.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf).unwrap();
        text.push_str(&format!(
            "\nssl = on\nssl_cert_file = '{}'\nssl_key_file = '{}'\n",
            crt.display(),
            key.display()
        ));
        std::fs::write(&conf, text).unwrap();
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n",
        )
        .unwrap();
        // With a log file, or the new server would hold this call's output pipe open.
        let log = self.dir.path().join("log");
        let out = self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-w",
                "-m",
                "fast",
                "-l",
                log.to_str().unwrap(),
                "restart",
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl restart: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        ca
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
        Self::start_with(false).0
    }

    /// With `tls`, the server gets a self-signed certificate, returned with it.
    pub fn start_with(tls: bool) -> (Mariadb, Option<PathBuf>) {
        let dir = tempfile::tempdir().unwrap();
        let cert = tls.then(|| self_signed(dir.path()));
        let data = dir.path().join("data");
        // Each server its own temp dir: servers started at once in one shared /tmp have
        // collided on their temporary table files.
        let tmp = dir.path().join("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        let user = if is_root() { "root" } else { "" };
        let mut install = Command::new(mariadb_tool("mariadb-install-db"));
        install
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--tmpdir={}", tmp.display()))
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
            .arg(format!("--tmpdir={}", tmp.display()))
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
        if let Some((_, crt, key)) = &cert {
            cmd.arg(format!("--ssl-cert={}", crt.display()))
                .arg(format!("--ssl-key={}", key.display()));
        }
        let child = cmd.spawn().expect("start mariadbd");
        let m = Mariadb { dir, port, child };
        for _ in 0..300 {
            if m.sql_ok("SELECT 1") {
                return (m, cert.map(|c| c.0));
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
