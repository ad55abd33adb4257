//! Error resources (`lunatic::error`).

use crate::sys::error as raw;

/// An error resource in the caller's error table; dropped with `lunatic::error::drop`.
#[derive(PartialEq, Eq)]
pub struct Error {
    id: u64,
}

impl Error {
    /// Wraps an error id returned by a host call.
    pub fn from_id(id: u64) -> Self {
        Error { id }
    }

    /// The error id.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The error text (`string_size` + `to_string`).
    pub fn text(&self) -> String {
        let size = unsafe { raw::string_size(self.id) } as usize;
        let mut buf = vec![0u8; size];
        unsafe { raw::to_string(self.id, buf.as_mut_ptr()) };
        String::from_utf8(buf).expect("error text is not UTF-8")
    }
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Error({}: {})", self.id, self.text())
    }
}

impl Drop for Error {
    fn drop(&mut self) {
        unsafe { raw::drop(self.id) }
    }
}
