/// The page's stylesheet, served as `/static/reel.css`.
///
/// System fonts and colours only (no web fonts, nothing fetched from elsewhere); light and
/// dark follow the system; below 48rem the player stacks above its details and the codecs
/// column goes.
enum PageStyle {
    static let css = #"""
        :root {
          color-scheme: light dark;
          --bg: #f4f6f9; --card: #fff; --text: #18202b; --muted: #5d6978; --line: #e2e7ee;
          --accent: #2f6fed; --accent-soft: rgba(47, 111, 237, .09);
          --ready: #16804a; --ingesting: #d9480f; --failed: #c92a2a;
          font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #0f1318; --card: #181e26; --text: #e6ebf1; --muted: #95a1b0; --line: #29313c;
            --accent: #7aa5ff; --accent-soft: rgba(122, 165, 255, .12);
            --ready: #51cf66; --ingesting: #ff922b; --failed: #ff6b6b;
          }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--text); }
        [hidden] { display: none !important; }
        code { font: .85em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }

        .top {
          /* The header's content lines up with main's cards, whatever the window's width. */
          display: flex; align-items: center; gap: 1rem; padding: .75rem max(1.25rem, calc((100% - 78rem) / 2 + 1.25rem));
          background: var(--card); border-bottom: 1px solid var(--line);
        }
        .brand { display: flex; align-items: center; gap: .5rem; color: inherit; text-decoration: none; font-weight: 700; font-size: 1.2rem; }
        #summary { color: var(--muted); }
        .live { margin-left: auto; display: inline-flex; align-items: center; gap: .4em; color: var(--muted); font-size: .85rem; }
        .live::before { content: ""; width: .5em; height: .5em; border-radius: 50%; background: var(--ready); }
        .live.offline::before { background: var(--failed); }

        main { max-width: 78rem; margin: 0 auto; padding: 1.25rem; display: grid; gap: 1.25rem; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 1rem 1.25rem; min-width: 0; }
        .card h2 { margin: 0 0 .75rem; font-size: 1.05rem; }
        .empty { color: var(--muted); margin: 0; }

        .player { display: grid; grid-template-columns: minmax(0, 2fr) minmax(15rem, 1fr); gap: 1.25rem; align-items: start; }
        .screen video { display: block; width: 100%; aspect-ratio: 16 / 9; background: #000; border-radius: 8px; }
        .details h2 { margin: 0 0 .25rem; font-size: 1.2rem; overflow-wrap: anywhere; }
        .kind { margin: 0 0 1rem; color: var(--muted); }
        .note { margin: 0 0 1rem; padding: .6rem .75rem; border-radius: 8px; background: var(--accent-soft); }
        .details label { display: block; font-size: .8rem; color: var(--muted); margin-bottom: .25rem; }
        .copy { display: flex; gap: .5rem; }
        .copy input {
          flex: 1; min-width: 0; padding: .45rem .6rem; border: 1px solid var(--line); border-radius: 6px;
          background: var(--bg); color: inherit; font: .85rem ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
        }
        .copy button {
          padding: .45rem .9rem; border: 0; border-radius: 6px; background: var(--accent); color: #fff;
          font: inherit; font-weight: 600; cursor: pointer; min-width: 5.5rem;
        }
        .copy button:focus-visible, a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
        .facts { display: grid; grid-template-columns: auto 1fr; gap: .25rem .75rem; margin: 1rem 0 0; }
        .facts dt { color: var(--muted); }
        .facts dd { margin: 0; }
        .facts select {
          max-width: 100%; padding: .2rem .4rem; border: 1px solid var(--line); border-radius: 6px;
          background: var(--bg); color: inherit; font: inherit;
        }
        .tracks-note { margin: 1rem 0 0; font-size: .85rem; }

        .scroll { overflow-x: auto; }
        table { width: 100%; border-collapse: collapse; }
        th {
          text-align: left; font-size: .75rem; font-weight: 600; letter-spacing: .04em; text-transform: uppercase;
          color: var(--muted); padding: .4rem .6rem; border-bottom: 1px solid var(--line);
        }
        td { padding: .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        tbody tr:last-child td { border-bottom: 0; }
        tbody tr:hover, tr.selected { background: var(--accent-soft); }
        tr.selected td:first-child { box-shadow: inset 3px 0 var(--accent); }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        a.play { color: var(--accent); font-weight: 600; text-decoration: none; overflow-wrap: break-word; }
        a.play::before { content: "\25B6"; font-size: .7em; margin-right: .5em; vertical-align: .1em; }
        a.play:hover { text-decoration: underline; }
        .format { white-space: nowrap; font-size: .75rem; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 .3em; margin-left: .25em; }
        .format.hdr { color: var(--ingesting); border-color: currentColor; }
        .tracks { margin-top: .2rem; font-size: .8rem; color: var(--muted); }
        .rendition { display: inline-block; white-space: nowrap; margin-right: .6em; }
        .rendition small, .codecs code { color: var(--muted); }

        .state { display: inline-flex; align-items: center; gap: .4em; font-weight: 600; font-size: .85rem; }
        .state::before { content: ""; width: .55em; height: .55em; border-radius: 50%; background: currentColor; }
        .state-ready { color: var(--ready); }
        .state-failed { color: var(--failed); }
        .state-ingesting { color: var(--ingesting); }
        /* The live indicator: an ingesting asset's dot pulses until its ingest ends. */
        .state-ingesting::before { animation: pulse 1.1s ease-in-out infinite; }
        @keyframes pulse { 50% { opacity: .2; transform: scale(.6); } }
        @media (prefers-reduced-motion: reduce) { .state-ingesting::before { animation: none; } }

        @media (max-width: 48rem) {
          .top { padding: .75rem; }
          main { padding: .75rem; gap: .75rem; }
          .player { grid-template-columns: 1fr; }
          .codecs { display: none; }
        }
        """#
}
