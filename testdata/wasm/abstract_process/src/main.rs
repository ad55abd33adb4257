//! A guest shaped like a lunatic-rs `AbstractProcess` started with a config of
//! `max_memory 1_500_000` and `max_fuel 1` (100,000 wasm operators), as the lunatic-rs
//! `distributed` example starts its server. It calls the lunatic host ABI directly, the
//! way lunatic-rs 0.14 does: the child is spawned through the
//! `_lunatic_spawn_by_index_0.14.1` export, gets its start argument as its first message,
//! runs `init`, reports that it started, then serves requests until told to stop. Every
//! message is MessagePack (rmp-serde), lunatic-rs's serializer for `AbstractProcess`.
//!
//! Built in the debug profile (see build.sh): unoptimised code is full of small functions
//! that return early and `if`s whose short arm runs, which a fuel count must not charge
//! for the code that did not run.
use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

mod sys {
    #[link(wasm_import_module = "lunatic::process")]
    extern "C" {
        pub fn create_config() -> i64;
        pub fn config_set_max_memory(config_id: u64, max_memory: u64);
        pub fn config_set_max_fuel(config_id: u64, max_fuel: u64);
        pub fn spawn(
            link: i64,
            config_id: i64,
            module_id: i64,
            function: *const u8,
            function_len: usize,
            params: *const u8,
            params_len: usize,
            id: *mut u64,
        ) -> u32;
        pub fn process_id() -> u64;
    }

    #[link(wasm_import_module = "lunatic::message")]
    extern "C" {
        pub fn create_data(tag: i64, capacity: u64);
        pub fn write_data(data: *const u8, data_len: usize) -> usize;
        pub fn read_data(data: *mut u8, data_len: usize) -> usize;
        pub fn data_size() -> u64;
        pub fn send(process_id: u64) -> u32;
        pub fn receive(tags: *const i64, tag_len: usize, timeout: u64) -> u32;
    }
}

/// Sends `value`, serialized with MessagePack, to process `to` with `tag`.
fn send<T: Serialize>(to: u64, tag: i64, value: &T) {
    let bytes = rmp_serde::to_vec(value).expect("serialize a message");
    unsafe {
        sys::create_data(tag, bytes.len() as u64);
        sys::write_data(bytes.as_ptr(), bytes.len());
        sys::send(to);
    }
}

/// Waits for a data message (with `tag`, or any) and deserializes it.
fn receive<T: DeserializeOwned>(tag: Option<i64>) -> T {
    let tags: Vec<i64> = tag.into_iter().collect();
    let code = unsafe { sys::receive(tags.as_ptr(), tags.len(), u64::MAX) };
    assert_eq!(code, 0, "receive returned {}", code);
    let size = unsafe { sys::data_size() } as usize;
    let mut buf = vec![0u8; size];
    unsafe { sys::read_data(buf.as_mut_ptr(), size) };
    rmp_serde::from_slice(&buf).expect("deserialize a message")
}

/// The spawn entry of lunatic-rs 0.14.1: calls the function at table index `function`
/// with `arg`.
#[export_name = "_lunatic_spawn_by_index_0.14.1"]
extern "C" fn spawn_by_index(function: i32, arg: i32) {
    let function: fn(i32) = unsafe { std::mem::transmute(function as usize) };
    function(arg);
}

/// Spawns `entry(arg)` with a config and a link tag; returns the child's id.
fn spawn_with(config: i64, link: i64, entry: fn(i32), arg: i32) -> u64 {
    let mut params = Vec::new();
    for v in [entry as usize as i32, arg] {
        params.push(0x7Fu8); // an i32, as a 17-byte record
        params.extend_from_slice(&(v as i128 as u128).to_le_bytes());
    }
    let name = "_lunatic_spawn_by_index_0.14.1";
    let mut id = 0u64;
    let code = unsafe {
        sys::spawn(link, config, -1, name.as_ptr(), name.len(), params.as_ptr(), params.len(), &mut id)
    };
    assert_eq!(code, 0, "spawn failed");
    id
}

/// What lunatic-rs's `AbstractProcess` asks of a server: its start argument, its state
/// built by `init`, and request handling.
trait AbstractProcess: Sized {
    type Arg: Serialize + DeserializeOwned;
    type Request: Serialize + DeserializeOwned;
    type Response: Serialize + DeserializeOwned;

