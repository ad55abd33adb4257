//! trap::catch: a returned value comes back; a panic, an out-of-bounds access and a
//! trapping host call give None and the process keeps running; nesting works.
//! `catch exit` additionally calls std::process::exit(0) inside catch (expected: None).
use guest::*;

fn main() {
    println!("catch value: {:?}", catch(|| 40 + 2));
    println!("catch string: {:?}", catch(|| String::from("from inside")));
    println!("catch unit: {:?}", catch(|| ()));
    println!("catch panic: {:?}", catch(|| -> u32 { panic!("panic inside catch") }));
    println!("still running after panic");
    let oob = catch(|| unsafe {
        std::ptr::read_volatile((0xFFFF_FF00usize - std::env::args().count()) as *const u8)
    });
    println!("catch out-of-bounds: {:?}", oob);
    // Scratch area is empty after send, so get_tag traps inside the host.
    send(this(), 5, &1u64);
    let host_trap = catch(|| guest::message::scratch_tag());
    println!("catch host trap: {:?}", host_trap);
    println!("queued message survives: {}", recv_tag::<u64>(5));
    let nested = catch(|| catch(|| -> u8 { panic!("inner") }).is_none());
    println!("nested catch: {:?}", nested);
    let v: Vec<u64> = (0..1000).collect();
    println!("heap still usable: {}", v.iter().sum::<u64>());
    if std::env::args().nth(1).as_deref() == Some("exit") {
        println!("catch exit(0): {:?}", catch(|| std::process::exit(0)));
        println!("still running after exit inside catch");
    }
}
