//! A client with the shape of lunatic-rs 0.14's `lunatic::sqlite` (`SqliteClient`, the
//! `Query` trait, `Statement`, `QueryResult`, `Value`, `SqliteError`), written for these
//! tests. It calls the host the way lunatic-rs does, quirks included: `connect` passes
//! address 0 for the connection id and then uses connection 0; results are read into a
//! `u32` length although the host writes 8 bytes.

use serde::Deserialize;

use crate::sys;
use crate::wire::{BindKey, BindList, BindPair, BindValue, SqliteRow, SqliteValue};

/// A value to bind or a column value read back.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Blob(Vec<u8>),
    Text(String),
    Double(f64),
    Int(i32),
    Int64(i64),
}

impl From<()> for Value {
    fn from(_: ()) -> Self {
        Value::Null
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Blob(v)
    }
}
impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Self {
        Value::Blob(v.to_vec())
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Double(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int64(v)
    }
}

impl From<Value> for BindValue {
    fn from(v: Value) -> Self {
        match v {
            Value::Null => BindValue::Null,
            Value::Blob(b) => BindValue::Blob(b),
            Value::Text(s) => BindValue::Text(s),
            Value::Double(f) => BindValue::Double(f),
            Value::Int(i) => BindValue::Int(i),
            Value::Int64(i) => BindValue::Int64(i),
        }
    }
}

impl From<SqliteValue> for Value {
    fn from(v: SqliteValue) -> Self {
        match v {
            SqliteValue::Null => Value::Null,
            SqliteValue::Blob(b) => Value::Blob(b),
            SqliteValue::Text(s) => Value::Text(s),
            SqliteValue::Double(f) => Value::Double(f),
            SqliteValue::Integer(i) | SqliteValue::I64(i) => Value::Int64(i),
        }
    }
}

/// SQLite's primary result codes 0..=28 in code order, so that a serde variant index is
/// the code (this is how lunatic-rs decodes `last_error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum SqliteCode {
    Ok, Error, Internal, Perm, Abort, Busy, Locked, Nomem, Readonly, Interrupt, Ioerr,
    Corrupt, Notfound, Full, Cantopen, Protocol, Empty, Schema, Toobig, Constraint,
    Mismatch, Misuse, Nolfs, Auth, Format, Range, Notadb, Notice, Warning,
}

impl SqliteCode {
    /// The numeric code.
    pub fn code(self) -> u32 {
        self as u32
    }
}

/// An SQLite failure: a primary code and, from `last_error`, a message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SqliteError {
    pub code: SqliteCode,
    pub message: Option<String>,
}

impl SqliteError {
    /// The connection's last error, decoded as lunatic-rs does: the host's
    /// `Option<u32>` tag byte is read as an `Option` around the whole struct.
    pub fn last(client: &SqliteClient) -> Option<SqliteError> {
        call_host_alloc::<Option<SqliteError>>(|len| unsafe { sys::last_error(client.id(), len) })
            .unwrap_or(Some(SqliteError { code: SqliteCode::Error, message: None }))
    }
}

/// lunatic-rs's `call_host_alloc`: a `u32` length slot, a buffer from `lunatic_alloc`.
fn call_host_alloc<T: for<'de> Deserialize<'de>>(f: impl FnOnce(*mut u32) -> u32) -> bincode::Result<T> {
    let mut len = 0u32;
    let ptr = f(&mut len as *mut u32);
    let data = unsafe { Vec::from_raw_parts(ptr as *mut u8, len as usize, len as usize) };
    bincode::deserialize(&data)
}

/// A connection. Like lunatic-rs, [`SqliteClient::connect`] always yields connection 0.
pub struct SqliteClient {
    conn: u64,
}

impl SqliteClient {
    /// Opens (or creates) the database at `path`, exactly as lunatic-rs does: the host
    /// writes the connection id to address 0 and the client assumes id 0.
    pub fn connect(path: &str) -> Result<Self, SqliteError> {
        let conn_id = 0u64;
        let res = unsafe { sys::open(path.as_ptr(), path.len(), conn_id as usize as *mut u64) };
        if res != 0 {
            return Err(SqliteError { code: SqliteCode::Error, message: None });
        }
        Ok(SqliteClient { conn: conn_id })
    }

