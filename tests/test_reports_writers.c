/* tests/test_reports_writers.c -- the report writers in detail: the JUnit
 * shape and what the project's schema rejects, HTML links and difference
 * marks, the Markdown summary and its size cap, hostile content through
 * every writer, the JUnit and HTML budgets, and that writers read nothing
 * but their arguments. Fixtures in reportfix.h. */
#include "testutil.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../reports/report_text.h"
#include "../reports/reports.h"
#include "reportfix.h"

/* ---- JUnit details ------------------------------------------------------------ */

static void test_reports_junit_shape(void)
{
    struct catalog *c = rf_test_catalog();
    struct run_results r;
    struct ac_buf b = AC_BUF_INIT;

    rf_model_failures(&r);
    report_junit_write(&r, c, &b);
    /* testsuites carries only what the XSD allows there. */
    T_CONTAINS(b.data, "<testsuites name=\"apiconform\" time=\"12.345\">");
    /* A passing scenario's transcript only with --junit-transcripts; a
     * failing one's always. */
    T_NOT_CONTAINS(b.data, "/api/v1/x/lb-invalid-name HTTP/1.1");
    T_CONTAINS(b.data, "/api/v1/x/bad-json-body HTTP/1.1");
    {
        struct ac_buf t = AC_BUF_INIT;
        r.junit_transcripts = 1;
        report_junit_write(&r, c, &t);
        T_CONTAINS(t.data, "/api/v1/x/lb-invalid-name HTTP/1.1");
        r.junit_transcripts = 0;
        ac_buf_release(&t);
    }
    T_CONTAINS(b.data, "<testsuite name=\"04 load balancers\" tests=\"5\" failures=\"3\" "
                       "errors=\"0\" skipped=\"0\" time=\"");
    T_CONTAINS(b.data, "timestamp=\"2024-05-01T12:34:56\" hostname=\"ci-runner-1\"");
    T_CONTAINS(b.data, "<testcase classname=\"04 load balancers\" name=\"4040402 "
                       "lb-describe-unknown\" time=\"0.034\">");
    T_CONTAINS(b.data, "<failure message=\"expected 404/4040402 &quot;No such "
                       "loadbalancer&quot;, got 400/4000401 &quot;Invalid parameters&quot;\" "
                       "type=\"status\">");
    T_CONTAINS(b.data, "check code: expected 4040402, got 4000401\n");
    T_CONTAINS(b.data, "reproduce:\ncurl -sS");
    /* The known failure passes, says why, and is listed. */
    T_CONTAINS(b.data, "<system-out>known failure: gateway rewrites the message; fixed in 2.3 "
                       "(OPS-1234)\n");
    T_CONTAINS(b.data, "<property name=\"baseline.known\" value=\"4040402 lb-describe-deleted: "
                       "gateway rewrites");
    T_CONTAINS(b.data, "<property name=\"baseline.removable\" value=\"4000401 "
                       "lb-invalid-name\"/>");
    T_NOT_CONTAINS(b.data, "CDATA");
    T_NOT_CONTAINS(b.data, " file=");
    ac_buf_release(&b);
    results_release(&r);

    rf_model_errors_skips(&r);
    report_junit_write(&r, c, &b);
    T_CONTAINS(b.data, "<error message=\"connection refused\" type=\"transport\">");
    T_CONTAINS(b.data, "<skipped message=\"requires fault injection\"/>");
    T_CONTAINS(b.data, "<property name=\"incomplete\" value=\"true\"/>");
    T_CONTAINS(b.data, "<property name=\"shard\" value=\"2/4\"/>");
    ac_buf_release(&b);
    results_release(&r);

    /* No results: still a valid document. */
    memset(&r, 0, sizeof r);
    report_junit_write(&r, NULL, &b);
    T_EQ_STR(b.data, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "
                     "name=\"apiconform\" time=\"0.000\">\n</testsuites>\n");
    T_EQ_INT(rf_xsd_validate(t_write_temp("empty.xml", b.data, b.len)), 0);
    ac_buf_release(&b);
    catalog_free(c);
}

/* The project's own JUnit schema is a real gate: it needs no shared folder,
 * and it rejects what the common parsers would misread. */
