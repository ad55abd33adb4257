//! Helpers shared by the test targets in tests/.
//!
//! The test functions themselves are plain `pub extern "C" fn` items whose export names are
//! written the way lunatic-rs' `#[lunatic::test]` macro writes them:
//! `#lunatic_test_` [`#ignore_`] [`#panic_` EXPECTED `#`] `module_path::function`,
//! with every `#` inside EXPECTED written as `\#`.

use std::io::Write;

/// Prints a panic report in the format of Rust 1.73 and later
/// (`thread 'NAME' panicked at FILE:LINE:COL:` then the message on its own line) and aborts,
/// which traps like a real panic on wasm32-wasi. The toolchain used here (1.63) prints the
/// older `panicked at 'MSG', FILE:LINE:COL` form itself.
pub fn panic_new_format(file: &str, line: u32, col: u32, msg: &str) -> ! {
    let mut err = std::io::stderr();
    let _ = write!(
        err,
        "thread '<unnamed>' panicked at {}:{}:{}:\n{}\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n",
        file, line, col, msg
    );
    let _ = err.flush();
    std::process::abort()
}

/// Makes a test wait until `n` tests have reached it, when the environment variable
/// BARRIER_DIR names a directory the test can write (each test creates one file there and
/// polls until there are n). Without BARRIER_DIR it returns at once. Used to prove that
/// tests run at the same time: with fewer than n running, the barrier never opens.
pub fn barrier(name: &str, n: usize) {
    let dir = match std::env::var("BARRIER_DIR") {
        Ok(d) => d,
        Err(_) => return,
    };
    std::fs::write(format!("{}/{}", dir, name), b"").expect("barrier file");
    loop {
        let count = std::fs::read_dir(&dir).expect("barrier dir").count();
        if count >= n {
            return;
        }
        guest::sleep_ms(2);
    }
}
