//! A tiny message encoding: fixed-width little-endian integers, `u64` length prefixes
//! for strings and vectors (the same shapes bincode v1 produces, without the dependency).

/// A value that can travel in a message.
pub trait Msg: Sized {
    /// Appends the encoding of `self` to `out`.
    fn put(&self, out: &mut Vec<u8>);
    /// Decodes a value from the front of `input` and advances it.
    fn take(input: &mut &[u8]) -> Self;
}

/// Encodes a value into a fresh buffer.
pub fn encode<T: Msg>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    value.put(&mut out);
    out
}

/// Decodes a whole buffer; panics if bytes are left over or missing.
pub fn decode<T: Msg>(bytes: &[u8]) -> T {
    let mut input = bytes;
    let value = T::take(&mut input);
    assert!(input.is_empty(), "decode: {} trailing bytes", input.len());
    value
}

fn split<'a>(input: &mut &'a [u8], n: usize) -> &'a [u8] {
    assert!(input.len() >= n, "decode: need {} bytes, have {}", n, input.len());
    let (head, tail) = input.split_at(n);
    *input = tail;
    head
}

macro_rules! int_msg {
    ($($t:ty),*) => {$(
        impl Msg for $t {
            fn put(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn take(input: &mut &[u8]) -> Self {
                let raw = split(input, std::mem::size_of::<$t>());
                <$t>::from_le_bytes(raw.try_into().unwrap())
            }
        }
    )*};
}
int_msg!(u8, u32, u64, i32, i64);

impl Msg for () {
    fn put(&self, _: &mut Vec<u8>) {}
    fn take(_: &mut &[u8]) -> Self {}
}

impl Msg for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(*self as u8);
    }
    fn take(input: &mut &[u8]) -> Self {
        match split(input, 1)[0] {
            0 => false,
            1 => true,
            b => panic!("decode: bad bool {}", b),
        }
    }
}

impl Msg for String {
    fn put(&self, out: &mut Vec<u8>) {
        (self.len() as u64).put(out);
        out.extend_from_slice(self.as_bytes());
    }
    fn take(input: &mut &[u8]) -> Self {
        let n = u64::take(input) as usize;
        String::from_utf8(split(input, n).to_vec()).expect("decode: bad utf-8")
    }
}

impl<T: Msg> Msg for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        (self.len() as u64).put(out);
        for item in self {
            item.put(out);
        }
    }
    fn take(input: &mut &[u8]) -> Self {
        let n = u64::take(input) as usize;
        (0..n).map(|_| T::take(input)).collect()
    }
}

impl<T: Msg> Msg for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.put(out);
            }
        }
    }
    fn take(input: &mut &[u8]) -> Self {
        if bool::take(input) {
            Some(T::take(input))
        } else {
            None
        }
    }
}

macro_rules! tuple_msg {
    ($($name:ident)+) => {
        impl<$($name: Msg),+> Msg for ($($name,)+) {
            #[allow(non_snake_case)]
            fn put(&self, out: &mut Vec<u8>) {
                let ($($name,)+) = self;
                $($name.put(out);)+
            }
            fn take(input: &mut &[u8]) -> Self {
                ($($name::take(input),)+)
            }
        }
    };
}
tuple_msg!(A);
tuple_msg!(A B);
tuple_msg!(A B C);
tuple_msg!(A B C D);
tuple_msg!(A B C D E);
