/// The page's script, served as `/static/reel.js`.
///
/// It plays a selection in place (no reload; the address bar follows), shows the playlist URL
/// with a copy button and the rendition playing, and polls `/api/assets` and `/api/media` so a
/// new or growing asset shows up by itself: every second while something is ingesting, every
/// two seconds otherwise, and not at all while the page is hidden. Polling rather than
/// server-sent events: a held event stream would keep `reel serve` from finishing its
/// in-flight responses at SIGTERM.
///
/// HLS plays through the browser's own support (Safari; Chromium 141+ on desktop): no
/// JavaScript player is bundled. Audio and subtitle choices are offered where the browser
/// exposes the tracks on the `<video>` (`audioTracks`, `textTracks`); where it exposes none of
/// an asset's languages or subtitles, one line says so. Rows are built as `IndexPage` builds
/// them, with DOM calls only, so library names and paths are always text, never markup.
enum PageScript {
    static let source = #"""
        'use strict';
        (() => {
          const $ = (id) => document.getElementById(id);
          const video = $('video');
          const player = $('player');
          const nativeHLS = video.canPlayType('application/vnd.apple.mpegurl') !== '';
          const FORMATS = { fmp4: 'fMP4', ts: 'MPEG-TS' };
          let assets = [];
          let media = [];
          let lastLists = '';
          let selection = null;
          let timer = 0;
          // A signed server's page (reel serve --secret-file) is opened with a signature of scope
          // '/' in its URL: every URL the page builds carries it (the API's URLs already do).
          const signature = location.search.slice(1).split('&').filter((part) => /^(exp|scope|sig)=/.test(part)).join('&');
          const signed = (url) => (signature ? `${url}${url.includes('?') ? '&' : '?'}${signature}` : url);

          // Elements from text: strings become text nodes and attribute values, never markup.
          function h(tag, attributes, ...children) {
            const node = document.createElement(tag);
            for (const [name, value] of Object.entries(attributes)) {
              if (value !== null && value !== undefined) node.setAttribute(name, String(value));
            }
            node.append(...children.flat().filter((child) => child !== null && child !== undefined));
            return node;
          }
          const spaced = (nodes) => nodes.flatMap((node, index) => (index ? [' ', node] : [node]));

          // Formatting, as IndexPage formats on the server.
          const pad = (value) => String(value).padStart(2, '0');
          function duration(seconds) {
            const total = Math.round(seconds);
            const minutes = Math.floor(total / 60);
            return total >= 3600
              ? `${Math.floor(total / 3600)}:${pad(minutes % 60)}:${pad(total % 60)}`
              : `${minutes}:${pad(total % 60)}`;
          }
          function size(bytes) {
            if (bytes < 1048576) return `${Math.ceil(bytes / 1024)} KiB`;
            const tenths = Math.floor((bytes * 10) / 1048576);
            return `${Math.floor(tenths / 10)}.${tenths % 10} MiB`;
          }
          const count = (number, noun) => `${number} ${noun}${number === 1 ? '' : 's'}`;
          const extension = (path) => (/\.([^./]+)$/.exec(path) || [])[1];
          function describe(kind, key) {
            if (kind === 'media') {
              const type = extension(key);
              return `${type ? type.toUpperCase() : 'Source'} file · direct playback with range requests`;
            }
            const asset = assets.find((candidate) => candidate.name === key);
            return asset ? `HLS · ${FORMATS[asset.format] || asset.format} · ${asset.state}` : 'HLS';
          }
          function dynamicRange(asset) {
            const range = asset.renditions.map((rendition) => rendition.videoRange).find((value) => value && value !== 'SDR');
            return range ? `HDR ${range}` : null;
          }
          const trackName = (track) => track.title || track.language || track.name;
          function tracks(asset) {
            const parts = [];
            if (asset.audio.length) parts.push(`Audio: ${asset.audio.map(trackName).join(', ')}`);
            if (asset.subtitles.length) {
              parts.push(`Subtitles: ${asset.subtitles.map((track) => trackName(track) + (track.forced ? ' (forced)' : '')).join(', ')}`);
            }
            return parts.length ? parts.join(' · ') : null;
          }

          // The lists.
          const isSelected = (kind, key) => selection !== null && selection.kind === kind && selection.key === key;
          function playLink(kind, key, src) {
            // encodeURIComponent, not URLSearchParams: the server reads '+' as itself, not a space.
            return h('a', { class: 'play', href: signed(`/?${kind}=${encodeURIComponent(key)}`), 'data-kind': kind, 'data-key': key, 'data-src': src }, key);
          }
          function assetRow(asset) {
            const range = dynamicRange(asset);
            const line = tracks(asset);
            return h('tr', { 'data-asset': asset.name, class: isSelected('asset', asset.name) ? 'selected' : null },
              h('td', {}, playLink('asset', asset.name, asset.master), ' ', h('span', { class: 'format' }, FORMATS[asset.format] || asset.format),
                range ? [' ', h('span', { class: 'format hdr' }, range)] : [],
                asset.encryption ? [' ', h('span', { class: 'format encrypted' }, asset.encryption.toUpperCase())] : [],
                line ? h('div', { class: 'tracks' }, line) : null),
              h('td', {}, h('span', { class: `state state-${asset.state}` }, asset.state)),
              h('td', { class: 'num' }, duration(asset.duration)),
              // Alternate renditions (audio languages, subtitles) show in the tracks line instead.
              h('td', {}, spaced(asset.renditions.filter((rendition) => !rendition.group).map((rendition) =>
                h('span', { class: 'rendition' }, rendition.name, rendition.resolution ? [' ', h('small', {}, rendition.resolution)] : [])))),
              h('td', { class: 'codecs' }, spaced(asset.codecs.map((codec) => h('code', {}, codec)))));
          }
          function mediaRow(file) {
            return h('tr', { 'data-media': file.path, class: isSelected('media', file.path) ? 'selected' : null },
              h('td', {}, playLink('media', file.path, file.url)),
              h('td', { class: 'num' }, size(file.size)),
              h('td', { class: 'num' }, file.duration === undefined ? '—' : duration(file.duration)));
          }
          function fill(id, rows) {
            $(id).tBodies[0].replaceChildren(...rows);
            $(id).hidden = rows.length === 0;
            $(`${id}-empty`).hidden = rows.length !== 0;
          }
          function render() {
            fill('assets', assets.map(assetRow));
            fill('media', media.map(mediaRow));
            $('summary').textContent = `${count(assets.length, 'asset')} · ${count(media.length, 'media file')}`;
          }

          // Polling.
          async function getJSON(path) {
            const response = await fetch(signed(path), { headers: { Accept: 'application/json' } });
            if (!response.ok) throw new Error(`${path}: ${response.status}`);
            return response.json();
          }
          function setLive(live) {
            const indicator = $('live');
            indicator.hidden = false;
            indicator.classList.toggle('offline', !live);
            indicator.textContent = live ? 'live' : 'offline';
            indicator.title = live ? 'The lists update by themselves' : 'The server does not answer; retrying';
          }
          async function refresh() {
            clearTimeout(timer);
            try {
              const [assetList, mediaList] = await Promise.all([getJSON('/api/assets'), getJSON('/api/media')]);
              const text = JSON.stringify([assetList, mediaList]);
              if (text !== lastLists) {
                lastLists = text;
                assets = assetList.assets;
                media = mediaList.media;
                render();
                if (selection) {
                  $('player-kind').textContent = describe(selection.kind, selection.key);
                  showRendition();
                  showTracks();
                } else {
                  // An address naming an asset that did not exist yet plays once it appears.
                  selectFromAddress();
                }
              }
              setLive(true);
            } catch (error) {
              setLive(false);
            }
            if (!document.hidden) {
              timer = setTimeout(refresh, assets.some((asset) => asset.state === 'ingesting') ? 1000 : 2000);
            }
          }
          document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });

          // The player.
          function note(text) {
            $('player-note').hidden = !text;
            $('player-note').textContent = text || '';
          }
          function play() {
            video.play().catch((error) => {
              // Sound without a user gesture is refused: play muted instead. An AbortError
              // only means a newer selection replaced this one.
              if (error.name === 'NotAllowedError' && !video.muted) {
                video.muted = true;
                play();
              }
            });
          }
          function select(kind, key, src, { user = false, push = false } = {}) {
            selection = { kind, key, src };
            player.hidden = false;
            player.dataset.kind = kind;
            player.dataset.key = key;
            player.dataset.src = src;
            $('player-title').textContent = key;
            $('player-kind').textContent = describe(kind, key);
            $('player-url-label').textContent = kind === 'asset' ? 'Playlist URL' : 'File URL';
            $('player-url').value = new URL(src, location.href).href;
            $('rendition-label').textContent = kind === 'asset' ? 'Rendition' : 'Picture';
            $('rendition').textContent = '—';
            showTracks();
            document.title = `${key} · Reel`;
            for (const row of document.querySelectorAll('#assets tbody tr, #media tbody tr')) {
              row.classList.toggle('selected', isSelected(row.dataset.asset !== undefined ? 'asset' : 'media', row.dataset.asset ?? row.dataset.media));
            }
            if (push) history.pushState(null, '', signed(`/?${kind}=${encodeURIComponent(key)}`));
            note(null);
            if (kind === 'asset' && !nativeHLS) {
              video.removeAttribute('src');
              video.load();
              note('This browser does not play HLS itself (Safari and desktop Chromium 141+ do). The playlist URL works in any HLS player.');
              return;
            }
            if (video.src !== new URL(src, location.href).href) video.src = src;
            // A click is a user gesture: sound is allowed then.
            if (user) video.muted = false;
            play();
          }
          function deselect() {
            if (!selection) return;
            selection = null;
            video.pause();
            video.removeAttribute('src');
            video.load();
            player.hidden = true;
            document.title = 'Reel';
            for (const row of document.querySelectorAll('tr.selected')) row.classList.remove('selected');
          }
          function parameter(name) {
            // Decoded as the server decodes it: percent-escapes only.
            for (const part of location.search.slice(1).split('&')) {
              const equals = part.indexOf('=');
              if (equals > 0 && part.slice(0, equals) === name) {
                try { return decodeURIComponent(part.slice(equals + 1)); } catch (error) { return null; }
              }
            }
            return null;
          }
          function selectFromAddress() {
            const name = parameter('asset');
            const path = parameter('media');
            const asset = assets.find((candidate) => candidate.name === name);
            const file = media.find((candidate) => candidate.path === path);
            if (asset) select('asset', asset.name, asset.master);
            else if (file) select('media', file.path, file.url);
            else deselect();
          }
          // Native HLS has no API for its variants; the decoded picture names the rendition: by
          // its height, as videoWidth is the display width, which a non-square sample aspect
          // ratio makes differ from the playlist's RESOLUTION (426x240 plays as 427x240).
          function showRendition() {
            if (!selection) return;
            const width = video.videoWidth;
            const height = video.videoHeight;
            if (!width || !height) {
              $('rendition').textContent = video.readyState > 0 ? 'audio only' : '—';
              return;
            }
            const picture = `${width}x${height}`;
            const asset = selection.kind === 'asset' ? assets.find((candidate) => candidate.name === selection.key) : undefined;
            const sameHeight = asset ? asset.renditions.filter((rendition) => (rendition.resolution || '').endsWith(`x${height}`)) : [];
            const exact = sameHeight.filter((rendition) => rendition.resolution === picture);
            const names = (exact.length ? exact : sameHeight).map((rendition) => rendition.name);
            $('rendition').textContent = names.length ? `${names.join(' or ')} · ${picture}` : picture;
          }
          video.addEventListener('loadedmetadata', showRendition);
          video.addEventListener('resize', showRendition);

