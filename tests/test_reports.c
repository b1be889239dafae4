/* tests/test_reports.c -- the reports module: the sanitizer, each writer
 * against golden files (tests/data/reports/<case>/; AC_UPDATE_GOLDEN=1
 * rewrites them), JUnit against the project's XSD with xmllint, hostile
 * content through every writer, the JSON round trip, merge, diff and the
 * baseline. */
#include "testutil.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../reports/report_text.h"
#include "../reports/reports.h"

/* ---- fixtures ----------------------------------------------------------- */

static const char CATALOG_JSON[] =
    "{\"format\": \"apiconform-catalog/1\", \"entries\": [\n"
    "{\"code\": 4000001, \"message\": \"Invalid parameters.\"},\n"
    "{\"code\": 4010001, \"message\": \"Unauthorized user.\"},\n"
    "{\"code\": 4030001, \"message\": \"Api freq out of limit.\"},\n"
    "{\"code\": 4040002, \"message\": \"No such container.\"},\n"
    "{\"code\": 5000001, \"message\": \"Internal error.\"},\n"
    "{\"code\": 4040201, \"message\": \"No such cloud volume.\"},\n"
    "{\"code\": 4040302, \"message\": \"No such IP\"},\n"
    "{\"code\": 4000401, \"message\": \"Invalid parameters\"},\n"
    "{\"code\": 4040402, \"message\": \"No such loadbalancer\"},\n"
    "{\"code\": 4090483, \"message\": \"Duplicate loadbalancer name\"}\n"
    "]}\n";

static struct catalog *test_catalog(void)
{
    struct ac_error err = AC_ERROR_INIT;
    struct catalog *c =
        catalog_load_buffer("test-catalog.json", CATALOG_JSON, strlen(CATALOG_JSON), &err);

    if (!c)
        fprintf(stderr, "test catalog: %s: %s\n", err.where, err.text);
    return c;
}

static char *xdup(const char *s)
{
    return s ? ac_strdup(s) : NULL;
}

static void run_init(struct run_results *r)
{
    memset(r, 0, sizeof *r);
    r->run_id = xdup("r3f9a1c");
    r->target = xdup("http://127.0.0.1:8080");
    r->tool_version = xdup("0.1.0");
    r->catalog_path = xdup("catalog/nce-errors.json");
    r->catalog_sha256 = xdup("5f0c2a7e9d1b3c4a5f0c2a7e9d1b3c4a5f0c2a7e9d1b3c4a5f0c2a7e9d1b3c4a");
    r->suite_path = xdup("suite");
    r->suite_sha256 = xdup("0d1e2f3a4b5c6d7e8f900d1e2f3a4b5c6d7e8f900d1e2f3a4b5c6d7e8f900d1e");
    r->capabilities = xdup("destructive,limit");
    r->hostname = xdup("ci-runner-1");
    r->started_unix_ms = 1714566896000LL; /* 2024-05-01T12:34:56Z */
    r->duration_ms = 12345;
}

static const char *reason_phrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 409:
        return "Conflict";
    default:
        return "Internal Server Error";
    }
}

/* What the probe got, and a transcript that shows it. */
static void set_got(struct result *x, int status, long code, const char *message)
{
    char buf[1024];

    x->got_status = status;
    x->got_code = code;
    free(x->got_message);
    x->got_message = xdup(message);
    snprintf(buf, sizeof buf,
             "> GET /api/v1/x/%s HTTP/1.1\n> Authorization: Token ***\n< HTTP/1.1 %d %s\n"
             "< Content-Type: application/json\n< Request-Id: "
             "0b7c5a4e-3f1d-4e2a-9c8b-7a6d5e4f3c2b\n<\n< {\"code\":%ld,\"message\":\"%s\"}\n",
             x->scenario_id, status, reason_phrase(status), code, message ? message : "");
    free(x->transcript);
    x->transcript = xdup(buf);
}

/* Appends a result with a plausible curl command and transcript. */
static struct result *add(struct run_results *r, long code, const char *id, enum verdict v,
                          const char *summary)
{
    struct result *x;
    char buf[1024];

    r->results = realloc(r->results, (r->nresults + 1) * sizeof *r->results);
    x = &r->results[r->nresults++];
    memset(x, 0, sizeof *x);
    x->scenario_id = xdup(id);
    x->code = code;
    x->service = (int)(code / 100 % 100);
    snprintf(buf, sizeof buf, "Provoke %ld: %s", code, id);
    x->title = xdup(buf);
    snprintf(buf, sizeof buf, "suite/%02d/%ld.json", x->service, code);
    x->file = xdup(buf);
    x->cls = xdup("stateless");
    x->verdict = v;
    x->summary = xdup(summary);
    snprintf(buf, sizeof buf,
             "curl -sS -X GET 'http://127.0.0.1:8080/api/v1/x/%s' -H "
             "\"Authorization: Token $APICONFORM_TOKEN\"",
             id);
    x->curl = xdup(buf);
    set_got(x, (int)(code / 10000), code, NULL);
    x->response_excerpt = NULL;
    x->started_ms = (long long)r->nresults * 37;
    x->duration_ms = 10 + (long long)r->nresults * 3;
    return x;
}

static void fail_check(struct result *x, const char *check, const char *expected,
                       const char *actual, const char *detail)
{
    struct check_failure *f;

    x->failures = realloc(x->failures, (x->nfailures + 1) * sizeof *x->failures);
    f = &x->failures[x->nfailures++];
    f->check = xdup(check);
    f->expected = xdup(expected);
    f->actual = xdup(actual);
    f->detail = xdup(detail ? detail : "");
}

static void set_str(char **dst, const char *s)
{
    free(*dst);
    *dst = xdup(s);
}

