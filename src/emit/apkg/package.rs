//! The package's zip container, written by hand so that its one big entry
//! (the collection) can be compressed on several threads.
//!
//! The entry's data is cut into fixed [`CHUNK`]-byte pieces, each
//! compressed on its own ([`Codec`]):
//!
//! - **Deflate** (zip method 8, the legacy package): each piece is primed
//!   with the 32 KiB of data before it as the dictionary (as pigz does)
//!   and ends in a sync flush, the last in the final block; the pieces
//!   joined are one ordinary Deflate stream, within a fraction of a
//!   percent of one single stream.
//! - **Zstandard** (the newer package): each piece is one zstd frame, and
//!   the entry is stored (zip method 0) as the frames one after another,
//!   which a zstd decoder reads as one (Anki's importer does). Frames
//!   share no history, which costs about 1 % at 1 MiB.
//!
//! The cut points depend only on the data, never on the number of threads,
//! so the bytes are the same on every machine.
//!
//! The zip layout is the one the `zip` crate wrote before: local headers
//! without extra fields, version 2.0, the fixed 1980-01-01 timestamp, Unix
//! mode 0644, a central directory and the end record. No entry may reach
//! 4 GiB (Zip64 is not written); the collection of a million cards is about
//! 750 MB.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use flate2::{Compress, Compression, FlushCompress, Status};

use crate::error::{Error, Result};
use crate::fileio::{read_at, write_at};

/// Bytes deflated as one piece: large enough that the per-piece cost (a
/// dictionary, a sync marker) is noise, small enough to share between two
/// cores well at 10,000 cards.
pub const CHUNK: usize = 1 << 20;
/// Deflate's window: the dictionary each piece is primed with.
const WINDOW: usize = 32 * 1024;

/// How an entry's pieces are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// Raw Deflate at a level (1–9): zip method 8.
    Deflate(u32),
    /// Zstandard frames at a level (1–22), stored: zip method 0.
    Zstd(i32),
    /// The data as it is, stored: zip method 0.
    Store,
}

impl Codec {
    /// How much data before a piece it is primed with.
    fn window(self) -> usize {
        match self {
            Codec::Deflate(_) => WINDOW,
            Codec::Zstd(_) | Codec::Store => 0,
        }
    }

    /// The zip compression method of an entry holding these pieces.
    fn method(self) -> u16 {
        match self {
            Codec::Deflate(_) => 8,
            Codec::Zstd(_) | Codec::Store => 0,
        }
    }
}

/// One compressed entry, ready to be written.
pub struct Entry<'s> {
    name: String,
    /// The zip compression method (see [`Codec::method`]).
    method: u16,
    crc: u32,
    /// The size of the data the entry holds (for a stored entry, the
    /// zstd frames).
    size: u64,
    /// The compressed stream, in the pieces it was compressed in: joining
    /// them first would hold the package twice (170 MB at a million cards).
    pieces: Vec<Stored>,
    /// Where the pieces that are [`Stored::Spilled`] are.
    spill: Option<&'s Spill>,
}

impl Entry<'_> {
    /// The compressed size.
    fn compressed(&self) -> u64 {
        self.pieces.iter().map(Stored::len).sum()
    }
}

/// A deflated piece: in memory, or in a [`Spill`] file.
pub enum Stored {
    Held(Vec<u8>),
    Spilled { at: u64, len: u64 },
}

impl Stored {
    fn len(&self) -> u64 {
        match self {
            Stored::Held(bytes) => bytes.len() as u64,
            Stored::Spilled { len, .. } => *len,
        }
    }
}

/// A scratch file the collection's deflated pieces wait in until the zip
/// is written, rather than in memory: they are the package, 17 MB at
/// 100,000 cards and 170 MB at a million, and they were all held at once
/// at the end of a build, beside the notes. Written at offsets, so the
/// threads deflating put their pieces in at once; read back in order by
/// [`write`].
pub struct Spill {
    file: std::fs::File,
    /// The file's length: where the next piece goes.
    end: Mutex<u64>,
}

impl Spill {
    /// Spills into `file` (an empty scratch file, removed when closed).
    pub fn new(file: std::fs::File) -> Self {
        Spill {
            file,
            end: Mutex::new(0),
        }
    }

