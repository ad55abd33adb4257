// Package sandboxfs is a confined host directory for WASI preopens.
//
// wazero's own DirFS joins guest paths onto the host directory and lets the
// operating system follow symbolic links, so a link inside a preopen (or one
// the guest creates itself) reaches anywhere on the host. This package instead
// resolves every path with Go's [os.Root], which refuses any lookup that would
// leave the directory, including through symbolic links, and implements
// wazero's experimental [sys.FS] and [sys.File] on top of it.
//
// Usage:
//
//	fsys, err := sandboxfs.New("/srv/app/data", false)
//	if err != nil {
//		return err
//	}
//	defer fsys.Close() // after every module using it is closed
//	cfg := wazero.NewFSConfig().(sysfs.FSConfig).WithSysFSMount(fsys, "/data")
//	modCfg := wazero.NewModuleConfig().WithFSConfig(cfg)
//
// # Confinement rules
//
//   - Paths are relative to the directory. Leading slashes are dropped, so
//     "/etc/hostname" names "etc/hostname" inside the directory, exactly as
//     wazero's DirFS treats them.
//   - ".." that climbs above the directory fails with EPERM.
//   - Symbolic links are followed only while they stay inside the directory.
//     A link leading outside, directly or through a chain, fails with EPERM
//     when followed; a link with an absolute target is never followed (os.Root
//     rejects absolute link targets even when they point back inside).
//   - Symlink creates links with relative targets as given, even ones that
//     point outside: they can be listed, read with Readlink and removed, but
//     never followed. Absolute targets are refused with EPERM, as DirFS does.
//   - Lstat, Readlink, Unlink, Rename and Link act on a final link itself and
//     never follow it.
//
// # Differences from wazero's DirFS
//
//   - Escapes fail with EPERM instead of reaching the host.
//   - O_NOFOLLOW is honoured by checking the final component with Lstat
//     before opening (os.Root itself always follows links).
//   - Rmdir and Unlink check the type with Lstat first, then remove; the
//     check and the removal are two steps, so a concurrent swap inside the
//     directory could remove the other kind of entry, still inside it.
//   - O_APPEND is a file-status flag set with fcntl, so Pwrite on an append
//     file appends, as pwrite(2) does on Linux (DirFS fails with EIO).
//   - The read-only form fails writes with EROFS at open (DirFS's ReadFS
//     returns ENOSYS), also refuses O_CREAT and O_TRUNC, and makes file
//     Utimens fail with EROFS; Sync and Datasync succeed as no-ops.
//
// Each method returns an [sys.Errno], never a Go error. Confinement refusals
// from os.Root, which carry no errno of their own, become EPERM, never EIO.
package sandboxfs
