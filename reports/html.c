/* reports/html.c -- the self-contained HTML compliance report (see
 * reports.h). Static HTML and CSS only: no script, no external asset, and a
 * CSP that would block either. Every value from the model or the catalog
 * goes through report_text_put(REPORT_CTX_HTML), which escapes & < > " '
 * and so is safe in text and in double-quoted attributes alike; such values
 * are only ever put in text and title attributes. Anchors (#c<code>,
 * #r<index>, #svc-NN) are built from integers. */
#include "reports.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_text.h"

struct hw {
    struct ac_buf *out;
    size_t start;
    const struct run_results *r;
    const struct catalog *c;
};

static const char CSS[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1em;"
    "color:#1b1b1b;background:#fff}\n"
    "h1{font-size:1.6em;margin:.2em 0}h2{border-bottom:1px solid #ccc;margin-top:1.6em}\n"
    "table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;"
    "padding:.25em .5em;text-align:left;vertical-align:top}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "table.run th{background:#f4f4f4;width:9em}\n"
    "pre{background:#f6f8fa;border:1px solid #e1e4e8;padding:.5em;overflow-x:auto;"
    "white-space:pre-wrap;word-break:break-all;margin:.3em 0}\n"
    "code{background:#f6f8fa;padding:0 .2em;white-space:pre-wrap;word-break:break-all}\n"
    ".verdict{font-size:1.3em;font-weight:bold;padding:.4em .7em;border-radius:4px;"
    "display:inline-block}\n"
    ".v-passed{background:#e3f4e4;color:#1b5e20}.v-failed{background:#fde7e7;color:#b71c1c}\n"
    ".v-error{background:#efe5f7;color:#4a148c}.v-other{background:#eee;color:#333}\n"
    ".v-partial{background:#fff4d6;color:#6d4c00}.s-partial{background:#f9a825;color:#222}\n"
    ".incomplete{border:2px solid #b71c1c;padding:.5em;font-weight:bold}\n"
    ".grid{display:flex;flex-wrap:wrap;gap:3px;margin:.3em 0 1em}\n"
    ".grid a{display:inline-block;min-width:5.2em;text-align:center;padding:.2em .3em;"
    "border-radius:3px;text-decoration:none;font-family:monospace;font-size:13px}\n"
    ".s-passed{background:#2e7d32;color:#fff}.s-failed{background:#c62828;color:#fff}\n"
    ".s-known{background:#ef6c00;color:#fff}.s-error{background:#6a1b9a;color:#fff}\n"
    ".s-skipped{background:#9e9e9e;color:#fff}.s-not-covered{background:#e0e0e0;color:#333}\n"
    "svg .s-passed{fill:#2e7d32}svg .s-failed{fill:#c62828}svg .s-known{fill:#ef6c00}\n"
    "svg .s-error{fill:#6a1b9a}svg .s-skipped{fill:#9e9e9e}"
    "svg .s-not-covered{fill:#e0e0e0}\n"
    "svg text{font:12px system-ui,sans-serif;fill:#1b1b1b}\n"
    ".badge{font-size:.8em;padding:.1em .4em;border-radius:3px;vertical-align:middle}\n"
    ".legend span{margin-right:.6em;padding:.1em .4em;border-radius:3px}\n"
    "section.code{border-top:1px solid #eee;padding-top:.3em}\n"
    "article{margin:.4em 0 .8em 1em}h3{margin:.6em 0 .2em}h4{margin:.4em 0 .2em}\n"
    "mark{background:#ffeb3b;color:#000;outline:1px solid #f57f17}\n"
    "mark.end::after{content:\"(end)\";font-style:italic}\n"
    ".muted{color:#666}\n"
    "ol.problems li{margin:.2em 0}\n"
    /* On paper: no colour needed (every cell has its mark), details cut to
     * their first lines, transcripts left out, no page per service. */
    "@media print{body{max-width:none;font-size:10pt}"
    "a{color:inherit;text-decoration:none}"
    ".grid a,.badge,.legend span{border:1px solid #000;background:none!important;"
    "color:#000!important}"
    "details,svg{display:none}pre{max-height:6em;overflow:hidden;white-space:pre-wrap}"
    "h2,h3{break-after:avoid}section.code,article{break-inside:avoid}}\n";

static int over_budget(const struct hw *w)
{
    return w->out->len - w->start > REPORT_HTML_BUDGET;
}

static int adds(struct hw *w, const char *s)
{
    return ac_buf_adds(w->out, s);
}

/* Escaped text (also safe inside a double-quoted attribute). */
static int h(struct hw *w, const char *s, size_t cap)
{
    return report_text_put(w->out, s ? s : "", REPORT_CTX_HTML, cap, 0);
}

static int h1line(struct hw *w, const char *s, size_t cap)
{
    return report_text_put(w->out, s ? s : "", REPORT_CTX_HTML, cap, REPORT_TEXT_ONELINE);
}

static const char *state_class(enum report_code_state s)
{
    switch (s) {
    case REPORT_CODE_NOT_COVERED: return "s-not-covered";
    case REPORT_CODE_SKIPPED: return "s-skipped";
    case REPORT_CODE_PASSED: return "s-passed";
    case REPORT_CODE_ERROR: return "s-error";
    case REPORT_CODE_KNOWN: return "s-known";
    case REPORT_CODE_FAILED: return "s-failed";
    }
    return "s-not-covered";
}

/* A mark per state, so a cell reads right without colour (colour-blind
 * readers, black-and-white printouts): passed, failed, ... */
static const char *state_mark(enum report_code_state s)
{
    switch (s) {
    case REPORT_CODE_NOT_COVERED: return "\xC2\xB7"; /* · */
    case REPORT_CODE_SKIPPED: return "S";
    case REPORT_CODE_PASSED: return "\xE2\x9C\x93"; /* ✓ */
    case REPORT_CODE_ERROR: return "E";
    case REPORT_CODE_KNOWN: return "K";
    case REPORT_CODE_FAILED: return "\xE2\x9C\x97"; /* ✗ */
    }
    return "?";
}

/* Writes clean text x with the character at byte offset at marked; at ==
 * len marks the end. x is already clean UTF-8. */
static int put_marked(struct hw *w, const struct ac_buf *x, size_t at)
{
    unsigned cp;
    size_t k;

    if (report_text_putn(w->out, x->data, at, REPORT_CTX_HTML, 0, 0) < 0)
        return -1;
    if (at >= x->len)
        return adds(w, "<mark class=\"end\"></mark>");
    k = ac_utf8_decode((const unsigned char *)x->data + at, x->len - at, &cp);
    if (k == 0)
        k = 1;
    if (adds(w, "<mark>") < 0 ||
        report_text_putn(w->out, x->data + at, k, REPORT_CTX_HTML, 0, 0) < 0 ||
        adds(w, "</mark>") < 0)
        return -1;
    return report_text_putn(w->out, x->data + at + k, x->len - at - k, REPORT_CTX_HTML, 0, 0);
}

/* 1 for the checks whose expected and actual are values of the same kind
 * (a status, a code, a message, a media type), where the first difference
 * means something; the other checks describe what they expected in words.
 * The check table says which (its SHOWN column); only its data is read. */
static int comparable(const char *check)
{
#define SHOWN_VALUES(name) name,
#define SHOWN_WORDS(name)
#define CHECK(id, name, scope, applies, judge, shown, summary, mutation, gate) SHOWN_##shown(name)
    static const char *const names[] = {
#include "../runners/checks.def"
        NULL};
#undef CHECK
#undef SHOWN_WORDS
#undef SHOWN_VALUES
    size_t i;

    for (i = 0; check && names[i]; i++)
        if (strcmp(check, names[i]) == 0)
            return 1;
    return 0;
}

/* Two table cells: expected and actual, each in <code>; with mark, the
 * first character where they differ is marked in both. */
static int diff_cells(struct hw *w, const char *expected, const char *actual, int mark)
{
    struct ac_buf a = AC_BUF_INIT, b = AC_BUF_INIT;
    size_t i = 0;
    int rc = -1, same;

    if (report_text_put(&a, expected ? expected : "", REPORT_CTX_CLEAN, REPORT_FIELD_CAP, 0) < 0 ||
        report_text_put(&b, actual ? actual : "", REPORT_CTX_CLEAN, REPORT_FIELD_CAP, 0) < 0 ||
        ac_buf_grow(&a, 0) < 0 || ac_buf_grow(&b, 0) < 0)
        goto out;
    while (i < a.len && i < b.len && a.data[i] == b.data[i])
        i++;
    same = !mark || (i == a.len && i == b.len);
    /* Back up to the first byte of the character that differs. */
    while (i > 0 && ((i < a.len && ((unsigned char)a.data[i] & 0xC0) == 0x80) ||
                     (i < b.len && ((unsigned char)b.data[i] & 0xC0) == 0x80)))
        i--;
    if (adds(w, "<td><code>") < 0)
        goto out;
    if (same ? h(w, a.data, 0) < 0 : put_marked(w, &a, i) < 0)
        goto out;
    if (adds(w, "</code></td><td><code>") < 0)
        goto out;
    if (same ? h(w, b.data, 0) < 0 : put_marked(w, &b, i) < 0)
        goto out;
    if (adds(w, "</code></td>") < 0)
        goto out;
    rc = 0;
out:
    ac_buf_release(&a);
    ac_buf_release(&b);
    return rc;
}

static const char *verdict_class(enum verdict v, int known)
{
    switch (v) {
    case VERDICT_PASS: return "s-passed";
    case VERDICT_FAIL: return known ? "s-known" : "s-failed";
    case VERDICT_ERROR: return "s-error";
    case VERDICT_SKIP: return "s-skipped";
    }
    return "s-error";
}

static const char *verdict_label(enum verdict v, int known)
{
    return v == VERDICT_FAIL && known ? "known failure" : verdict_name(v);
}

static int pre_block(struct hw *w, const char *title, const char *s, size_t cap)
{
    if (!s || !*s)
        return 0;
    if (ac_buf_addf(w->out, "<h5>%s</h5>\n<pre>", title) < 0 || h(w, s, cap) < 0)
        return -1;
    return adds(w, "</pre>\n");
}

/* A failure's reproducer: a download link (a data: URL, which the page's
 * CSP does not govern: it is the reader's own navigation) and the script
 * text, whole up to REPORT_SCRIPT_CAP. */
static int reproducer(struct hw *w, const struct result *x)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = (const unsigned char *)x->reproducer;
    size_t n, i;
    char name[80];

    if (!x->reproducer || !*x->reproducer)
        return 0;
    n = strlen(x->reproducer);
    if (n > REPORT_SCRIPT_CAP)
        n = REPORT_SCRIPT_CAP;
    for (i = 0; i < sizeof name - 1 && x->scenario_id && x->scenario_id[i]; i++) {
        char c = x->scenario_id[i];
        name[i] = (isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.') ? c : '_';
    }
    name[i] = '\0';
    if (ac_buf_addf(w->out,
                    "<h5>Reproducer script</h5>\n<p><a download=\"repro-%s.sh\" "
                    "href=\"data:text/x-shellscript;base64,",
                    name) < 0)
        return -1;
    for (i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        char q[4] = {b64[v >> 18 & 63], b64[v >> 12 & 63], i + 1 < n ? b64[v >> 6 & 63] : '=',
                     i + 2 < n ? b64[v & 63] : '='};
        if (ac_buf_add(w->out, q, 4) < 0)
            return -1;
    }
    if (ac_buf_addf(w->out,
                    "\">Download repro-%s.sh</a> (sh; the token from $APICONFORM_TOKEN, or "
                    "$APICONFORM_APP_KEY and $APICONFORM_APP_SECRET)</p>\n"
                    "<details><summary>Script</summary>\n<pre>",
                    name) < 0 ||
        h(w, x->reproducer, REPORT_SCRIPT_CAP) < 0)
        return -1;
    return adds(w, "</pre></details>\n");
}

static int scenario(struct hw *w, size_t idx)
{
    const struct result *x = &w->r->results[idx];
    char t[32];
    size_t i;

    if (ac_buf_addf(w->out, "<article id=\"r%zu\">\n<h4>", idx) < 0 ||
        h1line(w, x->scenario_id, REPORT_LINE_CAP) < 0)
        goto fail;
    if (x->title && *x->title &&
        (adds(w, " <span class=\"muted\">") < 0 || h1line(w, x->title, REPORT_LINE_CAP) < 0 ||
         adds(w, "</span>") < 0))
        goto fail;
    if (ac_buf_addf(w->out, " <span class=\"badge %s\">%s</span></h4>\n<p class=\"muted\">",
                    verdict_class(x->verdict, x->known),
                    x->interrupted ? "interrupted" : verdict_label(x->verdict, x->known)) < 0 ||
        h1line(w, x->file, REPORT_FIELD_CAP) < 0 || adds(w, " &middot; ") < 0 ||
        h1line(w, x->cls, REPORT_LINE_CAP) < 0 ||
        ac_buf_addf(w->out, " &middot; %s s</p>\n",
                    report_fmt_seconds(t, sizeof t, x->duration_ms)) < 0)
        goto fail;
    if (x->verdict == VERDICT_FAIL && x->known &&
        (adds(w, "<p><strong>Known failure</strong> (baseline): ") < 0 ||
         h(w, x->known_reason, REPORT_FIELD_CAP) < 0 || adds(w, "</p>\n") < 0))
        goto fail;
    if (x->verdict == VERDICT_PASS && x->baseline_removable &&
        adds(w, "<p><strong>Passes now:</strong> its baseline entry can be removed.</p>\n") < 0)
        goto fail;
    if (x->verdict == VERDICT_PASS)
        return adds(w, "</article>\n");
    if (x->summary && *x->summary &&
        (adds(w, "<p>") < 0 || h(w, x->summary, REPORT_FIELD_CAP) < 0 || adds(w, "</p>\n") < 0))
        goto fail;
    if (x->verdict == VERDICT_SKIP)
        return adds(w, "</article>\n");
    if (over_budget(w))
        return adds(w, "<p class=\"muted\">[omitted: the report reached its size "
                       "budget]</p>\n</article>\n");
    if (x->nfailures) {
        if (adds(w, "<table class=\"checks\"><tr><th>check</th><th>expected</th>"
                    "<th>actual</th></tr>\n") < 0)
            goto fail;
        for (i = 0; i < x->nfailures; i++) {
            const struct check_failure *f = &x->failures[i];

            if (adds(w, "<tr><td>") < 0 || h1line(w, f->check, REPORT_LINE_CAP) < 0 ||
                adds(w, "</td>") < 0 ||
                diff_cells(w, f->expected, f->actual, comparable(f->check)) < 0 ||
                adds(w, "</tr>\n") < 0)
                goto fail;
            if (f->detail && *f->detail &&
                (adds(w, "<tr><td></td><td colspan=\"2\"><pre>") < 0 ||
                 h(w, f->detail, REPORT_FIELD_CAP) < 0 || adds(w, "</pre></td></tr>\n") < 0))
                goto fail;
        }
        if (adds(w, "</table>\n") < 0)
            goto fail;
    }
    if (x->got_status || x->got_code >= 0 || x->got_message) {
        if ((x->got_status ? ac_buf_addf(w->out, "<p>Got: HTTP %d, code ", x->got_status)
                           : adds(w, "<p>Got: no HTTP status, code ")) < 0 ||
            (x->got_code >= 0 ? ac_buf_addf(w->out, "%ld", x->got_code)
                              : adds(w, "<em>absent or not an integer</em>")) < 0 ||
            adds(w, ", message ") < 0)
            goto fail;
        if (x->got_message) {
            if (adds(w, "<code>") < 0 || h(w, x->got_message, REPORT_FIELD_CAP) < 0 ||
                adds(w, "</code>") < 0)
                goto fail;
        } else if (adds(w, "<em>absent or not a string</em>") < 0) {
            goto fail;
        }
        if (adds(w, "</p>\n") < 0)
            goto fail;
    }
    if (pre_block(w, "Reproduce", x->curl, REPORT_FIELD_CAP) < 0 || reproducer(w, x) < 0 ||
        pre_block(w, "Response excerpt", x->response_excerpt, REPORT_FIELD_CAP) < 0)
        goto fail;
    if (x->transcript && *x->transcript &&
        (adds(w, "<details><summary>Transcript</summary>\n<pre>") < 0 ||
         h(w, x->transcript, REPORT_TRANSCRIPT_CAP) < 0 || adds(w, "</pre></details>\n") < 0))
        goto fail;
    return adds(w, "</article>\n");
fail:
    return -1;
}

/* The codes of service s in display order: catalog file order, then the
 * result codes the catalog lacks. Heap array; 0 or -1. */
static int service_codes(const struct hw *w, int s, const long *extra, size_t nextra, long **out,
                         size_t *n)
{
    size_t i, k = 0, total = nextra + (w->c ? catalog_count(w->c) : 0);
    long *codes = malloc((total ? total : 1) * sizeof *codes);

    *out = NULL;
    *n = 0;
    if (!codes)
        return -1;
    if (w->c)
        for (i = 0; i < catalog_count(w->c); i++)
            if (catalog_at(w->c, i)->service == s)
                codes[k++] = catalog_at(w->c, i)->code;
    for (i = 0; i < nextra; i++) {
        int sv = catalog_code_service(extra[i]);
        if ((sv < 0 ? 99 : sv) == s)
            codes[k++] = extra[i];
    }
    *out = codes;
    *n = k;
    return 0;
}

static int code_detail(struct hw *w, long code)
{
    const struct catalog_entry *e = w->c ? catalog_find(w->c, code) : NULL;
    enum report_code_state st = report_code_state(w->r, code);
    size_t i, n = 0;

    if (ac_buf_addf(w->out,
                    "<section class=\"code\" id=\"c%ld\">\n<h3>%ld <span class=\"badge "
                    "%s\">%s</span></h3>\n",
                    code, code, state_class(st), report_code_state_name(st)) < 0)
        return -1;
    if (e) {
        if (ac_buf_addf(w->out, "<p>HTTP %d &middot; catalog message <code>", e->status) < 0 ||
            h(w, e->message, REPORT_FIELD_CAP) < 0 || adds(w, "</code></p>\n") < 0)
            return -1;
    } else if (adds(w, "<p><strong>Not in the catalog.</strong></p>\n") < 0) {
        return -1;
    }
    for (i = 0; i < w->r->nresults; i++) {
        if (w->r->results[i].code != code)
            continue;
        n++;
        if (scenario(w, i) < 0)
            return -1;
    }
    if (n == 0 && adds(w, "<p class=\"muted\">No scenario covers this code.</p>\n") < 0)
        return -1;
    return adds(w, "</section>\n");
}

static const char *service_verdict(const struct report_service *s, const char **cls)
{
    if (s->failed > s->known) {
        *cls = "s-failed";
        return "failed";
    }
    if (s->errors) {
        *cls = "s-error";
        return "error";
    }
    if ((s->passed || s->known) &&
        (s->skipped || s->codes[REPORT_CODE_PASSED] + s->codes[REPORT_CODE_KNOWN] < s->ncodes)) {
        /* What ran passed, but codes of the service were not judged. */
        *cls = "s-partial";
        return "partial";
    }
    if (s->passed || s->known) {
        *cls = "s-passed";
        return "passed";
    }
    if (s->skipped) {
        *cls = "s-skipped";
        return "skipped";
    }
    *cls = "s-not-covered";
    return "not run";
}

/* "87.5%" from a fraction, with integer arithmetic. */
static void percent(char *buf, size_t size, size_t num, size_t den)
{
    size_t p = den ? (num * 1000 + den / 2) / den : 0;
    if (den)
        snprintf(buf, size, "%zu.%zu%%", p / 10, p % 10);
    else
        snprintf(buf, size, "n/a");
}

static const enum report_code_state chart_order[] = {
    REPORT_CODE_PASSED, REPORT_CODE_FAILED,  REPORT_CODE_KNOWN,
    REPORT_CODE_ERROR,  REPORT_CODE_SKIPPED, REPORT_CODE_NOT_COVERED,
};

/* A horizontal stacked bar per service: its codes by state. Geometry is
 * integer arithmetic, so the output is the same on every machine. */
static int chart(struct hw *w, const struct report_service *sv, size_t ns)
{
    const int label_w = 190, bar_w = 560, row_h = 24, top = 8;
    size_t i, k, max = 1;
    char name[256];
    int height = top + (int)ns * row_h + 30;

    for (i = 0; i < ns; i++)
        if (sv[i].ncodes > max)
            max = sv[i].ncodes;
    if (ac_buf_addf(w->out,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                    "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"catalog codes per service "
                    "by state\">\n",
                    label_w + bar_w + 60, height, label_w + bar_w + 60, height) < 0)
        return -1;
    for (i = 0; i < ns; i++) {
        int y = top + (int)i * row_h, x = label_w;

        report_suite_name(name, sizeof name, w->c, sv[i].service);
        if (ac_buf_addf(w->out, "<text x=\"0\" y=\"%d\">", y + 15) < 0 || h1line(w, name, 60) < 0 ||
            adds(w, "</text>\n") < 0)
            return -1;
        for (k = 0; k < sizeof chart_order / sizeof chart_order[0]; k++) {
            size_t n = sv[i].codes[chart_order[k]];
            int wd = (int)(n * (size_t)bar_w / max);

            if (n == 0)
                continue;
            if (wd < 2)
                wd = 2;
            if (ac_buf_addf(w->out,
                            "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\">"
                            "<title>%s: %zu</title></rect>\n",
                            state_class(chart_order[k]), x, y + 2, wd, row_h - 6,
                            report_code_state_name(chart_order[k]), n) < 0)
                return -1;
            x += wd;
        }
        if (ac_buf_addf(w->out, "<text x=\"%d\" y=\"%d\">%zu</text>\n", x + 6, y + 15,
                        sv[i].ncodes) < 0)
            return -1;
    }
    if (ac_buf_addf(w->out, "<text x=\"%d\" y=\"%d\">scale: %zu codes = %d px</text>\n</svg>\n",
                    label_w, height - 8, max, bar_w) < 0)
        return -1;
    return 0;
}

static int run_table(struct hw *w)
{
    const struct run_results *r = w->r;
    char t[64];

    if (adds(w, "<table class=\"run\">\n<tr><th>Target</th><td><code>") < 0 ||
        h(w, r->target, REPORT_FIELD_CAP) < 0 ||
        ac_buf_addf(w->out, "</code></td></tr>\n<tr><th>Started</th><td>%s UTC</td></tr>\n",
                    report_fmt_time(t, sizeof t, r->started_unix_ms, ' ')) < 0 ||
        ac_buf_addf(w->out, "<tr><th>Duration</th><td>%s s</td></tr>\n",
                    report_fmt_seconds(t, sizeof t, r->duration_ms)) < 0 ||
        adds(w, "<tr><th>Run id</th><td>") < 0 || h(w, r->run_id, REPORT_LINE_CAP) < 0 ||
        adds(w, "</td></tr>\n<tr><th>apiconform</th><td>") < 0 ||
        h(w, r->tool_version, REPORT_LINE_CAP) < 0 ||
        adds(w, "</td></tr>\n<tr><th>Catalog</th><td>") < 0 ||
        h(w, r->catalog_path, REPORT_LINE_CAP) < 0 || adds(w, "<br><code>sha256 ") < 0 ||
        h(w, r->catalog_sha256, REPORT_LINE_CAP) < 0 ||
        adds(w, "</code></td></tr>\n<tr><th>Suite</th><td>") < 0 ||
        h(w, r->suite_path, REPORT_LINE_CAP) < 0 || adds(w, "<br><code>sha256 ") < 0 ||
        h(w, r->suite_sha256, REPORT_LINE_CAP) < 0 ||
        adds(w, "</code></td></tr>\n<tr><th>Capabilities</th><td>") < 0 ||
        h(w, r->capabilities && *r->capabilities ? r->capabilities : "none", REPORT_LINE_CAP) < 0 ||
        adds(w, "</td></tr>\n<tr><th>Host</th><td>") < 0 ||
        h(w, r->hostname, REPORT_LINE_CAP) < 0 || adds(w, "</td></tr>\n") < 0 ||
        adds(w, r->insecure ? "<tr><th>TLS verification</th><td><strong>off</strong> "
                              "(--insecure): certificates were not checked</td></tr>\n"
                            : "<tr><th>TLS verification</th><td>on</td></tr>\n") < 0)
        return -1;
    if (r->shard_count > 0 && ac_buf_addf(w->out, "<tr><th>Shard</th><td>%d of %d</td></tr>\n",
                                          r->shard_index, r->shard_count) < 0)
        return -1;
    return adds(w, "</table>\n");
}

/* The headline, the same words as every other report: what ran, what was
 * verified, and a partial run in its own colour and word. */
static int verdict_banner(struct hw *w)
{
    struct report_headline h;

    report_headline(w->r, w->c, &h);
    return ac_buf_addf(w->out, "<p class=\"verdict v-%s\">%s</p>\n",
                       h.state == REPORT_HEADLINE_NONE ? "other" : h.name, h.text);
}

/* Failures and errors first, for the person who receives the report: each
 * with its one-line reason and a link to its details. */
static int problems(struct hw *w)
{
    struct results_counts n;
    size_t i;

    results_count(w->r, &n);
    if (n.failed + n.errors == 0)
        return 0;
    if (ac_buf_addf(w->out,
                    "<h2 id=\"problems\">Failures and errors (%zu)</h2>\n<ol class=\"problems\">\n",
                    n.failed + n.errors) < 0)
        return -1;
    for (i = 0; i < w->r->nresults; i++) {
        const struct result *x = &w->r->results[i];
        if (x->verdict != VERDICT_FAIL && x->verdict != VERDICT_ERROR)
            continue;
        if (ac_buf_addf(w->out, "<li><span class=\"badge %s\">%s</span> <a href=\"#r%zu\">%ld ",
                        verdict_class(x->verdict, x->known),
                        x->interrupted ? "interrupted" : verdict_label(x->verdict, x->known), i,
                        x->code) < 0 ||
            h1line(w, x->scenario_id, REPORT_LINE_CAP) < 0 || adds(w, "</a>: ") < 0 ||
            h1line(w, x->summary, REPORT_LINE_CAP) < 0 || adds(w, "</li>\n") < 0)
            return -1;
    }
    return adds(w, "</ol>\n");
}

static int services_table(struct hw *w, const struct report_service *sv, size_t ns)
{
    char name[256], pct[32];
    const char *cls, *v;
    size_t i;

    if (adds(w, "<table class=\"services\">\n<tr><th>Service</th><th>Verdict</th>"
                "<th>Compliance</th><th>Codes</th><th>Passed</th><th>Failed</th>"
                "<th>Known</th><th>Error</th><th>Skipped</th><th>Not covered</th>"
                "<th>Scenarios</th></tr>\n") < 0)
        return -1;
    for (i = 0; i < ns; i++) {
        const struct report_service *s = &sv[i];

        report_suite_name(name, sizeof name, w->c, s->service);
        v = service_verdict(s, &cls);
        percent(pct, sizeof pct, s->codes[REPORT_CODE_PASSED], s->ncodes);
        if (ac_buf_addf(w->out, "<tr><td><a href=\"#svc-%02d\">", s->service) < 0 ||
            h1line(w, name, REPORT_LINE_CAP) < 0 ||
            ac_buf_addf(w->out,
                        "</a></td><td><span class=\"badge %s\">%s</span></td>"
                        "<td class=\"n\">%s</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                        "<td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                        "<td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                        "</tr>\n",
                        cls, v, pct, s->ncodes, s->codes[REPORT_CODE_PASSED],
                        s->codes[REPORT_CODE_FAILED], s->codes[REPORT_CODE_KNOWN],
                        s->codes[REPORT_CODE_ERROR], s->codes[REPORT_CODE_SKIPPED],
                        s->codes[REPORT_CODE_NOT_COVERED], s->tests) < 0)
            return -1;
    }
    return adds(w, "</table>\n<p class=\"muted\">Compliance: the share of the service's "
                   "codes whose scenarios all passed. Columns Passed to Not covered count "
                   "codes; Scenarios counts results.</p>\n");
}

static int matrix(struct hw *w, const struct report_service *sv, size_t ns, const long *extra,
                  size_t nextra)
{
    char name[256];
    long *codes = NULL;
    size_t i, j, n;
    int rc = -1;

    if (adds(w, "<p class=\"legend\">") < 0)
        return -1;
    for (i = 0; i < REPORT_CODE_NSTATES; i++)
        if (ac_buf_addf(w->out, "<span class=\"%s\">%s %s</span>", state_class(chart_order[i]),
                        state_mark(chart_order[i]), report_code_state_name(chart_order[i])) < 0)
            return -1;
    if (adds(w, "</p>\n") < 0)
        return -1;
    for (i = 0; i < ns; i++) {
        report_suite_name(name, sizeof name, w->c, sv[i].service);
        if (ac_buf_addf(w->out, "<h3 id=\"svc-%02d\">", sv[i].service) < 0 ||
            h1line(w, name, REPORT_LINE_CAP) < 0 || adds(w, "</h3>\n<div class=\"grid\">\n") < 0 ||
            service_codes(w, sv[i].service, extra, nextra, &codes, &n) < 0)
            goto out;
        for (j = 0; j < n; j++) {
            const struct catalog_entry *e = w->c ? catalog_find(w->c, codes[j]) : NULL;
            enum report_code_state st = report_code_state(w->r, codes[j]);

            if (ac_buf_addf(w->out, "<a class=\"%s\" href=\"#c%ld\" title=\"%s: ", state_class(st),
                            codes[j], report_code_state_name(st)) < 0 ||
                h1line(w, e ? e->message : "not in the catalog", 200) < 0 ||
                ac_buf_addf(w->out, "\">%s %ld</a>\n", state_mark(st), codes[j]) < 0)
                goto out;
        }
        free(codes);
        codes = NULL;
        if (adds(w, "</div>\n") < 0)
            goto out;
    }
    rc = 0;
out:
    free(codes);
    return rc;
}

static int details(struct hw *w, const struct report_service *sv, size_t ns, const long *extra,
                   size_t nextra)
{
    char name[256];
    long *codes = NULL;
    size_t i, j, n;
    int rc = -1;

    for (i = 0; i < ns; i++) {
        report_suite_name(name, sizeof name, w->c, sv[i].service);
        if (ac_buf_addf(w->out, "<h2%s>Details: ", i == 0 ? " id=\"details\"" : "") < 0 ||
            h1line(w, name, REPORT_LINE_CAP) < 0 || adds(w, "</h2>\n") < 0 ||
            service_codes(w, sv[i].service, extra, nextra, &codes, &n) < 0)
            goto out;
        for (j = 0; j < n; j++)
            if (code_detail(w, codes[j]) < 0)
                goto out;
        free(codes);
        codes = NULL;
    }
    rc = 0;
out:
    free(codes);
    return rc;
}

int report_html_write(const struct run_results *r, const struct catalog *c, struct ac_buf *out)
{
    struct hw w = {out, out->len, r, c};
    struct report_service *sv = NULL;
    struct results_counts incomplete_n;
    long *extra = NULL;
    size_t ns = 0, nextra = 0;
    int rc = -1;

    results_count(r, &incomplete_n);
    if (report_services(r, c, 1, &sv, &ns) < 0 || report_extra_codes(r, c, &extra, &nextra) < 0)
        goto out;
    if (adds(&w,
             "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
             "style-src 'unsafe-inline'\">\n<meta name=\"viewport\" "
             "content=\"width=device-width, initial-scale=1\">\n<title>apiconform report: ") < 0 ||
        h1line(&w, r->target, 200) < 0 || adds(&w, "</title>\n<style>\n") < 0 ||
        adds(&w, CSS) < 0 || adds(&w, "</style>\n</head>\n<body>\n<header>\n") < 0 ||
        adds(&w, "<h1>apiconform compliance report</h1>\n") < 0 || verdict_banner(&w) < 0)
        goto out;
    if (r->incomplete &&
        ac_buf_addf(w.out,
                    "<p class=\"incomplete\">The run was interrupted: %zu scenario%s did "
                    "not finish because of it (marked interrupted: not started, or cut "
                    "short).</p>\n",
                    incomplete_n.interrupted, incomplete_n.interrupted == 1 ? "" : "s") < 0)
        goto out;
    if (run_table(&w) < 0 || adds(&w, "</header>\n<main>\n") < 0 || problems(&w) < 0 ||
        adds(&w, "<h2 id=\"services\">Services</h2>\n") < 0 || services_table(&w, sv, ns) < 0 ||
        chart(&w, sv, ns) < 0 || adds(&w, "<h2 id=\"matrix\">Codes</h2>\n") < 0 ||
        matrix(&w, sv, ns, extra, nextra) < 0 || details(&w, sv, ns, extra, nextra) < 0 ||
        adds(&w, "</main>\n</body>\n</html>\n") < 0)
        goto out;
    rc = 0;
out:
    free(sv);
    free(extra);
    return rc;
}

int report_html_write_file(const struct run_results *r, const struct catalog *c, const char *path,
                           struct ac_error *err)
{
    struct ac_buf b = AC_BUF_INIT;
    int rc;

    if (report_html_write(r, c, &b) < 0) {
        ac_buf_release(&b);
        return ac_error_nomem(err, path);
    }
    rc = ac_file_write_atomic(path, b.data, b.len, err);
    ac_buf_release(&b);
    return rc;
}
