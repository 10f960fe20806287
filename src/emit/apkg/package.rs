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

use std::hash::Hasher;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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
    /// How many pieces were deflated ahead (see [`deflate_with`]); the
    /// tests check it.
    #[cfg_attr(not(test), allow(dead_code))]
    reused: usize,
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

/// The data an entry is deflated from: bytes in memory, or a file read a
/// piece at a time.
pub trait Data: Sync {
    fn len(&self) -> usize;
    /// The bytes `from..to`, when they can be borrowed as they are.
    fn slice(&self, from: usize, to: usize) -> Option<&[u8]>;
    /// Reads the bytes `from..to` into `buf` (replacing what it held).
    fn read_into(&self, from: usize, to: usize, buf: &mut Vec<u8>) -> Result<()>;

    /// The bytes `from..to`, borrowed or read into `buf`.
    fn fetch<'b>(&'b self, from: usize, to: usize, buf: &'b mut Vec<u8>) -> Result<&'b [u8]> {
        match self.slice(from, to) {
            Some(bytes) => Ok(bytes),
            None => {
                self.read_into(from, to, buf)?;
                Ok(buf)
            }
        }
    }
}

impl Data for [u8] {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }

    fn slice(&self, from: usize, to: usize) -> Option<&[u8]> {
        self.get(from..to)
    }

    fn read_into(&self, from: usize, to: usize, buf: &mut Vec<u8>) -> Result<()> {
        let bytes = self
            .get(from..to)
            .ok_or_else(|| Error::Format(format!("no bytes {from}..{to} in the data")))?;
        buf.clear();
        buf.extend_from_slice(bytes);
        Ok(())
    }
}

/// The first `len` bytes of a file, read where they are asked for.
pub struct FileData<'f> {
    pub file: &'f std::fs::File,
    pub len: usize,
}

impl Data for FileData<'_> {
    fn len(&self) -> usize {
        self.len
    }

    fn slice(&self, _: usize, _: usize) -> Option<&[u8]> {
        None
    }

    fn read_into(&self, from: usize, to: usize, buf: &mut Vec<u8>) -> Result<()> {
        if to > self.len || from > to {
            return Err(Error::Format(format!("no bytes {from}..{to} in the data")));
        }
        buf.clear();
        buf.resize(to - from, 0);
        read_at(self.file, buf, from as u64).map_err(Error::Io)
    }
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

/// Pieces deflated ahead, each with a hash of the data it was deflated
/// from (the piece and its dictionary).
pub struct Ahead {
    pieces: Vec<Option<(Piece, u64)>>,
}

/// Compresses the pieces `range` of `data` while it is being written: each
/// once `written` (how many bytes from the start are written, to change no
/// more but for the first piece's) has passed it, until `stop` is set (the
/// data is finished: the pieces left are then shared between every core).
/// Pieces `data` does not hold whole, or cannot read, are left to be
/// deflated with the rest; so are any whose bytes changed after all, which
/// [`deflate_with`] checks. They are kept in `spill`, if given (one not
/// used after all stays there unread).
pub fn compress_ahead<D: Data + ?Sized>(
    data: &D,
    range: std::ops::Range<usize>,
    written: &AtomicUsize,
    codec: Codec,
    stop: &AtomicBool,
    spill: Option<&Spill>,
) -> Ahead {
    let mut pieces = Vec::new();
    let mut bytes = Vec::new();
    for index in range {
        let (from, start, _) = bounds(index, usize::MAX, codec.window());
        let end = start + CHUNK;
        if end > data.len() {
            break;
        }
        while written.load(Ordering::Acquire) < end {
            if stop.load(Ordering::Relaxed) {
                return Ahead { pieces };
            }
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        if stop.load(Ordering::Relaxed) {
            break;
        }
        if data.read_into(from, end, &mut bytes).is_err() {
            break;
        }
        // An error is reported when the piece is deflated again.
        let Ok(piece) = piece_of(&bytes, index, codec, false, spill) else {
            break;
        };
        if pieces.len() <= index {
            pieces.resize_with(index + 1, || None);
        }
        pieces[index] = Some((piece, hash(&bytes)));
    }
    Ahead { pieces }
}

/// Tells data apart from other data (never written anywhere).
fn hash(bytes: &[u8]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.finish()
}

/// Whether a piece compressed ahead from bytes with hash `was` is piece
/// `i` of data `len` bytes long, whose dictionary and piece are `bytes`:
/// whole, not the last, and compressed from the same bytes.
fn still_holds(i: usize, len: usize, window: usize, bytes: &[u8], was: u64) -> bool {
    let (from, _, end) = bounds(i, len, window);
    end - from == CHUNK + window && end < len && was == hash(bytes)
}

/// Compresses `data` with `codec` on up to `threads` threads.
pub fn compress(name: &str, data: &[u8], codec: Codec, threads: usize) -> Result<Entry<'static>> {
    compress_with(name, data, codec, threads, None, None)
}

