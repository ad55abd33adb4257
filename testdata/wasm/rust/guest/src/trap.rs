//! Catching traps through the host trampoline (`lunatic::trap::catch`).

/// Runs `f`; returns `None` if it trapped (panic, OOB, proc_exit, ...), like
/// lunatic-rs `catch_panic`. Nothing is rolled back after a trap.
pub fn catch<R, F: FnOnce() -> R>(f: F) -> Option<R> {
    let boxed = Box::into_raw(Box::new(f)) as usize;
    let result = unsafe { crate::sys::trap::catch(reenter::<R, F> as usize, boxed) };
    if result == 0 {
        None
    } else {
        Some(*unsafe { Box::from_raw(result as *mut R) })
    }
}

/// Called through `_lunatic_catch_trap`: runs the boxed closure, returns a boxed result.
fn reenter<R, F: FnOnce() -> R>(pointer: usize) -> usize {
    let f = unsafe { Box::from_raw(pointer as *mut F) };
    Box::into_raw(Box::new(f())) as usize
}

#[export_name = "_lunatic_catch_trap"]
extern "C" fn lunatic_catch_trap(function: usize, pointer: usize) -> usize {
    let function: fn(usize) -> usize = unsafe { std::mem::transmute(function) };
    function(pointer)
}
