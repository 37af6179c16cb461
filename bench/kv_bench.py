#!/usr/bin/env python3
"""Side-by-side key-value benchmark: Debian's redis-server and a Moon node on this machine.

For each server: redis-benchmark GET and SET (50 clients, pipeline 1 and 16, random keys), with
throughput, p50/p99 latency and server CPU microseconds per request (utime+stime of the server
process from /proc/PID/stat, before and after each run); then bytes per key after loading 1M keys
(16-byte keys, 32-byte values) as growth of the server's RSS. Prints a table and the ratios
node/redis.

Then bytes per element of collections: N keys each holding a hash of 100 small fields, a set of
100 small members, a set of 100 integers and a sorted set of 100 members, in its small encoding and
in its large one (zset-skiplist: zset-max-listpack-entries 0 on both servers) (each collection type is
measured only when both servers have its command; a node without ZADD skips zsets), loaded into a
freshly started redis-server and node, reported as RSS growth per element (and, for the node, the
growth of its live heap objects, which is what the data holds without the JVM's spare heap).

Usage: bench/kv_bench.py [--requests N] [--shards N] [--keys N] [--collection-keys N]
                         [--collections hash,set,intset,zset,zset-skiplist] [--collections-only] [--first-port P]
                         [--json FILE]
"""
import argparse, csv, io, json, os, platform, shutil, socket, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


NEXT_PORT = [0]


def free_port():
    if NEXT_PORT[0]:  # --first-port: consecutive ports from there
        NEXT_PORT[0] += 1
        return NEXT_PORT[0] - 1
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime (fields 14, 15)


def rss_bytes(pid):
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * PAGE


def cli(port, *args):
    return subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True, timeout=600).stdout.strip()


def wait_ready(port, proc, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server on {port} exited with {proc.returncode}")
        if cli(port, "ping") == "PONG":
            return
        time.sleep(0.2)
    raise SystemExit(f"server on {port} not ready")


def start_redis(port, workdir):
    p = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
                          "--dir", workdir, "--daemonize", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    wait_ready(port, p)
    return p


def start_moon(port, workdir, shards):
    env = dict(os.environ)
    p = subprocess.Popen([os.path.join(ROOT, "bin", "moon-server"), "--port", str(port), "--dir", workdir,
                          "--shards", str(shards), "--save", "", "--appendonly", "no"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, env=env)
    wait_ready(port, p)
    return p


def bench(port, pid, test, pipeline, requests, keys):
    args = ["redis-benchmark", "-p", str(port), "-t", test, "-n", str(requests), "-c", "50", "-P", str(pipeline),
            "-r", str(keys), "-d", "32", "--csv", "-q"]
    before = cpu_ticks(pid)
    out = subprocess.run(args, capture_output=True, text=True, timeout=900).stdout
    cpu_us = (cpu_ticks(pid) - before) * 1e6 / TICKS
    rows = list(csv.reader(io.StringIO(out)))
    header, data = rows[0], rows[1]
    r = dict(zip(header, data))
    return {"rps": float(r["rps"]), "p50_ms": float(r["p50_latency_ms"]), "p99_ms": float(r["p99_latency_ms"]),
            "cpu_us_per_req": cpu_us / requests}


def load_keys(port, n):
    """1M SETs with 16-byte keys and 32-byte values through redis-cli --pipe."""
    value = "v" * 32
    buf = io.StringIO()
    for i in range(n):
        k = "key:%012d" % i  # 16 bytes
        buf.write(f"*3\r\n$3\r\nSET\r\n$16\r\n{k}\r\n$32\r\n{value}\r\n")
    subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input=buf.getvalue().encode(), capture_output=True,
                   timeout=900, check=True)


def memory_per_key(port, pid, n, java):
    cli(port, "flushall")
    time.sleep(1)
    if java:
        gc(pid)
    base = rss_bytes(pid)
    load_keys(port, n)
    assert int(cli(port, "dbsize")) == n, "not all keys loaded"
    time.sleep(1)
    grown = rss_bytes(pid) - base
    result = {"rss_growth_bytes_per_key": grown / n}
    if java:
        gc(pid)
        result["rss_growth_after_gc_bytes_per_key"] = (rss_bytes(pid) - base) / n
    info = cli(port, "info", "memory")
    for line in info.splitlines():
        if line.startswith("used_memory:"):
            result["used_memory_per_key"] = int(line.split(":")[1]) / n
    return result


# Collection types measured for bytes per element: name -> (command, arguments for key number i).
# Fields, members and values are small (5 bytes), as in the typical small-object workload; every
# key holds ELEMENTS elements, so Redis keeps hashes in a listpack, integer sets in an intset and
# string sets in a hashtable (Redis 7.0 has no listpack sets), sorted sets in a listpack.
ELEMENTS = 100
COLLECTIONS = {
    "hash": ("HSET", lambda i: [f"hash:{i:08d}"] + [x for n in range(ELEMENTS) for x in (f"f:{n:03d}", f"v:{n:03d}")]),
    "set": ("SADD", lambda i: [f"set:{i:08d}"] + [f"m:{n:03d}" for n in range(ELEMENTS)]),
    "intset": ("SADD", lambda i: [f"iset:{i:08d}"] + [str(100000 + n) for n in range(ELEMENTS)]),
    "zset": ("ZADD", lambda i: [f"zset:{i:08d}"] + [x for n in range(ELEMENTS) for x in (str(n), f"m:{n:03d}")]),
}
# The same sorted sets in the large encoding (a skiplist in Redis, member table plus order tree in
# Moon), forced by settings applied to both servers before loading.
COLLECTIONS["zset-skiplist"] = COLLECTIONS["zset"]
SETTINGS = {"zset-skiplist": [("zset-max-listpack-entries", "0")]}


def resp(args):
    out = [f"*{len(args)}\r\n"]
    for a in args:
        out.append(f"${len(a.encode())}\r\n{a}\r\n")
    return "".join(out)


def supports(port, command):
    """True when the server has the command (COMMAND INFO answers nil for an unknown one)."""
    return cli(port, "command", "info", command) != ""


def heap_used_after_gc(pid):
    """Bytes of live Java objects (jcmd GC.class_histogram's total, taken after a full GC). G1's own
    "used" figure counts partly filled regions and overstates small heaps by megabytes."""
    jcmd = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jcmd")
    out = subprocess.run([jcmd, str(pid), "GC.class_histogram"], capture_output=True, text=True, timeout=300).stdout
    for line in out.splitlines():
        if line.startswith("Total"):
            return int(line.split()[2])
    return None


def memory_per_element(port, pid, kind, keys, java):
    """Loads `keys` collections of ELEMENTS elements; RSS growth per element (plus heap for the node)."""
    command, args = COLLECTIONS[kind]
    time.sleep(1)
    if java:
        gc(pid)
        heap_base = heap_used_after_gc(pid)
        gc(pid)
    base = rss_bytes(pid)
    buf = io.StringIO()
    for i in range(keys):
        buf.write(resp([command] + args(i)))
    subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input=buf.getvalue().encode(), capture_output=True,
                   timeout=900, check=True)
    assert int(cli(port, "dbsize")) == keys, f"not all {kind} keys loaded"
    time.sleep(1)
    elements = keys * ELEMENTS
    result = {"rss_growth_bytes_per_element": (rss_bytes(pid) - base) / elements,
              "encoding": cli(port, "object", "encoding", args(0)[0])}
    if java:
        gc(pid)
        result["rss_growth_after_gc_bytes_per_element"] = (rss_bytes(pid) - base) / elements
        heap = heap_used_after_gc(pid)
        if heap is not None and heap_base is not None:
            result["heap_growth_bytes_per_element"] = (heap - heap_base) / elements
    for line in cli(port, "info", "memory").splitlines():
        if line.startswith("used_memory:"):
            result["used_memory_per_element"] = int(line.split(":")[1]) / elements
    return result