    fn init(arg: Self::Arg) -> Result<Self, String>;
    /// Handles a request; true stops the server after the reply.
    fn handle(&mut self, request: Self::Request) -> (Self::Response, bool);
}

/// The first message a server gets: who started it, the tag to answer on, the argument.
#[derive(Serialize, Deserialize)]
struct Start<A> {
    parent: u64,
    tag: i64,
    arg: A,
}

/// A request with where to send the reply.
#[derive(Serialize, Deserialize)]
struct Envelope<R> {
    reply_to: u64,
    tag: i64,
    request: R,
}

/// The server process's body: receive the start message, init, report, serve.
fn serve<S: AbstractProcess>(_: i32) {
    let start: Start<S::Arg> = receive(None);
    let mut state = match S::init(start.arg) {
        Ok(state) => {
            send(start.parent, start.tag, &Ok::<(), String>(()));
            state
        }
        Err(e) => {
            send(start.parent, start.tag, &Err::<(), String>(e));
            return;
        }
    };
    loop {
        let env: Envelope<S::Request> = receive(None);
        let (response, stop) = state.handle(env.request);
        send(env.reply_to, env.tag, &response);
        if stop {
            return;
        }
    }
}

/// A handle to a started server.
struct ProcessRef<S> {
    id: u64,
    next_tag: i64,
    _server: std::marker::PhantomData<S>,
}

impl<S: AbstractProcess> ProcessRef<S> {
    /// Spawns the server linked, with a config, and waits until its init has run.
    fn start_with(config: i64, arg: S::Arg) -> Result<Self, String> {
        let id = spawn_with(config, 1, serve::<S>, 0);
        let me = unsafe { sys::process_id() };
        let tag = 100;
        send(id, 0, &Start { parent: me, tag, arg });
        receive::<Result<(), String>>(Some(tag))?;
        Ok(ProcessRef { id, next_tag: tag + 1, _server: std::marker::PhantomData })
    }

    /// Sends a request and waits for its reply.
    fn request(&mut self, request: S::Request) -> S::Response {
        let tag = self.next_tag;
        self.next_tag += 1;
        let me = unsafe { sys::process_id() };
        send(self.id, 0, &Envelope { reply_to: me, tag, request });
        receive(Some(tag))
    }
}

/// The server: an inventory of named counters.
struct Inventory {
    owner: String,
    items: BTreeMap<String, u64>,
}

#[derive(Serialize, Deserialize, Debug)]
enum Request {
    Add { item: String, count: u64 },
    Get(String),
    Report,
    Stop,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
enum Response {
    Added { item: String, now: u64 },
    Count(Option<u64>),
    Report(String),
    Stopping,
}

impl AbstractProcess for Inventory {
    type Arg = String;
    type Request = Request;
    type Response = Response;

    fn init(owner: String) -> Result<Self, String> {
        if owner.is_empty() {
            return Err("no owner".to_string());
        }
        let mut items = BTreeMap::new();
        items.insert("apples".to_string(), 3);
        items.insert("pears".to_string(), 5);
        Ok(Inventory { owner, items })
    }

    fn handle(&mut self, request: Request) -> (Response, bool) {
        match request {
            Request::Add { item, count } => {
                let now = self.items.entry(item.clone()).or_insert(0);
                *now += count;
                (Response::Added { item, now: *now }, false)
            }
            Request::Get(item) => (Response::Count(self.items.get(&item).copied()), false),
            Request::Report => {
                let list: Vec<String> = self.items.iter().map(|(k, v)| format!("{}={}", k, v)).collect();
                (Response::Report(format!("{}: {}", self.owner, list.join(", "))), false)
            }
            Request::Stop => (Response::Stopping, true),
        }
    }
}

fn main() {
    // The budget in units of 100,000 operators: 1, unless the first argument says
    // otherwise (tests measure what the server uses with a larger one).
    let max_fuel = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1u64);
    let config = unsafe { sys::create_config() };
    unsafe {
        sys::config_set_max_memory(config as u64, 1_500_000);
        sys::config_set_max_fuel(config as u64, max_fuel);
    }
    let mut server = ProcessRef::<Inventory>::start_with(config, "shop".to_string()).expect("init failed");
    println!("started: the server ran init under max_fuel {}", max_fuel);
    let reply = server.request(Request::Get("apples".to_string()));
    println!("reply: {:?}", reply);
    // The server lives on, waiting for the next request, until lunatic exits.
}