          // Audio and subtitle choices: what the browser exposes on the <video>. Native HLS
          // fills the track lists late (after loadedmetadata, or when it reaches a rendition), so
          // the choices follow every change of the lists. Before metadata nothing is said.
          const subtitleTracks = () => [...video.textTracks].filter((track) => track.kind === 'subtitles' || track.kind === 'captions');
          const trackLabel = (track, index, noun) => track.label || track.language || `${noun} ${index + 1}`;
          // Fills the <select> `id` with options ({ value, label, selected }); fewer than two is no
          // choice, and the select and its label are hidden. Returns whether it is shown.
          function choice(id, options) {
            const shown = options.length > 1;
            for (const part of [`${id}-label`, `${id}-choice`]) $(part).hidden = !shown;
            $(id).replaceChildren(...options.map(({ value, label, selected }) => h('option', { value, selected: selected ? '' : null }, label)));
            return shown;
          }
          function showTracks() {
            const audio = video.audioTracks ? [...video.audioTracks] : [];
            const texts = subtitleTracks();
            const audioShown = choice('audio-track', audio.map((track, index) => ({ value: index, label: trackLabel(track, index, 'Track'), selected: track.enabled })));
            const off = { value: -1, label: 'Off', selected: !texts.some((track) => track.mode === 'showing') };
            const textShown = choice('text-track', texts.length
              ? [off, ...texts.map((track, index) => ({ value: index, label: trackLabel(track, index, 'Subtitles'), selected: track.mode === 'showing' }))]
              : []);
            const asset = selection && selection.kind === 'asset' ? assets.find((candidate) => candidate.name === selection.key) : undefined;
            const missing = [];
            if (asset && video.readyState > 0) {
              if (asset.audio.length > 1 && !audioShown) missing.push('the audio languages');
              if (asset.subtitles.length && !textShown) missing.push('the subtitles');
            }
            $('tracks-note').hidden = !missing.length;
            $('tracks-note').textContent = missing.length ? `This browser's HLS does not expose ${missing.join(' or ')}; they are in the playlist.` : '';
          }
          $('audio-track').addEventListener('change', () => {
            const chosen = Number($('audio-track').value);
            [...video.audioTracks].forEach((track, index) => { track.enabled = index === chosen; });
          });
          $('text-track').addEventListener('change', () => {
            const chosen = Number($('text-track').value);
            subtitleTracks().forEach((track, index) => { track.mode = index === chosen ? 'showing' : 'disabled'; });
          });
          for (const list of [video.audioTracks, video.textTracks].filter(Boolean)) {
            for (const type of ['addtrack', 'removetrack', 'change']) list.addEventListener(type, showTracks);
          }
          video.addEventListener('loadedmetadata', showTracks);
          video.addEventListener('emptied', showTracks);
          video.addEventListener('error', () => {
            if (!selection || !video.error) return;
            const reasons = { 1: 'aborted', 2: 'a network error', 3: 'a decoding error', 4: 'a format or codec this browser does not play' };
            note(`Playback stopped: ${reasons[video.error.code] || 'an error'}${video.error.message ? ` (${video.error.message})` : ''}.`);
          });

