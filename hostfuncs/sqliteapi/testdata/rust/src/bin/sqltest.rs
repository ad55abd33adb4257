//! lunatic::sqlite test cases, one per first argument. Each prints "ok <what>" lines and
//! panics (failing the process) when a check does not hold; the trap_* cases must be
//! ended by the host.
use guest::message::{receive, Received};
use sqlguest::sys;
use sqlguest::wire::*;
use sqlguest::*;

fn arg(i: usize) -> String {
    std::env::args().nth(i).unwrap_or_else(|| panic!("missing argument {}", i))
}

fn main() {
    match arg(1).as_str() {
        "types" => types(&arg(2)),
        "readers" => readers(),
        "wire" => wire(),
        "errors" => errors(),
        "denied" => denied(&arg(2), &arg(3), &arg(4)),
        "writers" => writers(&arg(2)),
        "lock_release" => lock_release(&arg(2)),
        "kill_waiting" => kill_waiting(&arg(2)),
        "child_trap" => child_trap(),
        "bench" => bench(&arg(2), &arg(3), arg(4).parse().unwrap()),
        other => trap_case(other),
    }
}

fn mem() -> SqliteClient {
    SqliteClient::open(":memory:").expect("open :memory:")
}

fn exec(c: &SqliteClient, sql: &str) {
    c.execute(sql).unwrap_or_else(|e| panic!("{}: {:?} {:?}", sql, e, SqliteError::last(c)));
}

