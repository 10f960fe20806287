//! Headless Chromium for the preview tests: load a page, dump the DOM after
//! its script ran (`--dump-dom`), or take a screenshot (`--screenshot`),
//! and measure a PNG. Chromium must be installed: the tests fail (never
//! skip) when it is missing, saying how to install it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The browser: `$CHROMIUM` when set, else Debian's `/usr/bin/chromium`.
pub fn binary() -> PathBuf {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.is_file(),
        "the preview tests need Chromium at `{}`, which is missing: run `.ci/run`, or \
         `apt-get install -y chromium` (or set CHROMIUM to a Chromium binary)",
        path.display()
    );
    path
}

/// `file://` URL of a local file, with an optional `#fragment`.
pub fn url(path: &Path, fragment: &str) -> String {
    let abs = path.canonicalize().expect("page exists");
    let mut u = format!("file://{}", abs.display());
    if !fragment.is_empty() {
        u.push('#');
        u.push_str(fragment);
    }
    u
}

/// Runs headless Chromium with a fresh profile on `url`; returns stdout.
fn run(url: &str, extra: &[String]) -> Vec<u8> {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut child = Command::new(binary())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    // A safety net, not an assertion on speed: a hung browser must not hang
    // the test suite.
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().expect("wait on chromium").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("chromium output");
    assert!(
        out.status.success(),
        "chromium failed on {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The DOM after the page's scripts ran, serialized.
pub fn dump_dom(url: &str) -> String {
    String::from_utf8(run(url, &["--dump-dom".into()])).expect("DOM is UTF-8")
}

/// A screenshot of the viewport, `width`×`height` CSS pixels, as PNG bytes.
pub fn screenshot(url: &str, width: u32, height: u32, extra: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("screenshot dir");
    let file = dir.path().join("shot.png");
    let mut args = vec![
        format!("--window-size={width},{height}"),
        format!("--screenshot={}", file.display()),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    run(url, &args);
    std::fs::read(&file).expect("chromium wrote the screenshot")
}

/// What a screenshot holds, measured.
#[derive(Debug)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    /// Distinct RGB colours.
    pub colours: usize,
    /// Share of pixels that differ from the most common (background) one.
    pub ink: f64,
    /// Mean luminance, 0 (black) to 1 (white).
    pub luminance: f64,
}

/// Decodes a PNG and measures it.
pub fn measure(png_bytes: &[u8]) -> Picture {
    let mut decoder = png::Decoder::new(png_bytes);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    let mut counts: std::collections::BTreeMap<[u8; 3], usize> = Default::default();
    let mut light = 0.0;
    let pixels = buf[..info.buffer_size()].chunks(channels);
    let total = (info.width * info.height) as usize;
    for p in pixels {
        let rgb = if channels >= 3 {
            [p[0], p[1], p[2]]
        } else {
            [p[0], p[0], p[0]]
        };
        *counts.entry(rgb).or_default() += 1;
        light +=
            (0.2126 * f64::from(rgb[0]) + 0.7152 * f64::from(rgb[1]) + 0.0722 * f64::from(rgb[2]))
                / 255.0;
    }
    let background = counts.values().copied().max().unwrap_or(0);
    Picture {
        width: info.width,
        height: info.height,
        colours: counts.len(),
        ink: 1.0 - background as f64 / total as f64,
        luminance: light / total as f64,
    }
}
