//! `config FIXTURES_DIR SELF_WASM`: process configurations and guest-side compilation.
//! Checks: create_config ids and defaults, setters/getters, a child's args/env/preopen,
//! permission gates (create_config -1, compile_module -1, spawn without can_spawn fails the
//! child), compile_module of the program's own bytes and spawning from it, a garbage module
//! (code 1 + error), spawning a missing export (code 0, child fails), and a max_memory below
//! the initial memory (spawn code 1 + error text on stderr).
use guest::process::{i32_params, Spawn};
use guest::*;

/// A module exporting `run: () -> ()` and nothing else (no memory, no imports).
const TINY: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
    0x03, 0x02, 0x01, 0x00, // function section
    0x07, 0x07, 0x01, 0x03, b'r', b'u', b'n', 0x00, 0x00, // export "run"
    0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code: empty body
];

type Report = (Vec<String>, Vec<String>, String, Vec<String>, (i64, i32));

fn inspect((parent, dir): (u64, String)) {
    let args: Vec<String> = std::env::args().collect();
    let env: Vec<String> = std::env::vars().map(|(k, v)| format!("{}={}", k, v)).collect();
    let file = std::fs::read_to_string(format!("{}/hello.txt", dir)).expect("read fixture");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("read_dir fixture")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let create = Config::create_raw();
    let mut id = 0u64;
    let compile = unsafe { guest::sys::process::compile_module(TINY.as_ptr(), TINY.len(), &mut id) };
    let report: Report = (args, env, file, names, (create, compile));
    send(parent, 0, &report);
}

fn try_spawn(parent: u64) {
    send(parent, 0, &String::from("about to spawn"));
    let pid = spawn((), |_| {});
    send(parent, 0, &format!("spawned {}", pid != 0));
}

fn reply(parent: u64) {
    send(parent, 0, &String::from("hello from a process of the compiled module"));
}

/// Receives a module inside a message and spawns `run` from it.
fn module_user(parent: u64) {
    let msg = receive(&[], None);
    let index: u64 = msg.data();
    let module = guest::message::take_module(index);
    let (code, _) = Spawn::new().module(&module).raw("run", &[]);
    send(parent, 0, &(module.id(), code));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: config FIXTURES_DIR SELF_WASM");
        std::process::exit(2);
    }
    let (fixtures, self_wasm) = (&args[1], &args[2]);
    die_when_link_dies(false);
    let me = this();

    let c = Config::new().expect("main may create configs");
    println!("create_config: id {}", c.id());
    println!(
        "defaults: max_memory {} max_fuel {} compile {} create {} spawn {}",
        c.max_memory(),
        c.max_fuel(),
        c.can_compile_modules(),
        c.can_create_configs(),
        c.can_spawn_processes()
    );
    c.set_max_memory(2_000_000).set_max_fuel(5);
    c.set_can_compile_modules(true).set_can_create_configs(true).set_can_spawn_processes(true);
    println!(
        "after set: max_memory {} max_fuel {} compile {} create {} spawn {}",
        c.max_memory(),
        c.max_fuel(),
        c.can_compile_modules(),
        c.can_create_configs(),
        c.can_spawn_processes()
    );
    c.set_can_spawn_processes(false);
    println!("spawn flag cleared: {}", c.can_spawn_processes());

    let cfg = Config::new().unwrap();
    cfg.add_arg("child-argv0").add_arg("second");
    cfg.add_env("GREETING", "hi");
    cfg.preopen_dir(fixtures);
    spawn_with_config(&cfg, 0, (me, fixtures.clone()), inspect).expect("spawn inspect");
    let (cargs, cenv, file, names, (create, compile)): Report = recv();
    println!("child args: {:?}", cargs);
    println!("child env: {:?}", cenv);
    print!("child read hello.txt: {}", file);
    println!("child listed preopen: {:?}", names);
    println!("child create_config: {}", create);
    println!("child compile_module: {}", compile);

    let no_spawn = Config::new().unwrap();
    spawn_with_config(&no_spawn, 3001, me, try_spawn).unwrap();
    println!("child without can_spawn: {}", recv::<String>());
    println!("child without can_spawn then: {:?}", receive(&[], Some(5000)));
    let may_spawn = Config::new().unwrap();
    may_spawn.set_can_spawn_processes(true);
    spawn_with_config(&may_spawn, 3002, me, try_spawn).unwrap();
    println!("child with can_spawn: {}", recv::<String>());
    println!("child with can_spawn then: {}", recv::<String>());

    let own = std::fs::read(self_wasm).expect("read own wasm");
    let module = Module::compile(&own).expect("compile own bytes");
    println!("compile_module(own bytes): module id {}", module.id());
    Spawn::new().module(&module).link(3003).spawn(me, reply).unwrap();
    println!("child from compiled module: {}", recv::<String>());

    match Module::compile(b"definitely not wasm") {
        Err(CompileError::Error(e)) => {
            println!("compile garbage: code 1, error id {}, has text {}", e.id(), !e.text().is_empty());
            eprintln!("compile garbage error text: {}", e.text());
        }
        other => panic!("expected a compile error, got {:?}", other),
    }

    let tiny = Module::compile(TINY).expect("compile tiny module");
    println!("compile tiny module: module id {}", tiny.id());
    let user = spawn(me, module_user);
    guest::message::create(0, &[]);
    let index = guest::message::push_module(&tiny);
    guest::message::write(&encode(&index));
    guest::message::send_scratch(user);
    let (child_module_id, code): (u64, u32) = recv();
    println!("module sent in a message: slot {}, child's module id {}, child spawn code {}", index, child_module_id, code);
    let (code, _) = Spawn::new().module(&tiny).link(3004).raw("run", &[]);
    println!("spawn tiny 'run': code {}, then {:?}", code, receive(&[], Some(200)));
    let (code, _) = Spawn::new().module(&tiny).link(3005).raw("missing", &[]);
    println!("spawn missing export: code {}, then {:?}", code, receive(&[], Some(5000)));
    let (code, _) = Spawn::new().module(&tiny).link(3006).raw("run", &i32_params(&[1]));
    println!("spawn 'run' with one param too many: code {}, then {:?}", code, receive(&[], Some(5000)));

    let small = Config::new().unwrap();
    small.set_max_memory(65536);
    match spawn_with_config(&small, 3007, (), |_| {}) {
        Err(e) => {
            println!("spawn with max_memory 65536: code 1, error id {}", e.id());
            eprintln!("spawn error text: {}", e.text());
        }
        Ok(_) => panic!("spawn must fail when the initial memory exceeds max_memory"),
    }
    assert_eq!(receive(&[], Some(50)), Received::Timeout);
    println!("config: done");
}
