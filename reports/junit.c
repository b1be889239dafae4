/* reports/junit.c -- JUnit XML (see reports.h). Element and attribute
 * names are only those junit-10.xsd allows where they are used: testsuites
 * takes name, tests, failures, errors, time and nothing else; testcase
 * takes name, classname, time (no file). */
#include "reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_text.h"

/* Writer state: the output and where this document started in it, for the
 * size budget. */
struct jw {
    struct ac_buf *out;
    size_t start;
    int transcripts; /* passing scenarios' transcripts too (--junit-transcripts) */
};

static int over_budget(const struct jw *w)
{
    return w->out->len - w->start > REPORT_JUNIT_BUDGET;
}

/* ` name="value"`, value escaped for an attribute and cut at cap. */
static int attr(struct jw *w, const char *name, const char *value, size_t cap, unsigned flags)
{
    if (ac_buf_addf(w->out, " %s=\"", name) < 0 ||
        report_text_put(w->out, value ? value : "", REPORT_CTX_XML_ATTR, cap, flags) < 0)
        return -1;
    return ac_buf_addc(w->out, '"');
}

static int attr_num(struct jw *w, const char *name, size_t n)
{
    return ac_buf_addf(w->out, " %s=\"%zu\"", name, n);
}

static int attr_time(struct jw *w, const char *name, long long ms)
{
    char t[32];
    return ac_buf_addf(w->out, " %s=\"%s\"", name, report_fmt_seconds(t, sizeof t, ms));
}

static int text(struct jw *w, const char *s, size_t cap)
{
    return report_text_put(w->out, s, REPORT_CTX_XML_TEXT, cap, 0);
}

static int property(struct jw *w, const char *name, const char *value)
{
    if (ac_buf_adds(w->out, "      <property") < 0 || attr(w, "name", name, 0, 0) < 0 ||
        attr(w, "value", value, REPORT_FIELD_CAP, 0) < 0)
        return -1;
    return ac_buf_adds(w->out, "/>\n");
}

/* "4040402 lb-describe-unknown" (or with a reason) into b, raw: the caller
 * escapes it. */
static int case_label(struct ac_buf *b, const struct result *x, const char *reason)
{
    ac_buf_reset(b);
    if (ac_buf_addf(b, "%ld %s", x->code, x->scenario_id ? x->scenario_id : "") < 0)
        return -1;
    if (reason && (ac_buf_adds(b, ": ") < 0 || ac_buf_adds(b, reason) < 0))
        return -1;
    return 0;
}

static int properties(struct jw *w, const struct run_results *r, int service,
                      const struct report_headline *headline)
{
    struct ac_buf b = AC_BUF_INIT;
    char shard[64];
    size_t i;
    int rc = -1;

    if (ac_buf_adds(w->out, "    <properties>\n") < 0 ||
        property(w, "apiconform.version", r->tool_version) < 0 ||
        property(w, "run.id", r->run_id) < 0 || property(w, "target", r->target) < 0 ||
        property(w, "catalog.path", r->catalog_path) < 0 ||
        property(w, "catalog.sha256", r->catalog_sha256) < 0 ||
        property(w, "suite.path", r->suite_path) < 0 ||
        property(w, "suite.sha256", r->suite_sha256) < 0 ||
        property(w, "capabilities", r->capabilities) < 0 ||
        property(w, "incomplete", r->incomplete ? "true" : "false") < 0 ||
        property(w, "verdict", headline->text) < 0 ||
        property(w, "tls.verify", r->insecure ? "false" : "true") < 0)
        goto out;
    if (r->shard_count > 0) {
        snprintf(shard, sizeof shard, "%d/%d", r->shard_index, r->shard_count);
        if (property(w, "shard", shard) < 0)
            goto out;
    }
    for (i = 0; i < r->nresults; i++) {
        const struct result *x = &r->results[i];

        if (report_result_service(x) != service)
            continue;
        if (x->verdict == VERDICT_FAIL && x->known) {
            if (case_label(&b, x, x->known_reason ? x->known_reason : "") < 0 ||
                property(w, "baseline.known", b.data) < 0)
                goto out;
        } else if (x->verdict == VERDICT_PASS && x->baseline_removable) {
            if (case_label(&b, x, NULL) < 0 || property(w, "baseline.removable", b.data) < 0)
                goto out;
        }
    }
    if (ac_buf_adds(w->out, "    </properties>\n") < 0)
        goto out;
    rc = 0;
out:
    ac_buf_release(&b);
    return rc;
}

static const char OMITTED[] = "[omitted: the report reached its size budget]";

