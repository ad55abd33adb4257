//! The bincode wire types of `lunatic::sqlite`, declared with serde so that the host's
//! encoder and decoder are checked against the real bincode 1.3. Variant order is the
//! wire's variant index.

use serde::{Deserialize, Serialize};

/// Where a value is bound: nothing, a 1-based index, or a name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BindKey {
    None,
    Numeric(usize),
    String(String),
}

/// A value to bind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BindValue {
    Null,
    Blob(Vec<u8>),
    Text(String),
    Double(f64),
    Int(i32),
    Int64(i64),
}

/// One binding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BindPair(pub BindKey, pub BindValue);

/// What `bind_value` takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BindList(pub Vec<BindPair>);

/// A column value as the host returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SqliteValue {
    Null,
    Blob(Vec<u8>),
    Text(String),
    Double(f64),
    Integer(i64),
    I64(i64),
}

/// A row as the host returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SqliteRow(pub Vec<SqliteValue>);

/// `last_error` as the host encodes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostError {
    pub code: Option<u32>,
    pub message: Option<String>,
}
