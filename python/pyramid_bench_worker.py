"""The PyTorch worker of pyramid-bench's `torch:` backend (docs/model-format.md, "PyTorch packages").

The harness starts one worker per model set and drives it over a framed binary protocol on the worker's
standard input and output; tensors cross as raw little-endian bytes, never as text. The worker's own
standard output is moved to standard error at start, so a model that prints cannot corrupt the protocol.

Frame (both directions): u32 little-endian header length, the header as UTF-8 JSON, then the payload: the
tensors the header lists, each as raw bytes starting at an 8-byte aligned offset.

Requests (header fields):
  {"op": "load", "package": {...}, "directory": "...", "device": "cpu", "dtype": "float32", "threads": 2,
   "components": [{"key": "pyramid", "module": "m", "factory": "f", "spec": {...}}]}
  {"op": "call", "component": "pyramid", "tensors": [...], "output": "velocity"}
  {"op": "encode", "component": "conditioner", "prompt": "..."}
  {"op": "memory", "reset": false}
  {"op": "exit"}
Responses: {"ok": true, ...} or {"ok": false, "error": "...", "kind": "..."}.

A worker never outlives the harness: it asks the kernel for SIGKILL when its parent dies (Linux), checks its
parent every second, and exits when its input closes.
"""
import ctypes
import importlib
import json
import os
import signal
import struct
import sys
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ALIGN = 8
DTYPES = {"float32": 4, "int64": 8}


