#!/usr/bin/env python3
"""Latency of `aidledger serve` under concurrent clients: p50/p99 per endpoint.

Usage: bench-serve.py BASE_URL [CLIENTS] [REQUESTS_PER_ENDPOINT]
Each endpoint gets REQUESTS requests spread over CLIENTS threads (one keep-alive
connection each). Prints one line per endpoint: status counts, p50, p99, max, req/s.
"""
import http.client
import sys
import threading
import time
import urllib.parse

ENDPOINTS = [
    ("overview", "/"),
    ("ledger page", "/ledger"),
    ("search page", "/search?q=tanks"),
    ("api commitments", "/api/commitments"),
    ("api search", "/api/search?q=HIMARS"),
    ("api aggregates", "/api/aggregates"),
]


def run(base, path, clients, total):
    u = urllib.parse.urlsplit(base)
    lat, statuses, lock = [], {}, threading.Lock()
    per = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]

    def worker(n):
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        for _ in range(n):
            t = time.perf_counter()
            try:
                conn.request("GET", path)
                r = conn.getresponse()
                r.read()
                st = r.status
                if r.getheader("connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
            except Exception:
                st = "error"
                conn.close()
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
            dt = time.perf_counter() - t
            with lock:
                lat.append(dt)
                statuses[st] = statuses.get(st, 0) + 1
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in per]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
    return statuses, q(0.50), q(0.99), lat[-1] * 1000, len(lat) / wall


def main():
    base = sys.argv[1]
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    total = int(sys.argv[3]) if len(sys.argv) > 3 else 400
    print(f"{clients} clients, {total} requests per endpoint, {base}")
    print(f"{'endpoint':<18} {'statuses':<22} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'req/s':>8}")
    for name, path in ENDPOINTS:
        st, p50, p99, mx, rps = run(base, path, clients, total)
        print(f"{name:<18} {str(st):<22} {p50:8.1f} {p99:8.1f} {mx:8.1f} {rps:8.0f}")


if __name__ == "__main__":
    main()
