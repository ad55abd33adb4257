//! The debug-profile benchmark guest: `spawner` and `child` as in ../rust (the spawn row
//! measures the same thing for both guests), inside a program with the bulk of a typical
//! lunatic-rs application: message types with serde derives encoded three ways, handlers
//! behind trait objects, callbacks in closures (src/generated.rs, written by gen.go).
//! `exercise` runs all of it, so the linker keeps it and a test can check it works.
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::marker::PhantomData;

use guest::message;
use guest::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

mod generated;

/// Spawns `child(me)` n times, each time waiting for the child's message (as ../rust).
#[no_mangle]
pub extern "C" fn spawner(n: u64) {
    let params = i64_param(this());
    for _ in 0..n {
        let (code, _) = Spawn::new().raw("child", &params);
        assert_eq!(code, 0, "spawn failed");
        let _ = receive(&[], None);
    }
}

/// Sends an empty message to its parent and returns.
#[no_mangle]
pub extern "C" fn child(parent: u64) {
    message::send_bytes(parent, 0, &[]);
}

/// One spawn argument record: an i64 (type code 0x7E, then a little-endian u128).
fn i64_param(v: u64) -> Vec<u8> {
    let mut out = vec![0x7E];
    out.extend_from_slice(&(v as u128).to_le_bytes());
    out
}

/// Runs every handler, command and callback once with `seed` and panics unless exactly
/// `want_ok` handlers round-tripped their message unchanged and `want_calls` commands and
/// callbacks ran.
#[no_mangle]
pub extern "C" fn exercise(seed: u64, want_ok: u64, want_calls: u64) {
    let mut r = Registry::default();
    generated::register_all(&mut r);
    let mut ok = 0u64;
    for h in &r.handlers {
        match h.roundtrip(seed) {
            Ok(_) => ok += 1,
            Err(e) => eprintln!("{}: {}", h.name(), e),
        }
        assert!(!h.describe(seed).is_empty());
    }
    let mut calls = 0u64;
    for (name, f) in &r.callbacks {
        let _ = f(name.as_bytes());
        calls += 1;
    }
    for c in &mut r.commands {
        let _ = c.run(c.name().as_bytes());
        assert!(c.cost() > 0, "{} did not count its run", c.name());
        calls += 1;
    }
    assert_eq!((ok, calls), (want_ok, want_calls), "handlers round-tripped, calls made");
}

/// A wire format for messages.
pub trait Format {
    /// Name for logs.
    const NAME: &'static str;
    /// Encodes a value.
    fn encode<T: Serialize>(v: &T) -> Result<Vec<u8>, String>;
    /// Decodes a value.
    fn decode<T: DeserializeOwned>(b: &[u8]) -> Result<T, String>;
}

/// bincode 1, lunatic-rs's default serializer.
pub struct Bincode;
impl Format for Bincode {
    const NAME: &'static str = "bincode";
    fn encode<T: Serialize>(v: &T) -> Result<Vec<u8>, String> {
        bincode::serialize(v).map_err(|e| e.to_string())
    }
    fn decode<T: DeserializeOwned>(b: &[u8]) -> Result<T, String> {
        bincode::deserialize(b).map_err(|e| e.to_string())
    }
}

/// MessagePack (rmp-serde), lunatic-rs's `msgpack_serializer` feature.
pub struct MsgPack;
impl Format for MsgPack {
    const NAME: &'static str = "msgpack";
    fn encode<T: Serialize>(v: &T) -> Result<Vec<u8>, String> {
        rmp_serde::to_vec(v).map_err(|e| e.to_string())
    }
    fn decode<T: DeserializeOwned>(b: &[u8]) -> Result<T, String> {
        rmp_serde::from_slice(b).map_err(|e| e.to_string())
    }
}

/// JSON (serde_json), lunatic-rs's `json_serializer` feature.
pub struct Json;
impl Format for Json {
    const NAME: &'static str = "json";
    fn encode<T: Serialize>(v: &T) -> Result<Vec<u8>, String> {
        serde_json::to_vec(v).map_err(|e| e.to_string())
    }
    fn decode<T: DeserializeOwned>(b: &[u8]) -> Result<T, String> {
        serde_json::from_slice(b).map_err(|e| e.to_string())
    }
}

/// A message type the generated code can make samples of.
pub trait Sample: Serialize + DeserializeOwned + Debug + PartialEq + Clone {
    /// A value derived from `seed`.
    fn sample(seed: u64) -> Self;
}

/// A handler behind a trait object.
pub trait Handler {
    /// Its name.
    fn name(&self) -> String;
    /// Encodes a sample, decodes it and compares; returns the encoded size.
    fn roundtrip(&self, seed: u64) -> Result<usize, String>;
    /// The sample's Debug text.
    fn describe(&self, seed: u64) -> String;
}

/// Round-trips `T` through `F`.
pub struct Codec<T, F> {
    label: &'static str,
    _p: PhantomData<(T, F)>,
}

impl<T, F> Codec<T, F> {
    /// A codec with a label.
    pub fn new(label: &'static str) -> Self {
        Codec { label, _p: PhantomData }
    }
}

impl<T: Sample, F: Format> Handler for Codec<T, F> {
    fn name(&self) -> String {
        format!("{}/{}", self.label, F::NAME)
    }
    fn roundtrip(&self, seed: u64) -> Result<usize, String> {
        let v = T::sample(seed);
        let bytes = F::encode(&v)?;
        let back: T = F::decode(&bytes)?;
        if back != v {
            return Err(format!("decoded {:?}, want {:?}", back, v));
        }
        Ok(bytes.len())
    }
    fn describe(&self, seed: u64) -> String {
        format!("{:?}", T::sample(seed))
    }
}

/// A command behind a trait object, with state.
pub trait Command {
    /// Its name.
    fn name(&self) -> &'static str;
    /// Runs it on some bytes.
    fn run(&mut self, input: &[u8]) -> u64;
    /// What it has cost so far.
    fn cost(&self) -> u32;
}

/// A callback over a message's bytes.
pub type Callback = Box<dyn Fn(&[u8]) -> u64>;

/// Everything the generated code registers.
#[derive(Default)]
pub struct Registry {
    /// Codecs.
    pub handlers: Vec<Box<dyn Handler>>,
    /// Commands.
    pub commands: Vec<Box<dyn Command>>,
    /// Named callbacks.
    pub callbacks: BTreeMap<String, Callback>,
}

impl Registry {
    /// Adds a handler.
    pub fn add(&mut self, h: Box<dyn Handler>) {
        self.handlers.push(h);
    }
    /// Adds a command.
    pub fn command(&mut self, c: Box<dyn Command>) {
        self.commands.push(c);
    }
    /// Adds a callback.
    pub fn on(&mut self, name: &str, f: Callback) {
        self.callbacks.insert(name.to_string(), f);
    }
}

fn main() {}
