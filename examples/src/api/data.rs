//! The data the example API serves: a bucket of 10,502 objects and 3,000 users, generated
//! deterministically (the same on every run, on every machine) so tests can compare what a
//! client received with exactly what the server holds.

use std::fmt::Write as _;

use crate::types::{Object, User};

/// The one bucket the API holds.
pub const BUCKET: &str = "media";

/// Everything the API serves, in listing order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    /// The bucket's objects, sorted by key (byte order, as S3 lists them).
    pub objects: Vec<Object>,
    /// The users, by id from 1.
    pub users: Vec<User>,
}

impl Dataset {
    /// Builds the dataset. Cheap (a few milliseconds); the servers build it once each.
    pub fn generate() -> Dataset {
        let mut objects = Vec::with_capacity(10_502);
        photos(&mut objects);
        videos(&mut objects);
        documents(&mut objects);
        backups(&mut objects);
        logs(&mut objects);
        objects.sort_by(|a, b| a.key.cmp(&b.key));
        Dataset {
            objects,
            users: users(3_000),
        }
    }
}

/// 5,000 photos from 2022 to 2024: `photos/2024/06/IMG_04321.jpg`.
fn photos(out: &mut Vec<Object>) {
    for n in 0..5_000u64 {
        let day = n * 1_095 / 5_000;
        let (y, m, d) = date(day);
        let key = format!("photos/{y}/{m:02}/IMG_{n:05}.jpg");
        let size = 1_500_000 + hash(n, 1) % 6_500_000;
        out.push(object(key, size, "STANDARD", (y, m, d), n, 1));
    }
}

/// 1,200 videos: `videos/2023/11/VID_0042.mp4`; the older ones in infrequent access.
fn videos(out: &mut Vec<Object>) {
    for n in 0..1_200u64 {
        let day = n * 1_095 / 1_200;
        let (y, m, d) = date(day);
        let key = format!("videos/{y}/{m:02}/VID_{n:04}.mp4");
        let size = 50_000_000 + hash(n, 2) % 850_000_000;
        let class = if y < 2024 { "STANDARD_IA" } else { "STANDARD" };
        out.push(object(key, size, class, (y, m, d), n, 2));
    }
}

/// 800 quarterly reports, plus two files at the top of `docs/` so that a listing with a
/// delimiter mixes keys and rolled-up prefixes on the same page.
fn documents(out: &mut Vec<Object>) {
    for n in 0..800u64 {
        let day = n * 1_095 / 800;
        let (y, m, d) = date(day);
        let quarter = (m - 1) / 3 + 1;
        let key = format!("docs/reports/{y}/Q{quarter}/report-{n:04}.pdf");
        let size = 20_000 + hash(n, 3) % 2_000_000;
        out.push(object(key, size, "STANDARD", (y, m, d), n, 3));
    }
    out.push(object(
        "docs/README.md".into(),
        4_812,
        "STANDARD",
        (2022, 1, 3),
        0,
        4,
    ));
    out.push(object(
        "docs/index.html".into(),
        18_230,
        "STANDARD",
        (2024, 12, 30),
        1,
        4,
    ));
}

/// 1,500 database dumps, one an hour for the most recent days, in Glacier, uploaded in parts.
fn backups(out: &mut Vec<Object>) {
    for n in 0..1_500u64 {
        let (y, m, d) = date(1_095 - 63 + n / 24);
        let hour = n % 24;
        let key = format!("backups/db/{y}-{m:02}-{d:02}/dump-{hour:02}.sql.gz");
        let size = 100_000_000 + hash(n, 5) % 1_900_000_000;
        out.push(object(key, size, "GLACIER", (y, m, d), n, 5));
    }
}

/// 2,000 hourly application logs: `logs/app/2024/03/07/app-13.log`.
fn logs(out: &mut Vec<Object>) {
    for n in 0..2_000u64 {
        let (y, m, d) = date(1_095 - 84 + n / 24);
        let hour = n % 24;
        let key = format!("logs/app/{y}/{m:02}/{d:02}/app-{hour:02}.log");
        let size = 1_000 + hash(n, 6) % 5_000_000;
        out.push(object(key, size, "STANDARD", (y, m, d), n, 6));
    }
}

