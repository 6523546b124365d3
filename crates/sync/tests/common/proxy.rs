//! A TCP proxy in front of the agency that, on request, loses or holds the answer to a large
//! request (a declaration) after the agency has received it. It works below TLS: it cannot
//! read the traffic, so it recognises the declaration by the bytes the client has sent.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A connection that has sent this many bytes is carrying a declaration.
const LARGE: usize = 4096;

/// What to do to the answer of the next large request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Let the agency answer, then cut the connection before the client sees the answer.
    LoseAnswer,
    /// Never pass the answer on; the client must time out.
    HoldAnswer,
    /// Cut the connection while the request is still arriving (the agency never gets it).
    ResetRequest,
}

pub struct FaultyProxy {
    pub address: SocketAddr,
    faults: Arc<Mutex<VecDeque<Fault>>>,
    pub faulted: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultyProxy {
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy binds");
        let address = listener.local_addr().expect("address");
        let faults: Arc<Mutex<VecDeque<Fault>>> = Arc::default();
        let faulted = Arc::new(AtomicUsize::new(0));
        let (f, n) = (faults.clone(), faulted.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (f, n) = (f.clone(), n.clone());
                tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(upstream).await {
                        relay(client, server, f, n).await;
                    }
                });
            }
        });
        Self {
            address,
            faults,
            faulted,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.address.port())
    }

    /// Apply `fault` to the next `times` large requests.
    pub fn inject(&self, fault: Fault, times: usize) {
        let mut q = self.faults.lock().expect("faults");
        for _ in 0..times {
            q.push_back(fault);
        }
    }
}

impl Drop for FaultyProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn relay(
    client: TcpStream,
    server: TcpStream,
    faults: Arc<Mutex<VecDeque<Fault>>>,
    faulted: Arc<AtomicUsize>,
) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let sent = Arc::new(AtomicUsize::new(0));
    // The fault chosen for the request under way once it became large (`Some(None)`: none).
    let chosen: Arc<Mutex<Option<Option<Fault>>>> = Arc::default();

    let up = {
        let (sent, chosen, faults, faulted) = (
            sent.clone(),
            chosen.clone(),
            faults.clone(),
            faulted.clone(),
        );
        async move {
            let mut buf = vec![0u8; 16 * 1024];
            loop {
                let n = match client_read.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let total = sent.fetch_add(n, Ordering::SeqCst) + n;
                if total >= LARGE {
                    let fault = {
                        let mut c = chosen.lock().expect("chosen");
                        *c.get_or_insert_with(|| {
                            let f = faults.lock().expect("faults").pop_front();
                            if f.is_some() {
                                faulted.fetch_add(1, Ordering::SeqCst);
                            }
                            f
                        })
                    };
                    if fault == Some(Fault::ResetRequest) {
                        // Pass on only part of the request, then cut both sides.
                        let _ = server_write.write_all(&buf[..n / 2]).await;
                        return;
                    }
                }
                if server_write.write_all(&buf[..n]).await.is_err() {
                    break;
                }
            }
            let _ = server_write.shutdown().await;
        }
    };
    let down = {
        let (chosen, sent) = (chosen.clone(), sent.clone());
        async move {
            let mut buf = vec![0u8; 16 * 1024];
            loop {
                let n = match server_read.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let fault = chosen.lock().expect("chosen").flatten();
                match fault {
                    None => {
                        // An answer passed: what the client sends next is a new request.
                        sent.store(0, Ordering::SeqCst);
                        *chosen.lock().expect("chosen") = None;
                        if client_write.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                    Some(Fault::LoseAnswer) => {
                        // The agency has answered, so it has the whole request; give it a
                        // moment to finish writing, then cut the client off.
                        tokio::time::sleep(Duration::from_millis(200)).await;
                        return;
                    }
                    Some(Fault::HoldAnswer) => {}
                    Some(Fault::ResetRequest) => return,
                }
            }
        }
    };
    tokio::select! {
        _ = up => {}
        _ = down => {}
    }
}