def collections_memory(a, work, results):
    """Each collection type on a fresh redis-server and a fresh node (a used JVM heap would hide growth)."""
    for kind in a.collections.split(","):
        if kind not in COLLECTIONS:
            raise SystemExit(f"unknown collection {kind}; known: {', '.join(COLLECTIONS)}")
        for name in ("redis", "moon"):
            port = free_port()
            d = os.path.join(work, f"{kind}-{name}")
            os.makedirs(d)
            proc = start_redis(port, d) if name == "redis" else start_moon(port, d, a.shards)
            try:
                if not supports(port, COLLECTIONS[kind][0]):
                    print(f"{name:6} {kind}: skipped, no {COLLECTIONS[kind][0]}", flush=True)
                    continue
                for setting, value in SETTINGS.get(kind, []):
                    cli(port, "config", "set", setting, value)
                m = memory_per_element(port, proc.pid, kind, a.collection_keys, name == "moon")
                results.setdefault(name, {}).setdefault("collections", {})[kind] = m
                print(f"{name:6} {kind:6} ({m['encoding']}): " + ", ".join(
                    f"{k} {v:.1f}" for k, v in m.items() if k != "encoding"), flush=True)
            finally:
                proc.terminate()
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()


def print_collections(a, results):
    rc = results.get("redis", {}).get("collections", {})
    mc = results.get("moon", {}).get("collections", {})
    for kind in COLLECTIONS:
        if kind in rc and kind in mc:
            r, m = rc[kind], mc[kind]
            heap = m.get("heap_growth_bytes_per_element")
            print(f"bytes/element ({kind}, {a.collection_keys:,} keys x {ELEMENTS}, {r['encoding']} / {m['encoding']}): "
                  f"redis {r['rss_growth_bytes_per_element']:.1f}, moon {m['rss_growth_bytes_per_element']:.1f} "
                  f"(after a GC: {m.get('rss_growth_after_gc_bytes_per_element', 0):.1f}"
                  + (f", heap {heap:.1f}" if heap is not None else "") + "), "
                  f"ratio {m['rss_growth_bytes_per_element'] / r['rss_growth_bytes_per_element']:.2f}")