/* Case "pass": every scenario passes. */
static void model_pass(struct run_results *r)
{
    run_init(r);
    set_got(add(r, 4000001, "missing-required-param", VERDICT_PASS, ""), 400, 4000001,
            "Invalid parameters.");
    set_got(add(r, 4010001, "no-token", VERDICT_PASS, ""), 401, 4010001, "Unauthorized user.");
    set_got(add(r, 4040002, "container-describe-unknown", VERDICT_PASS, ""), 404, 4040002,
            "No such container.");
    set_got(add(r, 4040201, "volume-describe-unknown", VERDICT_PASS, ""), 404, 4040201,
            "No such cloud volume.");
    set_got(add(r, 4040402, "lb-describe-unknown", VERDICT_PASS, ""), 404, 4040402,
            "No such loadbalancer");
    set_got(add(r, 4090483, "lb-duplicate-name", VERDICT_PASS, ""), 409, 4090483,
            "Duplicate loadbalancer name");
}

/* Case "failures": one failure of each check, a failure of several checks,
 * a known failure and a passing scenario whose baseline entry can go. */
static void model_failures(struct run_results *r)
{
    struct result *x;

    run_init(r);
    x = add(r, 4000001, "bad-json-body", VERDICT_FAIL,
            "body: expected a JSON error object, got text/html");
    fail_check(x, "body", "a JSON object with an integer \"code\" and a string \"message\"",
               "not JSON: '<html><body>502 Bad Gateway</body></html>'",
               "jansson: '[' or '{' expected near '<' (line 1, column 0)");
    set_got(x, 400, -1, NULL);
    set_str(&x->transcript, "> GET /api/v1/x/bad-json-body HTTP/1.1\n> Authorization: Token "
                            "***\n< HTTP/1.1 400 Bad Request\n< Content-Type: text/html\n<\n"
                            "< <html><body>502 Bad Gateway</body></html>\n");
    set_str(&x->response_excerpt, "<html><body>502 Bad Gateway</body></html>");
    x = add(r, 4010001, "no-token", VERDICT_FAIL,
            "expected 401/4010001 \"Unauthorized user.\", got 401/4010002 \"Unauthorized "
            "user.\"");
    fail_check(x, "code", "4010001", "4010002", NULL);
    set_got(x, 401, 4010002, "Unauthorized user.");
    set_str(&x->reproducer, "#!/bin/sh\n# apiconform reproducer of no-token\nset -eu\n"
                            "ac_send 'probe' 'http://127.0.0.1:8080/api/v1/x/no-token' "
                            "-H \"Authorization: Token $APICONFORM_TOKEN\" && [ 1 -lt 2 ]\n");
    x = add(r, 4030001, "api-freq-limit", VERDICT_FAIL,
            "content-type: expected application/json, got text/plain");
    fail_check(x, "content-type", "application/json", "text/plain; charset=utf-8", NULL);
    set_got(x, 403, 4030001, "Api freq out of limit.");
    x = add(r, 4040002, "container-describe-unknown", VERDICT_FAIL,
            "request-id: expected a Request-Id header holding a UUID, got none");
    fail_check(x, "request-id", "a Request-Id header holding a UUID", "absent", NULL);
    set_got(x, 404, 4040002, "No such container.");
    x = add(r, 4040201, "volume-describe-unknown", VERDICT_FAIL,
            "message: expected \"No such cloud volume.\", got \"No such cloud volume\"");
    fail_check(x, "message", "\"No such cloud volume.\"", "\"No such cloud volume\"",
               "first difference at byte 21: expected '.', got the end of the message");
    set_got(x, 404, 4040201, "No such cloud volume");
    set_str(&x->response_excerpt, "{\"code\":4040201,\"message\":\"No such cloud volume\"}");
    x = add(r, 4000401, "lb-invalid-param", VERDICT_FAIL,
            "known: expected a catalog code, got 4000499");
    fail_check(x, "known", "a code of the catalog", "4000499", NULL);
    set_got(x, 400, 4000499, "Invalid parameters");
    x = add(r, 4000401, "lb-invalid-name", VERDICT_PASS, "");
    set_got(x, 400, 4000401, "Invalid parameters");
    x->baseline_removable = 1;
    x = add(r, 4040402, "lb-describe-unknown", VERDICT_FAIL,
            "expected 404/4040402 \"No such loadbalancer\", got 400/4000401 \"Invalid "
            "parameters\"");
    fail_check(x, "status", "404", "400", NULL);
    fail_check(x, "code", "4040402", "4000401", NULL);
    fail_check(x, "message", "\"No such loadbalancer\"", "\"Invalid parameters\"",
               "first difference at byte 1: expected 'N', got 'I'");
    set_got(x, 400, 4000401, "Invalid parameters");
    set_str(&x->response_excerpt, "{\"code\":4000401,\"message\":\"Invalid parameters\"}");
    x = add(r, 4040402, "lb-describe-deleted", VERDICT_FAIL,
            "message: expected \"No such loadbalancer\", got \"No such load balancer\"");
    fail_check(x, "message", "\"No such loadbalancer\"", "\"No such load balancer\"", NULL);
    set_got(x, 404, 4040402, "No such load balancer");
    x->known = 1;
    set_str(&x->known_reason, "gateway rewrites the message; fixed in 2.3 (OPS-1234)");
    x = add(r, 4090483, "lb-duplicate-name", VERDICT_FAIL,
            "consistency: code 4000483 does not match HTTP 409");
    fail_check(x, "consistency", "code / 10000 == HTTP status 409", "code 4000483 with HTTP 409",
               "step: probe (setup steps were consistent)");
    set_got(x, 409, 4000483, "Duplicate loadbalancer name");
    x = add(r, 4150001, "secret-key-text-body", VERDICT_FAIL,
            "probe: response-time: expected \xE2\x89\xA4 2000 ms, got 20012 ms");
    fail_check(x, "response-time", "\xE2\x89\xA4 2000 ms", "20012 ms", NULL);
    set_got(x, 415, 4150001, "Unsupported media type.");
}

