#!/usr/bin/env python3
"""Latency of `aidledger serve` under concurrent clients: p50/p99 per endpoint.

Usage: bench-serve.py BASE_URL [CLIENTS] [REQUESTS_PER_ENDPOINT] [SLOW]
Each endpoint gets REQUESTS requests spread over CLIENTS threads (one keep-alive
connection each). Prints one line per endpoint: status counts, p50, p99, max, req/s.
The single-commitment and single-document endpoints use the first commitment and
document the API lists. With SLOW > 0, that many connections first send an
incomplete request head and stay open during the run (slow-loris); the script then
reports how many of them the server had closed by the end. ONLY (environment, a
comma-separated list of endpoint names) measures those endpoints alone.
"""
import os
import http.client
import json
import socket
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


def first_ids(base):
    """The id of the first listed commitment and of a document it cites, or None."""
    u = urllib.parse.urlsplit(base)

    def get(path):
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        conn.request("GET", path)
        body = json.loads(conn.getresponse().read())
        conn.close()
        return body

    items = get("/api/commitments?limit=1").get("items") or []
    if not items:
        return None, None
    cid = items[0].get("id")
    detail = get("/api/commitments/" + urllib.parse.quote(cid, safe=""))
    docs = detail.get("doc_ids") or []
    return cid, (docs[0] if docs else None)


def slow_loris(base, n):
    """Opens n connections that send half a request head and then nothing."""
    u = urllib.parse.urlsplit(base)
    socks = []
    for _ in range(n):
        s = socket.create_connection((u.hostname, u.port), timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        socks.append(s)
    return socks


def closed(socks):
    n = 0
    for s in socks:
        s.setblocking(False)
        try:
            n += s.recv(1) == b""
        except BlockingIOError:
            pass
        except OSError:
            n += 1
        s.close()
    return n


def main():
    base = sys.argv[1]
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    total = int(sys.argv[3]) if len(sys.argv) > 3 else 400
    slow = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    endpoints = list(ENDPOINTS)
    cid, did = first_ids(base)
    q = lambda s: urllib.parse.quote(s, safe="")
    if cid:
        endpoints += [("api commitment", f"/api/commitments/{q(cid)}"),
                      ("commitment page", f"/commitments/{q(cid)}")]
    if did:
        endpoints += [("api document", f"/api/documents/{q(did)}"),
                      ("document page", f"/documents/{q(did)}")]
    only = [n.strip() for n in os.environ.get("ONLY", "").split(",") if n.strip()]
    if only:
        endpoints = [e for e in endpoints if e[0] in only]
    socks = slow_loris(base, slow) if slow else []
    t0 = time.perf_counter()
    print(f"{clients} clients, {total} requests per endpoint, {slow} slow-header connections, {base}")
    print(f"{'endpoint':<18} {'statuses':<22} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'req/s':>8}")
    for name, path in endpoints:
        # one request first, unmeasured: the steady state is measured, not the first
        # computation of a cached figure (which the first line of BENCHMARKS.md gives)
        run(base, path, 1, 1)
        st, p50, p99, mx, rps = run(base, path, clients, total)
        print(f"{name:<18} {str(st):<22} {p50:8.1f} {p99:8.1f} {mx:8.1f} {rps:8.0f}")
    if socks:
        # the server closes them after its header timeout (10 s by default)
        wait = float(os.environ.get("HEADER_TIMEOUT", "10")) + 1.5 - (time.perf_counter() - t0)
        if wait > 0:
            time.sleep(wait)
        print(f"slow-header connections closed by the server after {time.perf_counter() - t0:.1f} s: {closed(socks)} of {len(socks)}")


if __name__ == "__main__":
    main()
