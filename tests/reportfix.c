/* tests/reportfix.c -- see reportfix.h: the test catalog, the results
 * models of the golden cases, xmllint and golden-file helpers. */
#include "reportfix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

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

struct catalog *rf_test_catalog(void)
{
    struct ac_error err = AC_ERROR_INIT;
    struct catalog *c =
        catalog_load_buffer("test-catalog.json", CATALOG_JSON, strlen(CATALOG_JSON), &err);

    if (!c)
        fprintf(stderr, "test catalog: %s: %s\n", err.where, err.text);
    return c;
}

char *rf_xdup(const char *s)
{
    return s ? ac_strdup(s) : NULL;
}

void rf_run_init(struct run_results *r)
{
    memset(r, 0, sizeof *r);
    r->run_id = rf_xdup("r3f9a1c");
    r->target = rf_xdup("http://127.0.0.1:8080");
    r->tool_version = rf_xdup("0.1.0");
    r->catalog_path = rf_xdup("catalog/nce-errors.json");
    r->catalog_sha256 = rf_xdup("5f0c2a7e9d1b3c4a5f0c2a7e9d1b3c4a5f0c2a7e9d1b3c4a5f0c2a7e9d1b3c4a");
    r->suite_path = rf_xdup("suite");
    r->suite_sha256 = rf_xdup("0d1e2f3a4b5c6d7e8f900d1e2f3a4b5c6d7e8f900d1e2f3a4b5c6d7e8f900d1e");
    r->capabilities = rf_xdup("destructive,limit");
    r->hostname = rf_xdup("ci-runner-1");
    r->started_unix_ms = 1714566896000LL; /* 2024-05-01T12:34:56Z */
    r->duration_ms = 12345;
}

static const char *reason_phrase(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    default: return "Internal Server Error";
    }
}

/* What the probe got, and a transcript that shows it. */
void rf_set_got(struct result *x, int status, long code, const char *message)
{
    char buf[1024];

    x->got_status = status;
    x->got_code = code;
    free(x->got_message);
    x->got_message = rf_xdup(message);
    snprintf(buf, sizeof buf,
             "> GET /api/v1/x/%s HTTP/1.1\n> Authorization: Token ***\n< HTTP/1.1 %d %s\n"
             "< Content-Type: application/json\n< Request-Id: "
             "0b7c5a4e-3f1d-4e2a-9c8b-7a6d5e4f3c2b\n<\n< {\"code\":%ld,\"message\":\"%s\"}\n",
             x->scenario_id, status, reason_phrase(status), code, message ? message : "");
    free(x->transcript);
    x->transcript = rf_xdup(buf);
}

/* Appends a result with a plausible curl command and transcript. */
struct result *rf_add(struct run_results *r, long code, const char *id, enum verdict v,
                      const char *summary)
{
    struct result *x;
    char buf[1024];

    r->results = realloc(r->results, (r->nresults + 1) * sizeof *r->results);
    x = &r->results[r->nresults++];
    memset(x, 0, sizeof *x);
    x->scenario_id = rf_xdup(id);
    x->code = code;
    x->service = (int)(code / 100 % 100);
    snprintf(buf, sizeof buf, "Provoke %ld: %s", code, id);
    x->title = rf_xdup(buf);
    snprintf(buf, sizeof buf, "suite/%02d/%ld.json", x->service, code);
    x->file = rf_xdup(buf);
    x->cls = rf_xdup("stateless");
    x->verdict = v;
    x->summary = rf_xdup(summary);
    snprintf(buf, sizeof buf,
             "curl -sS -X GET 'http://127.0.0.1:8080/api/v1/x/%s' -H "
             "\"Authorization: Token $APICONFORM_TOKEN\"",
             id);
    x->curl = rf_xdup(buf);
    rf_set_got(x, (int)(code / 10000), code, NULL);
    x->response_excerpt = NULL;
    x->started_ms = (long long)r->nresults * 37;
    x->duration_ms = 10 + (long long)r->nresults * 3;
    return x;
}

void rf_fail_check(struct result *x, const char *check, const char *expected, const char *actual,
                   const char *detail)
{
    struct check_failure *f;

    x->failures = realloc(x->failures, (x->nfailures + 1) * sizeof *x->failures);
    f = &x->failures[x->nfailures++];
    f->check = rf_xdup(check);
    f->expected = rf_xdup(expected);
    f->actual = rf_xdup(actual);
    f->detail = rf_xdup(detail ? detail : "");
}

void rf_set_str(char **dst, const char *s)
{
    free(*dst);
    *dst = rf_xdup(s);
}

