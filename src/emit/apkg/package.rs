//! The package's zip container, written by hand so that its one big entry
//! (the collection) can be compressed on several threads.
//!
//! The entry's data is cut into fixed [`CHUNK`]-byte pieces. Each piece is
//! deflated on its own, primed with the 32 KiB of data before it as the
//! dictionary (as pigz does), and ends in a sync flush, the last in the
//! final block; the pieces joined are one ordinary Deflate stream. The cut
//! points depend only on the data, never on the number of threads, so the
//! bytes are the same on every machine; the ratio is within a fraction of a
//! percent of one single stream.
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

/// Bytes deflated as one piece: large enough that the per-piece cost (a
/// dictionary, a sync marker) is noise, small enough to share between two
/// cores well at 10,000 cards.
pub const CHUNK: usize = 1 << 20;
/// Deflate's window: the dictionary each piece is primed with.
const WINDOW: usize = 32 * 1024;

/// One compressed entry, ready to be written.
pub struct Entry {
    name: String,
    crc: u32,
    size: u64,
    /// The Deflate stream, in the pieces it was compressed in: joining
    /// them first would hold the package twice (170 MB at a million cards).
    pieces: Vec<Vec<u8>>,
}

impl Entry {
    /// The compressed size.
    fn compressed(&self) -> u64 {
        self.pieces.iter().map(|p| p.len() as u64).sum()
    }
}

/// One piece deflated, and the CRC-32 of its data.
type Piece = (Vec<u8>, crc32fast::Hasher);

/// Deflates `data` at `level` (1–9) on up to `threads` threads.
pub fn deflate(name: &str, data: &[u8], level: u32, threads: usize) -> Result<Entry> {
    deflate_from(name, data.len(), level, threads, &|offset, buf| {
        buf.copy_from_slice(&data[offset..offset + buf.len()]);
        Ok(())
    })
}

/// Fills a buffer from the entry's data at an offset.
type ReadAt<'a> = dyn Fn(usize, &mut [u8]) -> std::io::Result<()> + Sync + 'a;

fn deflate_from(
    name: &str,
    len: usize,
    level: u32,
    threads: usize,
    read: &ReadAt<'_>,
) -> Result<Entry> {
    let pieces = len.div_ceil(CHUNK).max(1);
    let results: Vec<Mutex<Option<Result<Piece>>>> =
        (0..pieces).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(slot) = results.get(i) else { break };
        let start = i * CHUNK;
        let end = (start + CHUNK).min(len);
        let from = start.saturating_sub(WINDOW);
        let mut buf = vec![0; end - from];
        let done = read(from, &mut buf).map_err(Error::from).and_then(|()| {
            let (dictionary, piece) = buf.split_at(start - from);
            let bytes = piece_deflate(dictionary, piece, level, i + 1 == pieces)?;
            let mut crc = crc32fast::Hasher::new();
            crc.update(piece);
            Ok((bytes, crc))
        });
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
    Ok(Entry {
        name: name.to_string(),
        crc: crc.finalize(),
        size: len as u64,
        pieces: out,
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
    Ok(out)
}

/// Writes the zip: each entry's local header and data, then the central
/// directory. Each piece is freed once written.
pub fn write(entries: Vec<Entry>, out: &mut dyn Write) -> Result<()> {
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
        common(&mut local, flags, e.crc, compressed, size, name.len());
        local.extend_from_slice(&0_u16.to_le_bytes()); // extra field length
        local.extend_from_slice(name);
        out.write_all(&local)?;
        for piece in e.pieces {
            out.write_all(&piece)?;
        }

        central.extend_from_slice(&0x0201_4b50_u32.to_le_bytes());
        central.extend_from_slice(&(0x0300_u16 | 20).to_le_bytes()); // made by: Unix, 2.0
        common(&mut central, flags, e.crc, compressed, size, name.len());
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
fn common(buf: &mut Vec<u8>, flags: u16, crc: u32, compressed: u32, size: u32, name_len: usize) {
    buf.extend_from_slice(&20_u16.to_le_bytes()); // version needed: 2.0
    buf.extend_from_slice(&flags.to_le_bytes());
    buf.extend_from_slice(&8_u16.to_le_bytes()); // Deflate
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
                deflate("collection.anki2", &bytes, 6, 2).unwrap(),
                deflate("media", b"{}", 6, 2).unwrap(),
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
        let one = zip_of(vec![deflate("c", &bytes, 1, 1).unwrap()]);
        for threads in [2, 3, 8] {
            assert!(one == zip_of(vec![deflate("c", &bytes, 1, threads).unwrap()]));
        }
    }

    #[test]
    fn higher_levels_are_smaller() {
        let bytes = data(2 * CHUNK);
        let size = |level| deflate("c", &bytes, level, 2).unwrap().compressed();
        assert!(size(9) <= size(6) && size(6) < size(1));
    }
}