/// Creates a table in a database file, inserts rows with every bind type through the
/// lunatic-rs client and reads them back.
fn types(path: &str) {
    let c = SqliteClient::connect(path).expect("connect");
    assert_eq!(c.id(), 0);
    exec(&c, "DROP TABLE IF EXISTS t; CREATE TABLE t (k INTEGER PRIMARY KEY, v ANY) STRICT");
    let nul_text = "before\0after";
    let big: Vec<u8> = (0..1_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let values: Vec<(Value, Value)> = vec![
        (Value::Null, Value::Null),
        (Value::Blob(vec![0xde, 0xad, 0, 0xbe, 0xef]), Value::Blob(vec![0xde, 0xad, 0, 0xbe, 0xef])),
        (Value::Blob(vec![]), Value::Blob(vec![])),
        (Value::Text("héllo wörld ✓".into()), Value::Text("héllo wörld ✓".into())),
        (Value::Text(String::new()), Value::Text(String::new())),
        (Value::Text(nul_text.into()), Value::Text("before".into())), // read as a C string
        (Value::Double(1.5), Value::Double(1.5)),
        (Value::Double(-0.0), Value::Double(-0.0)),
        (Value::Double(f64::MAX), Value::Double(f64::MAX)),
        (Value::Int(-7), Value::Int64(-7)), // sign-extended
        (Value::Int(i32::MIN), Value::Int64(i32::MIN as i64)),
        (Value::Int64(i64::MAX), Value::Int64(i64::MAX)),
        (Value::Int64(i64::MIN), Value::Int64(i64::MIN)),
        (Value::Blob(big.clone()), Value::Blob(big)),
    ];
    for (k, (v, _)) in values.iter().enumerate() {
        let rows: Vec<_> = c
            .prepare_query("INSERT INTO t (k, v) VALUES (?, ?)")
            .bind(k as i64)
            .bind(v.clone())
            .execute()
            .collect();
        assert!(rows.is_empty());
        assert_eq!(c.changes(), 1);
    }
    println!("ok inserted {} values", values.len());
    // The stored types, as SQLite sees them.
    let types: Vec<Value> = c.query("SELECT typeof(v) FROM t ORDER BY k").map(|r| r[0].clone()).collect();
    let want: Vec<Value> = ["null", "blob", "blob", "text", "text", "text", "real", "real", "real",
        "integer", "integer", "integer", "integer", "blob"]
        .iter().map(|s| Value::Text(s.to_string())).collect();
    assert_eq!(types, want);
    // The text with a NUL is stored whole (12 bytes) but reads as a C string.
    let len: Vec<_> = c.prepare_query("SELECT length(CAST(v AS BLOB)) FROM t WHERE k = ?").bind(5i64).execute().collect();
    assert_eq!(len, vec![vec![Value::Int64(12)]]);
    for (k, row) in c.query("SELECT k, v FROM t ORDER BY k").enumerate() {
        assert_eq!(row[0], Value::Int64(k as i64));
        let want = &values[k].1;
        match (&row[1], want) {
            (Value::Double(a), Value::Double(b)) => assert_eq!(a.to_bits(), b.to_bits(), "row {}", k),
            (got, want) => assert_eq!(got, want, "row {}", k),
        }
    }
    println!("ok read back every type");
    // bind_named binds parameter 1 whatever the name (as the original host does).
    let row: Vec<_> = c.prepare_query("SELECT :a, :b").bind_named(":b", 5).execute().collect();
    assert_eq!(row, vec![vec![Value::Int64(5), Value::Null]]);
    // Positional after named: bind() counts only numeric keys.
    let row: Vec<_> = c.prepare_query("SELECT ?, ?").bind_named(":x", "n").bind(2.5).execute().collect();
    assert_eq!(row, vec![vec![Value::Double(2.5), Value::Null]]);
    println!("ok named bindings");
    exec(&c, "UPDATE t SET v = 0 WHERE k < 4");
    assert_eq!(c.changes(), 4);
    println!("ok changes");
}

/// Owned statement for the raw reader calls.
struct Raw(u64);

impl Raw {
    fn new(c: &SqliteClient, sql: &str) -> Raw {
        Raw(unsafe { sys::query_prepare(c.id(), sql.as_ptr(), sql.len() as u32) })
    }
    fn bind(&self, pairs: Vec<BindPair>) {
        let data = bincode::serialize(&BindList(pairs)).unwrap();
        unsafe { sys::bind_value(self.0, data.as_ptr() as u32, data.len() as u32) }
    }
    fn step(&self) -> u32 {
        unsafe { sys::sqlite3_step(self.0) }
    }
    fn reset(&self) {
        unsafe { sys::statement_reset(self.0) }
    }
    fn count(&self) -> u32 {
        unsafe { sys::column_count(self.0) }
    }
    fn column(&self, col: u32) -> Vec<u8> {
        sys::take_host_bytes(|len| unsafe { sys::read_column(self.0, col, len) })
    }
    fn value(&self, col: u32) -> SqliteValue {
        bincode::deserialize(&self.column(col)).unwrap()
    }
    fn row(&self) -> Vec<u8> {
        sys::take_host_bytes(|len| unsafe { sys::read_row(self.0, len) })
    }
    fn names(&self) -> Vec<u8> {
        sys::take_host_bytes(|len| unsafe { sys::column_names(self.0, len) })
    }
    fn name(&self, col: u32) -> Vec<u8> {
        sys::take_host_bytes(|len| unsafe { sys::column_name(self.0, col, len) })
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        unsafe { sys::sqlite3_finalize(self.0) }
    }
}

fn at(i: usize, v: BindValue) -> BindPair {
    BindPair(BindKey::Numeric(i), v)
}

/// The reader calls lunatic-rs never makes: read_column, column_count, column_names,
/// column_name, statement_reset, and stepping past the end.
fn readers() {
    let c = mem();
    exec(&c, "CREATE TABLE p (id INTEGER, name TEXT, score REAL, data BLOB)");
    let ins = Raw::new(&c, "INSERT INTO p VALUES (?, ?, ?, ?)");
    for i in 0..3i64 {
        ins.reset();
        ins.bind(vec![
            at(1, BindValue::Int64(i)),
            at(2, BindValue::Text(format!("n{}", i))),
            at(3, BindValue::Double(i as f64 / 2.0)),
            at(4, BindValue::Blob(vec![i as u8; i as usize])),
        ]);
        assert_eq!(ins.step(), 101);
    }
    drop(ins);
    let q = Raw::new(&c, "SELECT id, name AS label, score, data FROM p WHERE id >= ? ORDER BY id");
    assert_eq!(q.count(), 4);
    let names: Vec<String> = bincode::deserialize(&q.names()).unwrap();
    assert_eq!(names, vec!["id", "label", "score", "data"]);
    assert_eq!(q.name(1), b"label".to_vec());
    assert_eq!(q.name(3), b"data".to_vec());
    q.bind(vec![at(1, BindValue::Int(1))]);
    for i in 1..3i64 {
        assert_eq!(q.step(), 100);
        assert_eq!(q.value(0), SqliteValue::Integer(i));
        assert_eq!(q.value(1), SqliteValue::Text(format!("n{}", i)));
        assert_eq!(q.value(2), SqliteValue::Double(i as f64 / 2.0));
        assert_eq!(q.value(3), SqliteValue::Blob(vec![i as u8; i as usize]));
        let row: SqliteRow = bincode::deserialize(&q.row()).unwrap();
        assert_eq!(row.0.len(), 4);
        assert_eq!(row.0[0], q.value(0));
    }
    assert_eq!(q.step(), 101);
    println!("ok read_column, column_names, column_name");
    // Stepping after DONE runs the statement again; reset keeps the bindings.
    assert_eq!(q.step(), 100);
    assert_eq!(q.value(0), SqliteValue::Integer(1));
    q.reset();
    assert_eq!(q.step(), 100);
    assert_eq!(q.value(0), SqliteValue::Integer(1));
    q.reset();
    q.bind(vec![at(1, BindValue::Int(2))]);
    assert_eq!(q.step(), 100);
    assert_eq!(q.value(0), SqliteValue::Integer(2));
    println!("ok reset and re-run");
    // Statements of one connection interleave.
    let a = Raw::new(&c, "SELECT id FROM p ORDER BY id");
    let b = Raw::new(&c, "SELECT id FROM p ORDER BY id DESC");
    assert_eq!((a.step(), b.step()), (100, 100));
    assert_eq!((a.value(0), b.value(0)), (SqliteValue::Integer(0), SqliteValue::Integer(2)));
    println!("ok interleaved statements");
}

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// The byte vectors of sqlite.md §4.7, host → guest as raw bytes, guest → host through
/// serde + bincode (so the host's decoder is checked against what bincode writes).
fn wire() {
    // 1-4: bind lists encoded by bincode.
    let enc = |l: Vec<BindPair>| bincode::serialize(&BindList(l)).unwrap();
    assert_eq!(enc(vec![]), hex("00 00 00 00 00 00 00 00"));
    assert_eq!(enc(vec![at(1, BindValue::Text("Foo!".into()))]),
        hex("01 00 00 00 00 00 00 00  01 00 00 00  01 00 00 00 00 00 00 00  02 00 00 00  04 00 00 00 00 00 00 00  46 6F 6F 21"));
    assert_eq!(enc(vec![BindPair(BindKey::String(":model_name".into()), BindValue::Int(996))]),
        hex("01 00 00 00 00 00 00 00  02 00 00 00  0B 00 00 00 00 00 00 00  3A 6D 6F 64 65 6C 5F 6E 61 6D 65  04 00 00 00  E4 03 00 00"));
    assert_eq!(enc(vec![at(1, BindValue::Int64(-2)), at(2, BindValue::Null)]),
        hex("02 00 00 00 00 00 00 00  01 00 00 00  01 00 00 00 00 00 00 00  05 00 00 00  FE FF FF FF FF FF FF FF  01 00 00 00  02 00 00 00 00 00 00 00  00 00 00 00"));
    println!("ok bind lists");

    let c = mem();
    let q = Raw::new(&c, "select \"Hello\"");
    q.bind(vec![]);
    assert_eq!(q.step(), 100);
    assert_eq!(q.row(), hex("01 00 00 00 00 00 00 00  02 00 00 00  05 00 00 00 00 00 00 00  48 65 6C 6C 6F"));
    let q = Raw::new(&c, "select 42, NULL, 1.5, X'DEAD'");
    assert_eq!(q.step(), 100);
    assert_eq!(q.row(), hex("04 00 00 00 00 00 00 00  04 00 00 00 2A 00 00 00 00 00 00 00  00 00 00 00  03 00 00 00 00 00 00 00 00 00 F8 3F  01 00 00 00 02 00 00 00 00 00 00 00 DE AD"));
    let q = Raw::new(&c, "select 7");
    assert_eq!(q.step(), 100);
    assert_eq!(q.column(0), hex("04 00 00 00  07 00 00 00 00 00 00 00"));
    let q = Raw::new(&c, "SELECT 1 AS a, 2 AS b");
    assert_eq!(q.names(), hex("02 00 00 00 00 00 00 00  01 00 00 00 00 00 00 00 61  01 00 00 00 00 00 00 00 62"));
    assert_eq!(q.name(0), b"a".to_vec());
    // Bound values reach SQLite with their types (decoded by the host).
    let q = Raw::new(&c, "SELECT typeof(?1), typeof(?2), typeof(?3), typeof(?4), typeof(?5), typeof(?6), ?5");
    q.bind(vec![at(1, BindValue::Null), at(2, BindValue::Blob(vec![])), at(3, BindValue::Text("x".into())),
        at(4, BindValue::Double(2.0)), at(5, BindValue::Int(-1)), at(6, BindValue::Int64(1 << 40))]);
    assert_eq!(q.step(), 100);
    let row: SqliteRow = bincode::deserialize(&q.row()).unwrap();
    let t = |s: &str| SqliteValue::Text(s.into());
    assert_eq!(row.0, vec![t("null"), t("blob"), t("text"), t("real"), t("integer"), t("integer"), SqliteValue::Integer(-1)]);
    println!("ok rows, columns and names");

    let err = |c: &SqliteClient| sys::take_host_bytes(|len| unsafe { sys::last_error(c.id(), len) });
    assert_eq!(err(&c), hex("00 00"));
    assert_eq!(c.execute("select * from foo").unwrap_err().code, SqliteCode::Error);
    assert_eq!(err(&c), hex("01  01 00 00 00  01  12 00 00 00 00 00 00 00  6E 6F 20 73 75 63 68 20 74 61 62 6C 65 3A 20 66 6F 6F"));
    println!("ok last_error bytes");
}

/// execute's result codes and what last_error says about them.
fn errors() {
    let c = SqliteClient::connect(":memory:").expect("connect");
    assert_eq!(SqliteError::last(&c), None, "a fresh connection has no error");
    assert_eq!(c.execute("select * from foo").unwrap_err().code, SqliteCode::Error);
    assert_eq!(SqliteError::last(&c),
        Some(SqliteError { code: SqliteCode::Error, message: Some("no such table: foo".into()) }));
    assert_eq!(c.execute("selec 1").unwrap_err().code, SqliteCode::Error);
    let e = SqliteError::last(&c).unwrap();
    assert_eq!(e.message.as_deref(), Some("near \"selec\": syntax error"));
    exec(&c, "SELECT 1");
    assert_eq!(SqliteError::last(&c), None, "a success clears the error");
    println!("ok error and no error");

    exec(&c, "CREATE TABLE u (x INTEGER UNIQUE NOT NULL)");
    exec(&c, "INSERT INTO u VALUES (1)");
    assert_eq!(c.execute("INSERT INTO u VALUES (1)").unwrap_err().code, SqliteCode::Constraint);
    assert_eq!(SqliteError::last(&c),
        Some(SqliteError { code: SqliteCode::Constraint, message: Some("UNIQUE constraint failed: u.x".into()) }));
    assert_eq!(c.execute("INSERT INTO u VALUES (NULL)").unwrap_err().code, SqliteCode::Constraint);
    // The first statements of a batch stay done when a later one fails.
    assert_eq!(c.execute("INSERT INTO u VALUES (2); INSERT INTO u VALUES (2)").unwrap_err().code, SqliteCode::Constraint);
    let n: Vec<_> = c.query("SELECT count(*) FROM u").collect();
    assert_eq!(n, vec![vec![Value::Int64(2)]]);
    // An embedded NUL fails before SQLite sees the text.
    assert_eq!(c.execute("SELECT 1;\0 DROP TABLE u").unwrap_err().code, SqliteCode::Error);
    println!("ok constraint codes");

    exec(&c, "PRAGMA query_only = 1");
    assert_eq!(c.execute("INSERT INTO u VALUES (3)").unwrap_err().code, SqliteCode::Readonly);
    exec(&c, "PRAGMA query_only = 0");
    println!("ok readonly code");
}

/// Opens that must be refused: `outside` is not below any preopened directory, `link`
/// is a symbolic link inside one that leads out, `inside` is allowed.
fn denied(outside: &str, link: &str, inside: &str) {
    let e = SqliteClient::open(outside).err().expect("open outside the preopened dirs succeeded");
    assert_eq!(e.text(), format!("Failed to access '{}'", outside));
    assert!(SqliteClient::connect(outside).is_err());
    println!("ok outside refused");
    let through = format!("{}/escaped.db", link);
    let e = SqliteClient::open(&through).err().expect("open through a link leading out succeeded");
    assert_eq!(e.text(), format!("Failed to access '{}'", through));
    let dotdot = format!("{}/../../escaped.db", inside);
    assert!(SqliteClient::open(&dotdot).is_err(), "open of {} succeeded", dotdot);
    println!("ok link and .. refused");
    let c = SqliteClient::open(&format!("{}/in.db", inside)).expect("open inside");
    exec(&c, "CREATE TABLE IF NOT EXISTS x (y)");
    println!("ok inside allowed");
    // A child with a fresh config has no preopened dirs: files are refused, :memory: is not.
    let config = guest::Config::new().expect("create_config");
    config.set_can_spawn_processes(false);
    let me = guest::this();
    guest::spawn_with_config(&config, 0, (me, inside.to_string()), |(parent, inside): (u64, String)| {
        let file = SqliteClient::open(&format!("{}/in.db", inside)).is_err();
        let memory = SqliteClient::open(":memory:").is_ok();
        guest::send(parent, 0, &(file, memory));
    })
    .expect("spawn");
    let (file_refused, memory_ok): (bool, bool) = guest::recv();
    assert!(file_refused, "a child without preopened dirs opened a file");
    assert!(memory_ok, "a child without preopened dirs could not open :memory:");
    println!("ok fresh config: file refused, :memory: allowed");
}

const WRITERS: u64 = 20;
const ROWS: u64 = 1000;

/// 20 linked child processes insert 1,000 rows each into one database file at once.
fn writers(path: &str) {
    let c = SqliteClient::connect(path).expect("connect");
    exec(&c, "CREATE TABLE IF NOT EXISTS w (worker INTEGER, n INTEGER, UNIQUE (worker, n))");
    let me = guest::this();
    for w in 0..WRITERS {
        guest::spawn_link(1, (me, w, path.to_string()), |(parent, w, path): (u64, u64, String)| {
            let c = SqliteClient::connect(&path).expect("child connect");
            for n in 0..ROWS {
                let rows = c
                    .prepare_query("INSERT INTO w (worker, n) VALUES (?, ?)")
                    .bind(w as i64)
                    .bind(n as i64)
                    .execute()
                    .count();
                assert_eq!(rows, 0);
            }
            guest::send(parent, 0, &w);
        });
    }
    let mut done = vec![false; WRITERS as usize];
    for _ in 0..WRITERS {
        let w: u64 = guest::recv();
        done[w as usize] = true;
    }
    assert!(done.iter().all(|d| *d));
    let rows: Vec<_> = c.query("SELECT count(*), count(DISTINCT worker), min(n), max(n) FROM w").collect();
    assert_eq!(rows, vec![vec![Value::Int64((WRITERS * ROWS) as i64), Value::Int64(WRITERS as i64), Value::Int64(0), Value::Int64(ROWS as i64 - 1)]]);
    println!("ok {} rows from {} writers", WRITERS * ROWS, WRITERS);
}

/// Tag of a child's "I got this far" message (untagged messages never match a tag filter).
const READY: i64 = 7;

/// A process that ends (here: is killed) inside a write transaction releases its lock.
fn lock_release(path: &str) {
    let c = SqliteClient::open(path).expect("open");
    exec(&c, "CREATE TABLE IF NOT EXISTS l (x)");
    exec(&c, "PRAGMA busy_timeout = 0"); // fail at once rather than wait
    let me = guest::this();
    let child = guest::spawn((me, path.to_string()), |(parent, path): (u64, String)| {
        let c = SqliteClient::open(&path).expect("child open");
        exec(&c, "BEGIN IMMEDIATE; INSERT INTO l VALUES ('child')");
        guest::send(parent, READY, &1u8);
        let _: u8 = guest::recv(); // never comes: the parent kills us
    });
    guest::monitor(child);
    let _: u8 = guest::recv_tag(READY);
    assert_eq!(c.execute("INSERT INTO l VALUES ('parent')").unwrap_err().code, SqliteCode::Busy);
    println!("ok locked by the child");
    guest::kill(child);
    match receive(&[], Some(10_000)) {
        Received::ProcessDied(pid) => assert_eq!(pid, child),
        other => panic!("waiting for the child to die: {:?}", other),
    }
    exec(&c, "INSERT INTO l VALUES ('parent')");
    let rows: Vec<_> = c.query("SELECT x FROM l").collect();
    assert_eq!(rows, vec![vec![Value::Text("parent".into())]], "the child's transaction was rolled back");
    println!("ok lock released and transaction rolled back when the child died");
}

/// A child waiting for a lock (30 s busy timeout) dies at once when killed.
fn kill_waiting(path: &str) {
    let c = SqliteClient::open(path).expect("open");
    exec(&c, "CREATE TABLE IF NOT EXISTS k (x); BEGIN IMMEDIATE; INSERT INTO k VALUES ('parent')");
    let me = guest::this();
    let child = guest::spawn((me, path.to_string()), |(parent, path): (u64, String)| {
        let c = SqliteClient::open(&path).expect("child open");
        guest::send(parent, READY, &1u8);
        exec(&c, "INSERT INTO k VALUES ('child')"); // waits for the parent's lock
        panic!("the insert should have waited for the lock");
    });
    guest::monitor(child);
    let _: u8 = guest::recv_tag(READY);
    guest::sleep_ms(50); // let the child reach the wait
    guest::kill(child);
    match receive(&[], Some(10_000)) {
        Received::ProcessDied(pid) => assert_eq!(pid, child),
        other => panic!("the killed child did not die while waiting for a lock: {:?}", other),
    }
    exec(&c, "COMMIT");
    let rows: Vec<_> = c.query("SELECT x FROM k").collect();
    assert_eq!(rows, vec![vec![Value::Text("parent".into())]]);
    println!("ok killed while waiting for a lock");
}

/// A trap in one process leaves the others (and their connections) alone.
fn child_trap() {
    let c = mem();
    exec(&c, "CREATE TABLE a (x); INSERT INTO a VALUES (1)");
    // A link made at spawn cannot miss the child's end (a monitor set after spawn can,
    // when the child traps first).
    guest::die_when_link_dies(false);
    guest::spawn_link(77, (), |_: ()| {
        let c = mem();
        let _ = c.query("select * from missing_table").count();
    });
    match receive(&[], Some(10_000)) {
        Received::LinkDied(77) => {}
        other => panic!("waiting for the child: {:?}", other),
    }
    let rows: Vec<_> = c.query("SELECT x FROM a").collect();
    assert_eq!(rows, vec![vec![Value::Int64(1)]]);
    println!("ok parent unaffected by the child's trap");
}

/// Cases the host must end with a trap.
fn trap_case(name: &str) {
    let c = mem();
    exec(&c, "CREATE TABLE t (x UNIQUE)");
    match name {
        "trap_prepare" => {
            let _ = c.query("select * from missing_table").count();
        }
        "trap_step_constraint" => {
            exec(&c, "INSERT INTO t VALUES (1)");
            let _ = c.prepare_query("INSERT INTO t VALUES (?)").bind(1).execute().count();
        }
        "trap_bind_range" => {
            let _ = c.prepare_query("SELECT ?").bind(1).bind(2).execute();
        }
        "trap_bind_zero" => {
            Raw::new(&c, "SELECT ?").bind(vec![at(0, BindValue::Int(1))]);
        }
        "trap_bind_malformed" => {
            let st = Raw::new(&c, "SELECT ?");
            let junk = [1u8, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0];
            unsafe { sys::bind_value(st.0, junk.as_ptr() as u32, junk.len() as u32) };
        }
        "trap_finalize_twice" => {
            let st = Raw::new(&c, "SELECT 1");
            unsafe { sys::sqlite3_finalize(st.0) };
            drop(st);
        }
        "trap_unknown_conn" => {
            unsafe { sys::execute(7, "SELECT 1".as_ptr(), 8) };
        }
        "trap_unknown_stmt" => {
            unsafe { sys::sqlite3_step(99) };
        }
        "trap_column_range" => {
            let st = Raw::new(&c, "SELECT 1, 2");
            st.step();
            st.column(2);
        }
        "trap_step_empty" => {
            let _ = c.query("-- nothing").count();
        }
        "trap_sql_memory" => {
            unsafe { sys::execute(c.id(), 0xFFFF_FFF0usize as *const u8, 64) };
        }
        other => panic!("unknown case {}", other),
    }
    println!("not trapped");
}

/// Benchmark bodies: `n` inserts or point queries on table bench(id, v) of `path`.
/// "insert"/"point" prepare, bind, step and finalize per operation, as lunatic-rs does;
/// "insert_reuse"/"point_reuse" prepare once and reset.
fn bench(kind: &str, path: &str, n: i64) {
    let c = SqliteClient::connect(path).expect("connect");
    let start: i64 = match c.query("SELECT coalesce(max(id), 0) FROM bench").next().unwrap()[0] {
        Value::Int64(v) => v,
        ref other => panic!("max id: {:?}", other),
    };
    match kind {
        "insert" => {
            for i in start + 1..=start + n {
                c.prepare_query("INSERT INTO bench (id, v) VALUES (?, ?)").bind(i).bind("some text value").execute().count();
            }
        }
        "point" => {
            for i in 0..n {
                let row = c.prepare_query("SELECT v FROM bench WHERE id = ?").bind(i % start + 1).execute().next();
                assert!(row.is_some());
            }
        }
        "insert_reuse" => {
            let st = Raw::new(&c, "INSERT INTO bench (id, v) VALUES (?, ?)");
            for i in start + 1..=start + n {
                st.bind(vec![at(1, BindValue::Int64(i)), at(2, BindValue::Text("some text value".into()))]);
                assert_eq!(st.step(), 101);
                st.reset();
            }
        }
        "point_reuse" => {
            let st = Raw::new(&c, "SELECT v FROM bench WHERE id = ?");
            for i in 0..n {
                st.bind(vec![at(1, BindValue::Int64(i % start + 1))]);
                assert_eq!(st.step(), 100);
                st.row();
                st.reset();
            }
        }
        other => panic!("unknown bench {}", other),
    }
}
