"""Link-time check of a kernel object: only its own code, nothing that replaces or reaches past it.

The kernel and the runner become one executable, so a definition in the kernel object can take the
place of a function the runner or the C/C++ libraries provide (``clock_gettime``, the chrono clock,
the ostream inserter that prints samples), whatever the source looked like: pasted tokens, asm
labels and ``.symver`` all end up as symbol names, which is what this check reads (pyelftools).

- a symbol the kernel defines may not be defined by any library the runner links (the linker's
  own ``--trace`` names them, read once per toolchain), unless it is an inline/template copy the
  runner object itself also carries (the runner's copy comes first in link order and wins);
- a strong definition may not shadow anything the runner object defines;
- the kernel may not import process, file, socket, dynamic-loading, clock or system-call functions
  (the seccomp filter and Landlock stop them at run time; this gives the verdict a name).
"""

from __future__ import annotations

import json
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection

from .cache import Cache, content_key
from .toolchain import Toolchain

FORBIDDEN_IMPORTS: dict[str, str] = {
    **dict.fromkeys(("system", "popen", "fork", "vfork", "_Fork", "execl", "execlp", "execle", "execv", "execvp",
                     "execve", "execvpe", "execveat", "fexecve", "posix_spawn", "posix_spawnp", "clone", "clone3",
                     "daemon", "setsid", "setpgid", "kill", "ptrace"), "process control"),
    **dict.fromkeys(("fopen", "fopen64", "freopen", "freopen64", "fdopen", "open", "open64", "__open_2",
                     "__open64_2", "openat", "openat64", "__openat_2", "creat", "creat64", "remove", "rename",
                     "renameat", "unlink", "unlinkat", "mkdir", "rmdir", "opendir", "readdir", "readdir64",
                     "stat", "stat64", "lstat", "lstat64", "access", "faccessat", "chdir", "getcwd", "readlink",
                     "symlink", "symlinkat", "link", "linkat", "mkfifo", "mknod", "truncate", "chmod", "chown",
                     "mmap", "mmap64"), "file access"),
    **dict.fromkeys(("socket", "socketpair", "connect", "bind", "listen", "accept", "accept4", "sendto", "sendmsg",
                     "recvfrom", "recvmsg", "getaddrinfo", "gethostbyname"), "network access"),
    **dict.fromkeys(("dlopen", "dlmopen", "dlsym", "dlvsym", "dladdr", "dlinfo", "__libc_dlsym", "__libc_dlopen_mode",
                     "_dl_sym", "dl_iterate_phdr", "getauxval"), "dynamic loading"),
    **dict.fromkeys(("clock_gettime", "__clock_gettime", "__clock_gettime64", "gettimeofday", "clock", "time",
                     "timespec_get", "times", "getrusage", "setitimer", "alarm", "nanosleep", "clock_nanosleep",
                     "sleep", "usleep"), "clocks"),
    **dict.fromkeys(("syscall", "signal", "sigaction", "raise", "getenv", "secure_getenv", "setenv", "putenv",
                     "prctl", "mprotect", "sched_setaffinity", "pthread_setaffinity_np", "seccomp", "getppid",
                     "ioctl"), "system calls"),
}
# C++ library entities named by their mangled spelling
FORBIDDEN_MANGLED = {
    "basic_ifstream": "file access", "basic_ofstream": "file access", "basic_fstream": "file access",
    "basic_filebuf": "file access", "St10filesystem": "file access", "NSt10filesystem": "file access",
    "12steady_clock3now": "clocks", "12system_clock3now": "clocks", "21high_resolution_clock3now": "clocks",
    "11this_thread9sleep_for": "clocks",
}


@dataclass(frozen=True)
class Symbol:
    name: str
    weak: bool
    defined: bool


def object_symbols(path: Path) -> list[Symbol]:
    """Global and weak symbols of a relocatable object (version suffixes stripped)."""
    out = []
    with open(path, "rb") as f:
        elf = ELFFile(f)
        for section in elf.iter_sections():
            if not isinstance(section, SymbolTableSection) or section.name != ".symtab":
                continue
            for sym in section.iter_symbols():
                bind = sym["st_info"]["bind"]
                if bind not in ("STB_GLOBAL", "STB_WEAK", "STB_GNU_UNIQUE") or not sym.name:
                    continue
                out.append(Symbol(sym.name.split("@")[0], bind == "STB_WEAK", sym["st_shndx"] != "SHN_UNDEF"))
    return out


