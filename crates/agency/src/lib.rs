//! shebao-agency: the reference agency server.
//!
//! The HTTPS service that implements the agency API v1 (login with the card's SM2 signature,
//! reference data, declarations and their changes feed, announcements) over its database (SQLite
//! in the data directory, or PostgreSQL shared by several server processes), and the operator
//! command line that opens units, publishes announcements and processes
//! declarations. Every declaration item is validated with `shebao-core`, the same rules the
//! client applies offline.

pub mod app;
pub mod auth;
pub mod captcha;
pub mod cli;
pub mod clock;
pub mod dues;
pub mod limits;
pub mod problem;
pub mod processing;
pub mod routes;
pub mod seed;
pub mod server;
pub mod storage;
pub mod tls;

pub use server::{RunningServer, ServerError, ServerOptions, start};