fn object(key: String, size: u64, class: &str, ymd: (u64, u64, u64), n: u64, kind: u64) -> Object {
    let (y, m, d) = ymd;
    let seconds = hash(n, kind + 100) % 86_400;
    let (hh, mm, ss) = (seconds / 3_600, seconds / 60 % 60, seconds % 60);
    let mut e_tag = format!("\"{:016x}{:016x}", hash(n, kind + 200), hash(n, kind + 300));
    // S3 gives multipart uploads (anything over 100 MB here) an ETag of `<md5>-<parts>`.
    if size > 100_000_000 {
        let _ = write!(e_tag, "-{}", size.div_ceil(16_000_000));
    }
    e_tag.push('"');
    Object {
        key,
        size,
        e_tag,
        storage_class: class.to_owned(),
        last_modified: format!("{y}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.000Z"),
    }
}

/// 3,000 users with names from small lists, ids from 1.
fn users(count: u64) -> Vec<User> {
    const FIRST: [&str; 24] = [
        "Ada",
        "Alan",
        "Barbara",
        "Brian",
        "Claude",
        "Donald",
        "Edsger",
        "Frances",
        "Grace",
        "Hedy",
        "Ivan",
        "Jean",
        "John",
        "Ken",
        "Leslie",
        "Margaret",
        "Niklaus",
        "Radia",
        "Robin",
        "Shafi",
        "Sophie",
        "Tim",
        "Whitfield",
        "Yukihiro",
    ];
    const LAST: [&str; 20] = [
        "Allen",
        "Backus",
        "Cerf",
        "Dijkstra",
        "Engelbart",
        "Floyd",
        "Goldwasser",
        "Hamilton",
        "Hopper",
        "Kay",
        "Knuth",
        "Lamport",
        "Liskov",
        "Lovelace",
        "Milner",
        "Perlman",
        "Ritchie",
        "Thompson",
        "Turing",
        "Wirth",
    ];
    (1..=count)
        .map(|id| {
            let first = pick(&FIRST, hash(id, 7));
            let last = pick(&LAST, hash(id, 8));
            let (y, m, d) = date(id * 1_095 / count);
            User {
                id,
                name: format!("{first} {last}"),
                email: format!(
                    "{}.{}{id}@example.com",
                    first.to_lowercase(),
                    last.to_lowercase()
                ),
                created_at: format!("{y}-{m:02}-{d:02}"),
                active: !hash(id, 9).is_multiple_of(10),
            }
        })
        .collect()
}

fn pick(names: &[&'static str], h: u64) -> &'static str {
    let len = u64::try_from(names.len()).unwrap_or(1).max(1);
    usize::try_from(h % len)
        .ok()
        .and_then(|i| names.get(i).copied())
        .unwrap_or("Anonymous")
}

/// A well-mixed 64-bit hash of `(n, stream)`: splitmix64's finaliser.
fn hash(n: u64, stream: u64) -> u64 {
    let mut z = n
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The calendar date `day` days after 2022-01-01 (leap years included).
fn date(day: u64) -> (u64, u64, u64) {
    let mut rest = day;
    let mut year: u64 = 2022;
    loop {
        let length = if year.is_multiple_of(4) { 366 } else { 365 };
        if rest < length {
            break;
        }
        rest -= length;
        year += 1;
    }
    let february = if year.is_multiple_of(4) { 29 } else { 28 };
    let months = [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut month = 1;
    for length in months {
        if rest < length {
            break;
        }
        rest -= length;
        month += 1;
    }
    (year, month, rest + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_sorted() {
        let data = Dataset::generate();
        assert_eq!(data.objects.len(), 10_502);
        assert!(data.objects.windows(2).all(|w| w[0].key < w[1].key));
        assert_eq!(data.users.len(), 3_000);
    }

    #[test]
    fn dates_cross_years_and_months() {
        assert_eq!(date(0), (2022, 1, 1));
        assert_eq!(date(31 + 27), (2022, 2, 28));
        assert_eq!(date(365), (2023, 1, 1));
        assert_eq!(date(365 + 365 + 31 + 28), (2024, 2, 29));
        assert_eq!(date(1_095), (2024, 12, 31));
    }
}
