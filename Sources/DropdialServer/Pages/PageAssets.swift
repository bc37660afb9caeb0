/// What the pages load besides themselves, served by dropdial (SPEC §10: nothing from outside):
/// the style sheet, the icon, and the one script, which only adds drag-and-drop to the upload form.
enum PageAssets {
    struct Asset {
        var contentType: String
        var body: String
    }

    static let all: [String: Asset] = [
        "dropdial.css": Asset(contentType: "text/css; charset=utf-8", body: css),
        "upload.js": Asset(contentType: "text/javascript; charset=utf-8", body: uploadScript),
        "icon.svg": Asset(contentType: "image/svg+xml", body: icon),
    ]

    static let icon = """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d4ed8"/><path d="M9 8h6a8 8 0 0 1 0 16H9z" fill="none" stroke="#fff" stroke-width="3"/></svg>
    """

    static let css = """
    :root { --ink: #1b1f24; --muted: #4b5563; --line: #d0d7de; --bg: #f6f8fa; --link: #1d4ed8; --bad: #9c0006; --badbg: #ffc7ce; --ok: #116329; --okbg: #dafbe1; --warn: #7a4b00; --warnbg: #fff1c2; }
    * { box-sizing: border-box; }
    html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; line-height: 1.45; }
    body { margin: 0; }
    a { color: var(--link); }
    a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
    .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; }
    .skip:focus { left: .5rem; z-index: 10; }
    header { background: #0f172a; color: #fff; }
    header nav { display: flex; flex-wrap: wrap; align-items: center; gap: .25rem 1rem; max-width: 1200px; margin: 0 auto; padding: .6rem 1rem; }
    header a { color: #fff; text-decoration: none; padding: .25rem 0; }
    header a[aria-current="page"] { border-bottom: 3px solid #93c5fd; }
    header .brand { font-weight: 700; font-size: 1.15rem; margin-right: .5rem; }
    header ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; }
    header form { margin-left: auto; display: flex; align-items: center; gap: .5rem; }
    header .who { color: #cbd5e1; font-size: .9rem; }
    header button { background: transparent; color: #fff; border: 1px solid #94a3b8; }
    main { max-width: 1200px; margin: 0 auto; padding: 1rem; }
    h1 { font-size: 1.6rem; margin: .5rem 0 1rem; overflow-wrap: anywhere; }
    h2 { font-size: 1.25rem; margin: 1.75rem 0 .5rem; }
    h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
    .meta, .count, .hint { color: var(--muted); }
    .scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
    table { border-collapse: collapse; width: 100%; font-size: .95rem; }
    caption { text-align: left; padding: .5rem .6rem; font-weight: 600; }
    th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
    thead th { background: var(--bg); white-space: nowrap; }
    tbody tr:last-child td, tbody tr:last-child th { border-bottom: 0; }
    td.bad { background: var(--badbg); color: var(--bad); }
    td.bad .value { font-weight: 600; white-space: pre-wrap; }
    td.bad .message { display: block; font-size: .85rem; }
    .status { display: inline-block; padding: 0 .45rem; border-radius: 999px; background: var(--bg); border: 1px solid var(--line); font-size: .85rem; white-space: nowrap; }
    .status.imported, .status.completed, .status.done, .status.active { background: var(--okbg); color: var(--ok); border-color: #9be9a8; }
    .status.rejected, .status.failed, .status.cancelled { background: var(--badbg); color: var(--bad); border-color: #f5a3ad; }
    .status.paused, .status.duplicate, .status.scheduled, .status.dialing { background: var(--warnbg); color: var(--warn); border-color: #f2cc60; }
    .problem { border-left: 5px solid var(--bad); background: #fff5f5; padding: .5rem 1rem; margin: 1rem 0; }
    .problem .detail { color: var(--muted); overflow-wrap: anywhere; }
    .error { color: var(--bad); font-weight: 600; }
    .notice { color: var(--ok); font-weight: 600; }
    .counts, #settings, .vars { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .5rem; margin: 1rem 0; }
    #settings { grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
    .counts div, #settings div { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: .4rem .6rem; }
    dt { color: var(--muted); font-size: .85rem; }
    dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
    .vars { grid-template-columns: repeat(auto-fill, minmax(8rem, 1fr)); }
    .log { padding-left: 1.2rem; margin: .25rem 0; }
    button, .button { display: inline-block; font: inherit; padding: .4rem .9rem; border-radius: 6px; border: 1px solid #1e40af; background: #1d4ed8; color: #fff; cursor: pointer; text-decoration: none; }
    .button.secondary, .filters button { background: #fff; color: #1e3a8a; }
    button.danger { background: #b91c1c; border-color: #991b1b; }
    .controls, .downloads { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .75rem 0; }
    .controls form { margin: 0; }
    .filters { display: flex; flex-wrap: wrap; gap: .4rem .6rem; align-items: center; margin: .75rem 0; }
    input, select { font: inherit; padding: .35rem .5rem; border: 1px solid #6b7280; border-radius: 6px; max-width: 100%; }
    .card { display: grid; grid-template-columns: minmax(0, 1fr); gap: .5rem; max-width: 32rem; padding: 1rem; border: 1px solid var(--line); border-radius: 8px; background: var(--bg); }
    .drop { border: 2px dashed #6b7280; border-radius: 8px; padding: 1rem; background: #fff; }
    .drop.over { border-color: var(--link); background: #eff6ff; }
    progress { appearance: none; width: 100%; max-width: 32rem; height: .9rem; border: 1px solid var(--line); border-radius: 999px; background: var(--bg); overflow: hidden; }
    progress::-webkit-progress-bar { background: var(--bg); }
    progress::-webkit-progress-value { background: #16a34a; }
    progress::-moz-progress-bar { background: #16a34a; }
    .chart-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 30rem), 1fr)); gap: 1rem; }
    figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; }
    figure svg { width: 100%; height: auto; display: block; }
    figcaption { color: var(--muted); font-size: .9rem; }
    .pager { display: flex; gap: 1rem; align-items: center; margin: .75rem 0; }
    .empty { color: var(--muted); font-style: italic; }
    code { background: var(--bg); padding: 0 .25rem; border-radius: 4px; }
    .card select, .card input[type=password], .card input[type=file] { width: 100%; }
    .scroll:focus-visible { outline: 3px solid #f59e0b; }
    @media (max-width: 600px) {
      main { padding: .75rem; }
      table.stack thead { position: absolute; left: -9999px; }
      table.stack tr { display: block; border-bottom: 1px solid var(--line); padding: .35rem 0; }
      table.stack td { display: grid; grid-template-columns: 9rem minmax(0, 1fr); gap: .5rem; border: 0; padding: .15rem .6rem; }
      table.stack td > * { justify-self: start; }
      table.stack td::before { content: attr(data-label); color: var(--muted); font-size: .85rem; }
      h1 { font-size: 1.35rem; }
      header form { margin-left: 0; }
      th, td { padding: .35rem .45rem; }
    }
    """

    /// Drag-and-drop on the upload form, added only where the browser runs scripts: a file dropped
    /// on the zone becomes the file input's choice; the form is still the plain form underneath.
    static let uploadScript = """
    (function () {
      var zone = document.getElementById("drop-zone"), input = document.getElementById("file"), hint = document.getElementById("drop-hint");
      if (!zone || !input || !window.DataTransfer) return;
      function show() { if (input.files.length) hint.textContent = "Chosen: " + input.files[0].name; }
      input.addEventListener("change", show);
      ["dragenter", "dragover"].forEach(function (t) { zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); }); });
      ["dragleave", "drop"].forEach(function (t) { zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); }); });
      zone.addEventListener("drop", function (e) {
        if (!e.dataTransfer || !e.dataTransfer.files.length) return;
        var list = new DataTransfer(); list.items.add(e.dataTransfer.files[0]); input.files = list.files; show();
      });
    })();
    """
}
