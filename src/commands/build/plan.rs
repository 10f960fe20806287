//! What a build reads and writes, decided before any notes are read:
//! directories expanded into their notes files (sorted, hidden and lock
//! files skipped, the output directory never read back), the `deckc.toml`
//! of each file, and every output path — validated so that no two outputs
//! collide and no output overwrites an input.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::BuildArgs;
use crate::config::{self, Config};
use crate::emit::Format;
use crate::error::{Error, Result};
use crate::output;

/// File extensions read as notes when a directory is built.
pub const NOTES_EXTENSIONS: [&str; 9] = [
    "txt", "text", "md", "markdown", "csv", "tsv", "deck", "qa", "notes",
];

/// Where one output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub path: PathBuf,
    pub format: Format,
    /// Create the parent directory first: true for outputs mirrored under an
    /// output directory, false where the user named the place (a missing
    /// directory is then a mistake worth reporting).
    pub create_dir: bool,
}

/// One notes file to build.
#[derive(Debug, Clone)]
pub struct Input {
    pub path: PathBuf,
    /// Folders between the directory named on the command line and the
    /// file: mirrored under the output directory, and the subdeck path in a
    /// bundle. Empty for a file named directly.
    pub folders: Vec<String>,
    /// The `deckc.toml` that applies (defaults when there is none).
    pub config: Config,
    /// Its outputs (empty in a bundle: the bundle has them).
    pub targets: Vec<Target>,
}

/// `--bundle`: every input in one deck.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The top deck's name, parent included.
    pub name: String,
    pub targets: Vec<Target>,
    /// `compression` and `package` from the first input's deckc.toml.
    pub apkg: crate::emit::ApkgSettings,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub inputs: Vec<Input>,
    pub bundle: Option<Bundle>,
}

/// Expands the inputs and decides every output.
pub fn plan(args: &BuildArgs) -> Result<Plan> {
    // Bad `-A/-W/-D` codes are reported once, not once per file.
    args.lints.levels()?;
    if let Some(dir) = &args.out_dir {
        if !dir.is_dir() {
            return Err(Error::Usage(format!(
                "output {}",
                crate::output::no_directory(dir)
            )));
        }
    }
    let excluded: Vec<PathBuf> = args
        .out_dir
        .iter()
        .filter_map(|d| d.canonicalize().ok())
        .collect();
    let mut files = Vec::new();
    let mut from_dir = false;
    for given in &args.source.inputs {
        if given.is_dir() {
            from_dir = true;
            files.extend(notes_files_except(given, &excluded)?);
        } else {
            files.push((given.clone(), Vec::new()));
        }
    }
    let many = files.len() > 1 || from_dir;
    if args.output.is_some() && many && !args.bundle {
        return Err(Error::Usage(
            "-o names one output but several notes files were given; use --out-dir DIR, \
             or --bundle to build them into one package"
                .into(),
        ));
    }
    let mut inputs = Vec::with_capacity(files.len());
    for (path, folders) in files {
        let config = config::load(&path)?;
        inputs.push(Input {
            path,
            folders,
            config,
            targets: Vec::new(),
        });
    }
    let bundle = if args.bundle {
        let first = args
            .source
            .inputs
            .first()
            .map(PathBuf::as_path)
            .unwrap_or(Path::new("deck"));
        let root = if first.is_dir() {
            config::load(&first.join(config::FILE_NAME))?
        } else {
            config::load(first)?
        };
        let stem = stem_of(first);
        let name = args
            .source
            .deck
            .clone()
            .or_else(|| root.deck.name.clone())
            .unwrap_or_else(|| stem.clone());
        let name = match &root.deck.parent {
            Some(parent) => format!("{parent}::{name}"),
            None => name,
        };
        let targets = targets_for(args, &stem, &[], &root, false)?;
        Some(Bundle {
            name,
            targets,
            apkg: root.build.apkg(),
        })
    } else {
        for input in &mut inputs {
            let stem = stem_of(&input.path);
            input.targets = targets_for(args, &stem, &input.folders, &input.config, from_dir)?;
        }
        None
    };
    check_collisions(&inputs, bundle.as_ref())?;
    Ok(Plan { inputs, bundle })
}

