/* reports/markdown.c -- the Markdown summary (see reports.h). Server text
 * only ever appears inside code spans (where Markdown, HTML and @mentions
 * are inert), cut short and on one line; catalog text (service names) is
 * backslash-escaped. Every piece after the fixed header is built in a
 * scratch buffer and added only when it fits REPORT_MD_MAX_BYTES minus a
 * reserve for the closing notes, so the limit holds for any model. */
#include "reports.h"

#include <stdlib.h>
#include <string.h>

#include "report_text.h"

/* Room kept for "... more not shown" notes and section headings. */
#define MD_RESERVE 2048u
/* Caps for the pieces of a list item. */
#define MD_ID_CAP 120u
#define MD_SUMMARY_CAP 400u

struct mw {
    struct ac_buf *out;
    size_t start;
    struct ac_buf item; /* scratch for the piece being built */
    int full;           /* the budget was reached: only notes from now on */
};

static int fits(const struct mw *w, size_t more)
{
    return w->out->len - w->start + more + MD_RESERVE <= REPORT_MD_MAX_BYTES;
}

/* Appends the scratch item when it fits; returns 1 added, 0 not, -1. */
static int flush_item(struct mw *w)
{
    int added = 0;

    if (!w->full && fits(w, w->item.len)) {
        if (ac_buf_add(w->out, w->item.data ? w->item.data : "", w->item.len) < 0)
            return -1;
        added = 1;
    } else {
        w->full = 1;
    }
    ac_buf_reset(&w->item);
    return added;
}

static int code_span(struct ac_buf *b, const char *s, size_t cap)
{
    return report_text_md_code(b, s, cap, 0);
}

static int header(struct mw *w, const struct run_results *r, const struct catalog *c)
{
    /* A mark per state, so the heading is read right without colour; a
     * partial run never shows the full-pass mark. */
    static const char *const marks[] = {
        "\xE2\x9C\x85 passed",                           /* ✅ */
        "\xF0\x9F\x9F\xA1 partial pass",                 /* 🟡 */
        "\xE2\x9D\x8C failed",                           /* ❌ */
        "\xE2\x9A\xA0\xEF\xB8\x8F not judged",           /* ⚠️ */
        "\xE2\x9E\x96 nothing judged (no scenario ran)", /* ➖ */
    };
    struct results_counts n;
    struct report_headline h;
    char t[64];

    results_count(r, &n);
    report_headline(r, c, &h);
    if (ac_buf_addf(w->out, "## apiconform: %s\n\n**%s**\n\n", marks[h.state], h.text) < 0)
        return -1;
    if (ac_buf_addf(w->out,
                    "**%zu failed** of %zu scenarios \xC2\xB7 %zu passed \xC2\xB7 "
                    "%zu known failures \xC2\xB7 %zu errors \xC2\xB7 %zu skipped\n\n",
                    n.failed - n.known, n.total, n.passed, n.known, n.errors, n.skipped) < 0)
        return -1;
    if (ac_buf_adds(w->out, "Target ") < 0 || code_span(w->out, r->target, 256) < 0 ||
        ac_buf_adds(w->out, " \xC2\xB7 run ") < 0 || code_span(w->out, r->run_id, 64) < 0 ||
        ac_buf_addf(w->out, " \xC2\xB7 started %s UTC \xC2\xB7 ",
                    report_fmt_time(t, sizeof t, r->started_unix_ms, ' ')) < 0 ||
        ac_buf_addf(w->out, "%s s \xC2\xB7 apiconform ",
                    report_fmt_seconds(t, sizeof t, r->duration_ms)) < 0 ||
        code_span(w->out, r->tool_version, 32) < 0)
        return -1;
    if (r->shard_count > 0 &&
        ac_buf_addf(w->out, " \xC2\xB7 shard %d of %d", r->shard_index, r->shard_count) < 0)
        return -1;
    if (ac_buf_adds(w->out, "\n\n") < 0)
        return -1;
    if (r->insecure &&
        ac_buf_adds(w->out, "> **TLS verification was off** (`--insecure`): the target's "
                            "certificate was not checked.\n\n") < 0)
        return -1;
    if (r->incomplete && ac_buf_addf(w->out,
                                     "> **The run was interrupted**: %zu scenario%s did not finish "
                                     "because of it (marked interrupted: not started, or cut "
                                     "short).\n\n",
                                     n.interrupted, n.interrupted == 1 ? "" : "s") < 0)
        return -1;
    return 0;
}

static int services(struct mw *w, const struct run_results *r, const struct catalog *c)
{
    struct report_service *sv = NULL;
    char name[256];
    size_t ns = 0, i, shown = 0;
    int rc = -1, added;

    if (report_services(r, c, 0, &sv, &ns) < 0)
        return -1;
    if (ns == 0) {
        rc = 0;
        goto out;
    }
    if (ac_buf_adds(w->out, "| Service | Scenarios | Passed | Failed | Known | Errors | "
                            "Skipped |\n|---|--:|--:|--:|--:|--:|--:|\n") < 0)
        goto out;
    for (i = 0; i < ns; i++) {
        const struct report_service *s = &sv[i];

        report_suite_name(name, sizeof name, c, s->service);
        if (ac_buf_adds(&w->item, "| ") < 0 ||
            report_text_put(&w->item, name, REPORT_CTX_MD_TEXT, 100, REPORT_TEXT_ONELINE) < 0 ||
            ac_buf_addf(&w->item, " | %zu | %zu | %zu | %zu | %zu | %zu |\n", s->tests, s->passed,
                        s->failed - s->known, s->known, s->errors, s->skipped) < 0)
            goto out;
        added = flush_item(w);
        if (added < 0)
            goto out;
        shown += (size_t)added;
    }
    if (shown < ns && ac_buf_addf(w->out, "\n_%zu more services not shown._\n", ns - shown) < 0)
        goto out;
    if (ac_buf_adds(w->out, "\n") < 0)
        goto out;
    rc = 0;
out:
    free(sv);
    return rc;
}

