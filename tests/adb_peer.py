"""A loopback adb peer for tests: speaks the adb *host* protocol (what an adb server offers its
clients) for pretend Android devices whose "file system" is a directory here and whose shell is
this machine's /bin/sh. Pushed aarch64 ELF binaries run through qemu-aarch64-static, so the
plugin's adb device can be exercised end to end without a phone. Standard library only.

Host services: host:version, host:devices, host:devices-l, host:features, host:kill,
host-serial:S:<features|get-state|get-serialno>, host:transport:S, host:transport-any,
host:tport:serial:S / host:tport:any (+ 8-byte transport id), host:transport-id:N.
Device services (after a transport): shell,v2[,raw]:CMD (packets: id u8 + len u32le; 1 stdout,
2 stderr, 3 exit), shell:CMD (v1: raw output, then close), sync: with STAT/LIST/SEND/RECV/QUIT
(DATA/DONE/OKAY/FAIL frames: 4-byte id + u32le + payload). Features leave out stat_v2, ls_v2 and
sendrecv_v2, so clients use the v1 sync frames above.

Faults for tests (per device): ``vanish_after`` bytes received by one SEND, or
``vanish_after_sends`` completed SENDs (the device drops off the list and the connection breaks
mid-push), ``hang_shell`` (shell commands containing that text never answer), an ABI
list and /proc/cpuinfo features of your choice.

    python tests/adb_peer.py --serial emu-1 [--port 0]   # prints "port N", serves until killed
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import socketserver
import struct
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

QEMU = "qemu-aarch64-static"
DEVICE_PATHS = ("/data/local/tmp", "/proc/cpuinfo")
FEATURES = "shell_v2,cmd,fixed_push_mkdir,fixed_push_symlink_timestamp,apex,abb,abb_exec"
CPUINFO_AARCH64 = """processor\t: 0
BogoMIPS\t: 38.40
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp
CPU implementer\t: 0x41
CPU architecture: 8
CPU part\t: 0xd05
"""


@dataclass
class FakeDevice:
    serial: str
    root: Path
    abilist: str = "arm64-v8a,armeabi-v7a,armeabi"
    machine: str = "aarch64"
    cpuinfo: str = CPUINFO_AARCH64
    model: str = "Loopback"
    state: str = "device"
    vanish_after: int | None = None  # bytes of one SEND after which the device disappears
    vanish_after_sends: int | None = None  # completed SENDs after which the next SEND makes it disappear
    sends: int = 0
    hang_shell: str | None = None  # shell commands containing this never answer
    transport_id: int = 1
    commands: list[str] = field(default_factory=list)  # every shell command run, for assertions

    def setup(self) -> None:
        (self.root / "data" / "local" / "tmp").mkdir(parents=True, exist_ok=True)
        (self.root / "proc").mkdir(exist_ok=True)
        (self.root / "proc" / "cpuinfo").write_text(self.cpuinfo)
        (self.root / "elf").mkdir(exist_ok=True)
        shims = self.root / "shims"
        shims.mkdir(exist_ok=True)
        props = {"ro.product.cpu.abilist": self.abilist, "ro.product.cpu.abi": self.abilist.split(",")[0],
                 "ro.product.model": self.model, "ro.build.version.release": "14", "ro.build.version.sdk": "34"}
        cases = "\n".join(f"  {k}) echo '{v}' ;;" for k, v in props.items())
        _script(shims / "getprop", f'case "$1" in\n{cases}\n  *) echo "" ;;\nesac\n')
        _script(shims / "uname", f'if [ "$1" = "-m" ]; then echo {self.machine}; else exec /bin/uname "$@"; fi\n')

    def local(self, device_path: str) -> Path:
        return Path(self.translate(device_path))

    def translate(self, text: str) -> str:
        """Device paths in a command -> paths below this device's root."""
        for p in DEVICE_PATHS:
            text = text.replace(p, str(self.root) + p)
        return text

    def translate_back(self, data: bytes) -> bytes:
        return data.replace(str(self.root).encode(), b"")


def _script(path: Path, body: str) -> None:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)


class AdbPeer:
    """The server: ``with AdbPeer() as peer: peer.add_device("emu-1"); ... peer.port``."""

    def __init__(self, port: int = 0) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="adb-peer-"))
        self.devices: dict[str, FakeDevice] = {}
        self.lock = threading.Lock()
        peer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                Session(peer, self.request).serve()

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self._thread: threading.Thread | None = None

    def add_device(self, serial: str, **kw: object) -> FakeDevice:
        dev = FakeDevice(serial=serial, root=self.tmp / serial, transport_id=len(self.devices) + 1, **kw)  # type: ignore[arg-type]
        dev.root.mkdir(parents=True, exist_ok=True)
        dev.setup()
        with self.lock:
            self.devices[serial] = dev
        return dev

    def remove_device(self, serial: str) -> None:
        with self.lock:
            self.devices.pop(serial, None)

    def device(self, serial: str | None = None, transport_id: int | None = None) -> FakeDevice | None:
        with self.lock:
            ready = [d for d in self.devices.values() if d.state == "device"]
            if transport_id is not None:
                return next((d for d in ready if d.transport_id == transport_id), None)
            if serial is None:
                return ready[0] if len(ready) == 1 else None
            return self.devices.get(serial)

    def start(self) -> AdbPeer:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> AdbPeer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Closed(Exception):
    pass