/* No answer: nothing got, the transport's words in the transcript. */
static void no_answer(struct result *x, const char *transcript)
{
    set_got(x, 0, -1, NULL);
    set_str(&x->transcript, transcript);
}

/* Case "errors_skips": transport errors, skipped scenarios, an interrupted
 * sharded run. */
static void model_errors_skips(struct run_results *r)
{
    struct result *x;

    run_init(r);
    r->incomplete = 1;
    r->insecure = 1;
    r->shard_index = 2;
    r->shard_count = 4;
    set_str(&r->capabilities, "");
    set_got(add(r, 4010001, "no-token", VERDICT_PASS, ""), 401, 4010001, "Unauthorized user.");
    x = add(r, 4000001, "missing-required-param", VERDICT_ERROR, "connection refused");
    no_answer(x, "* connect to 127.0.0.1 port 8080 failed: Connection refused\n");
    x = add(r, 4040402, "lb-describe-unknown", VERDICT_ERROR, "timeout after 30.000 s");
    no_answer(x, "> GET /api/v1/x/lb-describe-unknown HTTP/1.1\n* Operation timed out after "
                 "30000 milliseconds with 0 bytes received\n");
    x = add(r, 4090483, "lb-duplicate-name", VERDICT_ERROR,
            "interrupted before probe (create a load balancer): it was not sent");
    x->interrupted = 1;
    set_str(&x->cls, "stateful");
    no_answer(x, "setup: create load balancer: 200 OK\n* interrupted before the probe\n"
                 "teardown: delete load balancer: 200 OK\n");
    x = add(r, 4030001, "api-freq-limit", VERDICT_SKIP, "requires capability limit");
    set_str(&x->cls, "limit");
    set_str(&x->curl, "");
    no_answer(x, "");
    x->duration_ms = 0;
    x = add(r, 5000001, "internal-error", VERDICT_SKIP, "requires fault injection");
    set_str(&x->cls, "fault");
    set_str(&x->curl, "");
    no_answer(x, "");
    x->duration_ms = 0;
}

typedef int (*writer_fn)(const struct run_results *, const struct catalog *, struct ac_buf *);

/* ---- helpers ------------------------------------------------------------ */

static const char *xmllint_path(void)
{
    static const char *const cands[] = {"/usr/bin/xmllint", "/usr/local/bin/xmllint"};
    size_t i;

    for (i = 0; i < sizeof cands / sizeof cands[0]; i++)
        if (access(cands[i], X_OK) == 0)
            return cands[i];
    return NULL;
}

/* Validates a JUnit file against the project's schema (and Jenkins' when
 * the shared folder has it); prints xmllint's words on failure. */
static int xsd_validate(const char *path)
{
    char *why = NULL;
    int rc = t_junit_validate(path, &why);

    if (rc != 0)
        fprintf(stderr, "JUnit %s is not valid: %.2000s\n", path, why ? why : "");
    free(why);
    return rc;
}

/* Evaluates an XPath expression on path with xmllint; heap string. */
static char *xpath(const char *path, const char *expr)
{
    char *argv[5], *out = NULL;

    argv[0] = (char *)xmllint_path();
    argv[1] = (char *)"--xpath";
    argv[2] = (char *)expr;
    argv[3] = (char *)path;
    argv[4] = NULL;
    if (!argv[0] || t_run(argv, NULL, &out, NULL) < 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* Every count attribute of the JUnit file equals its elements. */
static void check_junit_counts(const char *path)
{
    static const char *const exprs[] = {
        "count(//testsuite[@tests != count(testcase)])",
        "count(//testsuite[@failures != count(testcase/failure)])",
        "count(//testsuite[@errors != count(testcase/error)])",
        "count(//testsuite[@skipped != count(testcase/skipped)])",
        /* the root has no counts (parsers would read skipped ones as
         * passed); the suites carry them all, and the XSD requires them */
        "count(/testsuites[@tests or @failures or @errors or @skipped])",
        "count(//testsuite[not(@tests and @failures and @errors and @skipped)])",
        "count(//testcase[count(failure | error | skipped) > 1])",
    };
    size_t i;

    for (i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        char *out = xpath(path, exprs[i]);

        if (out && *out && out[strlen(out) - 1] == '\n')
            out[strlen(out) - 1] = '\0';
        T_EQ_STR(out, "0");
        free(out);
    }
}

static int update_golden(void)
{
    const char *v = getenv("AC_UPDATE_GOLDEN");
    return v && strcmp(v, "1") == 0;
}

/* Compares buf with tests/data/reports/<kase>/<file>, or rewrites it. */
static void golden(const char *kase, const char *file, const struct ac_buf *buf)
{
    const char *dir = t_path("%s/tests/data/reports/%s", t_root(), kase);
    const char *path = t_path("%s/%s", dir, file);
    char *want;
    size_t len = 0;

    if (update_golden()) {
        struct ac_error err = AC_ERROR_INIT;

        mkdir(t_path("%s/tests/data/reports", t_root()), 0777);
        mkdir(dir, 0777);
        T_EQ_INT(ac_file_write_atomic(path, buf->data, buf->len, &err), 0);
        return;
    }
    want = t_read_file(path, &len);
    if (!want) {
        T_EQ_STR(path, "(a golden file: run with AC_UPDATE_GOLDEN=1)");
        return;
    }
    if (len != buf->len || memcmp(want, buf->data, len) != 0) {
        size_t i = 0;

        while (i < len && i < buf->len && want[i] == buf->data[i])
            i++;
        fprintf(stderr, "golden %s differs at byte %zu:\n  want: %.120s\n  got:  %.120s\n",
                path, i, want + (i > 40 ? i - 40 : 0), buf->data + (i > 40 ? i - 40 : 0));
        T_EQ_STR(path, "(identical to the golden file)");
    }
    free(want);
}

/* 1 when s holds none of the characters no report may carry. */
static int clean_for_markup(const char *s, size_t n)
{
    size_t i;

    if (!ac_utf8_valid(s, n, NULL))
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
            return 0;
        if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
            ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF))
            return 0;
    }
    return 1;
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    const char *p = hay;

    while ((p = strstr(p, needle)) != NULL) {
        n++;
        p += strlen(needle);
    }
    return n;
}

