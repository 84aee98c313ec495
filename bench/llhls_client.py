#!/usr/bin/env python3
"""bench/llhls_client: Low-Latency HLS clients against `reel serve` while `reel ingest
--realtime --part-duration` runs (started here, so both share one clock).

Measures, over the whole input:
- publication latency: from a part's file being renamed into place (its mtime) to a client
  blocked on that part (`_HLS_msn`/`_HLS_part`) having the playlist that lists it;
- live distance: how far behind the live edge (wall-clock media time since the first part) a
  player stands that plays PART-HOLD-BACK behind the newest part it knows, against the same
  client without parts (blocking on whole segments, HOLD-BACK of three target durations);
- 1000 clients parked on one next part: the spread of their answers after its publication;
- then, with the same input as MPEG-TS fed to `reel ingest -` at 1x by a feeder here that notes
  when each picture's last byte entered the ingest's standard input: the latency from a part's
  last picture entering the ingest to the client blocked on that part having it.

Usage: llhls_client.py REEL PORT LIBRARY INPUT TS_INPUT
"""
import asyncio, bisect, json, os, re, statistics, subprocess, sys, threading, time

if sys.argv[1] == "--waiters":
    PORT = int(sys.argv[2])
    REEL = LIBRARY = INPUT = None
else:
    REEL, PORT, LIBRARY, INPUT, TS_INPUT = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
NAME = "llbench"
PLAYLIST = f"/hls/{NAME}/copy/index.m3u8"
DIRECTORY = os.path.join(LIBRARY, NAME, "copy") if LIBRARY else None
FEED_NAME = "llfeed"
FEED_PLAYLIST = f"/hls/{FEED_NAME}/copy/index.m3u8"
FRAME = 0.04  # 25 fps


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


async def low_latency_client(samples, stop, playlist=PLAYLIST, directory=DIRECTORY):
    while not stop.is_set():
        status, body, _ = await get(playlist)
        if status == 200 and "#EXT-X-PART-INF" in body:
            break
        await asyncio.sleep(0.05)
    msn, part, _, _, _, _ = parse(body)
    while not stop.is_set():
        status, body, received = await get(f"{playlist}?_HLS_msn={msn}&_HLS_part={part}")
        if status != 200 or "#EXT-X-ENDLIST" in body:
            break
        segments, parts, listed_end, _, hold, last_part = parse(body)
        published = os.stat(os.path.join(directory, last_part)).st_mtime_ns / 1e9
        samples.append((received, published, listed_end, hold, last_part))
        msn, part = segments, parts


async def segment_client(samples, stop, playlist=PLAYLIST):
    msn = None
    while not stop.is_set():
        target = playlist if msn is None else f"{playlist}?_HLS_msn={msn}"
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


def pictures(path):
    """The MPEG-TS file cut before each video PES (one per picture, as ffmpeg's muxer writes
    them): [(decode time in seconds, bytes up to the next picture)], the first with what leads it."""
    data = open(path, "rb").read()
    starts, times = [], []
    for offset in range(0, len(data) - 187, 188):
        packet = data[offset:offset + 188]
        if packet[0] != 0x47 or not packet[1] & 0x40:
            continue
        payload = 4 + (1 + packet[4] if packet[3] & 0x20 else 0)
        pes = packet[payload:]
        if pes[:3] != b"\x00\x00\x01" or not 0xE0 <= pes[3] <= 0xEF:
            continue
        # PTS_DTS_flags 3: a DTS follows the PTS, and pictures are fed in decode order.
        field = pes[14:19] if pes[7] >> 6 == 3 else pes[9:14]
        stamp = ((field[0] >> 1) & 7) << 30 | field[1] << 22 | (field[2] >> 1) << 15 | field[3] << 7 | field[4] >> 1
        starts.append(offset)
        times.append(stamp / 90000)
    starts[0] = 0
    ends = starts[1:] + [len(data)]
    return [(times[i], data[starts[i]:ends[i]]) for i in range(len(starts))]


def boxes(data, offset=0, end=None):
    """(type, payload start, payload end) of the ISO-BMFF boxes in data[offset:end]."""
    end = len(data) if end is None else end
    while offset + 8 <= end:
        size, kind = int.from_bytes(data[offset:offset + 4], "big"), data[offset + 4:offset + 8].decode("latin-1")
        yield kind, offset + 8, offset + size
        offset += size


def video_timescale(init_path):
    """The first track's (the video's) timescale, from its mdhd."""
    data = open(init_path, "rb").read()
    moov = next((b, e) for kind, b, e in boxes(data) if kind == "moov")
    trak = next((b, e) for kind, b, e in boxes(data, *moov) if kind == "trak")
    mdia = next((b, e) for kind, b, e in boxes(data, *trak) if kind == "mdia")
    mdhd = next(b for kind, b, e in boxes(data, *mdia) if kind == "mdhd")
    at = mdhd + (20 if data[mdhd] == 1 else 12)
    return int.from_bytes(data[at:at + 4], "big")


def video_samples(part_path):
    """(the decode time of the part's first video sample, in the track's timescale, and how many
    video samples it holds): tfdt and trun of each fragment's track-1 traf."""
    data, start, count = open(part_path, "rb").read(), None, 0
    for kind, b, e in boxes(data):
        if kind != "moof":
            continue
        for traf_kind, tb, te in boxes(data, b, e):
            if traf_kind != "traf":
                continue
            children = {k: (cb, ce) for k, cb, ce in boxes(data, tb, te)}
            if int.from_bytes(data[children["tfhd"][0] + 4:children["tfhd"][0] + 8], "big") != 1:
                continue
            tfdt = children["tfdt"][0]
            decode = int.from_bytes(data[tfdt + 4:tfdt + (12 if data[tfdt] == 1 else 8)], "big")
            start = decode if start is None else start
            count += int.from_bytes(data[children["trun"][0] + 4:children["trun"][0] + 8], "big")
    return start, count