    /// Puts `bytes` at the end of the file.
    fn put(&self, bytes: &[u8]) -> std::io::Result<Stored> {
        let len = bytes.len() as u64;
        let at = {
            let mut end = self
                .end
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let at = *end;
            *end += len;
            at
        };
        write_at(&self.file, bytes, at)?;
        Ok(Stored::Spilled { at, len })
    }
}

/// Keeps a deflated piece: in `spill` if given, else in memory.
fn keep(bytes: Vec<u8>, spill: Option<&Spill>) -> Result<Stored> {
    match spill {
        Some(spill) => spill.put(&bytes).map_err(|e| spill_failed(&e)),
        None => Ok(Stored::Held(bytes)),
    }
}

/// What a failed write to the spill file means for the user.
fn spill_failed(e: &std::io::Error) -> Error {
    Error::Format(format!(
        "cannot keep the compressed package in its scratch file: {e}; \
         free some space where the package goes or set TMPDIR to a directory with more"
    ))
}

/// One piece compressed, and the CRC-32 of what the entry holds for it
/// (the data, or for a stored entry the frame).
type Piece = (Stored, crc32fast::Hasher);

/// Where piece `i` of data `len` bytes long lies: its dictionary's start
/// (`window` bytes before it), its own start and its end.
fn bounds(i: usize, len: usize, window: usize) -> (usize, usize, usize) {
    let start = i * CHUNK;
    (
        start.saturating_sub(window),
        start,
        (start + CHUNK).min(len),
    )
}

/// Compresses piece `i` of `data` (`bytes` is its dictionary and the
/// piece), `last` when it ends the stream.
/// The piece is kept in `spill`, if given.
fn piece_of(
    bytes: &[u8],
    i: usize,
    codec: Codec,
    last: bool,
    spill: Option<&Spill>,
) -> Result<Piece> {
    let (from, start, _) = bounds(i, usize::MAX, codec.window());
    let (dictionary, piece) = (&bytes[..start - from], &bytes[start - from..]);
    let mut crc = crc32fast::Hasher::new();
    let compressed = match codec {
        Codec::Deflate(level) => {
            crc.update(piece);
            piece_deflate(dictionary, piece, level, last)?
        }
        Codec::Zstd(level) => {
            let frame = zstd_frame(piece, level)?;
            crc.update(&frame);
            frame
        }
        Codec::Store => {
            crc.update(piece);
            piece.to_vec()
        }
    };
    Ok((keep(compressed, spill)?, crc))
}

/// One piece as a zstd frame (with its size, without a checksum: the zip's
/// CRC-32 covers it), each thread reusing one compressor.
fn zstd_frame(piece: &[u8], level: i32) -> Result<Vec<u8>> {
    thread_local! {
        static COMPRESSOR: std::cell::RefCell<Option<(i32, zstd::bulk::Compressor<'static>)>> =
            const { std::cell::RefCell::new(None) };
    }
    let failed = |e: std::io::Error| Error::Format(format!("cannot compress: {e}"));
    COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|(l, _)| *l != level) {
            *cell = Some((level, zstd::bulk::Compressor::new(level).map_err(failed)?));
        }
        match cell.as_mut() {
            Some((_, compressor)) => compressor.compress(piece).map_err(failed),
            None => Err(Error::Format("cannot compress: no zstd compressor".into())),
        }
    })
}

/// Cuts data that arrives in order into the pieces [`compress`] would cut
/// it into, handing each piece out (with the window before it) as soon as
/// it is whole and known not to be the last. The data's first `prefix`
/// bytes are only known at the end (SQLite's pages, whose roots and header
/// are written last): the pieces that hold any of them, or whose window
/// does, are kept and made at the end, as is the last.
struct Cutter {
    window: usize,
    prefix: usize,
    /// The first piece handed out.
    first_out: usize,
    /// The bytes that arrived before piece `first_out`.
    head: Vec<u8>,
    /// The piece being filled, from its window on, and its index.
    current: Vec<u8>,
    index: usize,
    /// The last whole piece, kept until data past it arrives.
    held: Option<Raw>,
    /// Where the next byte goes.
    end: usize,
    /// Buffers of pieces compressed, to fill again.
    pool: std::sync::Arc<Mutex<Vec<Vec<u8>>>>,
}

