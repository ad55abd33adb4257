//! Prints one line, then panics: the panic message goes to stderr and the process traps
//! (`unreachable`, panic=abort).
fn main() {
    println!("before panic");
    panic!("guest panic: boom");
}