static void test_reports_junit_schema_rejects(void)
{
    static const char *const bad[] = {
        /* no skipped count on the testsuite: test-results-parser reads 0 */
        "<testsuites name=\"a\" time=\"0.001\">"
        "<testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"0\" time=\"0.001\" "
        "timestamp=\"t\" hostname=\"h\" id=\"0\" package=\"p\"/></testsuites>",
        /* counts on the root, where test-results-parser would trust them */
        "<testsuites name=\"a\" tests=\"1\" failures=\"0\" errors=\"0\" time=\"0.001\"/>",
        /* a count that is not a number */
        "<testsuites name=\"a\" time=\"0.001\"><testsuite name=\"s\" tests=\"one\" "
        "failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0.001\" timestamp=\"t\" "
        "hostname=\"h\" id=\"0\" package=\"p\"/></testsuites>",
        /* two verdicts in one test case */
        "<testsuites name=\"a\" time=\"0.001\">"
        "<testsuite name=\"s\" tests=\"1\" failures=\"1\" errors=\"1\" skipped=\"0\" "
        "time=\"0.001\" timestamp=\"t\" hostname=\"h\" id=\"0\" package=\"p\">"
        "<testcase name=\"c\" classname=\"s\" time=\"0.001\"><failure/><error/></testcase>"
        "</testsuite></testsuites>",
        /* a time without the decimal point */
        "<testsuites name=\"a\" time=\"1\"/>",
    };
    size_t i;
    char *why = NULL;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "bad%zu.xml", i);
        T_TRUE(t_junit_validate(t_write_temp(name, bad[i], strlen(bad[i])), NULL) != 0);
    }
    T_TRUE(t_junit_validate(t_path("%s/no-such-junit.xml", t_build()), &why) != 0);
    T_EQ_STR(why, "no such file");
    free(why);
}

/* ---- HTML details ------------------------------------------------------------- */

