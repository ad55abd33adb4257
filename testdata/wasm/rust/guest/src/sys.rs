//! Raw host imports, one Rust module per lunatic host module.
//!
//! Names, parameter order and wasm types match the imports of lunatic-rs 0.14.1
//! (see docs/abi/README.md). On wasm32 `usize` and pointers are `i32`, `u64`/`i64`
//! are `i64`. Only the functions a program actually calls end up in its import section.
#![allow(missing_docs)]

pub mod error {
    #[link(wasm_import_module = "lunatic::error")]
    extern "C" {
        pub fn string_size(error_id: u64) -> u32;
        pub fn to_string(error_id: u64, error_str: *mut u8);
        pub fn drop(error_id: u64);
    }
}

pub mod message {
    #[link(wasm_import_module = "lunatic::message")]
    extern "C" {
        pub fn create_data(tag: i64, capacity: u64);
        pub fn write_data(data: *const u8, data_len: usize) -> usize;
        pub fn read_data(data: *mut u8, data_len: usize) -> usize;
        pub fn seek_data(position: u64);
        pub fn get_tag() -> i64;
        pub fn get_process_id() -> u64;
        pub fn data_size() -> u64;
        pub fn push_module(module_id: u64) -> u64;
        pub fn take_module(index: u64) -> u64;
        pub fn push_tcp_stream(stream_id: u64) -> u64;
        pub fn take_tcp_stream(index: u64) -> u64;
        pub fn push_tls_stream(stream_id: u64) -> u64;
        pub fn take_tls_stream(index: u64) -> u64;
        pub fn push_udp_socket(socket_id: u64) -> u64;
        pub fn take_udp_socket(index: u64) -> u64;
        pub fn send(process_id: u64) -> u32;
        pub fn send_receive_skip_search(process_id: u64, wait_on_tag: i64, timeout: u64) -> u32;
        pub fn receive(tags: *const i64, tag_len: usize, timeout: u64) -> u32;
    }
}

pub mod timer {
    #[link(wasm_import_module = "lunatic::timer")]
    extern "C" {
        pub fn send_after(process_id: u64, delay_ms: u64) -> u64;
        pub fn cancel_timer(timer_id: u64) -> u32;
    }
}

pub mod process {
    #[link(wasm_import_module = "lunatic::process")]
    extern "C" {
        pub fn compile_module(data: *const u8, data_len: usize, id: *mut u64) -> i32;
        pub fn drop_module(module_id: u64);
        pub fn create_config() -> i64;
        pub fn drop_config(config_id: u64);
        pub fn config_set_max_memory(config_id: u64, max_memory: u64);
        pub fn config_get_max_memory(config_id: u64) -> u64;
        pub fn config_set_max_fuel(config_id: u64, max_fuel: u64);
        pub fn config_get_max_fuel(config_id: u64) -> u64;
        pub fn config_can_compile_modules(config_id: u64) -> u32;
        pub fn config_set_can_compile_modules(config_id: u64, can: u32);
        pub fn config_can_create_configs(config_id: u64) -> u32;
        pub fn config_set_can_create_configs(config_id: u64, can: u32);
        pub fn config_can_spawn_processes(config_id: u64) -> u32;
        pub fn config_set_can_spawn_processes(config_id: u64, can: u32);
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
        pub fn get_or_spawn(
            name: *const u8,
            name_len: usize,
            link: i64,
            config_id: i64,
            module_id: i64,
            function: *const u8,
            function_len: usize,
            params: *const u8,
            params_len: usize,
            node_id: *mut u64,
            id: *mut u64,
        ) -> u32;
        pub fn sleep_ms(millis: u64);
        pub fn die_when_link_dies(trap: u32);
        pub fn process_id() -> u64;
        pub fn environment_id() -> u64;
        pub fn link(tag: i64, process_id: u64);
        pub fn unlink(process_id: u64);
        pub fn monitor(process_id: u64);
        pub fn stop_monitoring(process_id: u64);
        pub fn kill(process_id: u64);
        pub fn exists(process_id: u64) -> i32;
    }
}

pub mod registry {
    #[link(wasm_import_module = "lunatic::registry")]
    extern "C" {
        pub fn put(name: *const u8, name_len: usize, node_id: u64, process_id: u64);
        pub fn get(
            name: *const u8,
            name_len: usize,
            node_id: *mut u64,
            process_id: *mut u64,
        ) -> u32;
        pub fn remove(name: *const u8, name_len: usize);
    }
}

pub mod version {
    #[link(wasm_import_module = "lunatic::version")]
    extern "C" {
        pub fn major() -> u32;
        pub fn minor() -> u32;
        pub fn patch() -> u32;
    }
}

pub mod trap {
    #[link(wasm_import_module = "lunatic::trap")]
    extern "C" {
        pub fn catch(function: usize, pointer: usize) -> usize;
    }
}

pub mod wasi {
    #[link(wasm_import_module = "lunatic::wasi")]
    extern "C" {
        pub fn config_add_environment_variable(
            config_id: u64,
            key: *const u8,
            key_len: usize,
            value: *const u8,
            value_len: usize,
        );
        pub fn config_add_command_line_argument(config_id: u64, arg: *const u8, arg_len: usize);
        pub fn config_preopen_dir(config_id: u64, dir: *const u8, dir_len: usize);
    }
}

pub mod distributed {
    #[link(wasm_import_module = "lunatic::distributed")]
    extern "C" {
        pub fn node_id() -> u64;
        pub fn module_id() -> u64;
    }
}
