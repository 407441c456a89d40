"""Static screen of kernel sources: constructs a kernel has no business using.

A kernel computes outputs from inputs. Spawning processes, opening files or sockets, loading
libraries, reading clocks, or defining C functions that would interpose on the C library (e.g. its
own clock_gettime, to fake timings) all point at an attempt to game the benchmark or to reach the
machine. The screen parses the source with tree-sitter, so comments and strings do not trigger it,
and names the construct and line in its verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .tools import cpp

CATEGORIES: dict[str, set[str]] = {
    "process spawning": {"system", "popen", "fork", "vfork", "execl", "execlp", "execle", "execv", "execvp",
                         "execve", "execvpe", "posix_spawn", "posix_spawnp", "clone", "kill", "ptrace"},
    "file access": {"fopen", "freopen", "fdopen", "open", "openat", "creat", "ifstream", "ofstream", "fstream",
                    "filebuf", "remove", "rename", "unlink", "mkdir", "rmdir", "opendir", "readdir", "stat", "lstat",
                    "access", "chdir", "getcwd", "readlink", "truncate", "mmap", "filesystem"},
    "network access": {"socket", "connect", "bind", "listen", "accept", "sendto", "recvfrom", "getaddrinfo",
                       "gethostbyname", "inet_pton", "inet_addr"},
    "dynamic loading": {"dlopen", "dlsym", "dlclose", "dlvsym"},
    "timing functions": {"clock_gettime", "gettimeofday", "clock", "time", "chrono", "steady_clock",
                         "high_resolution_clock", "system_clock", "rdtsc", "__rdtsc", "__builtin_ia32_rdtsc",
                         "__rdtscp", "timespec_get", "setitimer", "alarm", "nanosleep", "sleep", "usleep",
                         "sleep_for", "sleep_until"},
    "system calls": {"syscall", "signal", "sigaction", "raise", "getenv", "setenv", "putenv", "prctl",
                     "mprotect", "sched_setaffinity"},
}
FORBIDDEN_HEADERS = {
    "fstream": "file access", "filesystem": "file access", "fcntl.h": "file access", "sys/stat.h": "file access",
    "dirent.h": "file access", "sys/mman.h": "file access", "unistd.h": "system calls",
    "sys/syscall.h": "system calls", "signal.h": "system calls", "csignal": "system calls",
    "dlfcn.h": "dynamic loading", "sys/socket.h": "network access", "netinet/in.h": "network access",
    "arpa/inet.h": "network access", "netdb.h": "network access", "chrono": "timing functions",
    "ctime": "timing functions", "time.h": "timing functions", "sys/time.h": "timing functions",
    "x86intrin.h": "timing functions", "spawn.h": "process spawning", "sys/wait.h": "process spawning",
}
ASM_WORDS = ("syscall", "sysenter", "int $0x80", "int 0x80", "svc", "rdtsc", "cntvct", "mrs")
# Names that are also ordinary words in kernels: forbidden only when called.
CALL_ONLY = {"time", "clock", "open", "access", "remove", "rename", "stat", "signal", "raise", "truncate",
             "kill", "bind", "listen", "accept", "connect", "sleep", "clone", "mkdir"}
NAME = {name: cat for cat, names in CATEGORIES.items() for name in names}


@dataclass
class Finding:
    line: int
    construct: str
    category: str

    def __str__(self) -> str:
        return f"kernel.cpp:{self.line}: {self.construct} ({self.category})"


def screen(source: str) -> list[Finding]:
    tree = cpp.parse(source)
    findings: list[Finding] = []

    def add(node, construct: str, category: str) -> None:
        findings.append(Finding(node.start_point[0] + 1, construct, category))

    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        t = node.type
        if t == "preproc_include":
            path = node.child_by_field_name("path")
            header = cpp.text(path).strip('<>"') if path is not None else ""
            if header in FORBIDDEN_HEADERS:
                add(node, f"#include <{header}>", FORBIDDEN_HEADERS[header])
        elif t == "call_expression":
            fn = node.child_by_field_name("function")
            name = cpp.text(fn).split("::")[-1].split(".")[-1].split("->")[-1].split("<")[0].strip() if fn else ""
            if name in NAME:
                add(node, f"{name}()", NAME[name])
        elif t in ("identifier", "type_identifier", "namespace_identifier", "field_identifier"):
            name = cpp.text(node)
            parent = node.parent
            called = parent is not None and parent.type == "call_expression"
            if name in NAME and name not in CALL_ONLY and not called and parent is not None \
                    and parent.type not in ("function_declarator",):
                add(node, name, NAME[name])
        elif t == "gnu_asm_expression" or (t == "string_literal" and node.parent is not None
                                           and node.parent.type == "gnu_asm_expression"):
            text = cpp.text(node).lower()
            word = next((w for w in ASM_WORDS if w in text), None)
            if word and t == "gnu_asm_expression":
                add(node, f"inline assembly using {word}", "system calls or timing")
            elif t == "gnu_asm_expression":
                # an asm label renames a symbol: `f(...) __asm__("clock_gettime")` interposes on libc
                named = next((n for n in re.findall(r"[A-Za-z_]\w*", text) if n in NAME), None)
                if named:
                    add(node, f"asm label naming {named}", "interposition on the C library")
        elif t == "linkage_specification":
            # extern "C" definitions can replace C library functions for the whole binary.
            for child in node.named_children:
                if child.type in ("function_definition", "declaration_list"):
                    add(node, 'extern "C" definition', "interposition on the C library")
                    break
        elif t == "function_definition":
            name = cpp.declarator_name(node) or ""
            if name in NAME and node.parent is not None and node.parent.type == "translation_unit":
                add(node, f"definition of {name}()", "interposition on the C library")
        stack.extend(reversed(node.children))
    # one finding per line and construct, in source order
    unique = {(f.line, f.construct): f for f in findings}
    return sorted(unique.values(), key=lambda f: f.line)
