//go:build windows

package scheduler

import (
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

var procGetThreadTimes = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetThreadTimes")

// threadCPUTime returns the CPU time (user + kernel) consumed by the calling OS thread,
// counted by Windows in 100 ns units.
func threadCPUTime() time.Duration {
	var creation, exit, kernel, user windows.Filetime
	r, _, _ := procGetThreadTimes.Call(uintptr(windows.CurrentThread()),
		uintptr(unsafe.Pointer(&creation)), uintptr(unsafe.Pointer(&exit)),
		uintptr(unsafe.Pointer(&kernel)), uintptr(unsafe.Pointer(&user)))
	if r == 0 {
		return time.Duration(time.Now().UnixNano())
	}
	ticks := func(ft windows.Filetime) int64 { return int64(ft.HighDateTime)<<32 | int64(ft.LowDateTime) }
	return time.Duration((ticks(kernel) + ticks(user)) * 100)
}