          $('copy-url').addEventListener('click', async () => {
            const input = $('player-url');
            const button = $('copy-url');
            let copied = false;
            try {
              await navigator.clipboard.writeText(input.value);
              copied = true;
            } catch (error) {
              // No Clipboard API outside secure contexts (http:// to another host): copy the selection.
              input.select();
              try { copied = document.execCommand('copy'); } catch (ignored) { copied = false; }
            }
            button.textContent = copied ? 'Copied' : 'Press Ctrl+C';
            setTimeout(() => { button.textContent = 'Copy'; }, 2000);
          });
          document.addEventListener('click', (event) => {
            const link = event.target.closest('a.play');
            if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
            event.preventDefault();
            select(link.dataset.kind, link.dataset.key, link.dataset.src, { user: true, push: true });
          });
          window.addEventListener('popstate', selectFromAddress);

          // The server rendered the lists and the selection (its <video> already autoplays,
          // muted): take over from there.
          if (player.dataset.kind) {
            selection = { kind: player.dataset.kind, key: player.dataset.key, src: player.dataset.src };
            $('player-url').value = new URL(selection.src, location.href).href;
            if (selection.kind === 'asset' && !nativeHLS) select(selection.kind, selection.key, selection.src);
          }
          refresh();
        })();
        """#
}
