// Package sandboxfs is a confined host directory for WASI preopens.
//
// wazero's own DirFS joins guest paths onto the host directory and lets the
// operating system follow symbolic links, so a link inside a preopen (or one
// the guest creates itself) reaches anywhere on the host. This package
// resolves every path with Go's [os.Root] instead, which refuses any lookup
// that would leave the directory, including through symbolic links, and
// implements wazero's experimental sys.FS and sys.File on top of it.
//
// Usage:
//
//	fsys, err := sandboxfs.New("/srv/app/data", false)
//	if err != nil {
//		return err
//	}
//	defer fsys.Close() // once every module using it is closed
//	fsCfg := wazero.NewFSConfig().(sysfs.FSConfig).WithSysFSMount(fsys, "/data")
//	modCfg := wazero.NewModuleConfig().WithFSConfig(fsCfg)
//
// One FS may be shared by many modules at once; its files belong to the
// module that opened them, as with wazero's own filesystems.
//
// # Confinement rules
//
//   - Paths are relative to the directory. Leading slashes are dropped, so
//     "/etc/hostname" names "etc/hostname" inside it, as DirFS treats it.
//   - ".." that climbs above the directory fails with EPERM.
//   - Symbolic links are followed only while they stay inside the directory.
//     A link leading outside, directly or through a chain, fails with EPERM
//     when followed. A link with an absolute target is never followed, even
//     one pointing back inside (os.Root rejects absolute link targets).
//   - Symlink stores relative targets as given, even ones leading outside:
//     such a link can be listed, read with Readlink, renamed and removed, but
//     never followed. Absolute targets are refused with EPERM, as DirFS does.
//   - Lstat, Readlink, Rename, Unlink and Link act on a final link itself.
//
// Errors are sys.Errno values. Refusals by os.Root carry no errno of their
// own; they become EPERM, never EIO.
//
// # Differences from DirFS
//
// Inside the directory the answers match DirFS (TestParityWithDirFS checks
// some sixty operations, and wazero's own WASI test programs give the same
// output on both). The differences:
//
//   - Escapes fail with EPERM instead of reaching the host.
//   - O_NOFOLLOW is honoured by an Lstat of the final component before the
//     open, since os.Root always follows links; a link swapped in between
//     the two is followed, but only inside the directory.
//   - O_APPEND is a descriptor status flag set with fcntl, so SetAppend does
//     not reopen the file and Pwrite on an append file appends, as pwrite(2)
//     does on Linux (DirFS fails it with EIO).
//   - Rename, Rmdir and Unlink open the parent through os.Root and call
//     renameat(2)/unlinkat(2) on the last component, giving POSIX semantics
//     (a directory may replace an empty one) without following it.
//   - Truncate on a file opened read-only fails with EBADF (Linux says
//     EINVAL).
//   - The read-only form fails opens for writing, O_TRUNC and creation with
//     EROFS (DirFS's read-only mount says ENOSYS, and lets O_CREAT without
//     write access create files); file Utimens fails with EROFS; Sync and
//     Datasync work, as fsync(2) does on a read-only descriptor.
//   - File.Utimens needs Linux (utimensat on the descriptor); elsewhere it
//     returns ENOSYS, as does SetAppend/SetNonblock(true) off Unix.
package sandboxfs