/* Expected vs actual of every failed check, then how to reproduce it. */
static int failure_text(struct jw *w, const struct result *x)
{
    size_t i;

    if (over_budget(w))
        return text(w, OMITTED, 0);
    if (ac_buf_adds(w->out, "scenario file: ") < 0 || text(w, x->file, REPORT_FIELD_CAP) < 0 ||
        ac_buf_adds(w->out, "\ntitle: ") < 0 || text(w, x->title, REPORT_FIELD_CAP) < 0 ||
        ac_buf_addc(w->out, '\n') < 0)
        return -1;
    for (i = 0; i < x->nfailures; i++) {
        const struct check_failure *f = &x->failures[i];

        if (ac_buf_adds(w->out, "check ") < 0 || text(w, f->check, REPORT_LINE_CAP) < 0 ||
            ac_buf_adds(w->out, ": expected ") < 0 || text(w, f->expected, REPORT_FIELD_CAP) < 0 ||
            ac_buf_adds(w->out, ", got ") < 0 || text(w, f->actual, REPORT_FIELD_CAP) < 0 ||
            ac_buf_addc(w->out, '\n') < 0)
            return -1;
        if (f->detail && *f->detail &&
            (text(w, f->detail, REPORT_FIELD_CAP) < 0 || ac_buf_addc(w->out, '\n') < 0))
            return -1;
    }
    if (x->curl && *x->curl &&
        (ac_buf_adds(w->out, "reproduce:\n") < 0 || text(w, x->curl, REPORT_FIELD_CAP) < 0 ||
         ac_buf_addc(w->out, '\n') < 0))
        return -1;
    if (x->response_excerpt && *x->response_excerpt &&
        (ac_buf_adds(w->out, "response:\n") < 0 ||
         text(w, x->response_excerpt, REPORT_FIELD_CAP) < 0 || ac_buf_addc(w->out, '\n') < 0))
        return -1;
    return 0;
}

static int error_text(struct jw *w, const struct result *x)
{
    if (over_budget(w))
        return text(w, OMITTED, 0);
    if (ac_buf_adds(w->out, "scenario file: ") < 0 || text(w, x->file, REPORT_FIELD_CAP) < 0 ||
        ac_buf_adds(w->out, "\n") < 0 || text(w, x->summary, REPORT_FIELD_CAP) < 0 ||
        ac_buf_addc(w->out, '\n') < 0)
        return -1;
    if (x->curl && *x->curl &&
        (ac_buf_adds(w->out, "reproduce:\n") < 0 || text(w, x->curl, REPORT_FIELD_CAP) < 0 ||
         ac_buf_addc(w->out, '\n') < 0))
        return -1;
    return 0;
}

static int system_out(struct jw *w, const struct result *x, int transcripts)
{
    int known = x->verdict == VERDICT_FAIL && x->known;

    if (ac_buf_adds(w->out, "      <system-out>") < 0)
        return -1;
    if (known) {
        if (ac_buf_adds(w->out, "known failure: ") < 0 ||
            text(w, x->known_reason ? x->known_reason : "", REPORT_LINE_CAP) < 0 ||
            ac_buf_addc(w->out, '\n') < 0 || text(w, x->summary, REPORT_LINE_CAP) < 0 ||
            ac_buf_addc(w->out, '\n') < 0)
            return -1;
    }
    if (x->verdict == VERDICT_PASS && x->baseline_removable &&
        ac_buf_adds(w->out, "passes now: its baseline entry can be removed\n") < 0)
        return -1;
    if (ac_buf_adds(w->out, "scenario file: ") < 0 || text(w, x->file, REPORT_FIELD_CAP) < 0 ||
        ac_buf_addc(w->out, '\n') < 0)
        return -1;
    if (known && failure_text(w, x) < 0)
        return -1;
    /* A passing scenario's transcript is in the JSON results; in JUnit
     * only on request (a passing run's JUnit was 800 KB of them). */
    if (x->transcript && *x->transcript &&
        (transcripts || x->verdict == VERDICT_FAIL || x->verdict == VERDICT_ERROR)) {
        if (over_budget(w)) {
            if (text(w, OMITTED, 0) < 0)
                return -1;
        } else if (text(w, x->transcript, REPORT_TRANSCRIPT_CAP) < 0) {
            return -1;
        }
    }
    return ac_buf_adds(w->out, "</system-out>\n");
}