/* ---- sanitizer ------------------------------------------------------------ */

static char *put(const char *s, enum report_ctx ctx, size_t cap, unsigned flags)
{
    struct ac_buf b = AC_BUF_INIT;

    report_text_put(&b, s, ctx, cap, flags);
    return ac_buf_take(&b);
}

#define EXPECT_PUT(s, ctx, cap, flags, want)                                                 \
    do {                                                                                     \
        char *got_ = put((s), (ctx), (cap), (flags));                                        \
        T_EQ_STR(got_, (want));                                                              \
        free(got_);                                                                          \
    } while (0)

#define FFFD "\xEF\xBF\xBD"

static void test_reports_sanitize_utf8(void)
{
    /* One U+FFFD per bad byte: stray continuation, overlong, truncated. */
    EXPECT_PUT("a\x80z", REPORT_CTX_CLEAN, 0, 0, "a" FFFD "z");
    EXPECT_PUT("\xC0\xAF", REPORT_CTX_CLEAN, 0, 0, FFFD FFFD);
    EXPECT_PUT("x\xE2\x82", REPORT_CTX_CLEAN, 0, 0, "x" FFFD FFFD);
    /* A lone UTF-16 surrogate encoded as UTF-8 (CESU) is invalid. */
    EXPECT_PUT("\xED\xA0\x80!", REPORT_CTX_CLEAN, 0, 0, FFFD FFFD FFFD "!");
    /* Past U+10FFFF. */
    EXPECT_PUT("\xF4\x90\x80\x80", REPORT_CTX_UTF8, 0, 0, FFFD FFFD FFFD FFFD);
    /* Valid text passes unchanged, including U+FFFD itself. */
    EXPECT_PUT("负载均衡 " FFFD, REPORT_CTX_CLEAN, 0, 0, "负载均衡 " FFFD);
}

static void test_reports_sanitize_forbidden(void)
{
    /* C0 controls but tab, LF, CR; DEL; C1. */
    EXPECT_PUT("\x01\x1b[31m\t\n\r\x7f", REPORT_CTX_CLEAN, 0, 0, FFFD FFFD "[31m\t\n\r" FFFD);
    EXPECT_PUT("\xC2\x85\xC2\x9F\xC2\xA0", REPORT_CTX_CLEAN, 0, 0, FFFD FFFD "\xC2\xA0");
    /* The U+FFFF / U+10000 boundary: U+FFFE and U+FFFF go, U+FFFD and
     * U+10000 stay (pytest #14483 escaped everything above U+FFFF). */
    EXPECT_PUT("\xEF\xBF\xBC\xEF\xBF\xBD\xEF\xBF\xBE\xEF\xBF\xBF\xF0\x90\x80\x80",
               REPORT_CTX_XML_TEXT, 0, 0, "\xEF\xBF\xBC" FFFD FFFD FFFD "\xF0\x90\x80\x80");
    /* Noncharacters of the other planes and U+FDD0. */
    EXPECT_PUT("\xF0\x9F\xBF\xBF\xEF\xB7\x90\xF4\x8F\xBF\xBD", REPORT_CTX_HTML, 0, 0,
               FFFD FFFD "\xF4\x8F\xBF\xBD");
    /* JSON keeps controls (jansson escapes them) but not bad UTF-8. */
    EXPECT_PUT("\x01\x7f\xff", REPORT_CTX_UTF8, 0, 0, "\x01\x7f" FFFD);
}

static void test_reports_escape_contexts(void)
{
    const char *s = "a&b<c>d\"e'f\tg\nh\ri]]>";

    EXPECT_PUT(s, REPORT_CTX_XML_TEXT, 0, 0,
               "a&amp;b&lt;c&gt;d&quot;e&#39;f\tg\nh&#13;i]]&gt;");
    EXPECT_PUT(s, REPORT_CTX_XML_ATTR, 0, 0,
               "a&amp;b&lt;c&gt;d&quot;e&#39;f&#9;g&#10;h&#13;i]]&gt;");
    EXPECT_PUT(s, REPORT_CTX_HTML, 0, 0, "a&amp;b&lt;c&gt;d&quot;e&#39;f\tg\nh\ri]]&gt;");
    EXPECT_PUT(s, REPORT_CTX_XML_ATTR, 0, REPORT_TEXT_ONELINE,
               "a&amp;b&lt;c&gt;d&quot;e&#39;f g h i]]&gt;");
    EXPECT_PUT("a|b`c*d_e[f](g)\\h<i>&#", REPORT_CTX_MD_TEXT, 0, 0,
               "a\\|b\\`c\\*d\\_e\\[f\\]\\(g\\)\\\\h&lt;i&gt;&amp;\\#");
    EXPECT_PUT("line\none|two", REPORT_CTX_MD_TEXT, 0, 0, "line one\\|two");
}

static void test_reports_cap_marker(void)
{
    /* The cap falls inside the 3-byte character: it is not split. */
    EXPECT_PUT("ab负c", REPORT_CTX_CLEAN, 4, 0, "ab\n[truncated: 2 of 6 bytes shown]");
    EXPECT_PUT("abcdef", REPORT_CTX_XML_ATTR, 3, REPORT_TEXT_ONELINE,
               "abc [truncated: 3 of 6 bytes shown]");
    EXPECT_PUT("abc", REPORT_CTX_CLEAN, 3, 0, "abc");
    EXPECT_PUT("", REPORT_CTX_CLEAN, 3, 0, "");
}

