"""Atomic file writes: a failed or interrupted run leaves the previous file intact.

Every file lianhu_geo writes goes through :func:`atomic_path`: the content
is written to a temporary file in the target's folder and moved into place
with :func:`os.replace` only when complete. A target that is a symbolic link
is refused, never followed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError

__all__ = ["atomic_path", "check_target"]


def check_target(path: str | os.PathLike) -> Path:
    """Refuse an output path that is a symbolic link, a folder or has no folder."""
    path = Path(path)
    if path.is_symlink():
        raise InputError(
            f"{path} is a symbolic link; lianhu_geo does not write through links. "
            "Remove the link or choose another file name."
        )
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a file name to write.")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {parent} does not exist.")
    return path


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it onto ``path`` on success.

    On any exception the temporary file is removed and ``path`` keeps what it
    held before.
    """
    target = check_target(path)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=suffix or target.suffix or ".tmp", dir=target.parent
    )
    os.close(fd)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)  # as a plain open() would have made it
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise
