//! The main example: paginate over real HTTP with paginate's ready transports, blocking and
//! async, and no client code: the requests declare their routes (`src/requests.rs`).
//!
//! Starts the embedded example API on `127.0.0.1` (or uses the one at `--base-url`), then
//! shows with each transport: pages, typed items, `max_items` with a resume token and the
//! resumed run, a JMESPath search, `build_full_result`, and a progress line for a listing
//! of the whole bucket. Run it with `cargo run -p paginate-examples`.

use std::error::Error as StdError;
use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;
use std::sync::Arc;

use paginate_examples::api::{BUCKET, BlockingServer};
use paginate_examples::{ListObjects, ListUsers, Object, User};
use paginated::http::{BlockingHttpTransport, HttpTransport};
use paginated::{Paginated as _, Progress};
use serde_json::Value;

type Result<T, E = Box<dyn StdError + Send + Sync>> = std::result::Result<T, E>;

const USAGE: &str = "usage: paginate-examples [--base-url http://host:port]

Without --base-url, the example API is started on 127.0.0.1 at a free port and stopped at the end.";

fn main() -> ExitCode {
    let base_url = match parse_args(std::env::args().skip(1)) {
        Ok(Some(base_url)) => base_url,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(base_url) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let mut message = e.to_string();
            eprintln!("error: {message}");
            let mut source = e.source();
            while let Some(cause) = source {
                // Errors that quote their source in their own message are not repeated.
                let text = cause.to_string();
                if !message.contains(&text) {
                    eprintln!("  caused by: {text}");
                }
                message = text;
                source = cause.source();
            }
            ExitCode::FAILURE
        }
    }
}

/// `Ok(Some(url))` for `--base-url url`, `Ok(Some(""))` when none is given, `Ok(None)` for help.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<String>, String> {
    let mut base_url = String::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--base-url" => match args.next() {
                Some(url) => base_url = url,
                None => return Err("--base-url needs a URL".into()),
            },
            other => match other.strip_prefix("--base-url=") {
                Some(url) => base_url = url.to_owned(),
                None => return Err(format!("unexpected argument {other:?}")),
            },
        }
    }
    Ok(Some(base_url))
}

fn run(base_url: String) -> Result<()> {
    // The blocking server runs on a thread with its own runtime, so this thread stays free
    // for `reqwest::blocking` (which must not run inside a tokio runtime).
    let server = if base_url.is_empty() {
        Some(BlockingServer::start()?)
    } else {
        None
    };
    let base_url = match &server {
        Some(server) => {
            let data = server.data();
            println!(
                "Example API at {} ({} objects in bucket {BUCKET:?}, {} users)",
                server.base_url(),
                thousands(data.objects.len()),
                thousands(data.users.len()),
            );
            server.base_url()
        }
        None => {
            println!("Example API at {base_url} (external)");
            base_url
        }
    };

    println!("\n== Blocking: BlockingHttpTransport (reqwest::blocking), Iterator ==");
    blocking_tour(&base_url)?;

    println!("\n== Async: HttpTransport (reqwest on tokio), Stream ==");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async_tour(&base_url))?;
    drop(runtime);

    if let Some(server) = server {
        let requests = server.requests();
        server.stop()?;
        println!("\nThe server answered {requests} HTTP requests and has stopped.");
    }
    Ok(())
}

fn blocking_tour(base_url: &str) -> Result<()> {
    // The whole client: each request's route says where its pages go.
    let api = BlockingHttpTransport::new(reqwest::blocking::Client::builder().build()?, base_url)?;

    println!("1. Pages: photos of June 2024, 40 per page (typed as ObjectListing)");
    let june = ListObjects::bucket(BUCKET).prefix("photos/2024/06/");
    for (n, page) in june.paginate(&api).page_size(40).enumerate() {
        let page = page?;
        println!(
            "   page {}: {:>2} objects, {} .. {}, IsTruncated {}",
            n + 1,
            page.contents.len(),
            page.contents.first().map_or("-", |o| o.key.as_str()),
            page.contents.last().map_or("-", |o| file_name(&o.key)),
            page.is_truncated,
        );
    }

    println!("2. Typed items: the first 3 users (User structs)");
    for user in ListUsers::default().paginate(&api).items().take(3) {
        let user: User = user?;
        println!(
            "   #{} {} <{}>, since {}",
            user.id, user.name, user.email, user.created_at
        );
    }

    println!("3. max_items 2,500 over pages of 1,000, then resume from the token");
    let everything = ListObjects::bucket(BUCKET);
    let mut first = everything.paginate(&api).max_items(2_500);
    let mut first_run = Vec::new();
    for page in &mut first {
        first_run.extend(page?.contents);
    }
    let token = first
        .resume_token()
        .ok_or("the bucket ended before 2,500 objects")?;
    println!(
        "   first run:   {} objects, last {}; resume token {}",
        thousands(first_run.len()),
        last_key(&first_run),
        shorten(&token, 28),
    );
    let rest: Vec<Object> = everything
        .paginate(&api)
        .starting_token(Some(token))
        .items()
        .collect::<Result<_, _>>()?;
    println!(
        "   resumed run: {} objects, first {}; {} in all",
        thousands(rest.len()),
        rest.first().map_or("-", |o| o.key.as_str()),
        thousands(first_run.len() + rest.len()),
    );

    println!("4. JMESPath search: videos over 890 MB");
    let expression = "Contents[?Size > `890000000`].[Key, Size]";
    let big: Vec<Value> = ListObjects::bucket(BUCKET)
        .prefix("videos/")
        .paginate(&api)
        .search(expression)?
        .collect::<Result<_, _>>()?;
    println!("   {expression}: {} found", big.len());
    for hit in big.iter().take(3) {
        println!("   {hit}");
    }

    println!("5. build_full_result: docs/ with Delimiter \"/\", 1 entry per page");
    let full = ListObjects::bucket(BUCKET)
        .prefix("docs/")
        .delimiter("/")
        .paginate(&api)
        .page_size(1)
        .build_full_result_as::<serde_json::Value>()?;
    let keys: Vec<&str> = full["Contents"]
        .as_array()
        .map(|objects| objects.iter().filter_map(|o| o["Key"].as_str()).collect())
        .unwrap_or_default();
    println!(
        "   Name {}, Prefix {}, Contents {keys:?}, CommonPrefixes {}",
        full["Name"], full["Prefix"], full["CommonPrefixes"]
    );

    println!("6. Progress: every object, 500 per page");
    let pages = ListObjects::bucket(BUCKET)
        .paginate(&api)
        .page_size(500)
        .on_page(progress_printer("objects", 5));
    for page in pages {
        page?;
    }
    Ok(())
}

