"""Atomic file writes: a failed or interrupted run leaves the previous file intact.

Every file lianhu_geo writes goes through :func:`atomic_path` (or
:func:`atomic_paths` for files that belong together): the content is
written to a temporary file in the target's folder and moved into place
with :func:`os.replace` only when complete, so a kill, a full disk or an
error half-way leaves the previous file as it was. A target that is a
symbolic link is refused, never followed.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import OutputError

__all__ = ["atomic_path", "atomic_paths", "check_target", "write_text"]


def check_target(path: str | os.PathLike) -> Path:
    """Refuse an output path that is a symbolic link, a folder or has no folder.

    Raises
    ------
    OutputError
        Naming the path and what to do instead.
    """
    path = Path(path)
    if path.is_symlink():
        raise OutputError(
            f"{path} is a symbolic link; lianhu_geo does not write through links. "
            "Remove the link or choose another file name."
        )
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name to write.")
    parent = path.parent if str(path.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise OutputError(f"cannot write {path}: {parent} is a file, not a folder.")
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: the folder {parent} does not exist.")
    return path


def _temporary(target: Path, suffix: str | None) -> Path:
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=suffix or target.suffix or ".tmp", dir=target.parent
        )
    except OSError as exc:  # name the file the user asked for, not the temporary one
        exc.filename = str(target)
        raise
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # as a plain open() would have made it
    return Path(tmp)


@contextlib.contextmanager
def atomic_paths(*paths: str | os.PathLike) -> Iterator[list[Path]]:
    """Yield temporary paths beside ``paths``; move them all into place on success.

    Every target is checked (:func:`check_target`) before any temporary file
    is made. The temporary files exist (empty) when the block starts; a
    writer that must create its file itself may delete it first. On any
    exception every temporary file is removed and the targets keep what they
    held before. The files are moved one after the other only when all are
    complete.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with atomic_paths(Path(d) / "a.txt", Path(d) / "b.txt") as (a, b):
    ...         _ = a.write_text("A"), b.write_text("B")
    ...     sorted(p.name for p in Path(d).iterdir())
    ['a.txt', 'b.txt']
    """
    targets = [check_target(p) for p in paths]
    temps: list[Path] = []
    try:
        for target in targets:
            temps.append(_temporary(target, None))
        yield list(temps)
        for tmp, target in zip(temps, targets, strict=True):
            check_target(target)  # not made a link or a folder meanwhile
            os.replace(tmp, target)
    except OSError as exc:
        for tmp, target in zip(temps, targets, strict=False):
            if exc.filename in (str(tmp), tmp):  # name the file the user asked for
                exc.filename = str(target)
        for tmp in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    except BaseException:
        for tmp in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it onto ``path`` on success.

    On any exception the temporary file is removed and ``path`` keeps what it
    held before.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with atomic_path(Path(d) / "a.txt") as tmp:
    ...         _ = tmp.write_text("done")
    ...     (Path(d) / "a.txt").read_text()
    'done'
    """
    target = check_target(path)
    tmp = _temporary(target, suffix)
    try:
        yield tmp
        check_target(target)
        os.replace(tmp, target)
    except OSError as exc:
        if exc.filename in (str(tmp), tmp):  # name the file the user asked for
            exc.filename = str(target)
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_text(path: str | os.PathLike, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically; the text is encoded before any byte is written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_text(Path(d) / "s.txt", "合计").read_text(encoding="utf-8")
    '合计'
    """
    data = text.encode(encoding)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def save_workbook(
    workbook: Any, path: str | os.PathLike, *, date: _dt.datetime, title: str | None = None
) -> None:
    """Save an openpyxl workbook to ``path`` with the same bytes for the same content.

    openpyxl stamps the save time into ``docProps/core.xml`` and the zip
    entries; both are set to ``date`` here. ``path`` is written directly:
    callers write to a temporary path from :func:`atomic_path`.
    """
    workbook.properties.creator = "lianhu_geo"
    if title is not None:
        workbook.properties.title = title
    workbook.properties.created = date
    workbook.properties.modified = date
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = date.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps `modified` on save
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            info = zipfile.ZipInfo(item.filename, date_time=date.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, data)