enum list_kind { LIST_FAILED, LIST_ERROR, LIST_INTERRUPTED, LIST_KNOWN, LIST_REMOVABLE };

static int in_list(const struct result *x, enum list_kind k)
{
    switch (k) {
    case LIST_FAILED: return x->verdict == VERDICT_FAIL && !x->known;
    case LIST_ERROR: return x->verdict == VERDICT_ERROR && !x->interrupted;
    case LIST_INTERRUPTED: return x->verdict == VERDICT_ERROR && x->interrupted;
    case LIST_KNOWN: return x->verdict == VERDICT_FAIL && x->known;
    case LIST_REMOVABLE: return x->verdict == VERDICT_PASS && x->baseline_removable;
    }
    return 0;
}

/* "status, consistency": every failed check of x, each once, in order. */
static void failed_checks(const struct result *x, char *buf, size_t size)
{
    size_t i, k, used = 0;

    buf[0] = '\0';
    for (i = 0; i < x->nfailures && used < size; i++) {
        for (k = 0; k < i; k++)
            if (!strcmp(x->failures[k].check, x->failures[i].check))
                break;
        if (k < i)
            continue;
        used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
                                 x->failures[i].check);
    }
    if (!buf[0])
        snprintf(buf, size, "contract");
}

static int item(struct mw *w, const struct result *x, enum list_kind k)
{
    char checks[160];

    if (ac_buf_addf(&w->item, "- **%ld** ", x->code) < 0 ||
        code_span(&w->item, x->scenario_id, MD_ID_CAP) < 0)
        return -1;
    switch (k) {
    case LIST_FAILED:
        failed_checks(x, checks, sizeof checks);
        if (ac_buf_adds(&w->item, " (") < 0 || code_span(&w->item, checks, sizeof checks) < 0 ||
            ac_buf_adds(&w->item, "): ") < 0 || code_span(&w->item, x->summary, MD_SUMMARY_CAP) < 0)
            return -1;
        break;
    case LIST_ERROR:
    case LIST_INTERRUPTED:
        if (ac_buf_adds(&w->item, ": ") < 0 || code_span(&w->item, x->summary, MD_SUMMARY_CAP) < 0)
            return -1;
        break;
    case LIST_KNOWN:
        if (ac_buf_adds(&w->item, ": ") < 0 ||
            code_span(&w->item, x->known_reason, MD_SUMMARY_CAP) < 0)
            return -1;
        break;
    case LIST_REMOVABLE:
        if (ac_buf_adds(&w->item, " passes now: remove it from the baseline") < 0)
            return -1;
        break;
    }
    return ac_buf_addc(&w->item, '\n');
}

static int list(struct mw *w, const struct run_results *r, enum list_kind k, const char *title)
{
    size_t i, total = 0, shown = 0;
    int added;

    for (i = 0; i < r->nresults; i++)
        total += (size_t)in_list(&r->results[i], k);
    if (total == 0)
        return 0;
    if (ac_buf_addf(w->out, "### %s (%zu)\n\n", title, total) < 0)
        return -1;
    for (i = 0; i < r->nresults; i++) {
        if (!in_list(&r->results[i], k))
            continue;
        if (item(w, &r->results[i], k) < 0)
            return -1;
        added = flush_item(w);
        if (added < 0)
            return -1;
        shown += (size_t)added;
    }
    if (shown < total &&
        ac_buf_addf(w->out,
                    "\n_%zu more not shown (summary limit of %u bytes): see the HTML "
                    "report or the JSON results._\n",
                    total - shown, REPORT_MD_MAX_BYTES) < 0)
        return -1;
    return ac_buf_adds(w->out, "\n");
}

int report_md_write(const struct run_results *r, const struct catalog *c, struct ac_buf *out)
{
    struct mw w = {out, out->len, AC_BUF_INIT, 0};
    int rc = -1;

    if (header(&w, r, c) < 0 || services(&w, r, c) < 0 ||
        list(&w, r, LIST_FAILED, "Failures") < 0 || list(&w, r, LIST_ERROR, "Errors") < 0 ||
        list(&w, r, LIST_INTERRUPTED, "Interrupted") < 0 ||
        list(&w, r, LIST_KNOWN, "Known failures (baseline)") < 0 ||
        list(&w, r, LIST_REMOVABLE, "Baseline entries that can be removed") < 0)
        goto out;
    rc = 0;
out:
    ac_buf_release(&w.item);
    return rc;
}

int report_md_write_file(const struct run_results *r, const struct catalog *c, const char *path,
                         struct ac_error *err)
{
    struct ac_buf b = AC_BUF_INIT;
    int rc;

    if (report_md_write(r, c, &b) < 0) {
        ac_buf_release(&b);
        return ac_error_nomem(err, path);
    }
    rc = ac_file_write_atomic(path, b.data, b.len, err);
    ac_buf_release(&b);
    return rc;
}