def _dynamic_definitions(path: Path) -> Iterator[str]:
    with open(path, "rb") as f:
        elf = ELFFile(f)
        table = elf.get_section_by_name(".dynsym")
        if not isinstance(table, SymbolTableSection):
            return
        for sym in table.iter_symbols():
            if sym.name and sym["st_shndx"] != "SHN_UNDEF" and sym["st_info"]["bind"] != "STB_LOCAL":
                yield sym.name.split("@")[0]


def _archive_definitions(path: Path) -> Iterator[str]:
    """Names in a System V / GNU archive's symbol index (the first member, "/" or "/SYM64/")."""
    with open(path, "rb") as f:
        if f.read(8) != b"!<arch>\n":
            return
        header = f.read(60)
        name, size = header[:16].decode().strip(), int(header[48:58].decode().strip())
        if name not in ("/", "/SYM64/"):
            return
        data = f.read(size)
    width = 8 if name == "/SYM64/" else 4
    count = int.from_bytes(data[:width], "big")
    strings = data[width + count * width:]
    yield from (s.decode(errors="replace") for s in strings.split(b"\0")[:count] if s)


def library_definitions(tc: Toolchain, runner_object: Path, cache: Cache) -> dict[str, str]:
    """symbol -> library, for every library the runner is linked with (cached per toolchain)."""
    key = content_key("linkcheck-libs-v1", tc.identity, *tc.link_flags)

    def create(out: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.run([tc.cxx, str(runner_object), "-o", f"{tmp}/probe", *tc.link_flags, "-Wl,--trace"],
                                  capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
        if proc.returncode != 0:
            raise RuntimeError(f"cannot list the runner's libraries with {tc.cxx}: {proc.stderr.strip()[-300:]}")
        symbols: dict[str, str] = {}
        for line in proc.stdout.splitlines() + proc.stderr.splitlines():
            path = Path(line.strip().strip("()").split("(")[0])
            if path.suffix == ".o" or not path.is_file():
                continue
            with open(path, "rb") as f:
                magic = f.read(8)
            try:
                names = (_archive_definitions(path) if magic == b"!<arch>\n" else
                         _dynamic_definitions(path) if magic[:4] == b"\x7fELF" else iter(()))
                for symbol in names:
                    symbols.setdefault(symbol, path.name)
            except (ELFError, OSError, ValueError, struct.error):
                continue
        (out / "libraries.json").write_text(json.dumps(symbols))

    return json.loads((cache.get_or_create("linkcheck", key, create) / "libraries.json").read_text())


_LIBS: dict[str, dict[str, str]] = {}


def check(kernel_object: Path, runner_object: Path, tc: Toolchain, cache: Cache) -> list[str]:
    """Problems with the kernel object, one line each (empty: it may be linked)."""
    key = content_key(tc.identity, *tc.link_flags)
    if key not in _LIBS:
        _LIBS[key] = library_definitions(tc, runner_object, cache)
    libraries = _LIBS[key]
    runner = {s.name: s for s in object_symbols(runner_object) if s.defined}
    problems = []
    for sym in object_symbols(kernel_object):
        if not sym.defined:
            category = FORBIDDEN_IMPORTS.get(sym.name) or next(
                (c for part, c in FORBIDDEN_MANGLED.items() if part in sym.name), None)
            if category:
                problems.append(f"kernel.o calls {sym.name} ({category})")
            continue
        mine = runner.get(sym.name)
        if sym.name in libraries and not (sym.weak and mine is not None and mine.weak):
            problems.append(f"kernel.o defines {sym.name}, a symbol of {libraries[sym.name]} "
                            "(it would replace the library's for the runner)")
        elif mine is not None and not sym.weak:
            problems.append(f"kernel.o defines {sym.name}, which the runner defines (it would replace the runner's)")
    return sorted(set(problems), key=problems.index)


def verdict(problems: list[str]) -> str:
    shown = "; ".join(problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return f"rejected at link: {shown}{more}"

