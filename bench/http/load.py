#!/usr/bin/env python3
"""Load generators for what wrk cannot do (Debian has no wrk2):

  load.py open-loop URL RATE SECONDS [CONNECTIONS]
      POST /v2/apps at a fixed RATE per second whatever the answers (an
      open loop: a slow answer does not slow the schedule, and latency is
      counted from when the request was due, so it hides no queueing).
  load.py sse URL SUBSCRIBERS RATE SECONDS
      SUBSCRIBERS idle /v2/events streams first (prints the server's RSS per
      stream when given --pid), then RATE POSTs per second; every event must
      reach every subscriber, and delivery latency is from the POST's start
      to the subscriber reading the frame.

Prints one summary line of numbers; exit 1 when a check fails.
"""
import asyncio
import os
import sys
import time

HEADERS = "Content-Type: application/json\r\nHost: bench\r\n"


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100.0 * len(values)))]


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    body = await reader.readexactly(length)
    return int(head.split(b" ")[1]), head, body


def post_bytes(host, path, body):
    return (f"POST {path} HTTP/1.1\r\n{HEADERS}Content-Length: {len(body)}\r\n\r\n{body}").encode()


async def open_loop(url, rate, seconds, connections):
    host, port = url.split("//")[1].split(":")
    pool = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(await asyncio.open_connection(host, int(port)))
    latencies, statuses, late_starts = [], {}, 0
    start = time.monotonic()

    async def one(i, due):
        nonlocal late_starts
        reader, writer = await pool.get()
        if time.monotonic() - due > 0.001:
            late_starts += 1
        body = f'{{"id":"/open/a{i}","cmd":"sleep 1000","cpus":0.01,"mem":1,"instances":1}}'
        writer.write(post_bytes(host, "/v2/apps", body))
        status, _, _ = await read_response(reader)
        latencies.append(time.monotonic() - due)
        statuses[status] = statuses.get(status, 0) + 1
        pool.put_nowait((reader, writer))

    tasks = []
    total = int(rate * seconds)
    for i in range(total):
        due = start + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - start
    ms = [x * 1000 for x in latencies]
    print(f"open-loop: {total} POSTs at {rate}/s over {elapsed:.1f} s; statuses {statuses}; "
          f"latency ms p50 {percentile(ms, 50):.1f} p99 {percentile(ms, 99):.1f} p99.9 {percentile(ms, 99.9):.1f} "
          f"max {max(ms):.1f}; requests that waited for a free connection: {late_starts}")
    return 0 if statuses.get(201, 0) == total else 1


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def sse(url, subscribers, rate, seconds, pid):
    host, port = url.split("//")[1].split(":")
    before = rss_kib(pid) if pid else 0
    streams = []
    for i in range(subscribers):
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(f"GET /v2/events?event_type=api_post_event HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n".encode())
        streams.append((reader, writer))
    for reader, _ in streams:
        await reader.readuntil(b"\r\n\r\n")
    await asyncio.sleep(2)
    idle = rss_kib(pid) if pid else 0
    sent = {}  # app number -> monotonic time the POST started
    received = [0] * subscribers
    latencies = []
    done = asyncio.Event()
    total = int(rate * seconds)

    async def listen(k, reader):
        while received[k] < total:
            line = await reader.readline()
            if not line:
                return
            at = line.find(b'"/sse/a')
            if line.startswith(b"data:") and at >= 0:
                n = int(line[at + 7:line.index(b'"', at + 7)])
                latencies.append(time.monotonic() - sent[n])
                received[k] += 1

    listeners = [asyncio.create_task(listen(k, r)) for k, (r, _) in enumerate(streams)]
    reader, writer = await asyncio.open_connection(host, int(port))
    start = time.monotonic()
    for i in range(total):
        due = start + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        sent[i] = time.monotonic()
        writer.write(post_bytes(host, "/v2/apps", f'{{"id":"/sse/a{i}","cmd":"sleep 1","instances":0}}'))
        await read_response(reader)
    try:
        await asyncio.wait_for(asyncio.gather(*listeners), timeout=30)
    except asyncio.TimeoutError:
        pass
    ms = [x * 1000 for x in latencies]
    complete = sum(1 for r in received if r == total)
    per_idle = (idle - before) / subscribers if pid else float("nan")
    print(f"sse: {subscribers} subscribers, {total} events at {rate}/s: {complete} subscribers got all "
          f"({sum(received)} of {subscribers * total} deliveries); delivery ms p50 {percentile(ms, 50):.1f} "
          f"p99 {percentile(ms, 99):.1f} max {max(ms) if ms else float('nan'):.1f}; "
          f"server RSS per idle subscriber {per_idle:.1f} KiB")
    return 0 if complete == subscribers else 1


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--pid=")]
    pid = next((int(a[6:]) for a in sys.argv[1:] if a.startswith("--pid=")), 0)
    if len(args) >= 4 and args[0] == "open-loop":
        conns = int(args[4]) if len(args) > 4 else 64
        return asyncio.run(open_loop(args[1], float(args[2]), float(args[3]), conns))
    if len(args) == 5 and args[0] == "sse":
        return asyncio.run(sse(args[1], int(args[2]), float(args[3]), float(args[4]), pid))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