def gc(pid):
    jcmd = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jcmd")
    subprocess.run([jcmd, str(pid), "GC.run"], capture_output=True, timeout=120)
    time.sleep(1)


def machine():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores, {cpu}, kernel {platform.release()}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=1_000_000)
    ap.add_argument("--keys", type=int, default=1_000_000, help="keys loaded for bytes per key")
    ap.add_argument("--shards", type=int, default=os.cpu_count())
    ap.add_argument("--collection-keys", type=int, default=100_000,
                    help=f"keys of {ELEMENTS} elements loaded per collection type for bytes per element")
    ap.add_argument("--collections", default=",".join(COLLECTIONS), help="collection types to measure")
    ap.add_argument("--collections-only", action="store_true", help="only the bytes per element of collections")
    ap.add_argument("--first-port", type=int, default=0, help="use ports from here on (default: ports the OS picks)")
    ap.add_argument("--json", help="also write results here")
    a = ap.parse_args()
    NEXT_PORT[0] = a.first_port
    for tool in ("redis-server", "redis-benchmark", "redis-cli"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} not found: apt-get install redis-server redis-tools")
    work = tempfile.mkdtemp(prefix="moon-bench-")
    results = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "shards": a.shards, "requests": a.requests}
    servers = {}
    if a.collections_only:
        try:
            collections_memory(a, work, results)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(f"\n{results['date']}, {results['machine']}, node --shards {a.shards}")
        print_collections(a, results)
        if a.json:
            with open(a.json, "w") as f:
                json.dump(results, f, indent=2)
        return
    try:
        rport, mport = free_port(), free_port()
        for d in ("redis", "moon"):
            os.makedirs(os.path.join(work, d))
        servers["redis"] = (start_redis(rport, os.path.join(work, "redis")), rport, False)
        servers["moon"] = (start_moon(mport, os.path.join(work, "moon"), a.shards), mport, True)
        for name, (proc, port, java) in servers.items():
            # Warm-up (JIT for the node; the same for both to keep runs alike).
            bench(port, proc.pid, "set,get", 16, min(a.requests, 500_000), a.keys)
        for test in ("set", "get"):
            for pipeline in (1, 16):
                for name, (proc, port, java) in servers.items():
                    r = bench(port, proc.pid, test, pipeline, a.requests, a.keys)
                    results.setdefault(name, {})[f"{test.upper()} P{pipeline}"] = r
                    print(f"{name:6} {test.upper():3} -P {pipeline:<2}  {r['rps']:>11,.0f} req/s  p50 {r['p50_ms']:.3f} ms"
                          f"  p99 {r['p99_ms']:.3f} ms  cpu {r['cpu_us_per_req']:.2f} us/req", flush=True)
        for name, (proc, port, java) in servers.items():
            m = memory_per_key(port, proc.pid, a.keys, java)
            results[name]["memory"] = m
            print(f"{name:6} memory: " + ", ".join(f"{k} {v:.1f}" for k, v in m.items()), flush=True)
        for proc, port, java in servers.values():
            proc.terminate()
            proc.wait(20)
        servers = {}
        collections_memory(a, work, results)
    finally:
        for proc, port, java in servers.values():
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)

    print(f"\n{results['date']}, {results['machine']}, node --shards {a.shards}, {a.requests:,} requests per run")
    print(f"{'test':12} {'redis req/s':>12} {'moon req/s':>12} {'ratio':>6} | {'redis us/req':>12} {'moon us/req':>11} {'ratio':>6} | p50 r/m (ms)   p99 r/m (ms)")
    for key in results["redis"]:
        if not isinstance(results["redis"][key], dict) or "rps" not in results["redis"][key]:
            continue  # memory and collections are printed below
        r, m = results["redis"][key], results["moon"][key]
        print(f"{key:12} {r['rps']:>12,.0f} {m['rps']:>12,.0f} {m['rps'] / r['rps']:>6.2f} | {r['cpu_us_per_req']:>12.2f} "
              f"{m['cpu_us_per_req']:>11.2f} {m['cpu_us_per_req'] / r['cpu_us_per_req']:>6.2f} | "
              f"{r['p50_ms']:.3f}/{m['p50_ms']:.3f}   {r['p99_ms']:.3f}/{m['p99_ms']:.3f}")
    rm, mm = results["redis"]["memory"], results["moon"]["memory"]
    print(f"bytes/key (RSS growth, {a.keys:,} keys of 16+32 bytes): redis {rm['rss_growth_bytes_per_key']:.1f}, "
          f"moon {mm['rss_growth_bytes_per_key']:.1f} (after a GC: {mm.get('rss_growth_after_gc_bytes_per_key', 0):.1f}), "
          f"ratio {mm['rss_growth_bytes_per_key'] / rm['rss_growth_bytes_per_key']:.2f}")
    print_collections(a, results)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())
