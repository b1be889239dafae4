/* tests/test_reports_data.c -- the reports module's data operations: the
 * JSON results written and read back (lossless, every report rebuilt from
 * it, exact read errors), --insecure recorded in every report, merging
 * shards, diffing two runs, and baseline files (validation, expiry, known
 * failures that turn a run green). Fixtures in reportfix.h. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../reports/report_text.h"
#include "../reports/reports.h"
#include "reportfix.h"

/* ---- JSON round trip ------------------------------------------------------------- */

static int str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static int results_equal(const struct run_results *a, const struct run_results *b)
{
    size_t i, j;

    if (!str_eq(a->run_id, b->run_id) || !str_eq(a->target, b->target) ||
        !str_eq(a->tool_version, b->tool_version) || !str_eq(a->catalog_path, b->catalog_path) ||
        !str_eq(a->catalog_sha256, b->catalog_sha256) || !str_eq(a->suite_path, b->suite_path) ||
        !str_eq(a->suite_sha256, b->suite_sha256) || !str_eq(a->capabilities, b->capabilities) ||
        !str_eq(a->hostname, b->hostname) || a->started_unix_ms != b->started_unix_ms ||
        a->duration_ms != b->duration_ms || a->incomplete != b->incomplete ||
        a->insecure != b->insecure || a->shard_index != b->shard_index ||
        a->shard_count != b->shard_count || a->nresults != b->nresults)
        return 0;
    for (i = 0; i < a->nresults; i++) {
        const struct result *x = &a->results[i], *y = &b->results[i];

        if (!str_eq(x->scenario_id, y->scenario_id) || x->code != y->code ||
            x->service != y->service || !str_eq(x->title, y->title) || !str_eq(x->file, y->file) ||
            !str_eq(x->cls, y->cls) || x->verdict != y->verdict ||
            !str_eq(x->summary, y->summary) || x->nfailures != y->nfailures ||
            !str_eq(x->curl, y->curl) || !str_eq(x->reproducer, y->reproducer) ||
            !str_eq(x->transcript, y->transcript) || x->got_status != y->got_status ||
            x->got_code != y->got_code || !str_eq(x->got_message, y->got_message) ||
            !str_eq(x->response_excerpt, y->response_excerpt) || x->started_ms != y->started_ms ||
            x->duration_ms != y->duration_ms || x->known != y->known ||
            !str_eq(x->known_reason, y->known_reason) ||
            x->baseline_removable != y->baseline_removable)
            return 0;
        for (j = 0; j < x->nfailures; j++)
            if (!str_eq(x->failures[j].check, y->failures[j].check) ||
                !str_eq(x->failures[j].expected, y->failures[j].expected) ||
                !str_eq(x->failures[j].actual, y->failures[j].actual) ||
                !str_eq(x->failures[j].detail, y->failures[j].detail))
                return 0;
    }
    return 1;
}