def feed(ingest, chunks, fed):
    """Writes picture i at its decode time after the first (1x, like a live encoder) and notes
    when its last byte was taken by the ingest."""
    began, first = time.time(), chunks[0][0]
    for decode_time, chunk in chunks:
        delay = began + (decode_time - first) - time.time()
        if delay > 0:
            time.sleep(delay)
        ingest.stdin.write(chunk)
        ingest.stdin.flush()
        fed.append(time.time())
    ingest.stdin.close()


async def fed_latency():
    """The MPEG-TS input fed to `reel ingest -` at 1x. For each part the blocked client receives:
    the time since that part's last picture (in decode order) entered the ingest, and how far
    behind the live edge (the newest picture fed) a player stands that plays PART-HOLD-BACK
    behind that part's end; the same distance for the client on whole segments (from the
    playlist's durations, whose first segment also covers the audio's lead of a few
    milliseconds). Which pictures a part holds follows from its fragments' decode times and
    sample counts (25 fps; the input starts with a keyframe, so the ingest's first picture is
    the feeder's)."""
    chunks = pictures(TS_INPUT)
    ingest = subprocess.Popen([REEL, "ingest", "-", "--library", LIBRARY, "--name", FEED_NAME, "--segment-duration", "2",
                               "--part-duration", "0.5", "--force", "--progress", "never"], stdin=subprocess.PIPE)
    fed, ll, plain, stop = [], [], [], asyncio.Event()
    feeder = threading.Thread(target=feed, args=(ingest, chunks, fed))
    feeder.start()
    await asyncio.gather(low_latency_client(ll, stop, FEED_PLAYLIST, os.path.join(LIBRARY, FEED_NAME, "copy")),
                         segment_client(plain, stop, FEED_PLAYLIST))
    while ingest.poll() is None:
        await asyncio.sleep(0.2)
    feeder.join()

    def edge(received):
        """Media time of the newest picture fed by `received`."""
        return bisect.bisect_right(fed, received) * FRAME

    directory = os.path.join(LIBRARY, FEED_NAME, "copy")
    timescale = video_timescale(os.path.join(directory, "init.mp4"))
    first, _ = video_samples(os.path.join(directory, "seg-00000.0.m4s"))

    def last_picture(part):
        """The feeder's index of the part's last picture in decode order."""
        start, count = video_samples(os.path.join(directory, part))
        return round((start - first) / timescale / FRAME) + count - 1

    # Past the probing at the start (the ingest reads ahead before its first picture).
    latencies = [received - fed[last_picture(part)] for received, _, end, _, part in ll if end >= 5]
    distance = [edge(received) - ((last_picture(part) + 1) * FRAME - hold) for received, _, end, hold, part in ll if end >= 5]
    plain_distance = [edge(received) - (end - hold) for received, end, hold in plain if end >= 5]
    return latencies, distance, plain_distance, ingest.returncode


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

    _, first_published, first_end, _, _ = ll[0]
    latencies = [received - published for received, published, _, _, _ in ll]
    distance = [(received - first_published + first_end) - end + hold for received, _, end, hold, _ in ll]
    plain_distance = [(received - first_published + first_end) - end + hold for received, end, hold in plain]
    crowd_published = os.stat(os.path.join(DIRECTORY, crowd["part"])).st_mtime_ns / 1e9 if crowd.get("part") else None
    spread = [t - crowd_published for t in crowd["times"]] if crowd_published else []

    def ms(values):
        return f"p50 {statistics.median(values) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"

    print(f"parts delivered to the blocked client: {len(ll)}")
    print(f"publication latency (part renamed into place -> blocked client has it): {ms(latencies)}")
    print(f"live distance, LL client playing PART-HOLD-BACK behind its newest part: p50 {statistics.median(distance):.2f} s, max {max(distance):.2f} s")
    print(f"live distance, same client on whole segments (HOLD-BACK 3 target durations): p50 {statistics.median(plain_distance):.2f} s, max {max(plain_distance):.2f} s")
    print(f"1000 clients parked on one part (all parked before it landed: {crowd['parked']}): statuses {crowd['statuses']}, answered {ms(spread) if spread else 'n/a'} after its publication (first {min(spread) * 1000:.1f} ms)")
    print(f"reel serve peak RSS while they waited: {peak:.0f} MB")
    print(f"ingest exit status: {ingest.returncode}")

    latencies, distance, plain_distance, status = await fed_latency()
    print(f"fed at 1x to reel ingest - ({len(latencies)} parts after the first 5 s):")
    print(f"  publication latency (a part's last picture enters the ingest -> blocked client has the part): {ms(latencies)}")
    print(f"  live distance behind the newest picture fed, LL client playing PART-HOLD-BACK behind its newest part: "
          f"p50 {statistics.median(distance):.2f} s, max {max(distance):.2f} s")
    print(f"  the same on whole segments (HOLD-BACK 3 target durations): p50 {statistics.median(plain_distance):.2f} s, "
          f"max {max(plain_distance):.2f} s")
    print(f"ingest (standard input) exit status: {status}")


if sys.argv[1] == "--waiters":
    asyncio.run(waiters(sys.argv[3], int(sys.argv[4])))
else:
    asyncio.run(main())
