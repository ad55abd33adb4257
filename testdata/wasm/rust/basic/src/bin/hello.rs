//! Prints a greeting. Checks: _start, fd_write to stdout, exit status 0.
fn main() {
    println!("Hello, world!");
}