class Session:
    """One client connection: host requests, then (after a transport) one device service."""

    def __init__(self, peer: AdbPeer, sock: socket.socket) -> None:
        self.peer = peer
        self.sock = sock
        self.device: FakeDevice | None = None

    # -- framing -----------------------------------------------------------------------------
    def read(self, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise Closed
            buf += chunk
        return buf

    def okay(self, payload: str | None = None) -> None:
        data = b"OKAY"
        if payload is not None:
            raw = payload.encode()
            data += b"%04x" % len(raw) + raw
        self.sock.sendall(data)

    def fail(self, message: str) -> None:
        raw = message.encode()
        self.sock.sendall(b"FAIL" + b"%04x" % len(raw) + raw)

    # -- host services -----------------------------------------------------------------------
    def serve(self) -> None:
        try:
            while True:
                length = int(self.read(4), 16)
                request = self.read(length).decode()
                if not self.dispatch(request):
                    return
        except (Closed, ConnectionError, OSError, ValueError):
            return
        finally:
            try:
                self.sock.close()
            except OSError:
                pass

    def dispatch(self, req: str) -> bool:
        """Handle one request; False ends the connection."""
        if self.device is not None:
            return self.device_service(req)
        if req == "host:version":
            self.okay("0029")
            return False
        if req in ("host:devices", "host:devices-l"):
            with self.peer.lock:
                devs = list(self.peer.devices.values())
            if req.endswith("-l"):
                lines = [f"{d.serial}\t{d.state} product:loopback model:{d.model} device:loopback "
                         f"transport_id:{d.transport_id}" for d in devs]
            else:
                lines = [f"{d.serial}\t{d.state}" for d in devs]
            self.okay("".join(ln + "\n" for ln in lines))
            return False
        if req == "host:features":
            self.okay(FEATURES)
            return False
        if req == "host:kill":
            self.okay()
            return False
        if req.startswith("host-serial:") or req.startswith("host-transport-id:"):
            kind, _, rest = req.partition(":")
            ident, _, command = rest.rpartition(":")
            dev = (self.peer.device(transport_id=int(ident)) if kind == "host-transport-id"
                   else self.peer.device(ident))
            if dev is None:
                self.fail(f"device '{ident}' not found")
                return False
            answers = {"features": FEATURES, "get-state": dev.state, "get-serialno": dev.serial,
                       "get-devpath": "usb:loopback"}
            if command not in answers:
                self.fail(f"unsupported: {command}")
                return False
            self.okay()
            raw = answers[command].encode()
            self.sock.sendall(b"%04x" % len(raw) + raw)
            return False
        if req.startswith("host:transport") or req.startswith("host:tport:"):
            return self.transport(req)
        self.fail(f"unknown host service: {req}")
        return False

    def transport(self, req: str) -> bool:
        tport = req.startswith("host:tport:")
        if req in ("host:transport-any", "host:tport:any"):
            dev = self.peer.device()
            ident = "any"
        elif req.startswith("host:transport-id:"):
            ident = req.rsplit(":", 1)[1]
            dev = self.peer.device(transport_id=int(ident))
        else:
            ident = req.split(":", 3)[-1] if tport else req.split(":", 2)[2]
            dev = self.peer.device(ident)
        if dev is None or dev.state != "device":
            self.fail(f"device '{ident}' not found")
            return False
        self.device = dev
        self.okay()
        if tport:
            self.sock.sendall(struct.pack("<Q", dev.transport_id))
        return True

    # -- device services ---------------------------------------------------------------------
    def device_service(self, req: str) -> bool:
        dev = self.device
        assert dev is not None
        if req.startswith("shell,") or req.startswith("shell:"):
            opts, _, cmd = req.partition(":")
            v2 = "v2" in opts.split(",")
            self.okay()
            self.shell(dev, cmd, v2)
            return False
        if req == "sync:":
            self.okay()
            self.sync(dev)
            return False
        self.fail(f"unknown device service: {req}")
        return False

    def shell(self, dev: FakeDevice, cmd: str, v2: bool) -> None:
        dev.commands.append(cmd)
        if dev.hang_shell is not None and dev.hang_shell in cmd:
            while self.sock.recv(4096):  # until the client gives up
                pass
            return
        env = {"PATH": f"{dev.root / 'shims'}:/usr/bin:/bin", "LC_ALL": "C"}
        proc = subprocess.run(["/bin/sh", "-c", dev.translate(cmd)], cwd=dev.root, env=env,
                              stdin=subprocess.DEVNULL, capture_output=True)
        if self.peer.device(dev.serial) is None:  # vanished meanwhile
            return
        # a signal death of the shell itself is reported the way adbd does: 128 + signal
        rc = proc.returncode if proc.returncode >= 0 else 128 - proc.returncode
        out, err = dev.translate_back(proc.stdout), dev.translate_back(proc.stderr)
        if not v2:
            self.sock.sendall(out + err)
            return
        for kind, data in ((1, out), (2, err)):
            for i in range(0, len(data), 65536):
                chunk = data[i:i + 65536]
                self.sock.sendall(struct.pack("<BI", kind, len(chunk)) + chunk)
        self.sock.sendall(struct.pack("<BI", 3, 1) + bytes([rc & 0xFF]))

    def sync(self, dev: FakeDevice) -> None:
        while True:
            ident = self.read(4)
            length = struct.unpack("<I", self.read(4))[0]
            if ident == b"QUIT":
                return
            arg = self.read(length).decode()
            if ident == b"STAT":
                path = dev.local(arg)
                try:
                    st = path.stat()
                    self.sock.sendall(b"STAT" + struct.pack("<III", st.st_mode, st.st_size, int(st.st_mtime)))
                except OSError:
                    self.sock.sendall(b"STAT" + struct.pack("<III", 0, 0, 0))
            elif ident == b"LIST":
                path = dev.local(arg)
                frames = b""
                if path.is_dir():
                    for name in [".", "..", *sorted(os.listdir(path))]:
                        st = (path / name).stat()
                        raw = name.encode()
                        frames += b"DENT" + struct.pack("<IIII", st.st_mode, st.st_size, int(st.st_mtime), len(raw))
                        frames += raw
                self.sock.sendall(frames + b"DONE" + bytes(16))
            elif ident == b"SEND":
                self.receive_file(dev, arg)
            elif ident == b"RECV":
                path = dev.local(arg)
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    msg = f"open failed: {exc.strerror}".encode()
                    self.sock.sendall(b"FAIL" + struct.pack("<I", len(msg)) + msg)
                    continue
                out = b""
                for i in range(0, len(data), 65536):
                    chunk = data[i:i + 65536]
                    out += b"DATA" + struct.pack("<I", len(chunk)) + chunk
                self.sock.sendall(out + b"DONE" + struct.pack("<I", 0))
            else:
                msg = f"unknown sync command {ident!r}".encode()
                self.sock.sendall(b"FAIL" + struct.pack("<I", len(msg)) + msg)
                return

    def receive_file(self, dev: FakeDevice, arg: str) -> None:
        device_path, _, mode_text = arg.rpartition(",")
        mode = int(mode_text) if mode_text.isdigit() else 0o644
        data = bytearray()
        while True:
            ident = self.read(4)
            value = struct.unpack("<I", self.read(4))[0]
            if ident == b"DONE":
                break
            if ident != b"DATA":
                raise Closed
            data += self.read(value)
            if (dev.vanish_after is not None and len(data) >= dev.vanish_after) or \
                    (dev.vanish_after_sends is not None and dev.sends >= dev.vanish_after_sends):
                self.peer.remove_device(dev.serial)  # unplugged mid-push
                self.sock.shutdown(socket.SHUT_RDWR)
                raise Closed
        path = dev.local(device_path)
        try:
            if data[:4] == b"\x7fELF" and int.from_bytes(data[18:20], "little") == 183:
                # an aarch64 binary: keep it aside and put a wrapper that runs it under qemu
                real = dev.root / "elf" / uuid.uuid4().hex
                real.write_bytes(data)
                real.chmod(0o755)
                qemu = shutil.which(QEMU) or QEMU
                path.write_text(f'#!/bin/sh\nexec {qemu} {real} "$@"\n')
            else:
                path.write_bytes(bytes(data))
            path.chmod(mode & 0o777)
        except OSError as exc:
            msg = f"couldn't create file: {exc.strerror}".encode()
            self.sock.sendall(b"FAIL" + struct.pack("<I", len(msg)) + msg)
            return
        dev.sends += 1
        self.sock.sendall(b"OKAY" + struct.pack("<I", 0))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--serial", action="append", default=None)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    peer = AdbPeer(args.port)
    for serial in args.serial or ["emu-1"]:
        peer.add_device(serial)
    peer.start()
    print(f"port {peer.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        peer.stop()


if __name__ == "__main__":
    main()
