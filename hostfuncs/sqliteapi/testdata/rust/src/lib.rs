//! `lunatic::sqlite` for the sqliteapi test guests: raw imports ([`sys`]), the bincode
//! wire types ([`wire`], serde + bincode 1.3 as the original uses) and a client shaped like
//! lunatic-rs 0.14's `lunatic::sqlite` ([`client`]).

pub mod client;
pub mod sys;
pub mod wire;

pub use client::{Query, QueryResult, SqliteClient, SqliteCode, SqliteError, Statement, Value};
