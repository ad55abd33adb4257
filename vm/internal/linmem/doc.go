// Package linmem backs wazero linear memories with mmap reservations that
// live outside the Go heap, enforce a per-process byte limit and are recycled
// through a bounded pool.
//
// Every memory gets a region of a power-of-two size class (64 KiB, 128 KiB,
// …) big enough for its current size, mapped PROT_READ|PROT_WRITE with
// MAP_NORESERVE: untouched pages cost neither RAM nor commit charge, growth
// inside the class is a re-slice of the same base address (no syscall), and
// growth past it moves the mapping to the next class with mremap (the pages
// move, nothing is copied; wazero takes the new buffer from Reallocate and
// reloads its cached base). So a memory holds address space near its size,
// not near its maximum: a million small memories fit. Regions merge with
// their neighbours into few kernel mappings. Freed regions are cleared with
// madvise(MADV_DONTNEED), so they read back as zero on reuse.
//
// Because the base address can change, these memories cannot back a shared
// (threads) memory; the runtime does not enable threads.
//
// That is Linux. macOS and FreeBSD map the same way and clear a freed region by mapping
// it afresh in place (MAP_FIXED). Windows reserves the region with VirtualAlloc and
// commits pages as the memory grows, decommitting them when the region is freed. Limits
// and results are the same on all of them (see RATIONALE.md, "Platforms"); other systems
// compile but every allocation fails with ErrMap.
//
// # Use
//
// One Allocator per process, created with the process's max_memory:
//
//	a := pool.Allocator(cfg.MaxMemory)
//	mod, err := linmem.Instantiate(ctx, rt, compiled, modCfg, a)
//	if err != nil { ... } // errors.Is(err, linmem.ErrMemoryLimit) / ErrMap
//	... run the guest on its own goroutine ...
//	_ = mod.Close(ctx) // only from that goroutine, after its call returned
//	a.Release()
//
// # Failure contract
//
// wazero's MemoryAllocator cannot return an error, so:
//
//   - If mmap fails, the initial Reallocate (and every later one) returns
//     nil; Allocator.Err then reports an error wrapping ErrMap. A failed
//     move at run time only refuses that memory.grow.
//   - If the module's initial memory is larger than min(limit, Reserve),
//     the first Reallocate returns nil; Err reports ErrMemoryLimit.
//   - In both cases wazero panics inside InstantiateModule (it slices the
//     nil buffer). Instantiate recovers that panic and returns Err; callers
//     that call wazero themselves must do the same.
//   - A refused memory.grow at run time is not an error: Reallocate returns
//     nil and the guest sees -1.
//
// wazero does not free the memory of an instantiation that fails after the
// memory was built (data segment out of bounds, trapping start function), so
// Allocator.Release must be called once the instance is gone or never came
// to be. Instantiate does it on failure; Release is idempotent.
//
// A memory must never be freed (module Close) while a goroutine still runs
// the guest: its region would be handed to another process.
package linmem
