#!/usr/bin/env python3
"""Load generators for what wrk cannot do (Debian has no wrk2):

  load.py open-loop URL RATE SECONDS [CONNECTIONS]
      POST /v2/apps at a fixed RATE per second whatever the answers (an
      open loop: a slow answer does not slow the schedule, and latency is
      counted from when the request was due, so it hides no queueing).

The /v2/events load generator is C++ (bench/http/sse_load.cc): asyncio
cannot read 1M frames/s on two cores.

Prints one summary line of numbers; exit 1 when a check fails.
"""
import asyncio
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


def main():
    args = sys.argv[1:]
    if len(args) >= 4 and args[0] == "open-loop":
        conns = int(args[4]) if len(args) > 4 else 64
        return asyncio.run(open_loop(args[1], float(args[2]), float(args[3]), conns))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
