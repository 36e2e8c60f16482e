"""Every file ailead writes goes through `new_file`: all of it or nothing, never over another.

The writer writes to a temporary file in the target's folder; when it has finished, the file is
flushed to disk and linked to its name with `os.link`, which fails if the name exists (created
meanwhile by another process, say), so nothing is ever overwritten, even by a race. Where the
file system has no hard links, an exclusive create (`O_EXCL`) claims the name and the finished
file is renamed onto it. A writer that fails (a full disk, a crash, a bad value) leaves no file:
the temporary one is removed. Errors are `AileadError`s naming the file.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ailead.errors import AileadError

_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS}


def check_new_file(path: str | os.PathLike[str]) -> Path:
    """`path`, if its folder exists and takes a new file and nothing (not even a dangling link)
    has its name. Check before a long run; `new_file` checks again."""
    path = Path(path)
    label = f"output file '{path}'"
    if not path.parent.is_dir():
        raise AileadError(f"{label}: folder '{path.parent}' does not exist")
    if os.path.lexists(path):
        raise AileadError(
            f"{label}: already exists; allowed: a new file name (ailead never overwrites a file)"
        )
    try:  # the only check that also holds for root and read-only mounts
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise AileadError(f"{label}: cannot write in '{path.parent}' ({_why(exc)})") from None
    os.close(fd)
    os.unlink(probe)
    return path


@contextmanager
def new_file(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path to write in `path`'s folder (same extension); `path` once it is done."""
    path = check_new_file(path)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=f".part{path.suffix}", dir=path.parent
    )
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would make the output private
    try:
        yield Path(tmp)
        _publish(Path(tmp), path)
    except OSError as exc:
        raise AileadError(f"output file '{path}': not written ({_why(exc)})") from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_new(path: str | os.PathLike[str], write: Callable[[Path], object]) -> Path:
    """`write(temporary path)` through `new_file`; return `path`."""
    with new_file(path) as tmp:
        write(tmp)
    return Path(path)


def write_new_text(path: str | os.PathLike[str], text: str) -> Path:
    """A new UTF-8 text file holding `text` (see `new_file`)."""
    return write_new(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _publish(tmp: Path, path: Path) -> None:
    """Flush `tmp` to disk and give it the name `path`, which must not exist."""
    with tmp.open("rb+") as f:
        os.fsync(f.fileno())
    try:
        _link(tmp, path)
    except FileExistsError:
        raise AileadError(
            f"output file '{path}': created by something else while ailead wrote it; "
            "allowed: a new file name (ailead never overwrites a file)"
        ) from None


def _link(tmp: Path, path: Path) -> None:
    """A hard link, or where there are none, an exclusive create renamed over."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        os.replace(tmp, path)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
