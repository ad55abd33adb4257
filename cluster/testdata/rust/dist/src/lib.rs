//! `lunatic::distributed` for the cluster test guests: the imports of lunatic-rs 0.14
//! (`src/host/api.rs`, `src/distributed.rs`) and its remote spawn protocol, on top of the
//! runtime's test binding crate.
//!
//! A process is addressed as [`Addr`] (node id, process id), which is also how lunatic-rs
//! serializes a `Process`. Sends to this node go through `lunatic::message::send`, sends to
//! another node through `lunatic::distributed::send`, as lunatic-rs decides by comparing
//! node ids.

use guest::codec::{encode, Msg};
use guest::process::{i32_params, ENTRY};
use guest::Error;

/// Raw imports of `lunatic::distributed`.
pub mod raw {
    #[link(wasm_import_module = "lunatic::distributed")]
    extern "C" {
        pub fn get_nodes(nodes_ptr: *mut u64, nodes_len: u32) -> u32;
        pub fn exec_lookup_nodes(
            query_ptr: *const u8,
            query_len: u32,
            query_id_ptr: *mut u64,
            node_len_ptr: *mut u64,
            error_ptr: *mut u64,
        ) -> u32;
        pub fn copy_lookup_nodes_results(
            query_id: u64,
            nodes_ptr: *mut u64,
            nodes_len: u32,
            error_ptr: *mut u64,
        ) -> i32;
        pub fn nodes_count() -> u32;
        pub fn node_id() -> u64;
        pub fn module_id() -> u64;
        pub fn send(node_id: u64, process_id: u64) -> u32;
        pub fn send_receive_skip_search(
            node_id: u64,
            process_id: u64,
            wait_on_tag: i64,
            timeout: u64,
        ) -> u32;
        pub fn spawn(
            node_id: u64,
            config_id: i64,
            module_id: u64,
            function: *const u8,
            function_len: usize,
            params: *const u8,
            params_len: usize,
            id: *mut u64,
        ) -> u32;
    }
}

/// A process anywhere in the cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Addr {
    pub node: u64,
    pub pid: u64,
}

impl Msg for Addr {
    fn put(&self, out: &mut Vec<u8>) {
        self.node.put(out);
        self.pid.put(out);
    }
    fn take(input: &mut &[u8]) -> Self {
        let node = u64::take(input);
        let pid = u64::take(input);
        Addr { node, pid }
    }
}

/// This node's id.
pub fn node_id() -> u64 {
    unsafe { raw::node_id() }
}

/// The cluster-wide id of this module.
pub fn module_id() -> u64 {
    unsafe { raw::module_id() }
}

/// The calling process.
pub fn this() -> Addr {
    Addr { node: node_id(), pid: guest::this() }
}

/// The live nodes, this one included.
pub fn nodes() -> Vec<u64> {
    let count = unsafe { raw::nodes_count() } as usize;
    let mut ids = vec![0u64; count];
    let copied = unsafe { raw::get_nodes(ids.as_mut_ptr(), count as u32) } as usize;
    ids.truncate(copied);
    ids
}

/// The live nodes other than this one.
pub fn other_nodes() -> Vec<u64> {
    let me = node_id();
    nodes().into_iter().filter(|n| *n != me).collect()
}

/// The nodes whose tags match a URL query (`name=a&role=worker`).
pub fn lookup_nodes(query: &str) -> Result<Vec<u64>, Error> {
    let (mut query_id, mut count, mut err) = (0u64, 0u64, 0u64);
    let code = unsafe {
        raw::exec_lookup_nodes(query.as_ptr(), query.len() as u32, &mut query_id, &mut count, &mut err)
    };
    if code != 0 {
        return Err(Error::from_id(err));
    }
    let mut ids = vec![0u64; count as usize];
    let copied = unsafe {
        raw::copy_lookup_nodes_results(query_id, ids.as_mut_ptr(), count as u32, &mut err)
    };
    if copied < 0 {
        return Err(Error::from_id(err));
    }
    ids.truncate(copied as usize);
    Ok(ids)
}

/// Sends the message built in the scratch area to `to`; returns the raw code.
pub fn send_scratch(to: Addr) -> u32 {
    if to.node == node_id() {
        unsafe { guest::sys::message::send(to.pid) }
    } else {
        unsafe { raw::send(to.node, to.pid) }
    }
}

/// Sends `value` with `tag` (0 = untagged) to `to`.
pub fn send<T: Msg>(to: Addr, tag: i64, value: &T) {
    guest::message::create(tag, &encode(value));
    let code = send_scratch(to);
    assert_eq!(code, 0, "send returned {}", code);
}

/// Sends `value` to a process on another node and waits up to `timeout_ms` for the
/// reply tagged `tag` (`lunatic::distributed::send_receive_skip_search`).
pub fn request<T: Msg, R: Msg>(to: Addr, tag: i64, value: &T, timeout_ms: u64) -> Option<R> {
    guest::message::create(tag, &encode(value));
    let code = unsafe { raw::send_receive_skip_search(to.node, to.pid, tag, timeout_ms) };
    match code {
        0 => Some(guest::codec::decode(&guest::message::read_scratch())),
        9027 => None,
        other => panic!("send_receive_skip_search returned {}", other),
    }
}

/// Runs in the child: receives the capture (unless zero-sized) and calls the entry.
fn wrapper<C: Msg>(entry: i32) {
    let capture = if std::mem::size_of::<C>() == 0 {
        C::take(&mut &[][..])
    } else {
        guest::recv::<C>()
    };
    let entry: fn(C) = unsafe { std::mem::transmute(entry as usize) };
    entry(capture);
}

/// Calls `lunatic::distributed::spawn` for `entry(capture)` with any module id; returns the
/// raw code and the id written (process id or error id).
pub fn spawn_raw<C: Msg>(node: u64, module: u64, entry: fn(C)) -> (u32, u64) {
    spawn_raw_config(node, -1, module, entry)
}

/// [`spawn_raw`] with a config (`-1`: the spawning process's own).
pub fn spawn_raw_config<C: Msg>(node: u64, config: i64, module: u64, entry: fn(C)) -> (u32, u64) {
    let params = i32_params(&[wrapper::<C> as usize as i32, entry as usize as i32]);
    let mut id = 0u64;
    let code = unsafe {
        raw::spawn(
            node,
            config,
            module,
            ENTRY.as_ptr(),
            ENTRY.len(),
            params.as_ptr(),
            params.len(),
            &mut id,
        )
    };
    (code, id)
}

/// Spawns `entry(capture)` on `node` from this module (lunatic-rs `Process::spawn_node`).
pub fn spawn_on<C: Msg>(node: u64, capture: C, entry: fn(C)) -> Result<Addr, (u32, Error)> {
    spawn_config_on(node, -1, capture, entry)
}

/// Spawns `entry(capture)` on `node` from this module with the config `config` (lunatic-rs
/// `Process::spawn_node_config`; `-1`: the spawning process's own config).
pub fn spawn_config_on<C: Msg>(
    node: u64,
    config: i64,
    capture: C,
    entry: fn(C),
) -> Result<Addr, (u32, Error)> {
    match spawn_raw_config(node, config, module_id(), entry) {
        (0, pid) => {
            let child = Addr { node, pid };
            if std::mem::size_of::<C>() != 0 {
                send(child, 0, &capture);
            }
            Ok(child)
        }
        (code, err) => Err((code, Error::from_id(err))),
    }
}
