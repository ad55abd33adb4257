//! Process configurations and guest-compiled modules.

use crate::error::Error;
use crate::sys::{process as raw, wasi};

/// A config resource owned by the calling process (dropped with `drop_config`).
#[derive(Debug)]
pub struct Config {
    id: u64,
}

impl Config {
    /// `create_config`; `None` when the caller lacks `can_create_configs` (code -1).
    pub fn new() -> Option<Config> {
        let id = Self::create_raw();
        if id == -1 {
            None
        } else {
            assert!(id >= 0, "create_config returned {}", id);
            Some(Config { id: id as u64 })
        }
    }

    /// The raw result of `create_config` (a config id or -1). The id is leaked.
    pub fn create_raw() -> i64 {
        unsafe { raw::create_config() }
    }

    /// The config id.
    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn set_max_memory(&self, bytes: u64) -> &Self {
        unsafe { raw::config_set_max_memory(self.id, bytes) };
        self
    }
    pub fn max_memory(&self) -> u64 {
        unsafe { raw::config_get_max_memory(self.id) }
    }
    /// Fuel limit in units of 100 000; 0 = unlimited.
    pub fn set_max_fuel(&self, units: u64) -> &Self {
        unsafe { raw::config_set_max_fuel(self.id, units) };
        self
    }
    pub fn max_fuel(&self) -> u64 {
        unsafe { raw::config_get_max_fuel(self.id) }
    }
    pub fn set_can_compile_modules(&self, can: bool) -> &Self {
        unsafe { raw::config_set_can_compile_modules(self.id, can as u32) };
        self
    }
    pub fn can_compile_modules(&self) -> u32 {
        unsafe { raw::config_can_compile_modules(self.id) }
    }
    pub fn set_can_create_configs(&self, can: bool) -> &Self {
        unsafe { raw::config_set_can_create_configs(self.id, can as u32) };
        self
    }
    pub fn can_create_configs(&self) -> u32 {
        unsafe { raw::config_can_create_configs(self.id) }
    }
    pub fn set_can_spawn_processes(&self, can: bool) -> &Self {
        unsafe { raw::config_set_can_spawn_processes(self.id, can as u32) };
        self
    }
    pub fn can_spawn_processes(&self) -> u32 {
        unsafe { raw::config_can_spawn_processes(self.id) }
    }
    /// Appends `key=value` to the child's environment.
    pub fn add_env(&self, key: &str, value: &str) -> &Self {
        unsafe {
            wasi::config_add_environment_variable(
                self.id,
                key.as_ptr(),
                key.len(),
                value.as_ptr(),
                value.len(),
            )
        };
        self
    }
    /// Appends a command-line argument (the first one is the child's argv[0]).
    pub fn add_arg(&self, arg: &str) -> &Self {
        unsafe { wasi::config_add_command_line_argument(self.id, arg.as_ptr(), arg.len()) };
        self
    }
    /// Preopens a host directory under the same guest name.
    pub fn preopen_dir(&self, dir: &str) -> &Self {
        unsafe { wasi::config_preopen_dir(self.id, dir.as_ptr(), dir.len()) };
        self
    }
}

impl Drop for Config {
    fn drop(&mut self) {
        unsafe { raw::drop_config(self.id) }
    }
}

/// A module compiled by the guest (dropped with `drop_module`).
#[derive(Debug)]
pub struct Module {
    id: u64,
}

/// Why `compile_module` failed.
#[derive(Debug)]
pub enum CompileError {
    /// Code -1: the caller lacks `can_compile_modules`.
    PermissionDenied,
    /// Code 1: the bytes did not compile or link; the error resource.
    Error(Error),
}

impl Module {
    /// `compile_module` on raw wasm bytes.
    pub fn compile(wasm: &[u8]) -> Result<Module, CompileError> {
        let mut id = 0u64;
        let code = unsafe { raw::compile_module(wasm.as_ptr(), wasm.len(), &mut id) };
        match code {
            0 => Ok(Module { id }),
            -1 => Err(CompileError::PermissionDenied),
            1 => Err(CompileError::Error(Error::from_id(id))),
            other => panic!("compile_module returned {}", other),
        }
    }

    /// Takes ownership of a module id (dropped with `drop_module`).
    pub fn from_id(id: u64) -> Module {
        Module { id }
    }

    /// The module id.
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl Drop for Module {
    fn drop(&mut self) {
        unsafe { raw::drop_module(self.id) }
    }
}