static void roundtrip(void (*build)(struct run_results *))
{
    static const rf_writer_fn writers[] = {report_junit_write, report_html_write, report_md_write};
    struct catalog *c = rf_test_catalog(), *c2 = NULL;
    struct run_results r, back;
    struct ac_buf a = AC_BUF_INIT, b = AC_BUF_INIT;
    struct ac_error err = AC_ERROR_INIT;
    size_t i;

    build(&r);
    /* Strings the model may legitimately hold: controls, quotes, CJK,
     * astral characters, and NULL fields. */
    rf_set_str(&r.results[0].got_message, "\x01\x1f \"q\" \\ / 负载 \xF0\x9F\x98\x80 \xEF\xBF\xBF");
    rf_set_str(&r.results[0].title, NULL);
    rf_set_str(&r.hostname, NULL);
    report_json_write(&r, c, &a);
    T_EQ_INT(report_json_read_buffer("a.json", a.data, a.len, &back, &c2, &err), 0);
    T_TRUE(results_equal(&r, &back));
    T_TRUE(c2 != NULL);
    report_json_write(&back, c2, &b);
    T_EQ_INT(a.len, b.len);
    T_TRUE(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    /* Every other report rebuilt from the JSON alone is the same. */
    for (i = 0; c2 && i < sizeof writers / sizeof writers[0]; i++) {
        ac_buf_reset(&a);
        ac_buf_reset(&b);
        writers[i](&r, c, &a);
        writers[i](&back, c2, &b);
        T_EQ_INT(a.len, b.len);
        T_TRUE(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    }
    ac_buf_release(&a);
    ac_buf_release(&b);
    results_release(&r);
    results_release(&back);
    catalog_free(c);
    catalog_free(c2);
}

static void test_reports_json_roundtrip(void)
{
    roundtrip(rf_model_pass);
    roundtrip(rf_model_failures);
    roundtrip(rf_model_errors_skips);
}

static void expect_read_error(const char *json, const char *want)
{
    struct run_results r;
    struct catalog *c = (struct catalog *)1;
    struct ac_error err = AC_ERROR_INIT;
    char msg[600];

    T_EQ_INT(report_json_read_buffer("r.json", json, strlen(json), &r, &c, &err), -1);
    T_EQ_STR(ac_error_str(&err, msg, sizeof msg), want);
    T_TRUE(c == NULL);
    T_EQ_INT(r.nresults, 0);
}

static void test_reports_json_read_errors(void)
{
    expect_read_error("{", "r.json:1:1: not valid JSON: string or '}' expected near end of file");
    expect_read_error("[]", "r.json: expected a JSON object, got an array");
    expect_read_error("{\"schema\": \"apiconform-results/2\"}",
                      "r.json: schema: unsupported schema \"apiconform-results/2\"; expected "
                      "\"apiconform-results/1\"");
    expect_read_error("{\"schema\": \"apiconform-results/1\", \"results\": []}",
                      "r.json: run: missing; expected an object");
    expect_read_error("{\"schema\": \"apiconform-results/1\", \"run\": {\"duration_ms\": "
                      "\"12\"}, \"results\": []}",
                      "r.json: run.duration_ms: expected an integer, got a string");
    expect_read_error("{\"schema\": \"apiconform-results/1\", \"run\": {}, \"results\": "
                      "[{\"scenario_id\": \"a\", \"code\": 4000001, \"verdict\": \"ok\"}]}",
                      "r.json: results[0].verdict: expected one of passed, failed, error, "
                      "skipped, got \"ok\"");
    expect_read_error("{\"schema\": \"apiconform-results/1\", \"run\": {}, \"results\": "
                      "[{\"scenario_id\": \"a\", \"verdict\": \"passed\"}]}",
                      "r.json: results[0].code: missing; expected an integer");
    expect_read_error("{\"schema\": \"apiconform-results/1\", \"run\": {}, \"results\": "
                      "[{\"scenario_id\": \"a\", \"code\": 4000001, \"verdict\": \"failed\", "
                      "\"failures\": [{\"check\": 7}]}]}",
                      "r.json: results[0].failures[0].check: expected a string, got an "
                      "integer");
    expect_read_error("{\"schema\": \"apiconform-results/1\", \"run\": {}, \"results\": [], "
                      "\"catalog\": {\"entries\": []}}",
                      "r.json: catalog: \"entries\" is empty; expected at least one code");
    expect_read_error("{\"schema\": \"apiconform-results/1\", \"run\": {\"shard_count\": 4, "
                      "\"shard_index\": 5}, \"results\": []}",
                      "r.json: run.shard_index: expected an integer from 1 to 4, got 5");
    expect_read_error("{\"schema\": \"apiconform-results/1\", \"run\": {\"tls_verify\": "
                      "\"no\"}, \"results\": []}",
                      "r.json: run.tls_verify: expected true or false, got a string");
}

/* Issue 13: --insecure was said on stderr only. Every report records it,
 * and a results file without the member (older runs) means verified. */
static void test_reports_insecure_in_every_report(void)
{
    static const char old[] = "{\"schema\": \"apiconform-results/1\", \"run\": {}, "
                              "\"results\": []}";
    static const char off[] = "{\"schema\": \"apiconform-results/1\", \"run\": "
                              "{\"tls_verify\": false}, \"results\": []}";
    struct catalog *c = rf_test_catalog(), *c2 = NULL;
    struct run_results r;
    struct ac_buf b = AC_BUF_INIT;
    struct ac_error err = AC_ERROR_INIT;

    rf_model_pass(&r);
    r.insecure = 1;
    report_junit_write(&r, c, &b);
    T_CONTAINS(b.data, "<property name=\"tls.verify\" value=\"false\"/>");
    ac_buf_reset(&b);
    report_json_write(&r, c, &b);
    T_CONTAINS(b.data, "\"tls_verify\": false,");
    ac_buf_reset(&b);
    report_html_write(&r, c, &b);
    T_CONTAINS(b.data, "<tr><th>TLS verification</th><td><strong>off</strong> (--insecure)");
    ac_buf_reset(&b);
    report_md_write(&r, c, &b);
    T_CONTAINS(b.data, "> **TLS verification was off** (`--insecure`)");
    r.insecure = 0;
    ac_buf_reset(&b);
    report_md_write(&r, c, &b);
    T_NOT_CONTAINS(b.data, "TLS verification");
    results_release(&r);
    T_EQ_INT(report_json_read_buffer("old.json", old, strlen(old), &r, &c2, &err), 0);
    T_EQ_INT(r.insecure, 0);
    results_release(&r);
    T_EQ_INT(report_json_read_buffer("off.json", off, strlen(off), &r, &c2, &err), 0);
    T_EQ_INT(r.insecure, 1);
    results_release(&r);
    ac_buf_release(&b);
    catalog_free(c);
}

static void test_reports_json_file(void)
{
    struct run_results r, back;
    struct catalog *c2 = NULL;
    struct ac_error err = AC_ERROR_INIT;
    const char *path = t_write_temp("results.json", "", 0);
    char msg[600];

    rf_model_pass(&r);
    T_EQ_INT(report_json_write_file(&r, NULL, path, &err), 0);
    T_EQ_INT(report_json_read(path, &back, &c2, &err), 0);
    T_TRUE(c2 == NULL);
    T_TRUE(results_equal(&r, &back));
    results_release(&back);
    T_EQ_INT(report_json_read("/nonexistent/r.json", &back, &c2, &err), -1);
    T_EQ_STR(ac_error_str(&err, msg, sizeof msg),
             "cannot open '/nonexistent/r.json': No such file or directory");
    results_release(&r);
}

/* ---- merge ----------------------------------------------------------------------- */

static void shard(struct run_results *r, int idx, int count, long long start)
{
    rf_run_init(r);
    r->shard_index = idx;
    r->shard_count = count;
    r->started_unix_ms = start;
    r->duration_ms = 1000;
}

static void test_reports_merge(void)
{
    struct run_results p[3], m;
    struct ac_error err = AC_ERROR_INIT;
    const char *names[] = {"s1.json", "s2.json", "s3.json"};
    char msg[600];

    shard(&p[0], 2, 3, 1714566896500LL);
    rf_add(&p[0], 4040402, "lb-b", VERDICT_PASS, "");
    rf_add(&p[0], 4000001, "p-a", VERDICT_FAIL, "f");
    shard(&p[1], 1, 3, 1714566896000LL);
    rf_add(&p[1], 4040402, "lb-a", VERDICT_PASS, "");
    shard(&p[2], 3, 3, 1714566897000LL);
    rf_add(&p[2], 4010001, "t", VERDICT_ERROR, "timeout");
    p[2].incomplete = 1;
    p[2].insecure = 1;

    T_EQ_INT(report_merge(p, names, 3, &m, &err), 0);
    T_EQ_INT(m.nresults, 4);
    T_EQ_INT(m.shard_count, 0);
    T_EQ_INT(m.started_unix_ms, 1714566896000LL);
    T_EQ_INT(m.duration_ms, 2000);
    T_EQ_INT(m.incomplete, 1);
    T_EQ_INT(m.insecure, 1); /* one shard unverified: the merged run was */
    if (m.nresults == 4) {
        /* By service, code, then part. */
        T_EQ_STR(m.results[0].scenario_id, "p-a");
        T_EQ_STR(m.results[1].scenario_id, "t");
        T_EQ_STR(m.results[2].scenario_id, "lb-b");
        T_EQ_STR(m.results[3].scenario_id, "lb-a");
        /* Start times rebased on the merged run's start. */
        T_EQ_INT(m.results[0].started_ms, p[0].results[1].started_ms + 500);
        T_EQ_INT(m.results[1].started_ms, p[2].results[0].started_ms + 1000);
    }
    T_EQ_INT(results_exit_status(&m), 3);
    results_release(&m);

    /* A missing shard. */
    T_EQ_INT(report_merge(p, names, 2, &m, &err), -1);
    T_EQ_STR(ac_error_str(&err, msg, sizeof msg),
             "shard 3/3 is missing: merge all 3 shards of the run");
    ac_error_clear(&err);
    /* A shard given twice. */
    p[2].shard_index = 1;
    T_EQ_INT(report_merge(p, names, 3, &m, &err), -1);
    T_EQ_STR(ac_error_str(&err, msg, sizeof msg), "s3.json: shard 1/3 is given twice");
    ac_error_clear(&err);
    p[2].shard_index = 3;
    /* Different catalogs. */
    rf_set_str(&p[1].catalog_sha256, "ffff");
    T_EQ_INT(report_merge(p, names, 3, &m, &err), -1);
    T_EQ_STR(ac_error_str(&err, msg, sizeof msg),
             "s2.json: catalog sha256 ffff differs from "
             "5f0c2a7e9d1b3c4a5f0c2a7e9d1b3c4a5f0c2a7e9d1b3c4a5f0c2a7e9d1b3c4a in s1.json: the "
             "runs used different catalogs");
    ac_error_clear(&err);
    rf_set_str(&p[1].catalog_sha256, p[0].catalog_sha256);
    /* Different suites. */
    rf_set_str(&p[2].suite_sha256, "eeee");
    T_EQ_INT(report_merge(p, NULL, 3, &m, &err), -1);
    T_EQ_STR(ac_error_str(&err, msg, sizeof msg),
             "part 3: suite sha256 eeee differs from "
             "0d1e2f3a4b5c6d7e8f900d1e2f3a4b5c6d7e8f900d1e2f3a4b5c6d7e8f900d1e in part 1: the "
             "runs used different suites");
    ac_error_clear(&err);
    rf_set_str(&p[2].suite_sha256, p[0].suite_sha256);
    /* A scenario in two parts. */
    rf_add(&p[2], 4040402, "lb-a", VERDICT_PASS, "");
    T_EQ_INT(report_merge(p, names, 3, &m, &err), -1);
    T_EQ_STR(ac_error_str(&err, msg, sizeof msg),
             "scenario 4040402 lb-a is in both s2.json and s3.json");
    ac_error_clear(&err);

    results_release(&p[0]);
    results_release(&p[1]);
    results_release(&p[2]);
}

/* ---- diff -------------------------------------------------------------------------- */

static void test_reports_diff(void)
{
    struct run_results a, b;
    struct report_diff d;
    struct ac_buf out = AC_BUF_INIT;
    struct ac_error err = AC_ERROR_INIT;

    rf_run_init(&a);
    rf_run_init(&b);
    rf_add(&a, 4000001, "fixed-one", VERDICT_FAIL, "was broken");
    rf_add(&b, 4000001, "fixed-one", VERDICT_PASS, "");
    rf_add(&a, 4040402, "still", VERDICT_FAIL, "old");
    rf_add(&b, 4040402, "still", VERDICT_FAIL, "new \x1b[31m");
    rf_add(&a, 4010001, "new-one", VERDICT_PASS, "");
    rf_add(&b, 4010001, "new-one", VERDICT_FAIL, "broke");
    rf_add(&b, 4030001, "brand-new", VERDICT_FAIL, "never seen");
    rf_add(&a, 4090483, "gone", VERDICT_FAIL, "x");
    rf_add(&a, 4040201, "erred", VERDICT_FAIL, "x");
    rf_add(&b, 4040201, "erred", VERDICT_ERROR, "timeout");
    rf_add(&a, 4000401, "same", VERDICT_PASS, "");
    rf_add(&b, 4000401, "same", VERDICT_PASS, "");

    T_EQ_INT(report_diff(&a, &b, &d, &err), 1);
    T_EQ_INT(d.new_failures, 2);
    T_EQ_INT(d.fixed, 1);
    T_EQ_INT(d.still_failing, 1);
    T_EQ_INT(d.not_judged, 2);
    report_diff_write_text(&d, &out);
    T_EQ_STR(out.data, "fixed         4000001 fixed-one: was broken\n"
                       "new failure   4010001 new-one: broke\n"
                       "new failure   4030001 brand-new: never seen\n"
                       "not judged    4040201 erred: timeout\n"
                       "still failing 4040402 still: new " FFFD "[31m\n"
                       "not judged    4090483 gone: absent from the new run\n"
                       "2 new failures, 1 fixed, 1 still failing, 2 not judged\n");
    report_diff_release(&d);
    ac_buf_release(&out);

    /* The other way round nothing is new. */
    T_EQ_INT(report_diff(&b, &b, &d, &err), 0);
    T_EQ_INT(d.still_failing, 3);
    report_diff_release(&d);
    results_release(&a);
    results_release(&b);
}

/* ---- baseline ---------------------------------------------------------------------- */

static void expect_baseline_error(const char *json, const char *want)
{
    struct report_baseline b;
    struct ac_error err = AC_ERROR_INIT;
    char msg[600];

    T_EQ_INT(report_baseline_parse("baseline.json", json, strlen(json), &b, &err), -1);
    T_EQ_STR(ac_error_str(&err, msg, sizeof msg), want);
    T_EQ_INT(b.nentries, 0);
}

static void test_reports_baseline_parse(void)
{
    static const char ok[] =
        "{\"known_failures\": [\n"
        " {\"code\": 4040402, \"scenario\": \"lb-describe-deleted\", \"reason\": \"gw bug\", "
        "\"expires\": \"2027-01-31\"},\n"
        " {\"code\": 4000001, \"scenario\": \"bad-json-body\", \"reason\": \"r\"}\n]}";
    struct report_baseline b;
    struct ac_error err = AC_ERROR_INIT;

    T_EQ_INT(report_baseline_parse("baseline.json", ok, strlen(ok), &b, &err), 0);
    T_EQ_INT(b.nentries, 2);
    if (b.nentries == 2) {
        T_EQ_INT(b.entries[0].code, 4040402);
        T_EQ_STR(b.entries[0].scenario, "lb-describe-deleted");
        T_EQ_STR(b.entries[0].reason, "gw bug");
        T_EQ_STR(b.entries[0].expires, "2027-01-31");
        T_TRUE(b.entries[1].expires == NULL);
    }
    report_baseline_release(&b);

    expect_baseline_error("{\"known_failures\": [", "baseline.json:1:20: not valid JSON: "
                                                    "']' expected near end of file");
    expect_baseline_error("[]", "baseline.json: expected an object with a \"known_failures\" "
                                "array, got an array");
    expect_baseline_error("{\"known\": []}",
                          "baseline.json: unknown key \"known\" (expected known_failures)");
    expect_baseline_error("{}", "baseline.json: expected a \"known_failures\" array, got "
                                "nothing");
    expect_baseline_error("{\"known_failures\": [7]}",
                          "baseline.json: known_failures[0]: expected an object, got an "
                          "integer");
    expect_baseline_error("{\"known_failures\": [{\"code\": 404, \"scenario\": \"a\", "
                          "\"reason\": \"r\"}]}",
                          "baseline.json: known_failures[0].code: expected a 7-digit integer, "
                          "got 404");
    expect_baseline_error("{\"known_failures\": [{\"code\": \"4040402\", \"scenario\": \"a\", "
                          "\"reason\": \"r\"}]}",
                          "baseline.json: known_failures[0].code: expected a 7-digit integer, "
                          "got a string");
    expect_baseline_error("{\"known_failures\": [{\"code\": 4040402, \"scenario\": \"a\"}]}",
                          "baseline.json: known_failures[0].reason: missing; expected a "
                          "non-empty string");
    expect_baseline_error("{\"known_failures\": [{\"code\": 4040402, \"scenario\": \"\", "
                          "\"reason\": \"r\"}]}",
                          "baseline.json: known_failures[0].scenario: expected a non-empty "
                          "string, got \"\"");
    expect_baseline_error("{\"known_failures\": [{\"code\": 4040402, \"scenario\": \"a\", "
                          "\"reason\": \"r\", \"expires\": \"2027-02-30\"}]}",
                          "baseline.json: known_failures[0].expires: expected a date "
                          "YYYY-MM-DD, got \"2027-02-30\"");
    expect_baseline_error("{\"known_failures\": [{\"code\": 4040402, \"scenario\": \"a\", "
                          "\"reason\": \"r\", \"expirs\": \"2027-01-01\"}]}",
                          "baseline.json: known_failures[0]: unknown key \"expirs\" (expected "
                          "code, scenario, reason, expires)");
    expect_baseline_error("{\"known_failures\": [{\"code\": 4040402, \"scenario\": \"a\", "
                          "\"reason\": \"r\"}, {\"code\": 4040402, \"scenario\": \"a\", "
                          "\"reason\": \"again\"}]}",
                          "baseline.json: known_failures[1]: 4040402 a is already listed at "
                          "known_failures[0]");
}

static void test_reports_baseline_apply(void)
{
    static const char json[] =
        "{\"known_failures\": [\n"
        " {\"code\": 4040402, \"scenario\": \"lb-describe-unknown\", \"reason\": \"gw bug\", "
        "\"expires\": \"2027-01-31\"},\n"
        " {\"code\": 4000401, \"scenario\": \"lb-invalid-name\", \"reason\": \"fixed?\"},\n"
        " {\"code\": 4090483, \"scenario\": \"lb-duplicate-name\", \"reason\": \"old\", "
        "\"expires\": \"2024-01-01\"},\n"
        " {\"code\": 4040201, \"scenario\": \"not-in-run\", \"reason\": \"r\"}\n]}";
    struct report_baseline b;
    struct report_baseline_counts n;
    struct run_results r;
    struct ac_buf out = AC_BUF_INIT;
    struct ac_error err = AC_ERROR_INIT;
    const struct result *lb = NULL, *name = NULL;
    char msg[600];
    size_t i;

    T_EQ_INT(report_baseline_parse("b.json", json, strlen(json), &b, &err), 0);
    rf_model_failures(&r);
    for (i = 0; i < r.nresults; i++) {
        if (strcmp(r.results[i].scenario_id, "lb-describe-unknown") == 0)
            lb = &r.results[i];
        if (strcmp(r.results[i].scenario_id, "lb-invalid-name") == 0)
            name = &r.results[i];
    }
    /* Its last day: still applies. */
    T_EQ_INT(report_baseline_apply(&b, &r, "2027-01-31", &n, &err), 0);
    T_EQ_INT(n.applied, 1);
    T_EQ_INT(n.removable, 1);
    T_EQ_INT(n.expired, 1);
    T_EQ_INT(n.not_run, 1);
    T_EQ_INT(lb->known, 1);
    T_EQ_STR(lb->known_reason, "gw bug");
    T_EQ_INT(name->baseline_removable, 1);
    /* The model's own known failure is not in this baseline: cleared. */
    {
        struct results_counts rc;

        results_count(&r, &rc);
        T_EQ_INT(rc.known, 1);
    }
    T_EQ_INT(b.entries[2].state, REPORT_BASELINE_EXPIRED);
    report_baseline_write_text(&b, &out);
    T_EQ_STR(out.data, "baseline: 4000401 lb-invalid-name passes now: remove it from the "
                       "baseline\n"
                       "baseline: 4090483 lb-duplicate-name expired on 2024-01-01: its "
                       "failure counts again\n"
                       "baseline: 4040201 not-in-run did not run (absent, error or skipped): "
                       "the entry was not used\n");
    ac_buf_release(&out);
    /* The day after: the failure counts again. */
    T_EQ_INT(report_baseline_apply(&b, &r, "2027-02-01", &n, &err), 0);
    T_EQ_INT(n.applied, 0);
    T_EQ_INT(n.expired, 2);
    T_EQ_INT(lb->known, 0);
    T_TRUE(lb->known_reason == NULL);
    T_EQ_INT(report_baseline_apply(&b, &r, "tomorrow", &n, &err), -1);
    T_EQ_STR(ac_error_str(&err, msg, sizeof msg),
             "today's date \"tomorrow\" is not a date YYYY-MM-DD");
    results_release(&r);
    report_baseline_release(&b);
}

/* Known failures alone do not fail a run; with every failure known the
 * exit status is 0. */
static void test_reports_baseline_gates(void)
{
    static const char json[] =
        "{\"known_failures\": [{\"code\": 4040402, \"scenario\": \"x\", \"reason\": \"r\"}]}";
    struct report_baseline b;
    struct run_results r;
    struct ac_error err = AC_ERROR_INIT;
    char today[16];

    rf_run_init(&r);
    rf_add(&r, 4040402, "x", VERDICT_FAIL, "f");
    rf_add(&r, 4000001, "y", VERDICT_PASS, "");
    T_EQ_INT(results_exit_status(&r), 1);
    T_EQ_INT(report_baseline_parse("b.json", json, strlen(json), &b, &err), 0);
    T_EQ_INT(report_baseline_apply(&b, &r, report_date_today(today, sizeof today), NULL, &err), 0);
    T_EQ_INT(strlen(today), 10);
    T_EQ_INT(results_exit_status(&r), 0);
    rf_add(&r, 4000002, "z", VERDICT_FAIL, "new");
    T_EQ_INT(results_exit_status(&r), 1);
    results_release(&r);
    report_baseline_release(&b);

    T_EQ_INT(report_baseline_load("/nonexistent/b.json", &b, &err), -1);
}

/* ---- registration ---- */

int rf_register_data(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tests[] = {
        {"JSON round trip is lossless and rebuilds every report", test_reports_json_roundtrip},
        {"--insecure is recorded in every report", test_reports_insecure_in_every_report},
        {"JSON read errors name the field", test_reports_json_read_errors},
        {"JSON file write and read", test_reports_json_file},
        {"merges shards and rejects mismatches", test_reports_merge},
        {"diffs two runs per scenario", test_reports_diff},
        {"validates baseline files", test_reports_baseline_parse},
        {"applies a baseline with expiry", test_reports_baseline_apply},
        {"a baseline turns known failures green", test_reports_baseline_gates},
    };
    CU_pSuite s = CU_add_suite("reports: JSON, merge, diff, baseline", NULL, NULL);
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn))
            return -1;
    return 0;
}