/// A piece to compress: its index, and its window and bytes.
type Raw = (usize, Vec<u8>);

impl Cutter {
    fn new(codec: Codec, prefix: usize) -> Self {
        let window = codec.window();
        Cutter {
            window,
            prefix,
            // The first piece whose window starts after the prefix.
            first_out: (prefix + window).div_ceil(CHUNK).max(1),
            head: Vec::new(),
            current: Vec::new(),
            index: 0,
            held: None,
            end: prefix,
            pool: std::sync::Arc::default(),
        }
    }

    /// Takes the next bytes; `out` gets the pieces that are done.
    fn push(&mut self, mut bytes: &[u8], out: &mut dyn FnMut(Raw) -> Result<()>) -> Result<()> {
        let head_end = self.first_out * CHUNK;
        while !bytes.is_empty() {
            let (take, into_head) = if self.end < head_end {
                ((head_end - self.end).min(bytes.len()), true)
            } else {
                if self.end % CHUNK == 0 {
                    self.start_piece(out)?;
                }
                let piece_end = (self.end / CHUNK + 1) * CHUNK;
                ((piece_end - self.end).min(bytes.len()), false)
            };
            let (now, rest) = bytes.split_at(take);
            if into_head {
                self.head.extend_from_slice(now);
            } else {
                self.current.extend_from_slice(now);
            }
            self.end += take;
            bytes = rest;
            if !into_head && self.end % CHUNK == 0 {
                let whole = std::mem::take(&mut self.current);
                self.held = Some((self.index, whole));
            }
        }
        Ok(())
    }

    /// Starts the piece at `end`: its window is the end of the piece
    /// before, which is handed out now that data past it has come.
    fn start_piece(&mut self, out: &mut dyn FnMut(Raw) -> Result<()>) -> Result<()> {
        // A buffer used before: a new one would be new memory, every
        // page of it faulted in (700 MB at a million cards).
        let reused = self.pool.lock().ok().and_then(|mut p| p.pop());
        let mut current = reused.unwrap_or_else(|| Vec::with_capacity(self.window + CHUNK));
        current.clear();
        let before: &[u8] = match &self.held {
            Some((_, bytes)) => bytes,
            None => &self.head,
        };
        current.extend_from_slice(&before[before.len().saturating_sub(self.window)..]);
        if let Some(held) = self.held.take() {
            out(held)?;
        }
        self.current = current;
        self.index = self.end / CHUNK;
        Ok(())
    }

    /// The data's length, how many pieces were kept from the start, their
    /// bytes (with `prefix`, the data's first bytes, in front) and the last
    /// piece when it comes after them.
    fn finish(self, prefix: Vec<u8>) -> Result<(usize, usize, Vec<u8>, Option<Raw>)> {
        if prefix.len() != self.prefix {
            return Err(Error::Format(format!(
                "the collection's first {} bytes came as {}",
                self.prefix,
                prefix.len()
            )));
        }
        let mut first = prefix;
        first.extend_from_slice(&self.head);
        let last = if self.current.is_empty() {
            self.held
        } else {
            Some((self.index, self.current))
        };
        Ok((self.end, self.first_out, first, last))
    }
}

/// Where data to be compressed as it arrives goes (see
/// [`compress_stream`]).
pub struct Sink<'a> {
    cutter: Cutter,
    out: &'a mut dyn FnMut(Raw) -> Result<()>,
}

impl Sink<'_> {
    /// Takes the next bytes of the data.
    pub fn push(&mut self, bytes: &[u8]) -> Result<()> {
        self.cutter.push(bytes, self.out)
    }
}

/// Uncompressed pieces waiting for a thread, at most: 8 MiB.
const QUEUE: usize = 8;

