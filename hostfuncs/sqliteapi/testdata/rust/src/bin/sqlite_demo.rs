//! A lunatic-rs style program: create, fill and query a SQLite database.
//!
//!     lunatic run --dir DIR sqlite_demo.wasm DIR/cars.db
//!
//! The database path is a host path; it must lie inside a directory given with --dir
//! (or the current directory, which lunatic always preopens).
use sqlguest::{Query, SqliteClient, SqliteError, Value};

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "cars.db".to_string());
    let client = match SqliteClient::connect(&path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot open {}: {:?}", path, e);
            std::process::exit(1);
        }
    };
    client
        .execute(
            "DROP TABLE IF EXISTS cars;
             CREATE TABLE cars (
                 id INTEGER PRIMARY KEY,
                 make TEXT NOT NULL,
                 model TEXT NOT NULL,
                 year INTEGER NOT NULL,
                 price REAL,
                 photo BLOB
             )",
        )
        .expect("create table");

    let cars: [(&str, &str, i32, Option<f64>); 5] = [
        ("Porsche", "911", 1964, Some(105_000.0)),
        ("Citroën", "DS", 1955, Some(32_500.5)),
        ("Fiat", "500", 2007, Some(9_990.0)),
        ("Tesla", "Model S", 2012, None),
        ("Volkswagen", "Golf", 1974, Some(4_200.0)),
    ];
    let mut inserted = 0;
    for (make, model, year, price) in cars {
        let price = price.map_or(Value::Null, Value::Double);
        let photo = vec![year as u8; (year % 7) as usize];
        client
            .prepare_query("INSERT INTO cars (make, model, year, price, photo) VALUES (?, ?, ?, ?, ?)")
            .bind(make)
            .bind(model)
            .bind(year)
            .bind(price)
            .bind(photo)
            .execute()
            .for_each(drop);
        inserted += client.changes();
    }
    println!("inserted {} cars into {}", inserted, path);

    for row in client.query("SELECT id, make, model, year, price, length(photo) FROM cars ORDER BY year") {
        println!("{}", row.iter().map(show).collect::<Vec<_>>().join(" | "));
    }

    let newer: Vec<Value> = client
        .prepare_query("SELECT count(*), avg(price) FROM cars WHERE year >= ?")
        .bind(1970)
        .execute()
        .next()
        .expect("one row");
    println!("since 1970: {} cars, average price {}", show(&newer[0]), show(&newer[1]));

    match client.execute("INSERT INTO cars (make) VALUES ('nameless')") {
        Ok(()) => println!("unexpected: the insert without a model worked"),
        Err(e) => {
            let last = SqliteError::last(&client).expect("an error is pending");
            println!("insert without a model: {:?} (last error: {:?}: {})", e.code, last.code,
                last.message.unwrap_or_default());
        }
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::Null => "NULL".to_string(),
        Value::Int(i) => i.to_string(),
        Value::Int64(i) => i.to_string(),
        Value::Double(f) => format!("{:.2}", f),
        Value::Text(s) => s.clone(),
        Value::Blob(b) => format!("<{} bytes>", b.len()),
    }
}