static void test_reports_md_code_span(void)
{
    struct ac_buf b = AC_BUF_INIT;

    report_text_md_code(&b, "plain", 0, 0);
    T_EQ_STR(b.data, "`plain`");
    ac_buf_reset(&b);
    report_text_md_code(&b, "a``b`", 0, 0);
    T_EQ_STR(b.data, "``` a``b` ```");
    ac_buf_reset(&b);
    report_text_md_code(&b, "x|y\nz<script>", 0, REPORT_TEXT_PIPE);
    T_EQ_STR(b.data, "`x\\|y z<script>`");
    ac_buf_reset(&b);
    report_text_md_code(&b, "", 0, 0);
    T_EQ_STR(b.data, "`\"\"`");
    ac_buf_release(&b);
}

static void test_reports_formats(void)
{
    char b[64];

    T_EQ_STR(report_fmt_seconds(b, sizeof b, 0), "0.000");
    T_EQ_STR(report_fmt_seconds(b, sizeof b, 7), "0.007");
    T_EQ_STR(report_fmt_seconds(b, sizeof b, 12345), "12.345");
    T_EQ_STR(report_fmt_seconds(b, sizeof b, 3600000), "3600.000");
    T_EQ_STR(report_fmt_seconds(b, sizeof b, -5), "0.000");
    T_EQ_STR(report_fmt_time(b, sizeof b, 0, 'T'), "1970-01-01T00:00:00");
    T_EQ_STR(report_fmt_time(b, sizeof b, 1714566896123LL, 'T'), "2024-05-01T12:34:56");
    T_EQ_STR(report_fmt_time(b, sizeof b, 1709251199000LL, ' '), "2024-02-29 23:59:59");
    T_EQ_STR(report_fmt_time(b, sizeof b, 4102444800000LL, 'T'), "2100-01-01T00:00:00");
    T_EQ_STR(report_suite_name(b, sizeof b, NULL, 4), "04 load balancers");
}

/* ---- results model --------------------------------------------------------- */

static void test_reports_counts_and_exit(void)
{
    struct run_results r;
    struct results_counts n;

    model_failures(&r);
    results_count(&r, &n);
    T_EQ_INT(n.total, 11);
    T_EQ_INT(n.passed, 1);
    T_EQ_INT(n.failed, 10);
    T_EQ_INT(n.known, 1);
    T_EQ_INT(results_exit_status(&r), 1);
    results_release(&r);
    T_EQ_INT(r.nresults, 0);
    T_TRUE(r.results == NULL);

    model_pass(&r);
    T_EQ_INT(results_exit_status(&r), 0);
    results_release(&r);

    model_errors_skips(&r);
    results_count(&r, &n);
    T_EQ_INT(n.errors, 3);
    T_EQ_INT(n.skipped, 2);
    T_EQ_INT(results_exit_status(&r), 3);
    results_release(&r);

    T_EQ_STR(verdict_name(VERDICT_PASS), "passed");
    T_EQ_STR(verdict_name(VERDICT_FAIL), "failed");
    T_EQ_STR(verdict_name(VERDICT_ERROR), "error");
    T_EQ_STR(verdict_name(VERDICT_SKIP), "skipped");
}

/* The headline says what was judged; a partial run is never a pass. */
static void test_reports_headline(void)
{
    struct catalog *c = test_catalog();
    struct catalog *one = catalog_load_buffer(
        "one.json",
        "{\"format\": \"apiconform-catalog/1\", \"entries\": ["
        "{\"code\": 4000001, \"message\": \"Invalid parameters.\"}]}",
        strlen("{\"format\": \"apiconform-catalog/1\", \"entries\": ["
               "{\"code\": 4000001, \"message\": \"Invalid parameters.\"}]}"),
        NULL);
    struct run_results r;
    struct report_headline h;

    /* Every scenario passed, but 6 of the catalog's 10 codes: partial. */
    model_pass(&r);
    report_headline(&r, c, &h);
    T_EQ_INT(h.state, REPORT_HEADLINE_PARTIAL);
    T_EQ_STR(h.name, "partial");
    T_EQ_STR(h.text, "Partial pass: 6 of 6 scenarios ran, 6 of 10 codes verified");
    T_EQ_INT(results_exit_status(&r), 0);
    /* Without a catalog the codes are those of the results: a full pass. */
    report_headline(&r, NULL, &h);
    T_EQ_INT(h.state, REPORT_HEADLINE_PASSED);
    T_EQ_STR(h.text, "Passed: 6 of 6 scenarios ran, 6 of 6 codes verified");
    /* One skip makes it partial, whatever the codes. */
    add(&r, 4000001, "also-stateful", VERDICT_SKIP, "requires creating and deleting resources");
    report_headline(&r, NULL, &h);
    T_EQ_STR(h.text, "Partial pass: 6 of 7 scenarios ran, 6 of 6 codes verified (1 skipped)");
    /* ... and under --fail-on-skip the run is not judged, exit 3. */
    r.fail_on_skip = 1;
    report_headline(&r, NULL, &h);
    T_EQ_INT(h.state, REPORT_HEADLINE_ERROR);
    T_EQ_STR(h.text, "Not judged: 1 skipped under --fail-on-skip; 6 of 7 scenarios ran, 6 of 6 "
                     "codes verified (1 skipped)");
    T_EQ_INT(results_exit_status(&r), 3);
    results_release(&r);

    /* A full pass against a one-code catalog. */
    run_init(&r);
    set_got(add(&r, 4000001, "p", VERDICT_PASS, ""), 400, 4000001, "Invalid parameters.");
    report_headline(&r, one, &h);
    T_EQ_INT(h.state, REPORT_HEADLINE_PASSED);
    T_EQ_STR(h.word, "Passed");
    T_EQ_STR(h.text, "Passed: 1 of 1 scenario ran, 1 of 1 codes verified");
    results_release(&r);

    model_failures(&r);
    report_headline(&r, c, &h);
    T_EQ_INT(h.state, REPORT_HEADLINE_FAILED);
    T_CONTAINS(h.text, "Failed: 9 scenarios broke the contract; 11 of 11 scenarios ran, ");
    T_CONTAINS(h.text, "(1 known failure)");
    results_release(&r);

    model_errors_skips(&r);
    report_headline(&r, c, &h);
    T_EQ_INT(h.state, REPORT_HEADLINE_ERROR);
    T_CONTAINS(h.text, "Not judged: 3 errors (1 interrupted), run interrupted; ");
    results_release(&r);

    /* Nothing ran. */
    run_init(&r);
    add(&r, 4000001, "s", VERDICT_SKIP, "requires fault injection");
    report_headline(&r, c, &h);
    T_EQ_INT(h.state, REPORT_HEADLINE_NONE);
    T_EQ_STR(h.text, "Nothing judged: 0 of 1 scenario ran, 0 of 10 codes verified (1 skipped)");
    results_release(&r);
    catalog_free(c);
    catalog_free(one);
}

