/// The dashboard's templates (Mustache: `{{x}}` is HTML-escaped, `{{{x}}}` only ever holds markup
/// dropdial drew itself, such as a chart). Kept in the binary, so a page needs no file at run time.
enum PageTemplates {
    static let all: [String: String] = [
        "layout": layout, "signin": signin, "overview": overview, "files": files, "report": report,
        "batch": batch, "upload": upload, "dnc": dnc, "error": error, "pager": pager,
    ]

    static let layout = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · dropdial</title>
    <link rel="stylesheet" href="/static/dropdial.css">
    <link rel="icon" href="/static/icon.svg" type="image/svg+xml">
    </head>
    <body>
    <a class="skip" href="#main">Skip to the content</a>
    {{#signedIn}}
    <header>
    <nav aria-label="Main">
    <a class="brand" href="/">dropdial</a>
    <ul>
    <li><a href="/"{{#navOverview}} aria-current="page"{{/navOverview}}>Overview</a></li>
    <li><a href="/files"{{#navFiles}} aria-current="page"{{/navFiles}}>Files</a></li>
    <li><a href="/upload"{{#navUpload}} aria-current="page"{{/navUpload}}>Upload</a></li>
    <li><a href="/dnc"{{#navDNC}} aria-current="page"{{/navDNC}}>Do-not-call</a></li>
    </ul>
    <form id="signout" method="post" action="/signout">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <span class="who">{{keyName}} · {{keyRole}}</span>
    <button type="submit">Sign out</button>
    </form>
    </nav>
    </header>
    {{/signedIn}}
    <main id="main">
    {{{body}}}
    </main>
    {{#script}}<script src="/static/{{script}}" defer></script>{{/script}}
    </body>
    </html>
    """

    static let signin = """
    <h1>Sign in to dropdial</h1>
    {{#problem}}<p class="error" role="alert">{{problem}}</p>{{/problem}}
    <form id="signin" class="card" method="post" action="/signin">
    <input type="hidden" name="csrf" value="{{token}}">
    <input type="hidden" name="next" value="{{next}}">
    <label for="key">API key</label>
    <input type="password" id="key" name="key" autocomplete="current-password" required spellcheck="false">
    <p class="hint">A key made with <code>dropdial keys create NAME</code>; the first one is printed when the daemon first starts.</p>
    <button type="submit">Sign in</button>
    </form>
    """

    static let overview = """
    <h1>Overview</h1>
    {{#inboxes}}
    <section class="inbox" aria-labelledby="inbox-{{index}}">
    <h2 id="inbox-{{index}}">Inbox {{name}}</h2>
    <h3>Files of the last 7 days</h3>
    {{#hasFiles}}
    <div class="scroll" tabindex="0"><table class="files">
    <thead><tr><th scope="col">File</th><th scope="col">Status</th><th scope="col">Rows</th><th scope="col">Imported</th><th scope="col">Rejected</th><th scope="col">Received</th></tr></thead>
    <tbody>
    {{#files}}<tr><td><a class="file-link" href="/files/{{id}}">{{name}}</a></td><td><span class="status {{status}}">{{status}}</span></td><td>{{rows}}</td><td>{{imported}}</td><td>{{invalid}}</td><td>{{received}}</td></tr>
    {{/files}}
    </tbody></table></div>
    <p><a href="/files?inbox={{name}}">Every file of {{name}}</a></p>
    {{/hasFiles}}
    {{^hasFiles}}<p class="empty">No file in the last 7 days.</p>{{/hasFiles}}
    <h3>Active batches</h3>
    {{#hasBatches}}
    <div class="scroll" tabindex="0"><table class="batches">
    <thead><tr><th scope="col">Batch</th><th scope="col">Status</th><th scope="col">Calls</th><th scope="col">Final</th><th scope="col">Created</th></tr></thead>
    <tbody>
    {{#batches}}<tr><td><a class="batch-link" href="/batches/{{id}}">{{name}}</a></td><td><span class="status {{status}}">{{status}}</span></td><td>{{calls}}</td><td>{{final}}</td><td>{{created}}</td></tr>
    {{/batches}}
    </tbody></table></div>
    {{/hasBatches}}
    {{^hasBatches}}<p class="empty">No active batch.</p>{{/hasBatches}}
    </section>
    {{/inboxes}}
    {{^inboxes}}<p class="empty">This key sees no inbox.</p>{{/inboxes}}
    """

    static let files = """
    <h1>Files</h1>
    <form id="file-filter" class="filters" method="get" action="/files">
    <label for="filter-inbox">Inbox</label>
    <select id="filter-inbox" name="inbox">
    <option value="">every inbox</option>
    {{#inboxes}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/inboxes}}
    </select>
    <label for="filter-status">Status</label>
    <select id="filter-status" name="status">
    <option value="">any status</option>
    {{#statuses}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/statuses}}
    </select>
    <button type="submit">Show</button>
    </form>
    <p class="count">{{total}} file(s), newest first.</p>
    {{#hasFiles}}
    <div class="scroll" tabindex="0"><table id="files">
    <thead><tr><th scope="col">File</th><th scope="col">Inbox</th><th scope="col">Status</th><th scope="col">Rows</th><th scope="col">Imported</th><th scope="col">Rejected</th><th scope="col">Duplicates</th><th scope="col">Received</th></tr></thead>
    <tbody>
    {{#files}}<tr><td><a class="file-link" href="/files/{{id}}">{{name}}</a></td><td>{{inbox}}</td><td><span class="status {{status}}">{{status}}</span></td><td>{{rows}}</td><td>{{imported}}</td><td>{{invalid}}</td><td>{{duplicates}}</td><td>{{received}}</td></tr>
    {{/files}}
    </tbody></table></div>
    {{/hasFiles}}
    {{^hasFiles}}<p class="empty">No file matches.</p>{{/hasFiles}}
    {{> pager}}
    """

    static let pager = """
    {{#pager}}<nav class="pager" aria-label="Pages">
    {{#previous}}<a rel="prev" href="{{previous}}">← Previous</a>{{/previous}}
    <span>Page {{page}} of {{pages}}</span>
    {{#next}}<a rel="next" href="{{next}}">Next →</a>{{/next}}
    </nav>{{/pager}}
    """

    static let report = """
    <h1>{{name}}</h1>
    <p class="meta"><span class="status {{status}}">{{status}}</span> · inbox {{inbox}} · received {{received}}{{#batchId}} · <a id="batch" href="/batches/{{batchId}}">batch {{batchId}}</a>{{/batchId}}</p>
    {{#problem}}
    <div class="problem" id="file-error" role="alert">
    <p><strong>{{what}}</strong> {{todo}}</p>
    {{#detail}}<p class="detail">{{detail}}</p>{{/detail}}
    </div>
    {{/problem}}
    {{#counts}}
    <dl class="counts">
    <div><dt>Rows</dt><dd>{{rows}}</dd></div>
    <div><dt>Imported</dt><dd>{{imported}}</dd></div>
    <div><dt>Rejected</dt><dd>{{invalid}}</dd></div>
    <div><dt>Duplicates</dt><dd>{{duplicates}}</dd></div>
    <div><dt>Do-not-call</dt><dd>{{suppressed}}</dd></div>
    </dl>
    {{/counts}}
    <p class="downloads">
    {{#hasErrors}}<a id="errors-xlsx" class="button" href="/files/{{id}}/errors.xlsx">Rows to fix (Excel)</a>
    <a id="errors-csv" class="button" href="/files/{{id}}/errors.csv">Rows to fix (CSV)</a>{{/hasErrors}}
    {{#hasOriginal}}<a id="original" class="button secondary" href="/files/{{id}}/original">The original file</a>{{/hasOriginal}}
    </p>
    {{#rejected}}
    <h2 id="rejected-title">Rejected rows</h2>
    <p>Each row as it was written; the cells to fix are marked, with what is wrong beside them.{{#truncatedNote}} {{truncatedNote}}{{/truncatedNote}}</p>
    <div class="scroll" tabindex="0"><table id="rejected" aria-labelledby="rejected-title">
    <thead><tr><th scope="col">Row</th>{{#header}}<th scope="col">{{.}}</th>{{/header}}</tr></thead>
    <tbody>
    {{#rows}}<tr><th scope="row">{{number}}{{#note}} <span class="message">{{note}}</span>{{/note}}</th>{{#cells}}{{#bad}}<td class="bad"><span class="value">{{text}}</span> <span class="message">{{message}}</span></td>{{/bad}}{{^bad}}<td>{{text}}</td>{{/bad}}{{/cells}}</tr>
    {{/rows}}
    </tbody></table></div>
    {{> pager}}
    {{/rejected}}
    {{#hasDuplicates}}
    <h2 id="duplicates-title">Duplicate rows</h2>
    <p>These rows repeat a number of an earlier row of the file; only the first is called.</p>
    <div class="scroll" tabindex="0"><table id="duplicates" aria-labelledby="duplicates-title">
    <thead><tr><th scope="col">Row</th><th scope="col">Phone number</th><th scope="col">First seen in row</th></tr></thead>
    <tbody>{{#duplicates}}<tr><td>{{row}}</td><td>{{phoneNumber}}</td><td>{{firstRow}}</td></tr>{{/duplicates}}</tbody>
    </table></div>
    {{/hasDuplicates}}
    {{#hasSuppressed}}
    <h2 id="suppressed-title">Rows on the do-not-call list</h2>
    <div class="scroll" tabindex="0"><table id="suppressed" aria-labelledby="suppressed-title">
    <thead><tr><th scope="col">Row</th><th scope="col">Phone number</th></tr></thead>
    <tbody>{{#suppressed}}<tr><td>{{row}}</td><td>{{phoneNumber}}</td></tr>{{/suppressed}}</tbody>
    </table></div>
    {{/hasSuppressed}}
    {{#listNote}}<p class="hint">{{listNote}}</p>{{/listNote}}
    """

    static let batch = """
    <h1>{{name}}</h1>
    <p class="meta">Batch {{id}} · inbox {{inbox}} · <span id="batch-status" class="status {{status}}">{{status}}</span> · created {{created}}</p>
    <div class="controls">
    {{#canPause}}<form id="pause" method="post" action="/batches/{{id}}/pause"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Pause</button></form>{{/canPause}}
    {{#canResume}}<form id="resume" method="post" action="/batches/{{id}}/resume"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Resume</button></form>{{/canResume}}
    {{#canCancel}}<form id="cancel" method="post" action="/batches/{{id}}/cancel"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="danger">Cancel the batch</button></form>{{/canCancel}}
    <a id="export-csv" class="button secondary" href="/batches/{{id}}/export?format=csv">Results (CSV)</a>
    <a id="export-xlsx" class="button secondary" href="/batches/{{id}}/export?format=xlsx">Results (Excel)</a>
    </div>
    <section aria-labelledby="progress-title">
    <h2 id="progress-title">Progress</h2>
    <p id="progress"><strong>{{final}}</strong> of {{all}} calls final ({{percent}}%)</p>
    <progress max="{{all}}" value="{{final}}" aria-label="calls final">{{percent}}%</progress>
    <div class="scroll" tabindex="0"><table id="outcomes">
    <caption>Calls by status and outcome</caption>
    <thead><tr><th scope="col">Status or outcome</th><th scope="col">Calls</th></tr></thead>
    <tbody>{{#counts}}<tr><th scope="row">{{label}}</th><td>{{count}}</td></tr>{{/counts}}</tbody>
    </table></div>
    </section>
    <section aria-labelledby="settings-title">
    <h2 id="settings-title">Settings</h2>
    <dl id="settings">
    {{#settings}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/settings}}
    </dl>
    </section>
    <section aria-labelledby="charts-title">
    <h2 id="charts-title">Activity</h2>
    <div class="chart-grid">
    <figure>{{{attemptsChart}}}<figcaption>Attempts per hour, the last 24 hours (UTC)</figcaption></figure>
    <figure>{{{dueChart}}}<figcaption>{{dueCaption}}</figcaption></figure>
    </div>
    </section>
    <section aria-labelledby="calls-title">
    <h2 id="calls-title">Calls</h2>
    <form id="call-search" class="filters" method="get" action="/batches/{{id}}">
    <label for="search">Search</label>
    <input type="search" id="search" name="search" value="{{search}}" placeholder="number or variable">
    <label for="status-filter">Status</label>
    <select id="status-filter" name="status">
    <option value="">any</option>
    {{#statusOptions}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/statusOptions}}
    </select>
    <label for="sort">Sort by</label>
    <select id="sort" name="sortBy">
    {{#sortOptions}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/sortOptions}}
    </select>
    <label for="order">Order</label>
    <select id="order" name="sortOrder">
    <option value="asc"{{#ascending}} selected{{/ascending}}>ascending</option>
    <option value="desc"{{^ascending}} selected{{/ascending}}>descending</option>
    </select>
    <button type="submit">Show</button>
    </form>
    <p class="count">{{total}} call(s) match.</p>
    {{#hasCalls}}
    <div class="scroll" tabindex="0"><table id="calls" class="stack">
    <thead><tr><th scope="col">Phone number</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last outcome</th><th scope="col">Next attempt (local)</th><th scope="col">Zone</th><th scope="col">Details</th></tr></thead>
    <tbody>
    {{#calls}}<tr><td data-label="Phone number">{{phoneNumber}}</td><td data-label="Status"><span class="status {{status}}">{{status}}</span></td><td data-label="Attempts">{{attempts}}</td><td data-label="Last outcome">{{lastOutcome}}</td><td data-label="Next attempt (local)">{{next}}</td><td data-label="Zone">{{zone}}</td>
    <td data-label="Details"><details><summary>Variables and phone log</summary>
    {{#hasVariables}}<dl class="vars">{{#variables}}<div><dt>{{key}}</dt><dd>{{value}}</dd></div>{{/variables}}</dl>{{/hasVariables}}
    {{#hasLogs}}<ol class="log">{{#logs}}<li>Attempt {{attempt}} at {{at}}: {{outcome}}{{#duration}}, {{duration}} s{{/duration}}{{#callingNumber}}, from {{callingNumber}}{{/callingNumber}}</li>{{/logs}}</ol>{{/hasLogs}}
    {{^hasLogs}}<p>Not dialed yet.</p>{{/hasLogs}}
    </details></td></tr>
    {{/calls}}
    </tbody></table></div>
    {{/hasCalls}}
    {{^hasCalls}}<p class="empty">No call matches.</p>{{/hasCalls}}
    {{> pager}}
    </section>
    """

    static let upload = """
    <h1>Upload a contact file</h1>
    {{#problem}}<p class="error" role="alert">{{problem}}</p>{{/problem}}
    <form id="upload" class="card" method="post" action="/upload?csrf={{csrf}}" enctype="multipart/form-data">
    <label for="inbox">Inbox</label>
    <select id="inbox" name="inbox">
    {{#inboxes}}<option value="{{name}}">{{name}}</option>{{/inboxes}}
    </select>
    <label for="file">File (CSV, XLSX or XLS)</label>
    <div class="drop" id="drop-zone">
    <input type="file" id="file" name="file" accept=".csv,.tsv,.txt,.xlsx,.xls" required>
    <p class="hint" id="drop-hint">Pick a file, or drop it here.</p>
    </div>
    <button type="submit">Upload and import</button>
    </form>
    <p class="hint">The file goes through the same checks as a file dropped into the inbox's folder; the page then shows its report.</p>
    """

    static let dnc = """
    <h1>Do-not-call list</h1>
    <p>{{total}} number(s) are never called, whatever batch they are in.</p>
    <form id="dnc-search" class="filters" method="get" action="/dnc">
    <label for="q">Find a number</label>
    <input type="search" id="q" name="q" value="{{query}}" inputmode="tel">
    <button type="submit">Find</button>
    </form>
    {{#isAdmin}}
    <form id="dnc-add" class="filters" method="post" action="/dnc/add">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <label for="number">Add a number</label>
    <input type="tel" id="number" name="number" required>
    <button type="submit">Add</button>
    </form>
    {{/isAdmin}}
    {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
    {{#hasEntries}}
    <div class="scroll" tabindex="0"><table id="dnc">
    <thead><tr><th scope="col">Number</th><th scope="col">Listed by</th><th scope="col">Since</th>{{#isAdmin}}<th scope="col">Remove</th>{{/isAdmin}}</tr></thead>
    <tbody>
    {{#entries}}<tr><td>{{number}}</td><td>{{sources}}</td><td>{{added}}</td>{{#isAdmin}}<td>{{#removable}}<form class="dnc-remove" method="post" action="/dnc/remove"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="number" value="{{number}}"><button type="submit" aria-label="Remove {{number}}">Remove</button></form>{{/removable}}{{^removable}}listed by a file{{/removable}}</td>{{/isAdmin}}</tr>
    {{/entries}}
    </tbody></table></div>
    {{/hasEntries}}
    {{^hasEntries}}<p class="empty">No number matches.</p>{{/hasEntries}}
    {{> pager}}
    """

    static let error = """
    <h1>{{heading}}</h1>
    <p class="error" role="alert">{{message}}</p>
    <p><a href="/">Back to the overview</a></p>
    """
}
