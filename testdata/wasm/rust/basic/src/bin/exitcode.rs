//! `exitcode N`: prints one line, then exits with status N via proc_exit.
fn main() {
    let code: i32 = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("argument must be an integer"))
        .unwrap_or(0);
    println!("exiting with {}", code);
    std::process::exit(code);
}