/// The notes files in the tree under `dir`, in build order (for `check`
/// and `fmt` on a directory).
pub fn notes_files(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(notes_files_except(dir, &[])?
        .into_iter()
        .map(|(path, _)| path)
        .collect())
}

/// The notes files under `dir` with their folders, never reading the
/// `excluded` directories nor the config's out-dir (outputs such as `.csv`
/// or Anki `.txt` would otherwise be read back as notes).
fn notes_files_except(dir: &Path, excluded: &[PathBuf]) -> Result<Vec<(PathBuf, Vec<String>)>> {
    let mut excluded = excluded.to_vec();
    if let Some(out) = config::load(&dir.join(config::FILE_NAME))?.build.out_dir {
        excluded.extend(out.canonicalize().ok());
    }
    let mut files = Vec::new();
    walk(dir, &mut Vec::new(), &excluded, &mut files)?;
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "no notes files in `{}` (looked for .{})",
            dir.display(),
            NOTES_EXTENSIONS.join(", .")
        )));
    }
    Ok(files)
}

/// `notes/cold-war.txt` → `cold-war`; a directory gives its own name.
fn stem_of(path: &Path) -> String {
    let named = if path.file_name().is_none() {
        std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
    } else {
        path.to_path_buf()
    };
    named
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "deck".into())
}

/// Collects the notes files under `dir`, depth first in name order (so the
/// order never depends on the file system).
fn walk(
    dir: &Path,
    folders: &mut Vec<String>,
    excluded: &[PathBuf],
    out: &mut Vec<(PathBuf, Vec<String>)>,
) -> Result<()> {
    let read_err = |source| Error::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(read_err)?
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(read_err)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        // Hidden files (`.git`, editor swap files, our own temp files) and
        // Office lock files (`~$notes.txt`) are never notes.
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let path = entry.path();
        // A symlinked directory is not followed: it could loop.
        let kind = entry.file_type().map_err(read_err)?;
        if kind.is_dir() {
            if path.canonicalize().is_ok_and(|c| excluded.contains(&c)) {
                continue;
            }
            folders.push(name);
            walk(&path, folders, excluded, out)?;
            folders.pop();
        } else if is_notes_file(&path) {
            out.push((path, folders.clone()));
        }
    }
    Ok(())
}

/// True for a file with one of [`NOTES_EXTENSIONS`].
pub fn is_notes_file(path: &Path) -> bool {
    let hidden = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with(['.', '~']));
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    !hidden && ext.is_some_and(|e| NOTES_EXTENSIONS.contains(&e.as_str())) && path.is_file()
}

/// The outputs for one deck named `stem`: `-o`, else one per format (the
/// flag's, else the config's, else apkg) in the output directory (the
/// flag's, else the config's, else the current directory).
fn targets_for(
    args: &BuildArgs,
    stem: &str,
    folders: &[String],
    config: &Config,
    from_dir: bool,
) -> Result<Vec<Target>> {
    if let Some(o) = &args.output {
        return Ok(vec![single_output(args, o)?]);
    }
    let formats = match args.format {
        Some(f) => vec![f],
        None if config.build.formats.is_empty() => vec![Format::Apkg],
        None => config.build.formats.clone(),
    };
    let (dir, create_dir) = match (&args.out_dir, &config.build.out_dir) {
        (Some(d), _) => (d.clone(), !folders.is_empty()),
        (None, Some(d)) => (d.clone(), true),
        (None, None) if from_dir => {
            return Err(Error::Usage(
                "building a directory needs an output directory: add --out-dir DIR \
                 (or `out-dir` under [build] in deckc.toml), or --bundle -o FILE"
                    .into(),
            ))
        }
        (None, None) => (PathBuf::new(), false),
    };
    let dir = folders.iter().fold(dir, |d, f| d.join(f));
    Ok(formats
        .into_iter()
        .map(|format| Target {
            path: dir.join(format!("{stem}.{}", format.extension())),
            format,
            create_dir,
        })
        .collect())
}

