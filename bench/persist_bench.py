#!/usr/bin/env python3
"""Durability side by side: Moon's write-ahead log and snapshots against redis-server's AOF and RDB.

1. SET throughput and server CPU microseconds per request with appendfsync always and everysec
   (50 clients, pipeline 1 and 16), Moon and Redis each with their log on.
2. Restart time for a dataset of about --gigabytes GB: Moon replaying its logs (after SIGKILL, no
   snapshot), Moon loading its snapshot (after a graceful stop), Redis loading its AOF, Redis loading
   its RDB. Time from process start until PING answers.
Usage: bench/persist_bench.py [--requests N] [--gigabytes G] [--shards N] [--json FILE]
"""
import argparse, json, os, shutil, signal, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kv_bench import ROOT, bench, cli, free_port, machine  # noqa: E402


def start(cmd, port, timeout=3600):
    t0 = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    while time.time() - t0 < timeout:
        if p.poll() is not None:
            raise SystemExit(f"server exited: {' '.join(cmd)}")
        if cli(port, "ping") == "PONG":
            return p, time.time() - t0
        time.sleep(0.05)
    raise SystemExit("server did not start")


def redis_cmd(port, d, extra):
    return ["redis-server", "--port", str(port), "--dir", d, "--daemonize", "no"] + extra


def moon_cmd(port, d, shards, extra):
    return [os.path.join(ROOT, "bin", "moon-server"), "--port", str(port), "--dir", d, "--shards", str(shards)] + extra


def stop(p, sig=signal.SIGTERM):
    p.send_signal(sig)
    try:
        p.wait(600)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def load(port, gigabytes):
    """About `gigabytes` GB of 1 KB values through redis-cli --pipe, in batches."""
    keys = int(gigabytes * (1 << 30) / 1024)
    value = "v" * 1000
    batch = 100_000
    for start_i in range(0, keys, batch):
        payload = "".join(f"*3\r\n$3\r\nSET\r\n${len(k)}\r\n{k}\r\n$1000\r\n{value}\r\n"
                          for k in (f"key:{i:012d}" for i in range(start_i, min(keys, start_i + batch))))
        subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input=payload.encode(), capture_output=True, check=True, timeout=900)
    return keys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=300_000)
    ap.add_argument("--gigabytes", type=float, default=1.0)
    ap.add_argument("--shards", type=int, default=os.cpu_count())
    ap.add_argument("--skip-restart", action="store_true")
    ap.add_argument("--json")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="moon-persist-bench-")
    results = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "shards": a.shards, "throughput": {}, "restart": {}}
    try:
        for policy in ("always", "everysec"):
            for name in ("redis", "moon"):
                d = tempfile.mkdtemp(dir=work)
                port = free_port()
                if name == "redis":
                    p, _ = start(redis_cmd(port, d, ["--appendonly", "yes", "--appendfsync", policy, "--save", ""]), port)
                else:
                    p, _ = start(moon_cmd(port, d, a.shards, ["--appendonly", "yes", "--appendfsync", policy, "--save", ""]), port)
                try:
                    bench(port, p.pid, "set", 16, 100_000, 100_000)  # warm-up
                    for pipeline in (1, 16):
                        r = bench(port, p.pid, "set", pipeline, a.requests, 1_000_000)
                        results["throughput"].setdefault(f"SET {policy} P{pipeline}", {})[name] = r
                        print(f"{name:5} SET appendfsync {policy:8} -P {pipeline:<2} {r['rps']:>10,.0f} req/s  "
                              f"p50 {r['p50_ms']:.3f} ms  p99 {r['p99_ms']:.3f} ms  cpu {r['cpu_us_per_req']:.2f} us/req", flush=True)
                finally:
                    stop(p)
                    shutil.rmtree(d, ignore_errors=True)

        if not a.skip_restart:
            # Redis: AOF (no RDB preamble, so the log is replayed) and RDB.
            d = tempfile.mkdtemp(dir=work)
            port = free_port()
            p, _ = start(redis_cmd(port, d, ["--appendonly", "yes", "--aof-use-rdb-preamble", "no", "--save", ""]), port)
            keys = load(port, a.gigabytes)
            cli(port, "save")
            stop(p)
            p, t = start(redis_cmd(port, d, ["--appendonly", "yes", "--aof-use-rdb-preamble", "no", "--save", ""]), port)
            results["restart"]["redis AOF"] = t
            stop(p)
            p, t = start(redis_cmd(port, d, ["--appendonly", "no", "--save", ""]), port)
            results["restart"]["redis RDB"] = t
            assert int(cli(port, "dbsize")) == keys
            stop(p)
            shutil.rmtree(d, ignore_errors=True)
            # Moon: the logs after SIGKILL, then the snapshot after a graceful stop.
            d = tempfile.mkdtemp(dir=work)
            p, _ = start(moon_cmd(port, d, a.shards, ["--save", ""]), port)
            load(port, a.gigabytes)
            time.sleep(1.5)
            stop(p, signal.SIGKILL)
            p, t = start(moon_cmd(port, d, a.shards, ["--save", ""]), port)
            results["restart"]["moon log replay"] = t
            assert int(cli(port, "dbsize")) == keys, cli(port, "dbsize")
            stop(p)  # graceful: writes a snapshot
            p, t = start(moon_cmd(port, d, a.shards, ["--save", ""]), port)
            results["restart"]["moon snapshot"] = t
            assert int(cli(port, "dbsize")) == keys
            stop(p)
            shutil.rmtree(d, ignore_errors=True)
            results["restart"]["keys"] = keys
            for k, v in results["restart"].items():
                if k != "keys":
                    print(f"restart with {a.gigabytes} GB ({keys:,} keys of 1 KB): {k:16} {v:7.1f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\n{results['date']}, {results['machine']}, node --shards {a.shards}")
    print(f"{'test':22} {'redis req/s':>12} {'moon req/s':>11} {'ratio':>6} | {'redis us/req':>12} {'moon us/req':>11} {'ratio':>6}")
    for k, v in results["throughput"].items():
        r, m = v["redis"], v["moon"]
        print(f"{k:22} {r['rps']:>12,.0f} {m['rps']:>11,.0f} {m['rps'] / r['rps']:>6.2f} | {r['cpu_us_per_req']:>12.2f} "
              f"{m['cpu_us_per_req']:>11.2f} {m['cpu_us_per_req'] / r['cpu_us_per_req']:>6.2f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())
