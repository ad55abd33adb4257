//! Prints one line, then loads from an address far beyond linear memory: an
//! out-of-bounds memory access trap.
fn main() {
    println!("before oob");
    // Derived from argc so the compiler cannot see the address.
    let addr = 0xFFFF_FF00usize - std::env::args().count();
    let value = unsafe { std::ptr::read_volatile(addr as *const u8) };
    println!("unreachable: read {}", value);
}