/// Compresses data that `write` hands to a [`Sink`] in order, from byte
/// `prefix` on, while it is written: on `threads` threads beside `write`
/// (which waits while they are behind: they get every core then), each
/// piece once it is whole. `prefix_bytes` gives the first
/// `prefix` bytes once `write` is done. The bytes are those [`compress`]
/// gives for the whole data; nothing but the pieces waiting for a thread
/// (a few MiB) and the first and last pieces is held. What is left to do
/// once `write` is done runs inside `after` (to time it).
#[allow(clippy::too_many_arguments)]
pub fn compress_stream<'s, T>(
    name: &str,
    codec: Codec,
    threads: usize,
    spill: Option<&'s Spill>,
    prefix: usize,
    write: impl FnOnce(&mut Sink<'_>) -> Result<T>,
    prefix_bytes: impl FnOnce(&T) -> Result<Vec<u8>>,
    after: &dyn Fn(&mut dyn FnMut()),
) -> Result<(T, Entry<'s>)> {
    let done: Mutex<Vec<Option<Result<Piece>>>> = Mutex::new(Vec::new());
    let put = |i: usize, piece: Result<Piece>| {
        let mut done = done
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if done.len() <= i {
            done.resize_with(i + 1, || None);
        }
        done[i] = Some(piece);
    };
    let cutter = Cutter::new(codec, prefix);
    let pool = std::sync::Arc::clone(&cutter.pool);
    let compress_raw = |(i, bytes): Raw| {
        put(i, piece_of(&bytes, i, codec, false, spill));
        if let Ok(mut pool) = pool.lock() {
            pool.push(bytes);
        }
    };
    let (written, cutter) = if threads > 1 {
        let (queue, waiting) = std::sync::mpsc::sync_channel::<Raw>(QUEUE);
        let waiting = Mutex::new(waiting);
        let work = || loop {
            let next = match waiting.lock() {
                Ok(w) => w.recv(),
                Err(_) => break,
            };
            match next {
                Ok(raw) => compress_raw(raw),
                Err(_) => break,
            }
        };
        std::thread::scope(|s| {
            // As many as there are cores: when they fall behind, the
            // threads writing wait on the queue and leave the cores to them
            // (with one fewer, the legacy package's Deflate took 0.94
            // instead of 0.86 s at 100,000 cards).
            for _ in 0..threads {
                s.spawn(work);
            }
            let mut out = |raw: Raw| {
                queue
                    .send(raw)
                    .map_err(|_| Error::Format("a compression thread failed".into()))
            };
            let fed = feed(cutter, &mut out, write);
            drop(queue);
            // The pieces still waiting are shared with the threads.
            after(&mut || work());
            fed
        })
    } else {
        let mut out = |raw: Raw| {
            compress_raw(raw);
            Ok(())
        };
        feed(cutter, &mut out, write)
    };
    let written = written?;
    let (len, kept, first, last) = cutter.finish(prefix_bytes(&written)?)?;
    let pieces = len.div_ceil(CHUNK).max(1);
    // The first pieces and the last, on a thread each when there are
    // cores for both: nothing else is left to do.
    let firsts = || -> Result<()> {
        for i in 0..pieces.min(kept) {
            let (from, _, end) = bounds(i, len, codec.window());
            let bytes = first.get(from..end).ok_or_else(|| {
                Error::Format(format!("no bytes {from}..{end} in the collection"))
            })?;
            put(i, piece_of(bytes, i, codec, i + 1 == pieces, spill));
        }
        Ok(())
    };
    let last = || {
        if let Some((i, bytes)) = &last {
            put(*i, piece_of(bytes, *i, codec, true, spill));
        }
    };
    let ends = || -> Result<()> {
        if threads > 1 {
            std::thread::scope(|s| {
                s.spawn(last);
                firsts()
            })
        } else {
            last();
            firsts()
        }
    };
    let mut ended = Ok(());
    after(&mut || ended = ends());
    ended?;
    let mut done = done
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    done.resize_with(pieces, || None);
    let missing = || Err(Error::Format("a piece was not compressed".into()));
    let results = done
        .into_iter()
        .map(|p| p.unwrap_or_else(missing))
        .collect();
    Ok((written, entry(name, codec, len, results, spill)?))
}

