//! WASI guest (wasm32-wasi) for the sandboxfs end-to-end test. It expects the
//! preopens ".", "/data" and "sub/dir", runs a fixed list of file steps and
//! prints one line per step: the result, or the error of the failure.
use std::fs;
use std::io::{self, Write};

fn ls(dir: &str) -> io::Result<String> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let mut name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            name.push('/');
        } else if kind.is_symlink() {
            name.push('@');
        }
        names.push(name);
    }
    names.sort();
    Ok(names.join(" "))
}

fn read(path: &str) -> io::Result<String> {
    fs::read_to_string(path)
}

fn unit(r: io::Result<()>) -> io::Result<String> {
    r.map(|_| String::new())
}

fn append(path: &str, text: &str) -> io::Result<()> {
    let mut f = fs::OpenOptions::new().append(true).open(path)?;
    f.write_all(text.as_bytes())
}

fn main() {
    let steps: Vec<(&str, Box<dyn Fn() -> io::Result<String>>)> = vec![
        ("ls .", Box::new(|| ls("."))),
        ("read relative", Box::new(|| read("file.txt"))),
        ("read dot-slash", Box::new(|| read("./dir/nested.txt"))),
        ("read through inside link", Box::new(|| read("link-dir/nested.txt"))),
        ("write", Box::new(|| unit(fs::write("rust.txt", "from rust")))),
        ("append", Box::new(|| unit(append("rust.txt", "!")))),
        ("read back", Box::new(|| read("rust.txt"))),
        ("rename", Box::new(|| unit(fs::rename("rust.txt", "dir/rust.txt")))),
        ("ls dir", Box::new(|| ls("dir"))),
        ("mkdir", Box::new(|| unit(fs::create_dir_all("made/deeper")))),
        ("rmdir", Box::new(|| unit(fs::remove_dir_all("made")))),
        ("metadata", Box::new(|| fs::metadata("file.txt").map(|m| format!("len={} file={}", m.len(), m.is_file())))),
        ("read /data", Box::new(|| read("/data/file.txt"))),
        ("ls /data/sub", Box::new(|| ls("/data/sub"))),
        ("read sub/dir preopen", Box::new(|| read("sub/dir/nested.txt"))),
        ("ls sub/dir preopen", Box::new(|| ls("sub/dir"))),
        ("escape: link to outside file", Box::new(|| read("esc-file"))),
        ("escape: link to /etc", Box::new(|| read("esc-etc/hostname"))),
        ("escape: list /etc via link", Box::new(|| ls("esc-etc"))),
        ("escape: link chain", Box::new(|| read("/data/esc-chain"))),
        ("escape: write via dangling link", Box::new(|| unit(fs::write("dangling-out", "x")))),
        ("escape: dotdot", Box::new(|| read("../outside/secret.txt"))),
        ("escape: dotdot from /data", Box::new(|| read("/data/../outside/secret.txt"))),
        ("escape: absolute", Box::new(|| read("/etc/hostname"))),
    ];
    for (name, step) in steps {
        match step() {
            Ok(out) => println!("{}: {}", name, out),
            Err(e) => println!("{}: error {}", name, e),
        }
    }
}
