#!/usr/bin/python3
"""Reel's web page in a real browser: headless Chromium driven through chromedriver by Selenium.

Run by `make test-browser` (and so by `make test`):

    /usr/bin/python3 Tests/Browser/page_test.py --reel .build/debug/reel --artifacts .build/browser-artifacts

It ingests the fixtures into a fresh library (fMP4, MPEG-TS and a 360p,240p ladder), puts
source MP4s into a media folder, starts `reel serve --watch` on a free port and checks, in the
page: the lists; that each kind of asset and a source file play (video.currentTime passes 3 s);
a seek in the source file; the copy button; that an ingest in progress and a watch-folder drop
show up without a reload; complete presentations dropped into the watch folder (three audio
languages; three subtitle tracks, one forced; HDR PQ): their rows, playback, and the audio and
subtitle choices against what Chromium exposes on the <video> (printed: `video.audioTracks`,
`video.textTracks`), also with Blink's AudioVideoTracks feature on, where choosing another
language must switch renditions; the empty library; and, over the whole run, no console errors.
It writes screenshots of the page to the artefacts folder and prints one line per check, then
`browser: N passed, N failed`. The server and the browser are always stopped.

Debian's /usr/bin/python3 on purpose: Selenium comes from Debian's python3-selenium, which
installs into that interpreter's dist-packages (another python3 may come first on PATH).
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
# A name with HTML and URL metacharacters: it must show as text and play.
AWKWARD_NAME = "clip <b>&amp; 'quoted' \"x\" #1?.mp4"
PLAY_TIMEOUT = 30.0
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--autoplay-policy=no-user-gesture-required",
    "--window-size=1280,900",
]
# Exposes video.audioTracks (off by default in Chromium): native HLS then lists the audio renditions.
AUDIO_VIDEO_TRACKS = "--enable-blink-features=AudioVideoTracks"
# Dropped into the watch folder: asset name -> fixture. Default options (copy): every audio track
# and every text subtitle track reaches the presentation.
PRESENTATIONS = {"two-languages": "two-languages.mp4", "subtitles": "subtitles.mkv", "hdr-pq": "hdr-pq.mp4"}
# What the page and the script know of the <video>'s tracks, and what the page offers.
TRACKS_PROBE = """
const v = document.getElementById('video');
const shown = (id) => !document.getElementById(`${id}-choice`).hidden;
const options = (id) => [...document.getElementById(id).options].map((option) => option.text);
const note = document.getElementById('tracks-note');
return {
  audioTracks: v.audioTracks === undefined ? null
    : [...v.audioTracks].map((t) => ({ label: t.label, language: t.language, kind: t.kind, enabled: t.enabled })),
  textTracks: [...v.textTracks].map((t) => ({ label: t.label, language: t.language, kind: t.kind, mode: t.mode })),
  audioChoice: shown('audio-track') ? options('audio-track') : null,
  textChoice: shown('text-track') ? options('text-track') : null,
  note: note.hidden ? null : note.textContent,
};
"""


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`reel serve` on a free port, its access log (info level) kept in a file."""

    def __init__(self, reel, library, media, log, extra=()):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        with open(log, "wb") as output:
            self.process = subprocess.Popen(
                [reel, "serve", "--library", library, "--media", media, "--port", str(self.port), "--log-level", "info", *extra],
                stdout=output, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"reel serve exited {self.process.returncode}: {Path(log).read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("reel serve did not start listening")

    def access_log(self):
        return Path(self.log).read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Browser:
    """Headless Chromium; keeps every console message of the run, tagged with its check."""

    def __init__(self, artifacts, flags=(), log="chromedriver.log"):
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in [*CHROMIUM_FLAGS, *flags]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service("/usr/bin/chromedriver", log_path=str(Path(artifacts) / log))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.console = []

    def open(self, url):
        """Loads `url`; a Reel page is ready once its first poll has answered (its rows may
        be rebuilt until then)."""
        self.driver.get(url)
        if url.startswith("http"):
            self.wait("the page's first poll", "const live = document.getElementById('live'); return live && live.textContent === 'live';", 10)

    def js(self, script, *arguments):
        return self.driver.execute_script(script, *arguments)

    def wait(self, description, script, timeout=PLAY_TIMEOUT, state=None):
        """Polls `script` (a JS expression's body returning truthy) until it holds."""
        deadline = time.monotonic() + timeout
        while True:
            if self.js(script):
                return
            if time.monotonic() > deadline:
                detail = f" ({self.js(state)})" if state else ""
                raise CheckFailed(f"{description}: not within {timeout:.0f} s{detail}")
            time.sleep(0.1)

    def wait_playing_past(self, seconds, timeout=PLAY_TIMEOUT):
        self.wait(
            f"video.currentTime > {seconds}",
            f"const v = document.getElementById('video'); return v.currentTime > {seconds} && !v.seeking;",
            timeout,
            state="const v = document.getElementById('video'); return `currentTime ${v.currentTime}, readyState ${v.readyState}, "
                  "networkState ${v.networkState}, error ${v.error && v.error.code} ${v.error && v.error.message}, "
                  "note ${document.getElementById('player-note').textContent}, src ${v.currentSrc}`;",
        )

    def collect_console(self, check):
        for entry in self.driver.get_log("browser"):
            self.console.append((check, entry))

    def screenshot(self, path, width, height):
        self.driver.set_window_size(width, height)
        self.driver.save_screenshot(str(path))

    def quit(self):
        self.driver.quit()


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def ingest(reel, library, source, name, *options):
    """None when the ingest succeeded, else why it did not."""
    result = run([reel, "ingest", str(source), "--library", library, "--name", name, "--progress", "never", *options])
    if result.returncode != 0:
        return f"reel ingest {' '.join(map(str, [source.name, '--name', name, *options]))} exited {result.returncode}: {result.stderr.strip()}"
    return None


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def track_name(track):
    """A track as the page names it: its playlist NAME, else its language, else its rendition."""
    return track.get("title") or track.get("language") or track["name"]


def tracks_line(asset):
    """The asset row's tracks line, as IndexPage and the script write it."""
    parts = []
    if asset["audio"]:
        parts.append("Audio: " + ", ".join(track_name(track) for track in asset["audio"]))
    if asset["subtitles"]:
        parts.append("Subtitles: " + ", ".join(track_name(track) + (" (forced)" if track["forced"] else "") for track in asset["subtitles"]))
    return " · ".join(parts)


def interrupted(signum, frame):
    raise KeyboardInterrupt()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reel", required=True, help="the reel binary")
    parser.add_argument("--artifacts", required=True, help="folder for screenshots and logs")
    arguments = parser.parse_args()
    reel = str(Path(arguments.reel).resolve())
    artifacts = Path(arguments.artifacts)
    artifacts.mkdir(parents=True, exist_ok=True)
    # SIGTERM (a CI timeout, make interrupted) unwinds like Ctrl-C, through the finally below.
    signal.signal(signal.SIGTERM, interrupted)

    scratch = Path(tempfile.mkdtemp(prefix="reel-browser-"))
    library, media, watch, empty = (str(scratch / name) for name in ("library", "media", "watch", "empty"))
    for folder in (media, watch, empty):
        os.makedirs(folder)
    started = time.monotonic()
    ingest_failures = {}
    for name, options in [
        ("fmp4", ["--segment-duration", "2"]),
        ("ts", ["--format", "ts", "--segment-duration", "2"]),
        ("ladder", ["--renditions", "360p,240p", "--segment-duration", "2"]),
        ("encrypted", ["--segment-duration", "2", "--encrypt", "aes-128", "--key-rotation", "2"]),
        ("encrypted-ts", ["--format", "ts", "--segment-duration", "2", "--encrypt", "aes-128", "--key-rotation", "2"]),
    ]:
        failure = ingest(reel, library, FIXTURES / "h264-aac.mp4", name, *options)
        if failure:
            ingest_failures[name] = failure
    shutil.copy(FIXTURES / "h264-aac-30s.mp4", Path(media) / "h264-aac-30s.mp4")
    shutil.copy(FIXTURES / "h264-aac.mp4", Path(media) / AWKWARD_NAME)
    print(f"browser: library ready in {time.monotonic() - started:.1f} s ({scratch})", flush=True)

    results = []
    server = browser = None
    background = []
    try:
        server = Server(reel, library, media, str(artifacts / "serve.log"), extra=["--watch", watch])
        browser = Browser(artifacts)
        base = server.base

        def check_lists():
            browser.open(base + "/")
            ingested = [name for name in ("fmp4", "ts", "ladder", "encrypted", "encrypted-ts") if name not in ingest_failures]
            for name in ingested:
                row = f"document.querySelector('tr[data-asset=\"{name}\"]')"
                browser.wait(f"row of {name}", f"const r = {row}; return r && r.querySelector('.state-ready') && r.textContent.includes('0:10');")
            rows = browser.js("return [...document.querySelectorAll('#assets tbody tr')].map((r) => r.dataset.asset);")
            expect(rows == sorted(ingested), f"asset rows {rows}, expected {sorted(ingested)}")
            codecs = browser.js("return document.querySelector('tr[data-asset=\"fmp4\"] .codecs').textContent;")
            expect("avc1.64001e" in codecs and "mp4a.40.2" in codecs, f"fmp4 codecs shown as {codecs!r}")
            files = browser.js("return [...document.querySelectorAll('#media tbody tr')].map((r) => [r.querySelector('a').textContent, r.cells[2].textContent]);")
            expect(sorted(files) == sorted([[AWKWARD_NAME, "0:10"], ["h264-aac-30s.mp4", "0:24"]]), f"media rows {files}")
            expect(browser.js("return document.querySelectorAll('#media b').length;") == 0, "a file name became markup")
            # A known message, so the console check below is seen to hear the console at all.
            browser.js("console.warn('reel-browser-test: console capture');")

        def check_fmp4():
            browser.open(base + "/?asset=fmp4")
            browser.wait_playing_past(3)
            url = browser.js("return document.getElementById('player-url').value;")
            expect(url == base + "/hls/fmp4/master.m3u8", f"playlist URL shown as {url!r}")
            rendition = browser.js("return document.getElementById('rendition').textContent;")
            expect(rendition == "copy · 640x360", f"rendition shown as {rendition!r}")

        def check_ts():
            # Chosen in the page: played in place, no reload, the address follows.
            browser.js("window.reelMarker = 'same page';")
            browser.driver.find_element(By.CSS_SELECTOR, "a.play[data-key='ts']").click()
            browser.wait_playing_past(3)
            src = browser.js("return document.getElementById('video').currentSrc;")
            expect(src == base + "/hls/ts/master.m3u8", f"playing {src}")
            expect(browser.js("return window.reelMarker;") == "same page", "the page reloaded")
            expect(browser.js("return location.search;") == "?asset=ts", "the address did not follow")

        def check_ladder():
            expect("ladder" not in ingest_failures, ingest_failures.get("ladder"))
            browser.open(base + "/?asset=ladder")
            browser.wait_playing_past(3)
            rendition = browser.js("return document.getElementById('rendition').textContent;")
            expect(rendition.startswith(("360p", "240p")), f"rendition shown as {rendition!r}")

        def check_encrypted():
            # AES-128 (--encrypt) TS, a new key every 2 segments of 2 s: playing past 5 s fetches
            # the second key, which the access log shows. Chromium's native HLS does not play
            # AES-128 fMP4 (it fetches the key and the first segment, then stops with
            # DEMUXER_ERROR_COULD_NOT_PARSE, also for the RFC's plainest form: one key, no IV,
            # which ffmpeg plays): the page must say playback stopped, not spin.
            expect("encrypted-ts" not in ingest_failures, ingest_failures.get("encrypted-ts"))
            browser.open(base + "/?asset=encrypted-ts")
            badge = browser.js("const b = document.querySelector('tr[data-asset=\"encrypted-ts\"] .format.encrypted'); return b && b.textContent;")
            expect(badge == "AES-128", f"encrypted-ts badge shown as {badge!r}")
            expect(get_json(base + "/api/assets/encrypted-ts").get("encryption") == "aes-128", "the API does not say encrypted-ts is encrypted")
            browser.wait_playing_past(5)
            for key in ("key-00000.key", "key-00001.key"):
                expect(f"/hls/encrypted-ts/copy/{key}" in server.access_log(), f"encrypted-ts: {key} was never fetched")
            expect("encrypted" not in ingest_failures, ingest_failures.get("encrypted"))
            browser.open(base + "/?asset=encrypted")
            browser.wait("the page says why encrypted fMP4 does not play", "return document.getElementById('player-note').textContent.includes('Playback stopped');")
            print("browser: Chromium on encrypted fMP4: " + browser.js("return document.getElementById('player-note').textContent;"), flush=True)

        def check_source_seek():
            browser.open(base + "/?media=h264-aac-30s.mp4")
            browser.wait_playing_past(1)
            browser.js("document.getElementById('video').currentTime = 16;")
            browser.wait_playing_past(18)
            position = browser.js("return document.getElementById('video').currentTime;")
            expect(position < 24, f"currentTime {position} after seeking to 16")
            expect(" /media/h264-aac-30s.mp4 206 " in server.access_log(), "no range request (206) for the source file")

        def check_awkward_name():
            browser.open(base + "/")
            link = browser.driver.find_element(By.CSS_SELECTOR, "#media a.play[data-key*='quoted']")
            expect(link.text == AWKWARD_NAME, f"link text {link.text!r}")
            link.click()
            browser.wait_playing_past(3)
            title = browser.js("return document.getElementById('player-title').textContent;")
            expect(title == AWKWARD_NAME, f"player title {title!r}")

        def check_copy():
            browser.driver.find_element(By.ID, "copy-url").click()
            browser.wait("copy button says Copied", "return document.getElementById('copy-url').textContent === 'Copied';", 5)

        def check_live_updates():
            browser.open(base + "/")
            browser.js("window.reelMarker = 'same page';")
            # An ingest at 1x speed shows as ingesting (the pulsing indicator) and then ready;
            # a file dropped into the watch folder is ingested and listed, and its source joins
            # the media files. All without a reload.
            background.append(subprocess.Popen(
                [reel, "ingest", str(FIXTURES / "h264-aac.mp4"), "--library", library, "--name", "live", "--realtime", "--progress", "never"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))
            browser.wait("live listed as ingesting", "return !!document.querySelector('tr[data-asset=\"live\"] .state-ingesting');", 15)
            shutil.copy(FIXTURES / "h264-aac.mp4", Path(watch) / ".dropped.mp4")
            os.rename(Path(watch) / ".dropped.mp4", Path(watch) / "dropped.mp4")
            browser.wait("dropped listed as ready", "return !!document.querySelector('tr[data-asset=\"dropped\"] .state-ready');", 60)
            browser.wait("dropped.mp4 in the media files", "return !!document.querySelector('tr[data-media=\"dropped.mp4\"]');", 30)
            browser.wait("live turns ready", "return !!document.querySelector('tr[data-asset=\"live\"] .state-ready');", 30)
            expect(background[-1].wait(timeout=10) == 0, "the realtime ingest failed")
            expect(browser.js("return window.reelMarker;") == "same page", "the page reloaded")

        def check_low_latency():
            # A Low-Latency ingest at 1x speed plays in the page while it runs. Chromium's native
            # HLS reads the parts' tags as unknown and plays the segments: the check records
            # which it fetched, for the README.
            background.append(subprocess.Popen(
                [reel, "ingest", str(FIXTURES / "h264-aac-30s.mp4"), "--library", library, "--name", "lowlatency", "--realtime",
                 "--segment-duration", "2", "--part-duration", "0.5", "--progress", "never"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))
            browser.open(base + "/")
            browser.wait("lowlatency listed as ingesting", "return !!document.querySelector('tr[data-asset=\"lowlatency\"] .state-ingesting');", 15)
            # Chromium's native HLS starts a live playlist three target durations from its end
            # and gives up (DEMUXER_ERROR_COULD_NOT_PARSE) on one shorter than that, with or
            # without parts: open the page once five segments are listed.
            browser.wait(
                "five segments of lowlatency listed",
                "const r = new XMLHttpRequest(); r.open('GET', '/hls/lowlatency/copy/index.m3u8', false); r.send();"
                " return r.status === 200 && (r.responseText.match(/#EXTINF/g) || []).length >= 5;",
                20,
            )
            browser.open(base + "/?asset=lowlatency")
            browser.wait_playing_past(3)
            expect(background[-1].poll() is None, "the ingest ended before the page played its asset")
            fetched = re.findall(r"/hls/lowlatency/copy/(seg-\d+(?:\.\d+)?\.m4s)", server.access_log())
            parts = [name for name in fetched if name.count(".") == 2]
            print(f"browser: Low-Latency asset: Chromium fetched {len(fetched) - len(parts)} segments and {len(parts)} parts while it ran", flush=True)
            expect(background[-1].wait(timeout=40) == 0, "the Low-Latency ingest failed")

        def drop_presentations():
            for fixture in PRESENTATIONS.values():
                shutil.copy(FIXTURES / fixture, Path(watch) / f".{fixture}")
                os.rename(Path(watch) / f".{fixture}", Path(watch) / fixture)
            browser.open(base + "/")
            for name in PRESENTATIONS:
                browser.wait(f"{name} listed as ready", f"return !!document.querySelector('tr[data-asset=\"{name}\"] .state-ready');", 90)

        def check_presentation_rows():
            drop_presentations()
            languages = get_json(f"{base}/api/assets/two-languages")
            audio = [track.get("language") or "und" for track in languages["audio"]]
            expect(sorted(audio) == ["en", "fr", "und"], f"two-languages audio languages {audio}")
            expect(sum(track["default"] for track in languages["audio"]) == 1, f"not one default audio: {languages['audio']}")
            subtitled = get_json(f"{base}/api/assets/subtitles")
            subtitles = sorted((track.get("language"), track["forced"]) for track in subtitled["subtitles"])
            expect(subtitles == [("de", False), ("en", False), ("fr", True)], f"subtitles {subtitled['subtitles']}")
            for asset in (languages, subtitled):
                shown = browser.js(f"const t = document.querySelector('tr[data-asset=\"{asset['name']}\"] .tracks'); return t && t.textContent;")
                expect(shown == tracks_line(asset), f"{asset['name']} tracks shown as {shown!r}, expected {tracks_line(asset)!r}")
            hdr = browser.js("const b = document.querySelector('tr[data-asset=\"hdr-pq\"] .hdr'); return b && b.textContent;")
            expect(hdr == "HDR PQ", f"hdr-pq shown as {hdr!r}")

        def expect_tracks_offered(asset, probe):
            """The page offers what the browser exposes, and says so in one line where it exposes none."""
            audio = probe["audioTracks"] or []
            subtitles = [track for track in probe["textTracks"] if track["kind"] in ("subtitles", "captions")]
            note = probe["note"] or ""
            if len(asset["audio"]) > 1 and len(audio) < 2:
                expect(probe["audioChoice"] is None and "audio languages" in note, f"{asset['name']}: no audio tracks exposed, yet {probe}")
            if len(audio) > 1:
                expect(probe["audioChoice"] == [track["label"] or track["language"] or f"Track {index + 1}" for index, track in enumerate(audio)],
                       f"{asset['name']}: audio choices {probe['audioChoice']} for tracks {audio}")
            if asset["subtitles"] and not subtitles:
                expect(probe["textChoice"] is None and "subtitles" in note, f"{asset['name']}: no text tracks exposed, yet {probe}")
            if subtitles:
                expect(probe["textChoice"] is not None and probe["textChoice"][0] == "Off", f"{asset['name']}: subtitle choices {probe['textChoice']}")

        def check_presentation_playback():
            for name in ("two-languages", "subtitles"):
                asset = get_json(f"{base}/api/assets/{name}")
                browser.open(f"{base}/?asset={name}")
                browser.wait_playing_past(3)
                probe = browser.js(TRACKS_PROBE)
                print(f"browser: Chromium on {name}: video.audioTracks {json.dumps(probe['audioTracks'])}, "
                      f"video.textTracks {json.dumps(probe['textTracks'])}; the page says {probe['note']!r}", flush=True)
                expect_tracks_offered(asset, probe)

        def check_audio_choice():
            # Chromium with video.audioTracks: its native HLS lists the renditions of the audio
            # group; choosing another in the page must make it fetch that rendition.
            asset = get_json(f"{base}/api/assets/two-languages")
            other = Browser(artifacts, flags=[AUDIO_VIDEO_TRACKS], log="chromedriver-tracks.log")
            try:
                other.open(f"{base}/?asset=two-languages")
                other.wait_playing_past(1)
                other.wait("audio choices offered", "return !document.getElementById('audio-track-choice').hidden;", 10)
                probe = other.js(TRACKS_PROBE)
                print(f"browser: Chromium {AUDIO_VIDEO_TRACKS}: video.audioTracks {json.dumps(probe['audioTracks'])}", flush=True)
                expect_tracks_offered(asset, probe)
                chosen = next(index for index, track in enumerate(probe["audioTracks"]) if not track["enabled"])
                rendition = next(track["name"] for track in asset["audio"] if track_name(track) == probe["audioChoice"][chosen])
                logged = len(server.access_log())
                Select(other.driver.find_element(By.ID, "audio-track")).select_by_value(str(chosen))
                other.wait("the chosen track enabled", f"return document.getElementById('video').audioTracks[{chosen}].enabled;", 5)
                deadline = time.monotonic() + 10
                while f" /hls/two-languages/{rendition}/" not in server.access_log()[logged:]:
                    expect(time.monotonic() < deadline, f"{rendition} not fetched after choosing it")
                    time.sleep(0.1)
                severe = [entry["message"] for entry in other.driver.get_log("browser") if entry["level"] == "SEVERE"]
                expect(not severe, "console errors: " + "; ".join(severe))
                other.open("about:blank")
            finally:
                other.quit()

        def check_screenshots():
            browser.open(base + ("/?asset=ladder" if "ladder" not in ingest_failures else "/?asset=fmp4"))
            browser.wait_playing_past(3)
            browser.js("document.getElementById('video').pause();")
            browser.screenshot(artifacts / "page.png", 1280, 1200)
            browser.screenshot(artifacts / "page-narrow.png", 420, 1400)
            browser.driver.set_window_size(1280, 900)

        def check_empty_library():
            other = Server(reel, empty, empty, str(artifacts / "serve-empty.log"))
            try:
                browser.open(other.base + "/")
                shown = browser.js("return [document.getElementById('assets-empty').hidden, document.getElementById('media-empty').hidden, "
                                   "document.getElementById('player').hidden];")
                expect(shown == [False, False, True], f"empty notes hidden / player hidden: {shown}")
                # Leave before the server goes: a poll to a stopped server is a console error.
                browser.open("about:blank")
            finally:
                other.stop()

        def check_signed_page():
            # reel serve --secret-file: the page opened with `reel sign /` lists the library and
            # plays an asset chosen in it, every URL it builds carrying its signature; without
            # one, the page and the playlists are 403.
            secret = Path(scratch) / "secret"
            secret.write_bytes(os.urandom(32))
            secret.chmod(0o600)
            signed = Server(reel, library, media, str(artifacts / "serve-signed.log"), extra=["--secret-file", str(secret)])
            try:
                for path in ("/", "/hls/fmp4/master.m3u8", "/api/assets"):
                    try:
                        urllib.request.urlopen(signed.base + path, timeout=10)
                        raise CheckFailed(f"{path} answered without a signature")
                    except urllib.error.HTTPError as error:
                        expect(error.code == 403, f"{path} unsigned: {error.code}")
                page = run([reel, "sign", "/", "--expires", "600", "--secret-file", str(secret)]).stdout.strip()
                browser.open(signed.base + page)
                browser.wait("the signed page lists fmp4", "return !!document.querySelector('tr[data-asset=\"fmp4\"] .state-ready');")
                browser.driver.find_element(By.CSS_SELECTOR, "a.play[data-key='fmp4']").click()
                browser.wait_playing_past(3)
                src = browser.js("return document.getElementById('video').currentSrc;")
                expect("/hls/fmp4/master.m3u8?" in src and "sig=" in src, f"playing {src}")
                # The three unsigned requests above, and nothing the page asked for.
                refused = [line for line in signed.access_log().splitlines() if " 403 " in line]
                expect(len(refused) == 3, "403s: " + "; ".join(refused))
                browser.open("about:blank")
            finally:
                signed.stop()

        def check_console():
            with open(artifacts / "console.txt", "w") as log:
                for check, entry in browser.console:
                    log.write(f"[{check}] {entry['level']} {entry['message']}\n")
            expect(any("reel-browser-test: console capture" in entry["message"] for _, entry in browser.console), "no console messages captured")
            severe = [(check, entry["message"]) for check, entry in browser.console if entry["level"] == "SEVERE"]
            expect(not severe, "console errors: " + "; ".join(f"[{check}] {message}" for check, message in severe))

        checks = [
            ("the page lists the ingested fixtures", check_lists),
            ("an fMP4 asset opened by its address plays past 3 s", check_fmp4),
            ("a TS asset chosen in the page plays past 3 s, in place", check_ts),
            ("a ladder asset (360p,240p) plays past 3 s", check_ladder),
            ("an encrypted TS asset (AES-128, rotating keys) plays past 5 s, keys fetched; encrypted fMP4 says why not", check_encrypted),
            ("a source MP4 plays, seeks to 16 s and plays on from there", check_source_seek),
            ("a file named with HTML and URL metacharacters is listed as text and plays", check_awkward_name),
            ("the copy button copies the URL", check_copy),
            ("an ingest and a watch-folder drop show up without a reload", check_live_updates),
            ("a Low-Latency ingest (--part-duration) plays in the page while it runs", check_low_latency),
            ("presentations dropped into the watch folder list their languages, subtitles and HDR", check_presentation_rows),
            ("they play past 3 s, with the choices Chromium exposes or one line saying so", check_presentation_playback),
            ("with AudioVideoTracks on, choosing another language switches renditions", check_audio_choice),
            ("screenshots", check_screenshots),
            ("an empty library", check_empty_library),
            ("a signed server's page (reel sign /) lists and plays, its URLs signed; unsigned gets 403", check_signed_page),
            ("no JavaScript console errors", check_console),
        ]
        for name, function in checks:
            check_started = time.monotonic()
            try:
                function()
                results.append((name, None))
            except CheckFailed as failure:
                results.append((name, str(failure)))
            except Exception as error:  # a WebDriver error, a crash: this check's failure
                line = next((frame.lineno for frame in reversed(traceback.extract_tb(error.__traceback__)) if frame.filename == __file__), "?")
                message = (getattr(error, "msg", None) or str(error) or "").splitlines()
                results.append((name, f"{type(error).__name__} at line {line}: {message[0] if message else ''}"))
            if name != "no JavaScript console errors":
                browser.collect_console(name)
            elapsed = time.monotonic() - check_started
            failure = results[-1][1]
            print(f"browser: {'ok  ' if failure is None else 'FAIL'} {name} ({elapsed:.1f} s){'' if failure is None else chr(10) + '      ' + failure}", flush=True)
    finally:
        if browser:
            # Leave the page first: its polls must not outlive the server as console noise.
            try:
                browser.open("about:blank")
            except Exception:
                pass
            browser.quit()
        for process in background:
            if process.poll() is None:
                process.kill()
                process.wait()
        if server:
            server.stop()
        shutil.rmtree(scratch, ignore_errors=True)

    failed = sum(1 for _, failure in results if failure is not None)
    print(f"browser: artefacts in {artifacts}/ ({time.monotonic() - started:.0f} s in all)")
    print(f"browser: {len(results) - failed} passed, {failed} failed")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
