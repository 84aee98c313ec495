# Reel: build, test, run and benchmark. `make test` and `make run` install what they need.

SWIFT       ?= swift
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT        ?= 8080
SAMPLE      ?= fixtures/h264-aac.mp4
RELEASE_BIN  = .build/release/reel

# Build: FFmpeg's and OpenSSL's development files. Tests: ffmpeg/ffprobe as the reference client, valgrind,
# curl, jq. Benchmarks: nginx, wrk, hyperfine, strace.
APT_PACKAGES := pkg-config libavformat-dev libavcodec-dev libavutil-dev libswscale-dev \
                libswresample-dev libssl-dev ffmpeg valgrind curl jq nginx wrk hyperfine strace
# Browser tests: Chromium (native HLS since 141) and its WebDriver, Selenium for Debian's
# /usr/bin/python3 (4.8 speaks W3C WebDriver, which chromedriver 156 needs; no pip, no venv),
# and a font for the screenshots.
BROWSER_PACKAGES := chromium chromium-driver python3-selenium fonts-dejavu-core

.PHONY: setup setup-browser build release test test-browser run bench fixtures leakcheck clean

# Installs those of the Debian packages $(1) that are missing; $(2) names them in messages.
define install-missing
	@missing=""; \
	for package in $(1); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "setup: all $(2) present"; \
	fi
endef

## setup: install the system packages the build, tests and benchmarks need (only the missing ones)
setup:
	$(call install-missing,$(APT_PACKAGES),system packages)

## setup-browser: install Chromium, chromedriver and Selenium for the browser tests (only the missing ones)
setup-browser:
	$(call install-missing,$(BROWSER_PACKAGES),browser test packages)

## build: debug build of everything, tests included
build: setup
	$(SWIFT) build --build-tests

## release: optimized build of the reel binary
release: setup
	$(SWIFT) build -c release --product reel --static-swift-stdlib

# Suites that measure latency or memory (blocking reloads answered within 100 ms, 1000 held
# requests under 82 MB, play-while-ingesting deadlines, connection timeouts): they run after
# the rest, one test at a time, so two busy cores do not turn a timing check into noise.
TIMED_SUITES := BlockingReloadTests|ConnectionLimitTests|ProgressiveServingTests|LadderProgressiveTests|LowLatencyIngestTests|LiveEncryptionIngestTests

## test: install, build and run every test suite, then the browser tests
test: build
	$(SWIFT) test --skip-build --skip '$(TIMED_SUITES)'
	$(SWIFT) test --skip-build --no-parallel --filter '$(TIMED_SUITES)'
	@$(MAKE) --no-print-directory test-browser

## test-browser: the web page in headless Chromium (lists, HLS and direct playback, seeking, live
## updates, console errors) against `reel serve` on a fresh library; screenshots in .build/browser-artifacts/
test-browser: setup setup-browser
	$(SWIFT) build --product reel
	/usr/bin/python3 Tests/Browser/page_test.py --reel .build/debug/reel --artifacts .build/browser-artifacts

## run: build, ingest the sample fixture into ./library (and copy it into ./media), serve it
run: release
	@mkdir -p media library
	@cp -f $(SAMPLE) media/
	$(RELEASE_BIN) ingest $(SAMPLE) --library library --name sample --force
	$(RELEASE_BIN) validate library/sample
	@echo "open http://127.0.0.1:$(PORT)/?asset=sample  (Ctrl-C stops the server)"
	$(RELEASE_BIN) serve --library library --media media --port $(PORT)

## bench: benchmarks against ffmpeg and nginx (never part of `make test`)
bench: release
	@if [ -d bench ] && ls bench/*.sh >/dev/null 2>&1; then \
	  for script in bench/*.sh; do bash $$script || exit 1; done; \
	else echo "bench: no benchmarks yet"; fi

## fixtures: regenerate the committed test media with ffmpeg's lavfi sources
fixtures: setup
	bash fixtures/make-fixtures.sh

## leakcheck: valgrind memcheck over reel probe and ingest on good and bad inputs
# valgrind 3.19 cannot read Swift's DWARF 5, so it checks a copy without debug sections.
leakcheck: build
	@objcopy --strip-debug .build/debug/reel /tmp/reel-leakcheck
	@for input in fixtures/h264-aac.mp4 fixtures/hevc-aac.mp4 fixtures/empty.mp4 fixtures/truncated.mp4; do \
	  valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    /tmp/reel-leakcheck probe $$input >/dev/null 2>&1; [ $$? -ne 99 ] || { echo "leak: probe $$input"; exit 1; }; \
	  valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    /tmp/reel-leakcheck ingest $$input --library /tmp/reel-leakcheck-library --force --progress never >/dev/null 2>&1; \
	  [ $$? -ne 99 ] || { echo "leak: ingest $$input"; exit 1; }; \
	done; rm -rf /tmp/reel-leakcheck /tmp/reel-leakcheck-library; echo "leakcheck: no leaks"

clean:
	rm -rf .build library media bench/out