async fn async_tour(base_url: &str) -> Result<()> {
    // In an `Arc`, so that a stream can own its transport and move to a spawned task.
    let api = Arc::new(HttpTransport::new(
        reqwest::Client::builder().build()?,
        base_url,
    )?);

    println!("1. Pages: users, 500 per page (typed as UserPage)");
    let mut pages = ListUsers::default().paginate_async(&*api).page_size(500);
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page?;
        sizes.push(page.users.len().to_string());
        if page.next_token.is_none() {
            println!(
                "   page sizes {}; the last page has next_token null",
                sizes.join(", ")
            );
        }
    }

    println!("2. Typed items: the first 3 videos of December 2024 (Object structs)");
    let mut videos = ListObjects::bucket(BUCKET)
        .prefix("videos/2024/12/")
        .paginate_async(&*api)
        .items();
    for _ in 0..3 {
        let Some(video) = videos.next().await else {
            break;
        };
        let video: Object = video?;
        println!(
            "   {} {} MB, {}, modified {}",
            video.key,
            video.size / 1_000_000,
            video.storage_class,
            video.last_modified
        );
    }

    println!("3. Stop after 1,234 users, then resume from the item stream's token");
    let mut users = ListUsers::default()
        .paginate_async(&*api)
        .page_size(500)
        .items();
    let mut first_run = Vec::new();
    while first_run.len() < 1_234 {
        match users.next().await {
            Some(user) => first_run.push(user?),
            None => break,
        }
    }
    let token = users.resume_token().ok_or("fewer than 1,234 users")?;
    drop(users);
    println!(
        "   first run:   {} users, last #{}; resume token {}",
        thousands(first_run.len()),
        first_run.last().map_or(0, |u| u.id),
        shorten(&token, 28)
    );
    let mut rest = ListUsers::default()
        .paginate_async(&*api)
        .page_size(500)
        .starting_token(Some(token))
        .items();
    let (mut count, mut first_id) = (0, None);
    while let Some(user) = rest.next().await {
        first_id = first_id.or(Some(user?.id));
        count += 1;
    }
    println!(
        "   resumed run: {} users, first #{}; {} in all",
        thousands(count),
        first_id.unwrap_or(0),
        thousands(first_run.len() + count)
    );

    println!("4. JMESPath search: inactive users");
    let mut inactive = ListUsers::default()
        .paginate_async(&*api)
        .page_size(500)
        .search("users[?!active].email")?;
    let mut emails = Vec::new();
    while let Some(email) = inactive.next().await {
        emails.push(email?);
    }
    println!(
        "   users[?!active].email: {} found, first {}",
        emails.len(),
        emails
            .first()
            .map_or_else(|| "-".to_owned(), Value::to_string)
    );

    println!("5. build_full_result: max_items 1,200 users over pages of 500");
    let full = ListUsers::default()
        .paginate_async(&*api)
        .page_size(500)
        .max_items(1_200)
        .build_full_result_as::<serde_json::Value>()
        .await?;
    println!(
        "   {} users, NextToken {}",
        thousands(full["users"].as_array().map_or(0, Vec::len)),
        shorten(full["NextToken"].as_str().unwrap_or("-"), 28)
    );

    println!("6. Progress: every object, 1,000 per page, on a spawned task");
    let listing = ListObjects::bucket(BUCKET)
        .paginate_async(api.clone())
        .page_size(1_000)
        .on_page(progress_printer("objects", 4));
    let task = tokio::spawn(async move {
        let mut listing = listing;
        while let Some(page) = listing.next().await {
            page?;
        }
        Ok::<_, paginated::Error>(())
    });
    task.await??;
    Ok(())
}

/// An `on_page` hook that shows how far a listing has got: rewritten in place with `\r` on
/// a terminal, otherwise one line every `every` pages and at the end.
fn progress_printer(what: &'static str, every: u64) -> impl FnMut(&Progress) + Send + 'static {
    let tty = std::io::stdout().is_terminal();
    move |progress: &Progress| {
        let done = progress.last;
        let line = format!(
            "   page {:>2}: {:>6} {what} so far{}",
            progress.page,
            thousands(progress.items),
            if done { ", done" } else { "" }
        );
        if tty {
            print!("\r{line}");
            if done {
                println!();
            }
            let _ = std::io::stdout().flush();
        } else if done || progress.page.is_multiple_of(every) {
            println!("{line}");
        }
    }
}

fn last_key(objects: &[Object]) -> &str {
    objects.last().map_or("-", |o| o.key.as_str())
}

fn file_name(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

/// `s` cut to `n` characters, with `…` when it was longer.
fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_owned();
    }
    let mut short: String = s.chars().take(n).collect();
    short.push('…');
    short
}

/// `10502` as `10,502`.
fn thousands(n: impl TryInto<u64>) -> String {
    let digits = n
        .try_into()
        .map_or_else(|_| "?".to_owned(), |n: u64| n.to_string());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