static int testcase(struct jw *w, const struct result *x, const char *suite)
{
    struct ac_buf name = AC_BUF_INIT;
    int rc = -1;

    if (case_label(&name, x, NULL) < 0 || ac_buf_adds(w->out, "    <testcase") < 0 ||
        attr(w, "classname", suite, 0, 0) < 0 ||
        attr(w, "name", name.data, REPORT_LINE_CAP, REPORT_TEXT_ONELINE) < 0 ||
        attr_time(w, "time", x->duration_ms) < 0 || ac_buf_adds(w->out, ">\n") < 0)
        goto out;
    switch (x->verdict) {
    case VERDICT_PASS: break;
    case VERDICT_FAIL:
        if (x->known)
            break;
        if (ac_buf_adds(w->out, "      <failure") < 0 ||
            attr(w, "message", x->summary, REPORT_LINE_CAP, REPORT_TEXT_ONELINE) < 0 ||
            attr(w, "type", x->nfailures ? x->failures[0].check : "contract", REPORT_LINE_CAP,
                 REPORT_TEXT_ONELINE) < 0 ||
            ac_buf_addc(w->out, '>') < 0 || failure_text(w, x) < 0 ||
            ac_buf_adds(w->out, "</failure>\n") < 0)
            goto out;
        break;
    case VERDICT_ERROR:
        if (ac_buf_adds(w->out, "      <error") < 0 ||
            attr(w, "message", x->summary, REPORT_LINE_CAP, REPORT_TEXT_ONELINE) < 0 ||
            attr(w, "type", x->interrupted ? "interrupted" : "transport", 0, 0) < 0 ||
            ac_buf_addc(w->out, '>') < 0 || error_text(w, x) < 0 ||
            ac_buf_adds(w->out, "</error>\n") < 0)
            goto out;
        break;
    case VERDICT_SKIP:
        if (ac_buf_adds(w->out, "      <skipped") < 0 ||
            attr(w, "message", x->summary, REPORT_LINE_CAP, REPORT_TEXT_ONELINE) < 0 ||
            ac_buf_adds(w->out, "/>\n") < 0)
            goto out;
        break;
    }
    if (system_out(w, x, w->transcripts) < 0 || ac_buf_adds(w->out, "    </testcase>\n") < 0)
        goto out;
    rc = 0;
out:
    ac_buf_release(&name);
    return rc;
}

int report_junit_write(const struct run_results *r, const struct catalog *c, struct ac_buf *out)
{
    struct jw w = {out, out->len, r->junit_transcripts};
    struct report_service *sv = NULL;
    struct report_headline headline;
    char suite[256], ts[32];
    size_t ns = 0, i, j;
    int rc = -1;

    if (report_services(r, c, 0, &sv, &ns) < 0)
        return -1;
    report_headline(r, c, &headline);
    /* The root carries no counts, as pytest's does not: the xunit schema
     * has no skipped count there, and parsers that find tests/failures on
     * the root (test-results-parser) take them as the whole truth and read
     * every skipped scenario as passed. Without them they add up the
     * <testsuite> counts, which include skipped. Known failures are written
     * as passing test cases, so they are not counted as failures: every
     * count equals its elements. */
    if (ac_buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites") < 0 ||
        attr(&w, "name", "apiconform", 0, 0) < 0 || attr_time(&w, "time", r->duration_ms) < 0 ||
        ac_buf_adds(out, ">\n") < 0)
        goto out;
    for (i = 0; i < ns; i++) {
        const struct report_service *s = &sv[i];

        report_suite_name(suite, sizeof suite, c, s->service);
        report_fmt_time(ts, sizeof ts, r->started_unix_ms + s->first_start_ms, 'T');
        if (ac_buf_adds(out, "  <testsuite") < 0 || attr(&w, "name", suite, 0, 0) < 0 ||
            attr_num(&w, "tests", s->tests) < 0 ||
            attr_num(&w, "failures", s->failed - s->known) < 0 ||
            attr_num(&w, "errors", s->errors) < 0 || attr_num(&w, "skipped", s->skipped) < 0 ||
            attr_time(&w, "time", s->last_end_ms - s->first_start_ms) < 0 ||
            attr(&w, "timestamp", ts, 0, 0) < 0 ||
            attr(&w, "hostname", r->hostname && *r->hostname ? r->hostname : "unknown",
                 REPORT_LINE_CAP, REPORT_TEXT_ONELINE) < 0 ||
            ac_buf_addf(out, " id=\"%zu\"", i) < 0 || attr(&w, "package", "apiconform", 0, 0) < 0 ||
            ac_buf_adds(out, ">\n") < 0 || properties(&w, r, s->service, &headline) < 0)
            goto out;
        for (j = 0; j < r->nresults; j++)
            if (report_result_service(&r->results[j]) == s->service &&
                testcase(&w, &r->results[j], suite) < 0)
                goto out;
        if (ac_buf_adds(out, "  </testsuite>\n") < 0)
            goto out;
    }
    if (ac_buf_adds(out, "</testsuites>\n") < 0)
        goto out;
    rc = 0;
out:
    free(sv);
    return rc;
}

int report_junit_write_file(const struct run_results *r, const struct catalog *c, const char *path,
                            struct ac_error *err)
{
    struct ac_buf b = AC_BUF_INIT;
    int rc;

    if (report_junit_write(r, c, &b) < 0) {
        ac_buf_release(&b);
        return ac_error_nomem(err, path);
    }
    rc = ac_file_write_atomic(path, b.data, b.len, err);
    ac_buf_release(&b);
    return rc;
}