/// Runs `write` on a sink over `cutter` that hands pieces to `out`; gives
/// back what it returned, and the cutter.
fn feed<T>(
    cutter: Cutter,
    out: &mut dyn FnMut(Raw) -> Result<()>,
    write: impl FnOnce(&mut Sink<'_>) -> Result<T>,
) -> (Result<T>, Cutter) {
    let mut sink = Sink { cutter, out };
    let written = write(&mut sink);
    (written, sink.cutter)
}

/// Compresses `data` with `codec` on up to `threads` threads, the pieces
/// held in memory (the collection's go through [`compress_stream`]).
pub fn compress(name: &str, data: &[u8], codec: Codec, threads: usize) -> Result<Entry<'static>> {
    let len = data.len();
    let pieces = len.div_ceil(CHUNK).max(1);
    let results: Vec<Mutex<Option<Result<Piece>>>> =
        (0..pieces).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(slot) = results.get(i) else { break };
        let (from, _, end) = bounds(i, len, codec.window());
        let done = match data.get(from..end) {
            Some(bytes) => piece_of(bytes, i, codec, i + 1 == pieces, None),
            None => Err(Error::Format(format!("no bytes {from}..{end} in the data"))),
        };
        if let Ok(mut slot) = slot.lock() {
            *slot = Some(done);
        }
    };
    let threads = threads.clamp(1, pieces);
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    let results = results
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| Err(Error::Format("a compression thread failed".into())))
        })
        .collect();
    entry(name, codec, len, results, None)
}

/// The entry of `len` bytes of data compressed with `codec` into `pieces`.
fn entry<'s>(
    name: &str,
    codec: Codec,
    len: usize,
    pieces: Vec<Result<Piece>>,
    spill: Option<&'s Spill>,
) -> Result<Entry<'s>> {
    let mut out = Vec::with_capacity(pieces.len());
    let mut crc = crc32fast::Hasher::new();
    for piece in pieces {
        let (bytes, piece_crc) = piece?;
        out.push(bytes);
        crc.combine(&piece_crc);
    }
    let method = codec.method();
    let size = match codec {
        Codec::Deflate(_) | Codec::Store => len as u64,
        Codec::Zstd(_) => out.iter().map(Stored::len).sum(),
    };
    Ok(Entry {
        name: name.to_string(),
        method,
        crc: crc.finalize(),
        size,
        pieces: out,
        spill,
    })
}

/// One piece as raw Deflate: ends on a byte boundary (sync flush), or with
/// the final block when `last`.
fn piece_deflate(dictionary: &[u8], piece: &[u8], level: u32, last: bool) -> Result<Vec<u8>> {
    let failed = |e: flate2::CompressError| Error::Format(format!("cannot compress: {e}"));
    let mut z = Compress::new(Compression::new(level), false);
    if !dictionary.is_empty() {
        z.set_dictionary(dictionary).map_err(failed)?;
    }
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    let mut out = Vec::with_capacity(piece.len() / 2 + 64);
    loop {
        if out.capacity() - out.len() < 1024 {
            out.reserve(out.capacity().max(4096));
        }
        let input = piece.get(z.total_in() as usize..).unwrap_or_default();
        let status = z.compress_vec(input, &mut out, flush).map_err(failed)?;
        let all_in = z.total_in() as usize == piece.len();
        // Deflate has flushed everything once it stops short of filling
        // the output; the final block is done at `StreamEnd`.
        let done = if last {
            status == Status::StreamEnd
        } else {
            all_in && out.len() < out.capacity()
        };
        if done {
            break;
        }
    }
    // Room for half the piece was reserved; a piece is about a quarter of
    // its data, and it may be held until the package is written.
    out.shrink_to_fit();
    Ok(out)
}

