package linmem

import "errors"

// ErrMap reports that a region could not be mapped (address space or map
// count exhausted, or an unsupported OS).
var ErrMap = errors.New("linmem: cannot map linear memory")

// ErrMemoryLimit reports that a module's initial memory is larger than the
// process's memory limit or the pool's region size.
var ErrMemoryLimit = errors.New("linmem: initial memory exceeds limit")