    /// Opens `path` reading the real connection id (or the error resource).
    pub fn open(path: &str) -> Result<Self, guest::Error> {
        let mut id = 0u64;
        match unsafe { sys::open(path.as_ptr(), path.len(), &mut id) } {
            0 => Ok(SqliteClient { conn: id }),
            1 => Err(guest::Error::from_id(id)),
            other => panic!("open returned {}", other),
        }
    }

    /// The connection id.
    pub fn id(&self) -> u64 {
        self.conn
    }

    /// `sqlite3_changes` of the connection.
    pub fn changes(&self) -> u32 {
        unsafe { sys::sqlite3_changes(self.conn) }
    }
}

/// Running SQL, as lunatic-rs's `Query` trait.
pub trait Query {
    /// Prepares and runs `sql` without bindings, iterating its rows.
    fn query(&self, sql: &str) -> QueryResult;
    /// Prepares `sql` for bindings.
    fn prepare_query(&self, sql: &str) -> Statement;
    /// Runs all of `sql`, ignoring rows.
    fn execute(&self, sql: &str) -> Result<(), SqliteError>;
}

impl Query for SqliteClient {
    fn query(&self, sql: &str) -> QueryResult {
        self.prepare_query(sql).execute()
    }

    fn prepare_query(&self, sql: &str) -> Statement {
        let id = unsafe { sys::query_prepare(self.conn, sql.as_ptr(), sql.len() as u32) };
        Statement { id, bindings: BindList(Vec::new()) }
    }

    fn execute(&self, sql: &str) -> Result<(), SqliteError> {
        match unsafe { sys::execute(self.conn, sql.as_ptr(), sql.len() as u32) } {
            0 => Ok(()),
            code => Err(SqliteError { code: code_of(code), message: None }),
        }
    }
}

fn code_of(code: u32) -> SqliteCode {
    let b = bincode::serialize(&code).unwrap();
    bincode::deserialize(&b).unwrap_or(SqliteCode::Error)
}

/// A prepared statement with its pending bindings; finalized when dropped.
pub struct Statement {
    id: u64,
    bindings: BindList,
}

impl Statement {
    /// Binds the next positional parameter (one after the last numeric binding).
    pub fn bind(mut self, value: impl Into<Value>) -> Self {
        let next = self
            .bindings
            .0
            .iter()
            .rev()
            .find_map(|p| match p {
                BindPair(BindKey::Numeric(i), _) => Some(i + 1),
                _ => None,
            })
            .unwrap_or(1);
        self.bindings.0.push(BindPair(BindKey::Numeric(next), value.into().into()));
        self
    }

    /// Binds by name (the host binds it at index 1, as the original does).
    pub fn bind_named(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.bindings.0.push(BindPair(BindKey::String(name.into()), value.into().into()));
        self
    }

    /// Sends the bindings and returns the row iterator.
    pub fn execute(self) -> QueryResult {
        let data = bincode::serialize(&self.bindings).unwrap();
        unsafe { sys::bind_value(self.id, data.as_ptr() as u32, data.len() as u32) };
        QueryResult { statement: self }
    }

    /// The statement id.
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl Drop for Statement {
    fn drop(&mut self) {
        unsafe { sys::sqlite3_finalize(self.id) }
    }
}

/// The rows of an executed statement.
pub struct QueryResult {
    statement: Statement,
}

impl QueryResult {
    /// The statement being iterated.
    pub fn statement(&self) -> &Statement {
        &self.statement
    }
}

impl Iterator for QueryResult {
    type Item = Vec<Value>;

    fn next(&mut self) -> Option<Vec<Value>> {
        match unsafe { sys::sqlite3_step(self.statement.id) } {
            101 => return None,
            100 => {}
            code => panic!("unexpected code {} from sqlite3_step", code),
        }
        let row: SqliteRow =
            call_host_alloc(|len| unsafe { sys::read_row(self.statement.id, len) }).unwrap();
        Some(row.0.into_iter().map(Value::from).collect())
    }
}