/// `-o OUT`: the format from `--format` or the extension.
fn single_output(args: &BuildArgs, o: &Path) -> Result<Target> {
    if output::is_stdout(o) {
        let format = args.format.unwrap_or(Format::Json);
        if format == Format::Apkg && std::io::stdout().is_terminal() {
            return Err(Error::Usage(
                "refusing to write a binary .apkg to the terminal; redirect it \
                 (`-o - > deck.apkg`) or name a file with -o deck.apkg"
                    .into(),
            ));
        }
        return Ok(Target {
            path: o.to_path_buf(),
            format,
            create_dir: false,
        });
    }
    let format = match args.format {
        Some(f) => {
            warn_extension_mismatch(o, f);
            f
        }
        None => Format::from_path(o)?,
    };
    if let Some(parent) = o.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(Error::Usage(format!(
                "cannot write `{}`: {}",
                o.display(),
                crate::output::no_directory(parent)
            )));
        }
    }
    Ok(Target {
        path: o.to_path_buf(),
        format,
        create_dir: false,
    })
}

/// `--format csv -o deck.apkg` is allowed (the flag wins) but surprising.
fn warn_extension_mismatch(path: &Path, format: Format) {
    if let Ok(implied) = Format::from_path(path) {
        if implied != format {
            eprintln!(
                "warning: writing {} to `{}`, whose extension suggests {}",
                format.name(),
                path.display(),
                implied.name()
            );
        }
    }
}

/// No output may overwrite an input or another output.
fn check_collisions(inputs: &[Input], bundle: Option<&Bundle>) -> Result<()> {
    let all: Vec<&Target> = match bundle {
        Some(b) => b.targets.iter().collect(),
        None => inputs.iter().flat_map(|i| &i.targets).collect(),
    };
    for (n, target) in all.iter().enumerate() {
        if let Some(input) = inputs.iter().find(|i| same_file(&target.path, &i.path)) {
            return Err(Error::Usage(format!(
                "refusing to write the output over the input `{}`; choose another -o",
                input.path.display()
            )));
        }
        let earlier = all.get(..n).unwrap_or_default();
        if !output::is_stdout(&target.path) && earlier.iter().any(|t| t.path == target.path) {
            return Err(Error::Usage(format!(
                "two inputs would both be written to `{}`; give them different file names \
                 or build them separately with -o",
                target.path.display()
            )));
        }
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_is_sorted_depth_first_and_skips_hidden_lock_and_output_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in [
            "b.txt",
            "a.md",
            "sub/z.csv",
            "sub/a.txt",
            ".hidden.txt",
            "~$lock.txt",
            "notes.lock",
            "deckc.toml",
            "dist/a.txt",
            "sub/.git/x.txt",
            "img.png",
        ] {
            let p = d.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "Q?\nA\n").unwrap();
        }
        let excluded = vec![d.join("dist").canonicalize().unwrap()];
        let mut out = Vec::new();
        walk(d, &mut Vec::new(), &excluded, &mut out).unwrap();
        let got: Vec<(String, Vec<String>)> = out
            .into_iter()
            .map(|(p, f)| (p.strip_prefix(d).unwrap().display().to_string(), f))
            .collect();
        let sub = vec!["sub".to_string()];
        assert_eq!(
            got,
            [
                ("a.md".to_string(), vec![]),
                ("b.txt".to_string(), vec![]),
                ("sub/a.txt".to_string(), sub.clone()),
                ("sub/z.csv".to_string(), sub),
            ]
        );
    }

    #[test]
    fn stem_of_a_directory_is_its_name() {
        assert_eq!(stem_of(Path::new("notes/cold-war.txt")), "cold-war");
        assert_eq!(stem_of(Path::new("some/notes")), "notes");
    }
}
