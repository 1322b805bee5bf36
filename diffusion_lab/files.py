"""Writing files without losing any: check where a file goes before the work, then write it in one step.

check_output() is called before any long work (training, sampling), so that a bad --out is refused at once, not
after three minutes of training. write_atomically() writes a temporary file beside the target, flushes it to the
disk, then renames it over the target (os.replace, one step): a crash, Ctrl-C, a full disk or a second process
writing the same file leaves the old file or the new one, never half a file, and no temporary file behind.
"""
import errno
import os
import stat
import tempfile
from pathlib import Path

from .messages import DiffusionLabError, message


def check_output(path, extensions=None) -> Path:
    """The file to write, checked before the work: refuses a folder, a special file (a device such as /dev/null,
    a socket, a pipe), an extension not in `extensions` (when given, in lower case with the dot, e.g. {".gif"})
    and a folder we may not write in.

    Creates the missing folders. A symbolic link is followed: the file it points to is the one that will be written.
    """
    path = target(path, extensions)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # can we write here?
        os.close(handle)
        os.remove(probe)
    except OSError as error:
        raise DiffusionLabError("output_unwritable", path=path, reason=reason(error)) from None
    return path


def target(path, extensions=None) -> Path:
    """The file that writing `path` would really write (a symbolic link followed), if it may be replaced by a file."""
    given = Path(path).expanduser()
    path = given.resolve()  # a symbolic link becomes the file it points to
    if path.is_dir():  # said first: a folder given as --out is the likelier slip
        raise DiffusionLabError("output_is_folder", path=given)
    for name in (given, path):  # the name typed, and the name of the file a link points to
        if extensions is not None and name.suffix.lower() not in extensions:
            raise DiffusionLabError("bad_extension", path=name, extensions=listed(extensions))
    if path.exists() and not path.is_file():
        raise DiffusionLabError("output_special", path=given)
    return path


def write_atomically(path, write) -> Path:
    """Write `path` in one step: write(temp) writes a temporary file in the same folder, then it replaces `path`.

    On any error, and on Ctrl-C, the temporary file is deleted and `path` is left as it was. A disk or permission
    problem (an OSError, or the RuntimeError of torch.save on a full disk) becomes one sentence that says why.
    """
    path = target(path)  # never a folder or a device: os.replace would replace whatever is there
    temp = None
    try:
        # 1. a temporary name no other process can have (two trainings may save the same --out at the same time)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(handle)
        # 2. write it, and make sure it is on the disk, not only in memory (a power cut must not leave an empty file)
        write(temp)
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
        # 3. the permissions of the file it replaces, or of any new file: mkstemp's own are private (0o600)
        os.chmod(temp, stat.S_IMODE(os.stat(path).st_mode) if path.exists() else new_file_mode())
        # 4. put it in place in one step: a reader sees the old file or the new one, never half of one
        os.replace(temp, path)
    except BaseException as error:  # BaseException: Ctrl-C (KeyboardInterrupt) must not leave the temporary file either
        if temp is not None and os.path.exists(temp):
            os.remove(temp)
        if isinstance(error, (OSError, RuntimeError)):
            raise DiffusionLabError("cannot_write", path=path, reason=reason(error)) from None
        raise
    return path


def reason(error) -> str:
    """Why a file could not be written, in the student's words: the disk is full, read-only, or not ours to write."""
    text = str(error)
    number = getattr(error, "errno", None)
    if number in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) or "No space left" in text or "unexpected pos" in text:
        return message("reason_disk_full")  # torch.save on a full disk says "unexpected pos 4875008 vs 4874960"
    if number == errno.EROFS or "Read-only file system" in text:
        return message("reason_read_only")
    if number in (errno.EACCES, errno.EPERM) or "Permission denied" in text:
        return message("reason_no_permission")
    if number in (errno.ENOTDIR, errno.EEXIST):
        return message("reason_not_a_folder")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return getattr(error, "strerror", None) or (lines[-1][:200] if lines else type(error).__name__)


def new_file_mode() -> int:
    """The permissions a new file gets here: 0o666 less the umask (usually 0o644, readable by everyone)."""
    umask = os.umask(0o022)  # the only way to read the umask is to set it, then put it back
    os.umask(umask)
    return 0o666 & ~umask


def listed(extensions) -> str:
    """The extensions a student would type, the usual ones first, at most six: '.png, .jpg, .gif, ...'."""
    usual = [e for e in (".png", ".jpg", ".gif", ".webp", ".pt") if e in extensions]
    every = usual + sorted(set(extensions) - set(usual))
    return ", ".join(every[:6]) + (", ..." if len(every) > 6 else "")