/// Writes the zip: each entry's local header and data, then the central
/// directory. Each piece is freed once written.
pub fn write(entries: Vec<Entry<'_>>, out: &mut dyn Write) -> Result<()> {
    let too_big = || Error::Format("the package would exceed 4 GiB, which needs Zip64".into());
    let u32_of = |n: u64| u32::try_from(n).map_err(|_| too_big());
    let mut offset: u64 = 0;
    let mut central = Vec::new();
    let count = entries.len();
    for e in entries {
        let name = e.name.as_bytes();
        let compressed_len = e.compressed();
        let (compressed, size) = (u32_of(compressed_len)?, u32_of(e.size)?);
        let flags: u16 = if e.name.is_ascii() { 0 } else { 1 << 11 };
        let mut local = Vec::with_capacity(30 + name.len());
        local.extend_from_slice(&0x0403_4b50_u32.to_le_bytes());
        common(&mut local, &e, flags, compressed, size);
        local.extend_from_slice(&0_u16.to_le_bytes()); // extra field length
        local.extend_from_slice(name);
        out.write_all(&local)?;
        central.extend_from_slice(&0x0201_4b50_u32.to_le_bytes());
        central.extend_from_slice(&(0x0300_u16 | 20).to_le_bytes()); // made by: Unix, 2.0
        common(&mut central, &e, flags, compressed, size);
        central.extend_from_slice(&0_u16.to_le_bytes()); // extra field length
        central.extend_from_slice(&0_u16.to_le_bytes()); // comment length
        central.extend_from_slice(&0_u16.to_le_bytes()); // disk number
        central.extend_from_slice(&0_u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&(0o100_644_u32 << 16).to_le_bytes()); // regular file, 0644
        central.extend_from_slice(&u32_of(offset)?.to_le_bytes());
        central.extend_from_slice(name);
        let mut buf = Vec::new();
        for piece in e.pieces {
            match (piece, e.spill) {
                (Stored::Held(bytes), _) => out.write_all(&bytes)?,
                (Stored::Spilled { at, len }, Some(spill)) => {
                    let len = usize::try_from(len).map_err(|_| too_big())?;
                    buf.resize(len, 0);
                    read_at(&spill.file, &mut buf, at)?;
                    out.write_all(&buf)?;
                }
                (Stored::Spilled { .. }, None) => {
                    return Err(Error::Format("a compressed piece was lost".into()))
                }
            }
        }
        offset += local.len() as u64 + compressed_len;
    }
    let count = u16::try_from(count)
        .map_err(|_| Error::Format("too many media files for one package".into()))?;
    let mut end = Vec::with_capacity(22);
    end.extend_from_slice(&0x0605_4b50_u32.to_le_bytes());
    end.extend_from_slice(&0_u16.to_le_bytes()); // this disk
    end.extend_from_slice(&0_u16.to_le_bytes()); // disk with the directory
    end.extend_from_slice(&count.to_le_bytes());
    end.extend_from_slice(&count.to_le_bytes());
    end.extend_from_slice(&u32_of(central.len() as u64)?.to_le_bytes());
    end.extend_from_slice(&u32_of(offset)?.to_le_bytes());
    end.extend_from_slice(&0_u16.to_le_bytes()); // comment length
    out.write_all(&central)?;
    out.write_all(&end)?;
    Ok(())
}

