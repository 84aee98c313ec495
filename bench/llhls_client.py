#!/usr/bin/env python3
"""bench/llhls_client: Low-Latency HLS clients against `reel serve` while `reel ingest
--realtime --part-duration` runs (started here, so both share one clock).

Measures, over the whole input:
- publication latency: from a part's file being renamed into place (its mtime) to a client
  blocked on that part (`_HLS_msn`/`_HLS_part`) having the playlist that lists it;
- ingest lag: how much later than the first part each part was published, beyond its media time
  (pacing plus packaging, relative to the first part);
- live distance: how far behind the live edge (wall-clock media time since the first part) a
  player stands that plays PART-HOLD-BACK behind the newest part it knows, against the same
  client without parts (blocking on whole segments, HOLD-BACK of three target durations);
- 1000 clients parked on one next part: the spread of their answers after its publication.

Usage: llhls_client.py REEL PORT LIBRARY INPUT
"""
import asyncio, json, os, re, statistics, subprocess, sys, time

if sys.argv[1] == "--waiters":
    PORT = int(sys.argv[2])
    REEL = LIBRARY = INPUT = None
else:
    REEL, PORT, LIBRARY, INPUT = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
NAME = "llbench"
PLAYLIST = f"/hls/{NAME}/copy/index.m3u8"
DIRECTORY = os.path.join(LIBRARY, NAME, "copy") if LIBRARY else None