/// [`compress`], taking the pieces compressed ahead whose data has not
/// changed since the snapshot (the others are compressed again). The
/// bytes are those [`compress`] gives. The pieces are kept in `spill`, if
/// given.
pub fn compress_with<'s, D: Data + ?Sized>(
    name: &str,
    data: &D,
    codec: Codec,
    threads: usize,
    ahead: Option<Ahead>,
    spill: Option<&'s Spill>,
) -> Result<Entry<'s>> {
    let len = data.len();
    let pieces = len.div_ceil(CHUNK).max(1);
    let results: Vec<Mutex<Option<Result<Piece>>>> =
        (0..pieces).map(|_| Mutex::new(None)).collect();
    let ahead: Vec<Mutex<Option<(Piece, u64)>>> = ahead
        .map(|a| a.pieces.into_iter().map(Mutex::new).collect())
        .unwrap_or_default();
    let (next, reused) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let work = || {
        // A piece and its dictionary, when read from a file.
        let mut buf = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = results.get(i) else { break };
            let (from, _, end) = bounds(i, len, codec.window());
            let done = data.fetch(from, end, &mut buf).and_then(|bytes| {
                let early = ahead.get(i).and_then(|a| a.lock().ok()?.take());
                let window = codec.window();
                match early.filter(|(_, was)| still_holds(i, len, window, bytes, *was)) {
                    Some((piece, _)) => {
                        reused.fetch_add(1, Ordering::Relaxed);
                        Ok(piece)
                    }
                    None => piece_of(bytes, i, codec, i + 1 == pieces, spill),
                }
            });
            if let Ok(mut slot) = slot.lock() {
                *slot = Some(done);
            }
        }
    };
    let threads = threads.clamp(1, pieces);
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    let mut out = Vec::with_capacity(results.len());
    let mut crc = crc32fast::Hasher::new();
    for slot in results {
        let (bytes, piece_crc) = slot
            .into_inner()
            .ok()
            .flatten()
            .unwrap_or_else(|| Err(Error::Format("a compression thread failed".into())))?;
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
        reused: reused.into_inner(),
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
        common(
            &mut local,
            flags,
            e.method,
            e.crc,
            compressed,
            size,
            name.len(),
        );
        local.extend_from_slice(&0_u16.to_le_bytes()); // extra field length
        local.extend_from_slice(name);
        out.write_all(&local)?;
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

        central.extend_from_slice(&0x0201_4b50_u32.to_le_bytes());
        central.extend_from_slice(&(0x0300_u16 | 20).to_le_bytes()); // made by: Unix, 2.0
        common(
            &mut central,
            flags,
            e.method,
            e.crc,
            compressed,
            size,
            name.len(),
        );
        central.extend_from_slice(&0_u16.to_le_bytes()); // extra field length
        central.extend_from_slice(&0_u16.to_le_bytes()); // comment length
        central.extend_from_slice(&0_u16.to_le_bytes()); // disk number
        central.extend_from_slice(&0_u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&(0o100_644_u32 << 16).to_le_bytes()); // regular file, 0644
        central.extend_from_slice(&u32_of(offset)?.to_le_bytes());
        central.extend_from_slice(name);
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

/// The fields local and central headers share, from "version needed".
fn common(
    buf: &mut Vec<u8>,
    flags: u16,
    method: u16,
    crc: u32,
    compressed: u32,
    size: u32,
    name_len: usize,
) {
    buf.extend_from_slice(&20_u16.to_le_bytes()); // version needed: 2.0
    buf.extend_from_slice(&flags.to_le_bytes());
    buf.extend_from_slice(&method.to_le_bytes()); // 8 Deflate, 0 stored
    buf.extend_from_slice(&0_u16.to_le_bytes()); // time 00:00:00
    buf.extend_from_slice(&((1 << 5) | 1_u16).to_le_bytes()); // date 1980-01-01
    buf.extend_from_slice(&crc.to_le_bytes());
    buf.extend_from_slice(&compressed.to_le_bytes());
    buf.extend_from_slice(&size.to_le_bytes());
    buf.extend_from_slice(&(name_len as u16).to_le_bytes());
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

    /// Compresses `finished` with the pieces compressed ahead from `early`;
    /// checks that this gives the bytes compressing `finished` at once
    /// gives, and returns how many pieces compressed ahead were used.
    fn reused_with(codec: Codec, finished: &[u8], early: &[u8]) -> usize {
        let ahead = compress_ahead(
            early,
            1..usize::MAX,
            &AtomicUsize::new(early.len()),
            codec,
            &AtomicBool::new(false),
            None,
        );
        let entry = compress_with("c", finished, codec, 2, Some(ahead), None).unwrap();
        let reused = entry.reused;
        let at_once = compress("c", finished, codec, 2).unwrap();
        assert!(zip_of(vec![entry]) == zip_of(vec![at_once]));
        reused
    }

    /// [`reused_with`] Deflate.
    fn reused(finished: &[u8], early: &[u8]) -> usize {
        reused_with(Codec::Deflate(1), finished, early)
    }

    #[test]
    fn pieces_deflated_ahead_are_used_only_where_the_data_stayed() {
        let finished = data(6 * CHUNK + 100);
        // Before it was finished: shorter, with other bytes in piece 0 (the
        // header), in piece 2, and in the last 32 KiB of piece 3 (piece
        // 4's dictionary).
        let mut early = finished[..5 * CHUNK + 7].to_vec();
        for at in [10, 2 * CHUNK + 5, 4 * CHUNK - 3] {
            early[at] ^= 1;
        }
        // Pieces 1–4 were deflated ahead; 1 still holds, 2, 3 and 4 do not.
        assert_eq!(reused(&finished, &early), 1);
        // zstd pieces have no dictionary: piece 4 holds too.
        assert_eq!(reused_with(Codec::Zstd(1), &finished, &early), 2);
        // Unchanged but for the header, everything but piece 0 and the
        // last is used (the last ends the stream).
        let mut early = finished[..6 * CHUNK].to_vec();
        early[0] ^= 1;
        assert_eq!(reused(&finished, &early), 5);
        assert_eq!(reused_with(Codec::Zstd(1), &finished, &early), 5);
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

    #[test]
    fn a_piece_that_became_the_last_is_deflated_again() {
        // Piece 1 was whole and not the last; the finished data ends with it.
        let finished = data(2 * CHUNK);
        let mut early = finished.clone();
        early.extend_from_slice(b"more");
        assert_eq!(reused(&finished, &early), 0);
    }

    #[test]
    fn deflating_ahead_stops_when_told() {
        let early = data(4 * CHUNK);
        let all = AtomicUsize::new(early.len());
        let ahead_of = |range, stop| {
            let stop = AtomicBool::new(stop);
            compress_ahead(&early[..], range, &all, Codec::Deflate(1), &stop, None)
        };
        assert!(ahead_of(1..9, true).pieces.iter().all(Option::is_none));
        // A piece past the end is not deflated ahead.
        let ahead = ahead_of(3..5, false);
        assert_eq!(ahead.pieces.iter().flatten().count(), 1);
        // Nor one not yet written, when told to stop.
        let stop = AtomicBool::new(false);
        let part = AtomicUsize::new(2 * CHUNK);
        let ahead = std::thread::scope(|s| {
            let side =
                s.spawn(|| compress_ahead(&early[..], 1..9, &part, Codec::Deflate(1), &stop, None));
            std::thread::sleep(std::time::Duration::from_millis(20));
            stop.store(true, Ordering::Relaxed);
            side.join().unwrap()
        });
        assert!(ahead.pieces.iter().skip(2).all(Option::is_none));
    }

    /// A file read a piece at a time gives the bytes the same data in
    /// memory gives, pieces deflated ahead from the file included.
    #[test]
    fn a_file_deflates_as_its_bytes_do() {
        let finished = data(3 * CHUNK + 99);
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, &finished).unwrap();
        let whole = FileData {
            file: &file,
            len: finished.len(),
        };
        let early = FileData {
            file: &file,
            len: 3 * CHUNK,
        };
        let spill = Spill::new(tempfile::tempfile().unwrap());
        let stop = AtomicBool::new(false);
        let written = AtomicUsize::new(early.len);
        let ahead = compress_ahead(
            &early,
            1..9,
            &written,
            Codec::Deflate(1),
            &stop,
            Some(&spill),
        );
        let entry =
            compress_with("c", &whole, Codec::Deflate(1), 2, Some(ahead), Some(&spill)).unwrap();
        assert!(entry
            .pieces
            .iter()
            .all(|p| matches!(p, Stored::Spilled { .. })));
        assert_eq!(entry.reused, 2);
        assert!(
            zip_of(vec![entry])
                == zip_of(vec![compress("c", &finished, Codec::Deflate(1), 2).unwrap()])
        );
        // Asking for more than the file holds is an error, not a panic.
        let past = FileData {
            file: &file,
            len: finished.len() + 1,
        };
        assert!(compress("c", &finished, Codec::Deflate(1), 1).is_ok());
        assert!(compress_with("c", &past, Codec::Deflate(1), 1, None, None).is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]

        /// Whatever changed between the copy and the finished data, the
        /// entry is the one deflating the finished data gives.
        #[test]
        fn deflating_ahead_never_changes_the_bytes(
            grown in 0usize..(2 * CHUNK),
            cut in 0usize..(CHUNK / 2),
            flips in proptest::collection::vec(0usize..(4 * CHUNK), 0..4),
        ) {
            let finished = data(3 * CHUNK + grown);
            let mut early = finished[..finished.len() - cut.min(finished.len())].to_vec();
            for at in flips {
                if let Some(b) = early.get_mut(at) {
                    *b ^= 0x55;
                }
            }
            for codec in CODECS {
                reused_with(codec, &finished, &early);
            }
        }
    }

    /// Pieces kept in a spill file, by any number of threads, write the
    /// zip that pieces kept in memory write.
    #[test]
    fn spilled_pieces_write_the_same_zip() {
        for len in [0, 10, CHUNK, 3 * CHUNK + 17] {
            let bytes = data(len);
            let held = zip_of(vec![compress("c", &bytes, Codec::Deflate(1), 2).unwrap()]);
            for threads in [1, 2, 3] {
                let spill = Spill::new(tempfile::tempfile().unwrap());
                let entry = compress_with(
                    "c",
                    &bytes[..],
                    Codec::Deflate(1),
                    threads,
                    None,
                    Some(&spill),
                )
                .unwrap();
                assert!(
                    held == zip_of(vec![entry]),
                    "length {len}, {threads} threads"
                );
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
        let bytes = data(CHUNK + 1);
        let Err(e) = compress_with("c", &bytes[..], Codec::Deflate(1), 2, None, Some(&spill))
        else {
            panic!("a spill that takes no writes gave no error");
        };
        let message = e.to_string();
        assert!(message.contains("scratch file"), "{message}");
        assert!(message.contains("set TMPDIR"), "{message}");
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