/* ---- golden files ---------------------------------------------------------- */

static void golden_case(const char *kase, void (*build)(struct run_results *))
{
    struct catalog *c = test_catalog();
    struct run_results r;
    struct ac_buf b = AC_BUF_INIT;
    struct ac_error err = AC_ERROR_INIT;
    const char *path;

    build(&r);
    T_EQ_INT(report_junit_write(&r, c, &b), 0);
    golden(kase, "junit.xml", &b);
    path = t_write_temp(t_path("%s-junit.xml", kase), b.data, b.len);
    T_EQ_INT(xsd_validate(path), 0);
    check_junit_counts(path);
    ac_buf_reset(&b);
    T_EQ_INT(report_html_write(&r, c, &b), 0);
    golden(kase, "report.html", &b);
    ac_buf_reset(&b);
    T_EQ_INT(report_md_write(&r, c, &b), 0);
    golden(kase, "summary.md", &b);
    ac_buf_reset(&b);
    T_EQ_INT(report_json_write(&r, c, &b), 0);
    golden(kase, "results.json", &b);
    /* The file variants write the same bytes. */
    path = t_write_temp(t_path("%s-x.json", kase), "", 0);
    T_EQ_INT(report_json_write_file(&r, c, path, &err), 0);
    {
        size_t len = 0;
        char *got = t_read_file(path, &len);

        T_EQ_INT(len, b.len);
        T_TRUE(got && memcmp(got, b.data, len) == 0);
        free(got);
    }
    ac_buf_release(&b);
    results_release(&r);
    catalog_free(c);
}

static void test_reports_golden_pass(void)
{
    golden_case("pass", model_pass);
}

static void test_reports_golden_failures(void)
{
    golden_case("failures", model_failures);
}

static void test_reports_golden_errors_skips(void)
{
    golden_case("errors_skips", model_errors_skips);
}

/* ---- JUnit details ------------------------------------------------------------ */