/* Case "pass": every scenario passes. */
void rf_model_pass(struct run_results *r)
{
    rf_run_init(r);
    rf_set_got(rf_add(r, 4000001, "missing-required-param", VERDICT_PASS, ""), 400, 4000001,
               "Invalid parameters.");
    rf_set_got(rf_add(r, 4010001, "no-token", VERDICT_PASS, ""), 401, 4010001,
               "Unauthorized user.");
    rf_set_got(rf_add(r, 4040002, "container-describe-unknown", VERDICT_PASS, ""), 404, 4040002,
               "No such container.");
    rf_set_got(rf_add(r, 4040201, "volume-describe-unknown", VERDICT_PASS, ""), 404, 4040201,
               "No such cloud volume.");
    rf_set_got(rf_add(r, 4040402, "lb-describe-unknown", VERDICT_PASS, ""), 404, 4040402,
               "No such loadbalancer");
    rf_set_got(rf_add(r, 4090483, "lb-duplicate-name", VERDICT_PASS, ""), 409, 4090483,
               "Duplicate loadbalancer name");
}

/* Case "failures": one failure of each check, a failure of several checks,
 * a known failure and a passing scenario whose baseline entry can go. */
void rf_model_failures(struct run_results *r)
{
    struct result *x;

    rf_run_init(r);
    x = rf_add(r, 4000001, "bad-json-body", VERDICT_FAIL,
               "body: expected a JSON error object, got text/html");
    rf_fail_check(x, "body", "a JSON object with an integer \"code\" and a string \"message\"",
                  "not JSON: '<html><body>502 Bad Gateway</body></html>'",
                  "jansson: '[' or '{' expected near '<' (line 1, column 0)");
    rf_set_got(x, 400, -1, NULL);
    rf_set_str(&x->transcript, "> GET /api/v1/x/bad-json-body HTTP/1.1\n> Authorization: Token "
                               "***\n< HTTP/1.1 400 Bad Request\n< Content-Type: text/html\n<\n"
                               "< <html><body>502 Bad Gateway</body></html>\n");
    rf_set_str(&x->response_excerpt, "<html><body>502 Bad Gateway</body></html>");
    x = rf_add(r, 4010001, "no-token", VERDICT_FAIL,
               "expected 401/4010001 \"Unauthorized user.\", got 401/4010002 \"Unauthorized "
               "user.\"");
    rf_fail_check(x, "code", "4010001", "4010002", NULL);
    rf_set_got(x, 401, 4010002, "Unauthorized user.");
    rf_set_str(&x->reproducer, "#!/bin/sh\n# apiconform reproducer of no-token\nset -eu\n"
                               "ac_send 'probe' 'http://127.0.0.1:8080/api/v1/x/no-token' "
                               "-H \"Authorization: Token $APICONFORM_TOKEN\" && [ 1 -lt 2 ]\n");
    x = rf_add(r, 4030001, "api-freq-limit", VERDICT_FAIL,
               "content-type: expected application/json, got text/plain");
    rf_fail_check(x, "content-type", "application/json", "text/plain; charset=utf-8", NULL);
    rf_set_got(x, 403, 4030001, "Api freq out of limit.");
    x = rf_add(r, 4040002, "container-describe-unknown", VERDICT_FAIL,
               "request-id: expected a Request-Id header holding a UUID, got none");
    rf_fail_check(x, "request-id", "a Request-Id header holding a UUID", "absent", NULL);
    rf_set_got(x, 404, 4040002, "No such container.");
    x = rf_add(r, 4040201, "volume-describe-unknown", VERDICT_FAIL,
               "message: expected \"No such cloud volume.\", got \"No such cloud volume\"");
    rf_fail_check(x, "message", "\"No such cloud volume.\"", "\"No such cloud volume\"",
                  "first difference at byte 21: expected '.', got the end of the message");
    rf_set_got(x, 404, 4040201, "No such cloud volume");
    rf_set_str(&x->response_excerpt, "{\"code\":4040201,\"message\":\"No such cloud volume\"}");
    x = rf_add(r, 4000401, "lb-invalid-param", VERDICT_FAIL,
               "known: expected a catalog code, got 4000499");
    rf_fail_check(x, "known", "a code of the catalog", "4000499", NULL);
    rf_set_got(x, 400, 4000499, "Invalid parameters");
    x = rf_add(r, 4000401, "lb-invalid-name", VERDICT_PASS, "");
    rf_set_got(x, 400, 4000401, "Invalid parameters");
    x->baseline_removable = 1;
    x = rf_add(r, 4040402, "lb-describe-unknown", VERDICT_FAIL,
               "expected 404/4040402 \"No such loadbalancer\", got 400/4000401 \"Invalid "
               "parameters\"");
    rf_fail_check(x, "status", "404", "400", NULL);
    rf_fail_check(x, "code", "4040402", "4000401", NULL);
    rf_fail_check(x, "message", "\"No such loadbalancer\"", "\"Invalid parameters\"",
                  "first difference at byte 1: expected 'N', got 'I'");
    rf_set_got(x, 400, 4000401, "Invalid parameters");
    rf_set_str(&x->response_excerpt, "{\"code\":4000401,\"message\":\"Invalid parameters\"}");
    x = rf_add(r, 4040402, "lb-describe-deleted", VERDICT_FAIL,
               "message: expected \"No such loadbalancer\", got \"No such load balancer\"");
    rf_fail_check(x, "message", "\"No such loadbalancer\"", "\"No such load balancer\"", NULL);
    rf_set_got(x, 404, 4040402, "No such load balancer");
    x->known = 1;
    rf_set_str(&x->known_reason, "gateway rewrites the message; fixed in 2.3 (OPS-1234)");
    x = rf_add(r, 4090483, "lb-duplicate-name", VERDICT_FAIL,
               "consistency: code 4000483 does not match HTTP 409");
    rf_fail_check(x, "consistency", "code / 10000 == HTTP status 409", "code 4000483 with HTTP 409",
                  "step: probe (setup steps were consistent)");
    rf_set_got(x, 409, 4000483, "Duplicate loadbalancer name");
    x = rf_add(r, 4150001, "secret-key-text-body", VERDICT_FAIL,
               "probe: response-time: expected \xE2\x89\xA4 2000 ms, got 20012 ms");
    rf_fail_check(x, "response-time", "\xE2\x89\xA4 2000 ms", "20012 ms", NULL);
    rf_set_got(x, 415, 4150001, "Unsupported media type.");
}

