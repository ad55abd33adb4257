//! Prints argc, every argv entry, then for each argument after argv[0] the value of the
//! environment variable of that name. Checks: args_get, environ_get.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    println!("argc={}", args.len());
    for (i, a) in args.iter().enumerate() {
        println!("argv[{}]={}", i, a);
    }
    for name in args.iter().skip(1) {
        match std::env::var(name) {
            Ok(v) => println!("env {}={}", name, v),
            Err(_) => println!("env {} is not set", name),
        }
    }
}
