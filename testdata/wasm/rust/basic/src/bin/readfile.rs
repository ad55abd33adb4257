//! `readfile FILE [DIR]`: prints FILE's contents, then the sorted entries of DIR.
//! `readfile write FILE TEXT`: writes TEXT to FILE and reads it back.
//! On an I/O error prints `error: <op> <path>: kind=<ErrorKind> errno=<n>` and exits 1.
//! Checks: preopens (fd 3, 4, ...), path_open, fd_read, fd_readdir, path confinement.
use std::fs;
use std::io::Write;

fn fail(op: &str, path: &str, e: std::io::Error) -> ! {
    println!(
        "error: {} {}: kind={:?} errno={}",
        op,
        path,
        e.kind(),
        e.raw_os_error().unwrap_or(-1)
    );
    std::process::exit(1)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() >= 4 && args[1] == "write" {
        let (path, text) = (&args[2], &args[3]);
        let mut f = fs::File::create(path).unwrap_or_else(|e| fail("create", path, e));
        f.write_all(text.as_bytes()).unwrap_or_else(|e| fail("write", path, e));
        drop(f);
        let back = fs::read_to_string(path).unwrap_or_else(|e| fail("read", path, e));
        println!("wrote {} bytes, read back: {}", text.len(), back);
        return;
    }
    if args.len() < 2 {
        eprintln!("usage: readfile FILE [DIR] | readfile write FILE TEXT");
        std::process::exit(2);
    }
    let path = &args[1];
    let data = fs::read_to_string(path).unwrap_or_else(|e| fail("read", path, e));
    print!("{}", data);
    if let Some(dir) = args.get(2) {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap_or_else(|e| fail("read_dir", dir, e))
            .map(|entry| {
                let entry = entry.unwrap_or_else(|e| fail("read_dir", dir, e));
                let kind = if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                    "dir"
                } else {
                    "file"
                };
                format!("{} ({})", entry.file_name().to_string_lossy(), kind)
            })
            .collect();
        names.sort();
        for n in names {
            println!("entry: {}", n);
        }
    }
}