/* No answer: nothing got, the transport's words in the transcript. */
static void no_answer(struct result *x, const char *transcript)
{
    rf_set_got(x, 0, -1, NULL);
    rf_set_str(&x->transcript, transcript);
}

/* Case "errors_skips": transport errors, skipped scenarios, an interrupted
 * sharded run. */
void rf_model_errors_skips(struct run_results *r)
{
    struct result *x;

    rf_run_init(r);
    r->incomplete = 1;
    r->insecure = 1;
    r->shard_index = 2;
    r->shard_count = 4;
    rf_set_str(&r->capabilities, "");
    rf_set_got(rf_add(r, 4010001, "no-token", VERDICT_PASS, ""), 401, 4010001,
               "Unauthorized user.");
    x = rf_add(r, 4000001, "missing-required-param", VERDICT_ERROR, "connection refused");
    no_answer(x, "* connect to 127.0.0.1 port 8080 failed: Connection refused\n");
    x = rf_add(r, 4040402, "lb-describe-unknown", VERDICT_ERROR, "timeout after 30.000 s");
    no_answer(x, "> GET /api/v1/x/lb-describe-unknown HTTP/1.1\n* Operation timed out after "
                 "30000 milliseconds with 0 bytes received\n");
    x = rf_add(r, 4090483, "lb-duplicate-name", VERDICT_ERROR,
               "interrupted before probe (create a load balancer): it was not sent");
    x->interrupted = 1;
    rf_set_str(&x->cls, "stateful");
    no_answer(x, "setup: create load balancer: 200 OK\n* interrupted before the probe\n"
                 "teardown: delete load balancer: 200 OK\n");
    x = rf_add(r, 4030001, "api-freq-limit", VERDICT_SKIP, "requires capability limit");
    rf_set_str(&x->cls, "limit");
    rf_set_str(&x->curl, "");
    no_answer(x, "");
    x->duration_ms = 0;
    x = rf_add(r, 5000001, "internal-error", VERDICT_SKIP, "requires fault injection");
    rf_set_str(&x->cls, "fault");
    rf_set_str(&x->curl, "");
    no_answer(x, "");
    x->duration_ms = 0;
}

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
int rf_xsd_validate(const char *path)
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
void rf_check_junit_counts(const char *path)
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
void rf_golden(const char *kase, const char *file, const struct ac_buf *buf)
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
        fprintf(stderr, "golden %s differs at byte %zu:\n  want: %.120s\n  got:  %.120s\n", path, i,
                want + (i > 40 ? i - 40 : 0), buf->data + (i > 40 ? i - 40 : 0));
        T_EQ_STR(path, "(identical to the golden file)");
    }
    free(want);
}

/* 1 when s holds none of the characters no report may carry. */
int rf_clean_for_markup(const char *s, size_t n)
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

size_t rf_count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    const char *p = hay;

    while ((p = strstr(p, needle)) != NULL) {
        n++;
        p += strlen(needle);
    }
    return n;
}