/// The fields local and central headers share, from "version needed", for
/// entry `e` (its sizes as they go in the headers).
fn common(buf: &mut Vec<u8>, e: &Entry<'_>, flags: u16, compressed: u32, size: u32) {
    buf.extend_from_slice(&20_u16.to_le_bytes()); // version needed: 2.0
    buf.extend_from_slice(&flags.to_le_bytes());
    buf.extend_from_slice(&e.method.to_le_bytes()); // 8 Deflate, 0 stored
    buf.extend_from_slice(&0_u16.to_le_bytes()); // time 00:00:00
    buf.extend_from_slice(&((1 << 5) | 1_u16).to_le_bytes()); // date 1980-01-01
    buf.extend_from_slice(&e.crc.to_le_bytes());
    buf.extend_from_slice(&compressed.to_le_bytes());
    buf.extend_from_slice(&size.to_le_bytes());
    buf.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Data that compresses, spanning several pieces.
    fn data(len: usize) -> Vec<u8> {
        let mut x: u32 = 1;
        (0..len)
            .map(|i| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                if i % 7 == 0 {
                    (x >> 24) as u8
                } else {
                    b"the quick brown fox "[i % 20]
                }
            })
            .collect()
    }

    fn zip_of(entries: Vec<Entry>) -> Vec<u8> {
        let mut out = Vec::new();
        write(entries, &mut out).unwrap();
        out
    }

    #[test]
    fn pieces_join_into_one_stream_that_reads_back() {
        for len in [0, 10, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17] {
            let bytes = data(len);
            let entries = vec![
                compress("collection.anki2", &bytes, Codec::Deflate(6), 2).unwrap(),
                compress("media", b"{}", Codec::Deflate(6), 2).unwrap(),
            ];
            let zip = zip_of(entries);
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
            assert_eq!(archive.len(), 2);
            let mut back = Vec::new();
            let mut file = archive.by_name("collection.anki2").unwrap();
            assert_eq!(file.unix_mode(), Some(0o100_644));
            file.read_to_end(&mut back).unwrap();
            assert!(back == bytes, "length {len}");
        }
    }

    #[test]
    fn bytes_do_not_depend_on_the_thread_count() {
        let bytes = data(3 * CHUNK + 5);
        for codec in CODECS {
            let one = zip_of(vec![compress("c", &bytes, codec, 1).unwrap()]);
            for threads in [2, 3, 8] {
                let many = zip_of(vec![compress("c", &bytes, codec, threads).unwrap()]);
                assert!(one == many, "{codec:?}, {threads} threads");
            }
        }
    }

    /// Both codecs, at their quickest levels.
    const CODECS: [Codec; 2] = [Codec::Deflate(1), Codec::Zstd(1)];

    /// Compresses `data` as a stream: its first `prefix` bytes given at
    /// the end, the rest pushed in parts of the sizes `parts` cycles
    /// through, on `threads` threads; checks that this gives the bytes
    /// compressing `data` at once gives.
    fn streamed(codec: Codec, data: &[u8], prefix: usize, parts: &[usize], threads: usize) {
        let prefix = prefix.min(data.len());
        let spill = Spill::new(tempfile::tempfile().unwrap());
        let (written, entry) = compress_stream(
            "c",
            codec,
            threads,
            Some(&spill),
            prefix,
            |sink| {
                let mut rest = &data[prefix..];
                for &n in parts.iter().cycle() {
                    if rest.is_empty() {
                        break;
                    }
                    let (now, later) = rest.split_at(n.clamp(1, rest.len()));
                    sink.push(now)?;
                    rest = later;
                }
                Ok(data.len())
            },
            |&len| Ok(data[..prefix.min(len)].to_vec()),
            &|f| f(),
        )
        .unwrap();
        assert_eq!(written, data.len());
        let at_once = compress("c", data, codec, 1).unwrap();
        assert!(
            zip_of(vec![entry]) == zip_of(vec![at_once]),
            "{codec:?}, length {}, prefix {prefix}, parts {parts:?}, {threads} threads",
            data.len()
        );
    }

    #[test]
    fn a_stream_compresses_as_the_whole_data_does() {
        let page = 16 * 1024;
        for codec in CODECS {
            for len in [
                0,
                10,
                CHUNK - 1,
                CHUNK,
                CHUNK + 1,
                2 * CHUNK,
                5 * CHUNK + 17,
            ] {
                let bytes = data(len);
                // SQLite's pages: none, a few, all but the window of piece
                // 1, reaching into piece 1, more than a piece.
                for prefix in [0, 14 * page, CHUNK - WINDOW, CHUNK - 10, CHUNK + 5 * page] {
                    for threads in [1, 2] {
                        streamed(codec, &bytes, prefix, &[page], threads);
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]

        /// However the data is cut as it is pushed, and wherever the part
        /// given at the end stops, the stream compresses as the whole does.
        #[test]
        fn any_stream_compresses_as_the_whole_data_does(
            len in 0usize..(4 * CHUNK),
            prefix in 0usize..(2 * CHUNK),
            parts in proptest::collection::vec(1usize..(CHUNK + CHUNK / 2), 1..5),
            threads in 1usize..4,
            zstd in proptest::bool::ANY,
        ) {
            let codec = if zstd { Codec::Zstd(1) } else { Codec::Deflate(1) };
            streamed(codec, &data(len), prefix, &parts, threads);
        }
    }

    /// A failing writer fails the stream with its error; a wrong prefix
    /// is an error too, not a wrong package.
    #[test]
    fn a_stream_passes_errors_on() {
        let bytes = data(3 * CHUNK);
        for threads in [1, 2] {
            let failed = compress_stream(
                "c",
                Codec::Zstd(1),
                threads,
                None,
                0,
                |sink| {
                    sink.push(&bytes[..2 * CHUNK + 5])?;
                    Err::<(), _>(Error::Format("the disk is gone".into()))
                },
                |_| Ok(Vec::new()),
                &|f| f(),
            );
            let Err(e) = failed else {
                panic!("a failing writer gave no error")
            };
            assert!(e.to_string().contains("the disk is gone"), "{e}");
            let short = compress_stream(
                "c",
                Codec::Zstd(1),
                threads,
                None,
                100,
                |sink| sink.push(&bytes[100..]),
                |_| Ok(vec![0; 99]),
                &|f| f(),
            );
            assert!(short.is_err());
        }
    }

    /// A stored entry of zstd frames, read back with a zip reader (which
    /// checks its CRC-32) and a zstd decoder, is the data.
    #[test]
    fn zstd_frames_read_back_as_one_stream() {
        for len in [0, 10, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17] {
            let bytes = data(len);
            let zip = zip_of(vec![compress("c", &bytes, Codec::Zstd(3), 2).unwrap()]);
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
            let mut file = archive.by_name("c").unwrap();
            assert_eq!(file.compression(), zip::CompressionMethod::Stored);
            let mut frames = Vec::new();
            file.read_to_end(&mut frames).unwrap();
            let mut back = Vec::new();
            zstd::stream::copy_decode(frames.as_slice(), &mut back).unwrap();
            assert!(back == bytes, "length {len}");
        }
    }

    /// Pieces kept in a spill file, by any number of threads, write the
    /// zip that pieces kept in memory write.
    #[test]
    fn spilled_pieces_write_the_same_zip() {
        for len in [0, 10, CHUNK, 3 * CHUNK + 17] {
            for threads in [1, 2, 3] {
                // `streamed` keeps its pieces in a spill file and holds them
                // to those `compress` keeps in memory.
                streamed(Codec::Deflate(1), &data(len), 0, &[CHUNK], threads);
            }
        }
    }

    /// A spill file that takes no writes (a full disk, here a file opened
    /// for reading) fails the build with a message that says what to do.
    #[test]
    fn a_spill_that_cannot_be_written_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spill");
        std::fs::write(&path, b"").unwrap();
        let spill = Spill::new(std::fs::File::open(&path).unwrap());
        let bytes = data(3 * CHUNK + 1);
        for threads in [1, 2] {
            let failed = compress_stream(
                "c",
                Codec::Deflate(1),
                threads,
                Some(&spill),
                0,
                |sink| sink.push(&bytes),
                |_| Ok(Vec::new()),
                &|f| f(),
            );
            let Err(e) = failed else {
                panic!("a spill that takes no writes gave no error");
            };
            let message = e.to_string();
            assert!(message.contains("scratch file"), "{message}");
            assert!(message.contains("set TMPDIR"), "{message}");
        }
    }

    #[test]
    fn higher_levels_are_smaller() {
        // Words picked at random: text, unlike `data`'s noise, which zstd's
        // higher levels make no smaller.
        let words = [
            "treaty ", "of ", "Moscow ", "1950, ", "the ", "split\n", "Mao ", "and ",
        ];
        let mut x: u32 = 7;
        let mut bytes = Vec::new();
        while bytes.len() < 2 * CHUNK {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            bytes.extend_from_slice(words[(x >> 16) as usize % words.len()].as_bytes());
        }
        let size = |codec| compress("c", &bytes, codec, 2).unwrap().compressed();
        let deflate = |level| size(Codec::Deflate(level));
        assert!(deflate(9) <= deflate(6) && deflate(6) < deflate(1));
        let zstd = |level| size(Codec::Zstd(level));
        let (z1, z3, z9) = (zstd(1), zstd(3), zstd(9));
        assert!(z9 <= z3 && z3 <= z1 && z9 < z1, "{z1} {z3} {z9}");
    }
}
