//! Tests that never end on their own: the runner's limit must stop them, and only them.

fn spin() -> ! {
    let mut n = 0u64;
    loop {
        // Volatile so the loop is not optimised away.
        unsafe { std::ptr::write_volatile(&mut n, n.wrapping_add(1)) };
    }
}

#[export_name = concat!("#lunatic_test_", module_path!(), "::spins_forever")]
pub extern "C" fn spins_forever() {
    println!("spinning");
    spin();
}

// A limit is not a panic: this must fail although it expects a panic.
#[export_name = concat!("#lunatic_test_#panic_#", module_path!(), "::spins_should_panic")]
pub extern "C" fn spins_should_panic() {
    spin();
}

#[export_name = concat!("#lunatic_test_", module_path!(), "::quick")]
pub extern "C" fn quick() {
    println!("quick is done");
}

// Sleeps in a WASI call, which a kill may not interrupt: the runner must give up waiting
// for it after its time limit (and a grace period) and carry on.
#[export_name = concat!("#lunatic_test_", module_path!(), "::sleeps_in_wasi")]
pub extern "C" fn sleeps_in_wasi() {
    println!("going to sleep");
    std::thread::sleep(std::time::Duration::from_secs(3));
}