def die_with_parent(parent):
    """SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG), plus a watchdog for platforms without it."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    except OSError:
        pass
    if os.getppid() != parent:
        os._exit(3)

    def watch():
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(3)

    threading.Thread(target=watch, daemon=True).start()


class Channel:
    def __init__(self, read_fd, write_fd):
        self.read_fd = read_fd
        self.write_fd = write_fd

    def read_exact(self, n):
        buf = bytearray(n)
        view = memoryview(buf)
        got = 0
        while got < n:
            k = os.readv(self.read_fd, [view[got:]])
            if k == 0:
                return None
            got += k
        return buf

    def receive(self):
        head = self.read_exact(4)
        if head is None:
            return None, None
        (length,) = struct.unpack("<I", head)
        header = json.loads(self.read_exact(length).decode("utf8"))
        size = int(header.get("payload", 0))
        payload = self.read_exact(size) if size else bytearray()
        if payload is None:
            return None, None
        return header, payload

    def send(self, header, blobs=()):
        offsets, total = [], 0
        for b in blobs:
            offsets.append(total)
            total += len(b)
            total += (-total) % ALIGN
        header = dict(header, payload=total)
        text = json.dumps(header).encode("utf8")
        parts = [struct.pack("<I", len(text)), text]
        written = 0
        for b in blobs:
            parts.append(b)
            written += len(b)
            pad = (-written) % ALIGN
            if pad:
                parts.append(b"\0" * pad)
                written += pad
        for part in parts:
            view = memoryview(part)
            while len(view):
                k = os.write(self.write_fd, view)
                view = view[k:]


class WorkerError(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


class Worker:
    def __init__(self, channel):
        self.channel = channel
        self.torch = None
        self.components = {}
        self.kept = {}  # tensors the harness sends once and names by id later (history, the previous stage)
        self.device = None
        self.dtype = None

    def tensors_from(self, header, payload):
        torch = self.torch
        out = {}
        offset = 0
        view = memoryview(payload)
        for key in header.get("evict", []):
            self.kept.pop(key, None)
        for t in header.get("tensors", []):
            if "cached" in t:
                if t["cached"] not in self.kept:
                    raise WorkerError("protocol", f"input '{t['name']}' names kept tensor {t['cached']}, which the worker does not hold")
                out[t["name"]] = self.kept[t["cached"]]
                continue
            count = 1
            for d in t["shape"]:
                count *= int(d)
            size = count * DTYPES[t["dtype"]]
            kind = torch.float32 if t["dtype"] == "float32" else torch.int64
            if count:
                value = torch.frombuffer(view[offset:offset + size], dtype=kind).reshape(t["shape"])
            else:
                value = torch.zeros(t["shape"], dtype=kind)
            offset += size + (-size) % ALIGN
            value = value.to(self.device)
            if kind == torch.float32 and self.dtype != torch.float32:
                value = value.to(self.dtype)
            if "store" in t:
                self.kept[t["store"]] = value  # (on the CPU it shares this request's buffer, which it keeps alive)
            out[t["name"]] = value
        return out

    def synchronize(self):
        if self.device is not None and self.device.type == "cuda":
            self.torch.cuda.synchronize(self.device)

    def load(self, header):
        started = time.perf_counter()
        try:
            import torch
        except Exception as e:  # noqa: BLE001
            raise WorkerError("import", f"cannot import torch in {sys.executable}: {e}")
        self.torch = torch
        torch.set_grad_enabled(False)
        threads = int(header.get("threads") or 0)
        if threads > 0:
            torch.set_num_threads(threads)
        device = header.get("device", "cpu")
        if device.startswith("cuda"):
            if not torch.cuda.is_available():
                raise WorkerError("device", f"device '{device}' asked for, but torch {torch.__version__} in {sys.executable} sees no CUDA device")
            index = int(device.split(":")[1]) if ":" in device else 0
            if index >= torch.cuda.device_count():
                raise WorkerError("device", f"device '{device}' asked for, but only {torch.cuda.device_count()} CUDA device(s) are visible")
        self.device = torch.device(device)
        names = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
        self.dtype = names[header.get("dtype", "float32")]
        directory = header["directory"]
        for path in (directory, HERE):
            if path not in sys.path:
                sys.path.insert(0, path)
        for c in header["components"]:
            where = f"{c['module']}:{c['factory']}"
            try:
                module = importlib.import_module(c["module"])
            except Exception as e:  # noqa: BLE001
                raise WorkerError("module", f"cannot import module '{c['module']}' (for {c['key']}): {type(e).__name__}: {e}")
            factory = getattr(module, c["factory"], None)
            if not callable(factory):
                raise WorkerError("module", f"module '{c['module']}' has no callable '{c['factory']}' (for {c['key']})")
            spec = dict(c["spec"], package=header["package"], directory=directory)
            try:
                built = factory(spec)
            except Exception as e:  # noqa: BLE001
                raise WorkerError("factory", f"{where} failed to build {c['key']}: {type(e).__name__}: {e}")
            if built is None:
                raise WorkerError("factory", f"{where} returned None for {c['key']}")
            if isinstance(built, torch.nn.Module):
                built = built.to(self.device)
                if self.dtype != torch.float32:
                    built = built.to(self.dtype)
                built.eval()
            self.components[c["key"]] = built
        self.synchronize()
        info = {"torch": torch.__version__, "python": sys.version.split()[0], "device": str(self.device), "seconds": time.perf_counter() - started}
        if self.device.type == "cuda":
            props = torch.cuda.get_device_properties(self.device)
            info.update(gpu=props.name, gpuMemory=props.total_memory, gpuCount=torch.cuda.device_count(), cuda=torch.version.cuda)
        else:
            info.update(threads=torch.get_num_threads())
        return info

    def component(self, key):
        c = self.components.get(key)
        if c is None:
            raise WorkerError("call", f"no component '{key}'; loaded: {', '.join(self.components) or 'none'}")
        return c

    def call(self, header, payload):
        torch = self.torch
        module = self.component(header["component"])
        inputs = self.tensors_from(header, payload)
        started = time.perf_counter()
        with torch.inference_mode():
            out = module(**inputs)
        if isinstance(out, dict):
            out = out[header.get("output") or next(iter(out))]
        elif isinstance(out, (tuple, list)):
            out = out[0]
        self.synchronize()
        seconds = time.perf_counter() - started
        out = out.detach().to("cpu", torch.float32).contiguous()
        return {"seconds": seconds, "tensors": [{"name": "output", "dtype": "float32", "shape": list(out.shape)}]}, [out.numpy().tobytes()]

    def encode(self, header):
        torch = self.torch
        c = self.component(header["component"])
        fn = getattr(c, "encode", None) or c
        with torch.inference_mode():
            out = fn(header["prompt"])
        out = out.detach().to("cpu", torch.float32).contiguous()
        return {"tensors": [{"name": "output", "dtype": "float32", "shape": list(out.shape)}]}, [out.numpy().tobytes()]

    def memory(self, header):
        import resource

        torch = self.torch
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
        if self.device is None or self.device.type != "cuda":
            return {"peakBytes": None, "maxRssBytes": rss}
        self.synchronize()
        peak = torch.cuda.max_memory_allocated(self.device)
        if header.get("reset"):
            torch.cuda.reset_peak_memory_stats(self.device)
        return {"peakBytes": peak, "maxRssBytes": rss}

    def serve(self):
        while True:
            header, payload = self.channel.receive()
            if header is None or header.get("op") == "exit":
                return
            op = header.get("op")
            try:
                if op == "load":
                    self.channel.send(dict(ok=True, **self.load(header)))
                elif op == "call":
                    reply, blobs = self.call(header, payload)
                    self.channel.send(dict(ok=True, **reply), blobs)
                elif op == "encode":
                    reply, blobs = self.encode(header)
                    self.channel.send(dict(ok=True, **reply), blobs)
                elif op == "memory":
                    self.channel.send(dict(ok=True, **self.memory(header)))
                else:
                    self.channel.send(dict(ok=False, kind="protocol", error=f"unknown op '{op}'"))
            except WorkerError as e:
                self.channel.send(dict(ok=False, kind=e.kind, error=str(e)))
            except Exception as e:  # noqa: BLE001
                sys.stderr.write(traceback.format_exc())
                sys.stderr.flush()
                frames = traceback.extract_tb(e.__traceback__)
                where = f"{frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}" if frames else "?"
                self.channel.send(dict(ok=False, kind="exception", error=f"{type(e).__name__}: {e} (raised at {where})"))


def main():
    parent = int(sys.argv[1]) if len(sys.argv) > 1 else os.getppid()
    die_with_parent(parent)
    protocol_out = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    protocol_in = os.dup(0)
    for fd in (protocol_in, protocol_out):
        try:
            import fcntl
            fcntl.fcntl(fd, 1031, 1 << 20)  # F_SETPIPE_SZ: 1 MiB pipes, fewer wake-ups for large tensors
        except (OSError, ImportError):
            pass
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    Worker(Channel(protocol_in, protocol_out)).serve()


if __name__ == "__main__":
    main()
