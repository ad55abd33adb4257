//! One test of every kind the runner must judge: passing, failing, ignored, should_panic with
//! and without expected text (old and new panic formats), output on stdout and stderr, a lot
//! of output, a trap, proc_exit with zero and non-zero codes, and a child process whose
//! output belongs to the test that spawned it.

#[export_name = concat!("#lunatic_test_", module_path!(), "::passes")]
pub extern "C" fn passes() {
    println!("hello from passes");
}

#[export_name = concat!("#lunatic_test_", module_path!(), "::fails")]
pub extern "C" fn fails() {
    println!("about to fail");
    assert_eq!(1 + 1, 3, "arithmetic is broken");
}

#[export_name = concat!("#lunatic_test_#ignore_", module_path!(), "::ignored")]
pub extern "C" fn ignored() {
    println!("ignored test ran");
}

#[export_name = concat!("#lunatic_test_#panic_#", module_path!(), "::should_panic_any")]
pub extern "C" fn should_panic_any() {
    panic!("boom");
}

#[export_name = concat!("#lunatic_test_#panic_expected text#", module_path!(), "::should_panic_expected")]
pub extern "C" fn should_panic_expected() {
    panic!("this has the expected text inside");
}

#[export_name = concat!("#lunatic_test_#panic_new style#", module_path!(), "::should_panic_new_format")]
pub extern "C" fn should_panic_new_format() {
    testmode::panic_new_format("tests/suite.rs", 38, 5, "a panic in the new style");
}

#[export_name = concat!("#lunatic_test_#panic_needle#", module_path!(), "::should_panic_wrong_message")]
pub extern "C" fn should_panic_wrong_message() {
    panic!("haystack");
}

#[export_name = concat!("#lunatic_test_#panic_#", module_path!(), "::should_panic_no_panic")]
pub extern "C" fn should_panic_no_panic() {
    println!("returning normally");
}

#[export_name = concat!("#lunatic_test_#panic_a\\#b#", module_path!(), "::should_panic_hash")]
pub extern "C" fn should_panic_hash() {
    panic!("x a#b y");
}

#[export_name = concat!("#lunatic_test_", module_path!(), "::prints_a_lot")]
pub extern "C" fn prints_a_lot() {
    for i in 0..2000 {
        println!("line {} of prints_a_lot", i);
    }
    panic!("printed a lot");
}

#[export_name = concat!("#lunatic_test_", module_path!(), "::traps")]
pub extern "C" fn traps() {
    println!("before trap");
    let v = unsafe { std::ptr::read_volatile(0xFFFF_FFF0usize as *const u64) };
    println!("not reached {}", v);
}

#[export_name = concat!("#lunatic_test_", module_path!(), "::exits_nonzero")]
pub extern "C" fn exits_nonzero() {
    println!("exiting with 3");
    std::process::exit(3);
}

#[export_name = concat!("#lunatic_test_", module_path!(), "::exits_zero")]
pub extern "C" fn exits_zero() {
    std::process::exit(0);
}

#[export_name = concat!("#lunatic_test_", module_path!(), "::writes_stderr")]
pub extern "C" fn writes_stderr() {
    println!("to stdout");
    eprintln!("to stderr");
    panic!("stderr test failed");
}

fn child((name, parent): (String, u64)) {
    println!("child of {} says hi", name);
    guest::send(parent, 0, &name);
}

#[export_name = concat!("#lunatic_test_", module_path!(), "::spawns_child")]
pub extern "C" fn spawns_child() {
    guest::spawn((String::from("spawns_child"), guest::this()), child);
    let back: String = guest::recv();
    println!("child answered for {}", back);
}

pub mod nested {
    #[export_name = concat!("#lunatic_test_", module_path!(), "::inner_passes")]
    pub extern "C" fn inner_passes() {}
}