static void test_reports_junit_shape(void)
{
    struct catalog *c = test_catalog();
    struct run_results r;
    struct ac_buf b = AC_BUF_INIT;

    model_failures(&r);
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

    model_errors_skips(&r);
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
    T_EQ_INT(xsd_validate(t_write_temp("empty.xml", b.data, b.len)), 0);
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
    struct catalog *c = test_catalog();
    struct run_results r;
    struct ac_buf b = AC_BUF_INIT;
    size_t i;

    model_failures(&r);
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
    T_CONTAINS(b.data, "href=\"#c4040402\" title=\"failed: No such loadbalancer\">\xE2\x9C\x97 4040402</a>");
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

    run_init(&r);
    x = add(&r, 4040201, "v", VERDICT_FAIL, "s");
    fail_check(x, "message", "abc", "abcd", NULL);
    fail_check(x, "message", "caf\xC3\xA9", "caf\xC3\xA8", NULL);
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
    struct catalog *c = test_catalog();
    struct run_results r;
    struct ac_buf b = AC_BUF_INIT;

    model_failures(&r);
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

    run_init(&r);
    for (i = 0; i < 3000; i++)
        ac_buf_adds(&sum, "expected `x` | got <b>y</b> ");
    for (i = 0; i < 5000; i++) {
        struct result *x = add(&r, 4000001 + (long)(i % 90) * 100, t_path("s%zu", i),
                               i % 3 ? VERDICT_FAIL : VERDICT_ERROR, sum.data);
        fail_check(x, "message", "a", "b", NULL);
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

    run_init(r);
    set_str(&r->target, HOSTILE);
    set_str(&r->run_id, HOSTILE);
    set_str(&r->hostname, HOSTILE);
    set_str(&r->capabilities, HOSTILE);
    set_str(&r->catalog_path, HOSTILE);
    for (i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        struct result *x = add(r, i == 4 ? 4990001 : 4040402, HOSTILE, vs[i], HOSTILE);

        set_str(&x->title, HOSTILE);
        set_str(&x->file, HOSTILE);
        set_str(&x->cls, HOSTILE);
        set_str(&x->curl, HOSTILE);
        set_str(&x->reproducer, HOSTILE);
        set_str(&x->got_message, HOSTILE);
        fail_check(x, HOSTILE, HOSTILE, HOSTILE, HOSTILE);
        fail_check(x, "message", HOSTILE, "short", HOSTILE);
        free(x->transcript);
        x->transcript = big;
        x->response_excerpt = xdup(big);
        big = xdup(big);
        if (i == 0) {
            x->known = 0;
        } else if (i == 4) {
            x->known = 1;
            set_str(&x->known_reason, HOSTILE);
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
    struct catalog *c = test_catalog();
    struct run_results r, back;
    struct catalog *cback = NULL;
    struct ac_buf b = AC_BUF_INIT;
    struct ac_error err = AC_ERROR_INIT;
    const char *path;

    hostile_model(&r, make_big());

    T_EQ_INT(report_junit_write(&r, c, &b), 0);
    T_TRUE(clean_for_markup(b.data, b.len));
    T_NOT_CONTAINS(b.data, "<![CDATA[");
    T_NOT_CONTAINS(b.data, "]]>");
    T_NOT_CONTAINS(b.data, "<script");
    T_CONTAINS(b.data, "10000:\xf0\x90\x80\x80");
    T_CONTAINS(b.data, "[truncated: ");
    T_TRUE(b.len < 1024 * 1024);
    T_EQ_INT(count_of(b.data, "<testcase "), 5);
    T_EQ_INT(count_of(b.data, "<failure "), 1);
    path = t_write_temp("hostile-junit.xml", b.data, b.len);
    T_EQ_INT(xsd_validate(path), 0);
    check_junit_counts(path);

    ac_buf_reset(&b);
    T_EQ_INT(report_html_write(&r, c, &b), 0);
    T_TRUE(clean_for_markup(b.data, b.len));
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
    ac_file_write_atomic(t_path("%s/tests/reports-hostile.html", t_build()), b.data, b.len,
                         &err);
    ac_error_clear(&err);
    /* Every tag in the page is one of ours. */
    {
        static const char *const ok[] = {
            "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2",
            "h3",       "h4",   "h5",   "p",    "table", "tr",    "th",   "td",     "code", "br",
            "main",     "a",    "div",  "span", "svg",   "rect",  "text", "section", "article",
            "strong",   "em",   "pre",  "details", "summary", "mark", "ol", "li",
        };
        const char *p = b.data;

        while ((p = strchr(p, '<')) != NULL) {
            size_t n = strspn(p + 1 + (p[1] == '/'), "!ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
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
    T_TRUE(clean_for_markup(b.data, b.len));
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
    run_init(&r);
    for (i = 0; i < n; i++) {
        struct result *x = add(&r, 4000001 + (long)(i % 50) * 100, t_path("s%zu", i),
                               VERDICT_FAIL, "f");
        fail_check(x, "message", amps, amps, amps);
        set_str(&x->transcript, amps);
    }
    T_EQ_INT(report_junit_write(&r, NULL, &b), 0);
    T_TRUE(b.len > REPORT_JUNIT_BUDGET && b.len < REPORT_JUNIT_BUDGET + 512 * 1024);
    T_EQ_INT(count_of(b.data, "<testcase "), n);
    T_EQ_INT(count_of(b.data, "<failure "), n);
    T_CONTAINS(b.data, "[omitted: the report reached its size budget]");
    path = t_write_temp("budget.xml", b.data, b.len);
    T_EQ_INT(xsd_validate(path), 0);
    check_junit_counts(path);
    ac_buf_reset(&b);
    T_EQ_INT(report_html_write(&r, NULL, &b), 0);
    T_TRUE(b.len > REPORT_HTML_BUDGET && b.len < REPORT_HTML_BUDGET + 1024 * 1024);
    T_EQ_INT(count_of(b.data, "<article id="), n);
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

    run_init(&r);
    x = add(&r, 4040402, "lb/x y", VERDICT_FAIL, "f");
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
    T_CONTAINS(b.data, "echo &#39;line 299 of a long script&#39; &lt;&amp;-\necho the-last-line\n</pre>");
    ac_buf_release(&b);
    results_release(&r);
}

/* A writer reads nothing but its arguments: no environment (a token in it
 * never reaches a report), no time zone, no locale, no clock. */
static void test_reports_pure(void)
{
    static const writer_fn writers[] = {report_junit_write, report_html_write, report_md_write,
                                        report_json_write};
    static const char CANARY[] = "canary-7f3a9c1e5b";
    struct catalog *c = test_catalog();
    struct run_results r;
    struct ac_buf a = AC_BUF_INIT, b = AC_BUF_INIT;
    const char *old_tz = getenv("TZ");
    char *tz = old_tz ? xdup(old_tz) : NULL;
    size_t i;

    model_failures(&r);
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
        a->insecure != b->insecure || a->shard_index != b->shard_index || a->shard_count != b->shard_count ||
        a->nresults != b->nresults)
        return 0;
    for (i = 0; i < a->nresults; i++) {
        const struct result *x = &a->results[i], *y = &b->results[i];

        if (!str_eq(x->scenario_id, y->scenario_id) || x->code != y->code ||
            x->service != y->service || !str_eq(x->title, y->title) ||
            !str_eq(x->file, y->file) || !str_eq(x->cls, y->cls) || x->verdict != y->verdict ||
            !str_eq(x->summary, y->summary) || x->nfailures != y->nfailures ||
            !str_eq(x->curl, y->curl) || !str_eq(x->reproducer, y->reproducer) ||
            !str_eq(x->transcript, y->transcript) ||
            x->got_status != y->got_status || x->got_code != y->got_code ||
            !str_eq(x->got_message, y->got_message) ||
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
    static const writer_fn writers[] = {report_junit_write, report_html_write, report_md_write};
    struct catalog *c = test_catalog(), *c2 = NULL;
    struct run_results r, back;
    struct ac_buf a = AC_BUF_INIT, b = AC_BUF_INIT;
    struct ac_error err = AC_ERROR_INIT;
    size_t i;

    build(&r);
    /* Strings the model may legitimately hold: controls, quotes, CJK,
     * astral characters, and NULL fields. */
    set_str(&r.results[0].got_message, "\x01\x1f \"q\" \\ / 负载 \xF0\x9F\x98\x80 \xEF\xBF\xBF");
    set_str(&r.results[0].title, NULL);
    set_str(&r.hostname, NULL);
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
    roundtrip(model_pass);
    roundtrip(model_failures);
    roundtrip(model_errors_skips);
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
    struct catalog *c = test_catalog(), *c2 = NULL;
    struct run_results r;
    struct ac_buf b = AC_BUF_INIT;
    struct ac_error err = AC_ERROR_INIT;

    model_pass(&r);
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

    model_pass(&r);
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
    run_init(r);
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
    add(&p[0], 4040402, "lb-b", VERDICT_PASS, "");
    add(&p[0], 4000001, "p-a", VERDICT_FAIL, "f");
    shard(&p[1], 1, 3, 1714566896000LL);
    add(&p[1], 4040402, "lb-a", VERDICT_PASS, "");
    shard(&p[2], 3, 3, 1714566897000LL);
    add(&p[2], 4010001, "t", VERDICT_ERROR, "timeout");
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
    set_str(&p[1].catalog_sha256, "ffff");
    T_EQ_INT(report_merge(p, names, 3, &m, &err), -1);
    T_EQ_STR(ac_error_str(&err, msg, sizeof msg),
             "s2.json: catalog sha256 ffff differs from "
             "5f0c2a7e9d1b3c4a5f0c2a7e9d1b3c4a5f0c2a7e9d1b3c4a5f0c2a7e9d1b3c4a in s1.json: the "
             "runs used different catalogs");
    ac_error_clear(&err);
    set_str(&p[1].catalog_sha256, p[0].catalog_sha256);
    /* Different suites. */
    set_str(&p[2].suite_sha256, "eeee");
    T_EQ_INT(report_merge(p, NULL, 3, &m, &err), -1);
    T_EQ_STR(ac_error_str(&err, msg, sizeof msg),
             "part 3: suite sha256 eeee differs from "
             "0d1e2f3a4b5c6d7e8f900d1e2f3a4b5c6d7e8f900d1e2f3a4b5c6d7e8f900d1e in part 1: the "
             "runs used different suites");
    ac_error_clear(&err);
    set_str(&p[2].suite_sha256, p[0].suite_sha256);
    /* A scenario in two parts. */
    add(&p[2], 4040402, "lb-a", VERDICT_PASS, "");
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

    run_init(&a);
    run_init(&b);
    add(&a, 4000001, "fixed-one", VERDICT_FAIL, "was broken");
    add(&b, 4000001, "fixed-one", VERDICT_PASS, "");
    add(&a, 4040402, "still", VERDICT_FAIL, "old");
    add(&b, 4040402, "still", VERDICT_FAIL, "new \x1b[31m");
    add(&a, 4010001, "new-one", VERDICT_PASS, "");
    add(&b, 4010001, "new-one", VERDICT_FAIL, "broke");
    add(&b, 4030001, "brand-new", VERDICT_FAIL, "never seen");
    add(&a, 4090483, "gone", VERDICT_FAIL, "x");
    add(&a, 4040201, "erred", VERDICT_FAIL, "x");
    add(&b, 4040201, "erred", VERDICT_ERROR, "timeout");
    add(&a, 4000401, "same", VERDICT_PASS, "");
    add(&b, 4000401, "same", VERDICT_PASS, "");

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
    model_failures(&r);
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

    run_init(&r);
    add(&r, 4040402, "x", VERDICT_FAIL, "f");
    add(&r, 4000001, "y", VERDICT_PASS, "");
    T_EQ_INT(results_exit_status(&r), 1);
    T_EQ_INT(report_baseline_parse("b.json", json, strlen(json), &b, &err), 0);
    T_EQ_INT(report_baseline_apply(&b, &r, report_date_today(today, sizeof today), NULL, &err),
             0);
    T_EQ_INT(strlen(today), 10);
    T_EQ_INT(results_exit_status(&r), 0);
    add(&r, 4000002, "z", VERDICT_FAIL, "new");
    T_EQ_INT(results_exit_status(&r), 1);
    results_release(&r);
    report_baseline_release(&b);

    T_EQ_INT(report_baseline_load("/nonexistent/b.json", &b, &err), -1);
}

/* ---- registration -------------------------------------------------------------------- */

int test_register(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tests[] = {
        {"replaces bad UTF-8 byte by byte", test_reports_sanitize_utf8},
        {"replaces characters XML and HTML cannot carry", test_reports_sanitize_forbidden},
        {"escapes for each context", test_reports_escape_contexts},
        {"caps fields at a character boundary with a marker", test_reports_cap_marker},
        {"fences Markdown code spans", test_reports_md_code_span},
        {"formats times without locale or zone", test_reports_formats},
        {"counts verdicts and derives the exit status", test_reports_counts_and_exit},
        {"the headline says what was judged", test_reports_headline},
        {"golden: passing run", test_reports_golden_pass},
        {"golden: a failure of each check", test_reports_golden_failures},
        {"golden: errors and skips", test_reports_golden_errors_skips},
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
        {"JSON round trip is lossless and rebuilds every report", test_reports_json_roundtrip},
        {"HTML shows a reproducer whole, with a download link", test_reports_html_reproducer_whole},
        {"--insecure is recorded in every report", test_reports_insecure_in_every_report},
        {"JSON read errors name the field", test_reports_json_read_errors},
        {"JSON file write and read", test_reports_json_file},
        {"merges shards and rejects mismatches", test_reports_merge},
        {"diffs two runs per scenario", test_reports_diff},
        {"validates baseline files", test_reports_baseline_parse},
        {"applies a baseline with expiry", test_reports_baseline_apply},
        {"a baseline turns known failures green", test_reports_baseline_gates},
    };
    CU_pSuite s = CU_add_suite("reports", NULL, NULL);
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn))
            return -1;
    return 0;
}