static void test_reports_html_shape(void)
{
    struct catalog *c = rf_test_catalog();
    struct run_results r;
    struct ac_buf b = AC_BUF_INIT;
    size_t i;

    rf_model_failures(&r);
    report_html_write(&r, c, &b);
    T_CONTAINS(b.data, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                       "'none'; style-src 'unsafe-inline'\">");
    T_NOT_CONTAINS(b.data, "<script");
    T_NOT_CONTAINS(b.data, "src=");
    T_NOT_CONTAINS(b.data, "http-equiv=\"refresh\"");
    /* Every catalog code has a cell linking to its detail, and the detail. */
    for (i = 0; i < catalog_count(c); i++) {
        long code = catalog_at(c, i)->code;

        T_CONTAINS(b.data, t_path("href=\"#c%ld\"", code));
        T_CONTAINS(b.data, t_path("id=\"c%ld\"", code));
    }
    T_CONTAINS(b.data, "<a class=\"s-not-covered\" href=\"#c4040302\"");
    T_CONTAINS(b.data, "<a class=\"s-failed\" href=\"#c4040402\"");
    /* The first differing character is marked on both sides. */
    T_CONTAINS(b.data, "<td><code>&quot;No such cloud volume<mark>.</mark>&quot;</code></td>"
                       "<td><code>&quot;No such cloud volume<mark>&quot;</mark></code></td>");
    T_CONTAINS(b.data, "<td><code>&quot;<mark>N</mark>o such loadbalancer&quot;</code></td>");
    T_CONTAINS(b.data, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
    T_CONTAINS(b.data, "No scenario covers this code.");
    /* For the person who receives it: failures and errors first, each
     * linked to its details, before the services and the matrix. */
    T_CONTAINS(b.data, "<h2 id=\"problems\">Failures and errors (10)</h2>");
    T_TRUE(strstr(b.data, "id=\"problems\"") &&
           strstr(b.data, "id=\"problems\"") < strstr(b.data, "id=\"services\""));
    T_CONTAINS(b.data, "failed</span> <a href=\"#r0\">4000001 bad-json-body</a>: body: ");
    /* Pass and fail differ by more than colour: a mark in every cell. */
    T_CONTAINS(
        b.data,
        "href=\"#c4040402\" title=\"failed: No such loadbalancer\">\xE2\x9C\x97 4040402</a>");
    T_CONTAINS(b.data, "title=\"not covered: No such IP\">\xC2\xB7 4040302</a>");
    /* A print stylesheet keeps a failed run's report short on paper. */
    T_CONTAINS(b.data, "@media print{");
    /* "absent" is not said of a code that was there as a string. */
    T_NOT_CONTAINS(b.data, "code <em>absent</em>");
    ac_buf_release(&b);
    results_release(&r);
    catalog_free(c);
}

static void test_reports_html_diff_mark_end(void)
{
    struct run_results r;
    struct result *x;
    struct ac_buf b = AC_BUF_INIT;

    rf_run_init(&r);
    x = rf_add(&r, 4040201, "v", VERDICT_FAIL, "s");
    rf_fail_check(x, "message", "abc", "abcd", NULL);
    rf_fail_check(x, "message", "caf\xC3\xA9", "caf\xC3\xA8", NULL);
    report_html_write(&r, NULL, &b);
    T_CONTAINS(b.data, "<td><code>abc<mark class=\"end\"></mark></code></td>"
                       "<td><code>abc<mark>d</mark></code></td>");
    /* Differing in the second byte of a character: the whole character. */
    T_CONTAINS(b.data, "<td><code>caf<mark>\xC3\xA9</mark></code></td>"
                       "<td><code>caf<mark>\xC3\xA8</mark></code></td>");
    ac_buf_release(&b);
    results_release(&r);
}

/* ---- Markdown details ------------------------------------------------------- */

static void test_reports_md_shape(void)
{
    struct catalog *c = rf_test_catalog();
    struct run_results r;
    struct ac_buf b = AC_BUF_INIT;

    rf_model_failures(&r);
    report_md_write(&r, c, &b);
    T_CONTAINS(b.data, "## apiconform: \xE2\x9D\x8C failed\n");
    T_CONTAINS(b.data, "| 04 load balancers | 5 | 1 | 3 | 1 | 0 | 0 |\n");
    T_CONTAINS(b.data, "### Failures (9)\n");
    /* Every failed check is named, not only the first. */
    T_CONTAINS(b.data, "- **4040402** `lb-describe-unknown` (`status, code, message`): "
                       "`expected 404/4040402 "
                       "\"No such loadbalancer\", got 400/4000401 \"Invalid parameters\"`\n");
    T_CONTAINS(b.data, "### Known failures (baseline) (1)\n");
    T_CONTAINS(b.data, "lb-invalid-name` passes now: remove it from the baseline");
    ac_buf_release(&b);
    results_release(&r);
    catalog_free(c);
}

static void test_reports_md_size_cap(void)
{
    struct run_results r;
    struct ac_buf b = AC_BUF_INIT, sum = AC_BUF_INIT;
    size_t i;

    rf_run_init(&r);
    for (i = 0; i < 3000; i++)
        ac_buf_adds(&sum, "expected `x` | got <b>y</b> ");
    for (i = 0; i < 5000; i++) {
        struct result *x = rf_add(&r, 4000001 + (long)(i % 90) * 100, t_path("s%zu", i),
                                  i % 3 ? VERDICT_FAIL : VERDICT_ERROR, sum.data);
        rf_fail_check(x, "message", "a", "b", NULL);
    }
    /* Something is already in the buffer: the limit is on what is added. */
    ac_buf_adds(&b, "prefix\n");
    T_EQ_INT(report_md_write(&r, NULL, &b), 0);
    T_TRUE(b.len - 7 <= REPORT_MD_MAX_BYTES);
    T_CONTAINS(b.data, "more not shown (summary limit of 65536 bytes)");
    T_CONTAINS(b.data, "### Errors (1667)");
    T_TRUE(ac_utf8_valid(b.data, b.len, NULL));
    ac_buf_release(&b);
    ac_buf_release(&sum);
    results_release(&r);
}

/* ---- hostile content through every writer ------------------------------------- */

static const char HOSTILE[] =
    "ctl:\x01\x02\x08\x0b\x0c\x1b[31mred\x1b[0m\x7f|"
    "bad:\xff\xfe\xc0\xaf\x80|"
    "surrogate:\xed\xa0\x80\xed\xbf\xbf|"
    "cdata:]]>|<![CDATA[x]]>|"
    "<script>alert(1)</script>|\"><img src=x onerror=alert(1)>|'single'|&amp;|"
    "javascript:alert(1)|"
    "fffe:\xef\xbf\xbe|ffff:\xef\xbf\xbf|10000:\xf0\x90\x80\x80|"
    "tab\there\r\nnew line|backtick`|";

#define BIG (5u * 1024u * 1024u)

static void hostile_model(struct run_results *r, char *big)
{
    static const enum verdict vs[] = {VERDICT_FAIL, VERDICT_ERROR, VERDICT_SKIP, VERDICT_PASS,
                                      VERDICT_FAIL};
    size_t i;

    rf_run_init(r);
    rf_set_str(&r->target, HOSTILE);
    rf_set_str(&r->run_id, HOSTILE);
    rf_set_str(&r->hostname, HOSTILE);
    rf_set_str(&r->capabilities, HOSTILE);
    rf_set_str(&r->catalog_path, HOSTILE);
    for (i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        struct result *x = rf_add(r, i == 4 ? 4990001 : 4040402, HOSTILE, vs[i], HOSTILE);

        rf_set_str(&x->title, HOSTILE);
        rf_set_str(&x->file, HOSTILE);
        rf_set_str(&x->cls, HOSTILE);
        rf_set_str(&x->curl, HOSTILE);
        rf_set_str(&x->reproducer, HOSTILE);
        rf_set_str(&x->got_message, HOSTILE);
        rf_fail_check(x, HOSTILE, HOSTILE, HOSTILE, HOSTILE);
        rf_fail_check(x, "message", HOSTILE, "short", HOSTILE);
        free(x->transcript);
        x->transcript = big;
        x->response_excerpt = rf_xdup(big);
        big = rf_xdup(big);
        if (i == 0) {
            x->known = 0;
        } else if (i == 4) {
            x->known = 1;
            rf_set_str(&x->known_reason, HOSTILE);
        }
    }
    free(big);
}

static char *make_big(void)
{
    char *big = malloc(BIG + 1);
    size_t i, hl = strlen(HOSTILE);

    for (i = 0; i + hl < BIG; i += hl)
        memcpy(big + i, HOSTILE, hl);
    memset(big + i, 'A', BIG - i);
    big[BIG] = '\0';
    return big;
}

static void test_reports_hostile(void)
{
    struct catalog *c = rf_test_catalog();
    struct run_results r, back;
    struct catalog *cback = NULL;
    struct ac_buf b = AC_BUF_INIT;
    struct ac_error err = AC_ERROR_INIT;
    const char *path;

    hostile_model(&r, make_big());

    T_EQ_INT(report_junit_write(&r, c, &b), 0);
    T_TRUE(rf_clean_for_markup(b.data, b.len));
    T_NOT_CONTAINS(b.data, "<![CDATA[");
    T_NOT_CONTAINS(b.data, "]]>");
    T_NOT_CONTAINS(b.data, "<script");
    T_CONTAINS(b.data, "10000:\xf0\x90\x80\x80");
    T_CONTAINS(b.data, "[truncated: ");
    T_TRUE(b.len < 1024 * 1024);
    T_EQ_INT(rf_count_of(b.data, "<testcase "), 5);
    T_EQ_INT(rf_count_of(b.data, "<failure "), 1);
    path = t_write_temp("hostile-junit.xml", b.data, b.len);
    T_EQ_INT(rf_xsd_validate(path), 0);
    rf_check_junit_counts(path);

    ac_buf_reset(&b);
    T_EQ_INT(report_html_write(&r, c, &b), 0);
    T_TRUE(rf_clean_for_markup(b.data, b.len));
    T_NOT_CONTAINS(b.data, "<script");
    T_NOT_CONTAINS(b.data, "<img");
    T_NOT_CONTAINS(b.data, "<![CDATA[");
    T_NOT_CONTAINS(b.data, "\"><img");
    T_NOT_CONTAINS(b.data, "'single'");
    T_NOT_CONTAINS(b.data, "href=\"javascript");
    T_CONTAINS(b.data, "&lt;script&gt;alert(1)&lt;/script&gt;");
    T_CONTAINS(b.data, "10000:\xf0\x90\x80\x80");
    T_TRUE(b.len < 2 * 1024 * 1024);
    /* Kept for tests/html/check.sh, which renders it in Chromium. */
    mkdir(t_path("%s/tests", t_build()), 0777);
    ac_file_write_atomic(t_path("%s/tests/reports-hostile.html", t_build()), b.data, b.len, &err);
    ac_error_clear(&err);
    /* Every tag in the page is one of ours. */
    {
        static const char *const ok[] = {
            "!DOCTYPE", "html",    "head", "meta",    "title",   "style",  "body",  "header",
            "h1",       "h2",      "h3",   "h4",      "h5",      "p",      "table", "tr",
            "th",       "td",      "code", "br",      "main",    "a",      "div",   "span",
            "svg",      "rect",    "text", "section", "article", "strong", "em",    "pre",
            "details",  "summary", "mark", "ol",      "li",
        };
        const char *p = b.data;

        while ((p = strchr(p, '<')) != NULL) {
            size_t n = strspn(p + 1 + (p[1] == '/'),
                              "!ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
            const char *name = p + 1 + (p[1] == '/');
            size_t k, found = 0;

            for (k = 0; k < sizeof ok / sizeof ok[0]; k++)
                if (strlen(ok[k]) == n && strncmp(ok[k], name, n) == 0)
                    found = 1;
            if (!found) {
                T_EQ_STR(t_path("%.40s", p), "(a tag the writer knows)");
                break;
            }
            p++;
        }
    }

    ac_buf_reset(&b);
    T_EQ_INT(report_md_write(&r, c, &b), 0);
    T_TRUE(rf_clean_for_markup(b.data, b.len));
    T_TRUE(b.len <= REPORT_MD_MAX_BYTES);
    /* Every table row still has its 8 cell borders. */
    {
        const char *line = strstr(b.data, "| Service");

        while (line && *line == '|') {
            const char *end = strchr(line, '\n');
            size_t pipes = 0;
            const char *q;

            for (q = line; q < end; q++)
                if (*q == '|' && (q == line || q[-1] != '\\'))
                    pipes++;
            T_EQ_INT(pipes, 8);
            line = end + 1;
        }
    }

    ac_buf_reset(&b);
    T_EQ_INT(report_json_write(&r, c, &b), 0);
    T_TRUE(ac_utf8_valid(b.data, b.len, NULL));
    T_EQ_INT(report_json_read_buffer("hostile.json", b.data, b.len, &back, &cback, &err), 0);
    if (err.code)
        fprintf(stderr, "%s: %s\n", err.where, err.text);
    T_EQ_INT(back.nresults, r.nresults);
    if (back.nresults == r.nresults) {
        /* Bad bytes are replaced, nothing else changes. */
        T_EQ_INT(strlen(back.results[0].transcript) >= BIG, 1);
        T_CONTAINS(back.results[0].summary, "bad:" FFFD FFFD FFFD FFFD FFFD "|");
        T_CONTAINS(back.results[0].summary, "ctl:\x01\x02\x08\x0b\x0c\x1b[31m");
        T_CONTAINS(back.results[0].summary, "fffe:\xef\xbf\xbe|");
    }
    results_release(&back);
    catalog_free(cback);

    ac_buf_release(&b);
    results_release(&r);
    catalog_free(c);
}

/* Past the budget, bulky parts are dropped but every test case stays. */
static void test_reports_budget(void)
{
    struct run_results r;
    struct ac_buf b = AC_BUF_INIT;
    char *amps = malloc(REPORT_TRANSCRIPT_CAP + 1);
    const char *path;
    size_t i, n = 800;

    /* '&' grows fivefold when escaped: 800 x 80 KiB would be 64 MiB. */
    memset(amps, '&', REPORT_TRANSCRIPT_CAP);
    amps[REPORT_TRANSCRIPT_CAP] = '\0';
    rf_run_init(&r);
    for (i = 0; i < n; i++) {
        struct result *x =
            rf_add(&r, 4000001 + (long)(i % 50) * 100, t_path("s%zu", i), VERDICT_FAIL, "f");
        rf_fail_check(x, "message", amps, amps, amps);
        rf_set_str(&x->transcript, amps);
    }
    T_EQ_INT(report_junit_write(&r, NULL, &b), 0);
    T_TRUE(b.len > REPORT_JUNIT_BUDGET && b.len < REPORT_JUNIT_BUDGET + 512 * 1024);
    T_EQ_INT(rf_count_of(b.data, "<testcase "), n);
    T_EQ_INT(rf_count_of(b.data, "<failure "), n);
    T_CONTAINS(b.data, "[omitted: the report reached its size budget]");
    path = t_write_temp("budget.xml", b.data, b.len);
    T_EQ_INT(rf_xsd_validate(path), 0);
    rf_check_junit_counts(path);
    ac_buf_reset(&b);
    T_EQ_INT(report_html_write(&r, NULL, &b), 0);
    T_TRUE(b.len > REPORT_HTML_BUDGET && b.len < REPORT_HTML_BUDGET + 1024 * 1024);
    T_EQ_INT(rf_count_of(b.data, "<article id="), n);
    T_CONTAINS(b.data, "[omitted: the report reached its size budget]");
    ac_buf_release(&b);
    results_release(&r);
    free(amps);
}

/* A reproducer is shown whole past REPORT_FIELD_CAP (a script cut there
 * would not run), as a download link (base64 data: URL) and as text. */
static void test_reports_html_reproducer_whole(void)
{
    struct run_results r;
    struct ac_buf b = AC_BUF_INIT, script = AC_BUF_INIT;
    struct result *x;
    size_t i;

    rf_run_init(&r);
    x = rf_add(&r, 4040402, "lb/x y", VERDICT_FAIL, "f");
    ac_buf_adds(&script, "#!/bin/sh\n");
    for (i = 0; i < 300; i++)
        ac_buf_addf(&script, "echo 'line %zu of a long script' <&-\n", i);
    ac_buf_adds(&script, "echo the-last-line\n");
    T_TRUE(script.len > REPORT_FIELD_CAP * 2);
    x->reproducer = ac_buf_take(&script);
    T_EQ_INT(report_html_write(&r, NULL, &b), 0);
    T_CONTAINS(b.data, "<a download=\"repro-lb_x_y.sh\" "
                       "href=\"data:text/x-shellscript;base64,IyEvYmluL3NoCmVjaG8g");
    T_CONTAINS(b.data, "<details><summary>Script</summary>\n<pre>#!/bin/sh\necho &#39;line 0 of");
    T_CONTAINS(b.data,
               "echo &#39;line 299 of a long script&#39; &lt;&amp;-\necho the-last-line\n</pre>");
    ac_buf_release(&b);
    results_release(&r);
}

/* A writer reads nothing but its arguments: no environment (a token in it
 * never reaches a report), no time zone, no locale, no clock. */
static void test_reports_pure(void)
{
    static const rf_writer_fn writers[] = {report_junit_write, report_html_write, report_md_write,
                                           report_json_write};
    static const char CANARY[] = "canary-7f3a9c1e5b";
    struct catalog *c = rf_test_catalog();
    struct run_results r;
    struct ac_buf a = AC_BUF_INIT, b = AC_BUF_INIT;
    const char *old_tz = getenv("TZ");
    char *tz = old_tz ? rf_xdup(old_tz) : NULL;
    size_t i;

    rf_model_failures(&r);
    for (i = 0; i < sizeof writers / sizeof writers[0]; i++) {
        ac_buf_reset(&a);
        ac_buf_reset(&b);
        writers[i](&r, c, &a);
        setenv("APICONFORM_TOKEN", CANARY, 1);
        setenv("TZ", "Asia/Shanghai", 1);
        if (!setlocale(LC_ALL, "de_DE.UTF-8"))
            setlocale(LC_ALL, "C.UTF-8");
        writers[i](&r, c, &b);
        setlocale(LC_ALL, "C");
        unsetenv("APICONFORM_TOKEN");
        if (tz)
            setenv("TZ", tz, 1);
        else
            unsetenv("TZ");
        T_EQ_INT(a.len, b.len);
        T_TRUE(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
        T_NOT_CONTAINS(b.data, CANARY);
    }
    free(tz);
    ac_buf_release(&a);
    ac_buf_release(&b);
    results_release(&r);
    catalog_free(c);
}

/* ---- registration ---- */

int rf_register_writers(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tests[] = {
        {"JUnit shape, known failures and properties", test_reports_junit_shape},
        {"the project's JUnit schema rejects what parsers misread",
         test_reports_junit_schema_rejects},
        {"HTML links every code and marks differences", test_reports_html_shape},
        {"HTML marks the end and whole characters", test_reports_html_diff_mark_end},
        {"Markdown summary shape", test_reports_md_shape},
        {"Markdown stays under 64 KiB", test_reports_md_size_cap},
        {"hostile content through every writer", test_reports_hostile},
        {"JUnit and HTML keep every test case past their budget", test_reports_budget},
        {"writers read nothing but their arguments", test_reports_pure},
        {"HTML shows a reproducer whole, with a download link", test_reports_html_reproducer_whole},
    };
    CU_pSuite s = CU_add_suite("reports: writers in detail, hostile content", NULL, NULL);
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn))
            return -1;
    return 0;
}