async def get(target):
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    writer.write(f"GET {target} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body.decode(), time.time()


def parse(text):
    """(segments listed, parts listed of the segment being written, media end of all that is
    listed, media end of the complete segments, PART-HOLD-BACK, the last part's URI)"""
    segments, segments_end, pending, last_part = 0, 0.0, [], None
    for line in text.splitlines():
        if line.startswith("#EXTINF:"):
            # The parts listed since the previous segment were this segment's.
            segments += 1
            segments_end += float(line[8:].split(",")[0])
            pending = []
        elif line.startswith("#EXT-X-PART:"):
            pending.append(float(re.search(r"DURATION=([\d.]+)", line).group(1)))
            last_part = re.search(r'URI="([^"]+)"', line).group(1)
    hold = re.search(r"PART-HOLD-BACK=([\d.]+)", text)
    return segments, len(pending), segments_end + sum(pending), segments_end, float(hold.group(1)) if hold else 0.0, last_part


async def low_latency_client(samples, stop):
    while not stop.is_set():
        status, body, _ = await get(PLAYLIST)
        if status == 200 and "#EXT-X-PART-INF" in body:
            break
        await asyncio.sleep(0.05)
    msn, part, _, _, _, _ = parse(body)
    while not stop.is_set():
        status, body, received = await get(f"{PLAYLIST}?_HLS_msn={msn}&_HLS_part={part}")
        if status != 200 or "#EXT-X-ENDLIST" in body:
            break
        segments, parts, listed_end, _, hold, last_part = parse(body)
        published = os.stat(os.path.join(DIRECTORY, last_part)).st_mtime_ns / 1e9
        samples.append((received, published, listed_end, hold))
        msn, part = segments, parts


async def segment_client(samples, stop):
    msn = None
    while not stop.is_set():
        target = PLAYLIST if msn is None else f"{PLAYLIST}?_HLS_msn={msn}"
        status, body, received = await get(target)
        if status != 200 or "#EXT-X-ENDLIST" in body:
            if msn is None and not stop.is_set():
                await asyncio.sleep(0.05)
                continue
            break
        segments, _, _, segments_end, _, _ = parse(body)
        if segments:
            samples.append((received, segments_end, 3 * int(re.search(r"TARGETDURATION:(\d+)", body).group(1))))
        msn = segments


async def first_byte(target):
    """The wall time the answer's first byte arrived, and its status."""
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    writer.write(f"GET {target} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    first = await reader.read(1)
    arrived = time.time()
    rest = await reader.read()
    writer.close()
    return arrived, int((first + rest).split(b" ")[1])


async def waiters(target, count):
    """`count` connections parked on `target`; prints the arrival times (one process of several,
    so reading 1000 answers is not one Python loop's work)."""
    answers = await asyncio.gather(*[first_byte(target) for _ in range(count)])
    print(json.dumps(answers))


async def parked(count):
    """Whether `count` requests are parked now (the server's gauge)."""
    _, metrics, _ = await get("/metrics")
    found = re.search(r"^reel_hls_blocking_reloads_waiting ([\d.]+)", metrics, re.M)
    return found is not None and float(found.group(1)) >= count


async def thousand_waiters(results, processes=4):
    status, body, _ = await get(PLAYLIST)
    msn, part, _, _, _, _ = parse(body)
    # The first part of the segment after the one being written (0.5 to 2 s away): every
    # request is parked, starting four processes included, before it lands.
    msn, part = msn + 1, 0
    target = f"{PLAYLIST}?_HLS_msn={msn}&_HLS_part={part}"
    runs = [await asyncio.create_subprocess_exec(sys.executable, __file__, "--waiters", str(PORT), target, str(1000 // processes),
                                                 stdout=asyncio.subprocess.PIPE) for _ in range(processes)]
    deadline = time.time() + 10
    while not await parked(1000) and time.time() < deadline:
        await asyncio.sleep(0.01)
    results["parked"] = await parked(1000)
    answers = []
    for run in runs:
        output, _ = await run.communicate()
        answers += json.loads(output)
    results["statuses"] = sorted({status for _, status in answers})
    results["times"] = [arrived for arrived, _ in answers]
    # What released them: that part's file, or the whole segment when it ended with fewer parts.
    part_file = f"seg-{msn:05d}.{part}.m4s"
    results["part"] = part_file if os.path.exists(os.path.join(DIRECTORY, part_file)) else f"seg-{msn:05d}.m4s"


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        return int(next(line for line in status if line.startswith("VmRSS")).split()[1]) / 1024


async def main():
    server_pid = int(os.environ["SERVER_PID"])
    ingest = subprocess.Popen([REEL, "ingest", INPUT, "--library", LIBRARY, "--name", NAME, "--segment-duration", "2",
                               "--part-duration", "0.5", "--realtime", "--force", "--progress", "never"])
    stop = asyncio.Event()
    ll, plain, crowd = [], [], {}
    clients = [asyncio.create_task(low_latency_client(ll, stop)), asyncio.create_task(segment_client(plain, stop))]
    await asyncio.sleep(30)
    peak = rss_mb(server_pid)
    crowd_task = asyncio.create_task(thousand_waiters(crowd))
    while not crowd_task.done():
        peak = max(peak, rss_mb(server_pid))
        await asyncio.sleep(0.05)
    while ingest.poll() is None:
        await asyncio.sleep(0.2)
    stop.set()
    await asyncio.wait(clients, timeout=10)

    first_received, first_published, first_end, _ = ll[0]
    latencies = [received - published for received, published, _, _ in ll]
    lags = [(published - first_published) - (end - first_end) for _, published, end, _ in ll]
    distance = [(received - first_published + first_end) - end + hold for received, _, end, hold in ll]
    plain_distance = [(received - first_published + first_end) - end + hold for received, end, hold in plain]
    crowd_published = os.stat(os.path.join(DIRECTORY, crowd["part"])).st_mtime_ns / 1e9 if crowd.get("part") else None
    spread = [t - crowd_published for t in crowd["times"]] if crowd_published else []

    def ms(values):
        return f"p50 {statistics.median(values) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"

    print(f"parts delivered to the blocked client: {len(ll)}")
    print(f"publication latency (part renamed into place -> blocked client has it): {ms(latencies)}")
    print(f"ingest lag of a part's publication beyond its media time, relative to the first part: {ms(lags)}")
    print(f"live distance, LL client playing PART-HOLD-BACK behind its newest part: p50 {statistics.median(distance):.2f} s, max {max(distance):.2f} s")
    print(f"live distance, same client on whole segments (HOLD-BACK 3 target durations): p50 {statistics.median(plain_distance):.2f} s, max {max(plain_distance):.2f} s")
    print(f"1000 clients parked on one part (all parked before it landed: {crowd['parked']}): statuses {crowd['statuses']}, answered {ms(spread) if spread else 'n/a'} after its publication (first {min(spread) * 1000:.1f} ms)")
    print(f"reel serve peak RSS while they waited: {peak:.0f} MB")
    print(f"ingest exit status: {ingest.returncode}")


if sys.argv[1] == "--waiters":
    asyncio.run(waiters(sys.argv[3], int(sys.argv[4])))
else:
    asyncio.run(main())
