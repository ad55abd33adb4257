//! Raw imports of `lunatic::sqlite`, with the parameter types lunatic-rs 0.14 declares
//! (`usize`/pointers are `i32` on wasm32; `u64` is `i64`). The length out-parameters are
//! declared `*mut u32` as in lunatic-rs, although the host writes 8 bytes there.
#![allow(missing_docs)]

#[link(wasm_import_module = "lunatic::sqlite")]
extern "C" {
    pub fn open(path: *const u8, path_len: usize, conn_id: *mut u64) -> u64;
    pub fn query_prepare(conn_id: u64, sql: *const u8, sql_len: u32) -> u64;
    pub fn execute(conn_id: u64, sql: *const u8, sql_len: u32) -> u32;
    pub fn bind_value(stmt_id: u64, data_ptr: u32, data_len: u32);
    pub fn sqlite3_changes(conn_id: u64) -> u32;
    pub fn statement_reset(stmt_id: u64);
    pub fn last_error(conn_id: u64, len_ptr: *mut u32) -> u32;
    pub fn sqlite3_finalize(stmt_id: u64);
    pub fn sqlite3_step(stmt_id: u64) -> u32;
    pub fn read_column(stmt_id: u64, col: u32, len_ptr: *mut u32) -> u32;
    pub fn column_names(stmt_id: u64, len_ptr: *mut u32) -> u32;
    pub fn read_row(stmt_id: u64, len_ptr: *mut u32) -> u32;
    pub fn column_count(stmt_id: u64) -> u32;
    pub fn column_name(stmt_id: u64, col: u32, len_ptr: *mut u32) -> u32;
}

/// Calls a host function that returns a buffer from `lunatic_alloc` and takes ownership
/// of it. The length slot is a `u64` whose low half is what a `*mut u32` guest sees, so
/// the 8-byte write of the host stays inside it.
pub fn take_host_bytes(f: impl FnOnce(*mut u32) -> u32) -> Vec<u8> {
    let mut len: u64 = 0;
    let ptr = f(&mut len as *mut u64 as *mut u32);
    let len = len as usize;
    unsafe { Vec::from_raw_parts(ptr as *mut u8, len, len) }
}
