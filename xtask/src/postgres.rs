//! The agency's PostgreSQL leg: a throwaway cluster in a temporary folder, on a free loopback
//! port, run by an unprivileged user (PostgreSQL refuses to run as root), for the agency's
//! tests and benches.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::system;

/// The user the cluster runs as when xtask runs as root (the Debian package creates it).
const CLUSTER_USER: &str = "postgres";

/// Whether the cluster keeps PostgreSQL's durable defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync and synchronous commits as PostgreSQL ships them (for the benches' figures).
    Durable,
    /// Neither: the tests throw the cluster away, and want speed.
    Throwaway,
}

/// A PostgreSQL cluster that lives as long as this value: stopped and removed when dropped.
pub struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    root: PathBuf,
    port: u16,
    /// Set when the cluster runs as [`CLUSTER_USER`] rather than as the caller.
    user: Option<&'static str>,
}

impl Cluster {
    /// Starts a new cluster (`system::prepare_for_tests` installed PostgreSQL).
    pub fn start(durability: Durability) -> Result<Cluster, String> {
        let bin = server_bin()?;
        let user = system::is_root().then_some(CLUSTER_USER);
        let root = std::env::temp_dir().join(format!("shebao-postgres-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
        if let Some(user) = user {
            hand_over(&root, user)?;
        }
        let data = root.join("data");
        let mut cluster = Cluster {
            bin,
            data,
            root,
            port: 0,
            user,
        };
        let mut initdb = cluster.as_cluster_user("initdb");
        initdb
            .arg("--pgdata")
            .arg(&cluster.data)
            .args(["--auth=trust", "--username=postgres", "--encoding=UTF8"])
            .args(["--locale=C.UTF-8", "--no-sync"]);
        quiet(initdb, "initdb")?;
        // A port is free when we ask; PostgreSQL may still lose it to another process, so a
        // refused start is tried again on another port.
        let mut last_error = String::new();
        for _ in 0..5 {
            cluster.port = free_port()?;
            match cluster.pg_ctl_start(durability) {
                Ok(()) => {
                    eprintln!(
                        "xtask: PostgreSQL cluster started on 127.0.0.1:{} ({})",
                        cluster.port,
                        cluster.root.display()
                    );
                    return Ok(cluster);
                }
                Err(error) => last_error = error,
            }
        }
        Err(last_error)
    }

    /// The connection string of the cluster's maintenance database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn pg_ctl_start(&self, durability: Durability) -> Result<(), String> {
        let log = self.root.join("server.log");
        let mut start = self.as_cluster_user("pg_ctl");
        let durability = match durability {
            Durability::Durable => "",
            Durability::Throwaway => {
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            }
        };
        start
            .arg("--pgdata")
            .arg(&self.data)
            .arg("--log")
            .arg(&log)
            .args(["--wait", "--timeout=60", "start", "--options"])
            .arg(format!(
                "-c listen_addresses=127.0.0.1 -p {} -c unix_socket_directories='' \
                 -c max_connections=200{durability}",
                self.port
            ));
        quiet(start, "pg_ctl start").map_err(|error| {
            let log = fs::read_to_string(&log).unwrap_or_default();
            format!("{error}\n{log}")
        })
    }

    /// A command of the server's bin directory, run as the cluster's user.
    fn as_cluster_user(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        match self.user {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(path);
                command
            }
            None => Command::new(path),
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let mut stop = self.as_cluster_user("pg_ctl");
        stop.arg("--pgdata")
            .arg(&self.data)
            .args(["--wait", "--mode=fast", "stop"]);
        if quiet(stop, "pg_ctl stop").is_ok() {
            eprintln!("xtask: PostgreSQL cluster stopped");
        }
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// Runs the agency's whole test suite again, on PostgreSQL: every test makes its own database
/// in the cluster (see crates/agency/tests/common).
pub fn test_agency() -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        eprintln!("xtask: the PostgreSQL leg runs on Linux only; skipped");
        return Ok(());
    }
    let cluster = Cluster::start(Durability::Throwaway)?;
    eprintln!("xtask: the agency's tests again, on PostgreSQL");
    let mut command = crate::cargo();
    command
        .args(["test", "--locked", "-p", "shebao-agency"])
        .env("SHEBAO_TEST_POSTGRES", cluster.url());
    let outcome = crate::status(command);
    drop(cluster);
    outcome
}

/// Starts a cluster for the benches, which compare the backends when SHEBAO_BENCH_POSTGRES
/// names one; durable like a real server, so that the figures are a real server's.
pub fn for_benches() -> Result<Option<Cluster>, String> {
    if !cfg!(target_os = "linux") {
        return Ok(None);
    }
    Cluster::start(Durability::Durable).map(Some)
}

/// The bin directory of the newest PostgreSQL the Debian package installed.
fn server_bin() -> Result<PathBuf, String> {
    let base = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir(base)
        .map_err(|e| format!("PostgreSQL is not installed in {}: {e}", base.display()))?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| format!("no PostgreSQL server with initdb under {}", base.display()))
}

/// Gives the cluster's folder to its user, who alone may read it.
fn hand_over(root: &Path, user: &str) -> Result<(), String> {
    let mut chown = Command::new("chown");
    chown.arg(format!("{user}:")).arg(root);
    quiet(chown, "chown")
}

/// A loopback port nobody listens on right now.
fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// Runs a command whose output matters only when it fails.
fn quiet(mut command: Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("could not run {what}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_throwaway_cluster_answers_on_loopback_and_leaves_nothing_behind() {
        if !cfg!(target_os = "linux") || server_bin().is_err() {
            eprintln!("skipped: no PostgreSQL server installed (cargo xtask test installs it)");
            return;
        }
        let cluster = Cluster::start(Durability::Throwaway).expect("the cluster starts");
        let root = cluster.root.clone();
        assert!(cluster.url().starts_with("postgres://postgres@127.0.0.1:"));
        let mut ready = Command::new(cluster.bin.join("pg_isready"));
        ready.args(["-h", "127.0.0.1", "-p", &cluster.port.to_string()]);
        quiet(ready, "pg_isready").expect("the cluster accepts connections");
        drop(cluster);
        assert!(!root.exists(), "the cluster's folder is removed");
    }
}
