/* tests/test_passive.c -- passive conformance: the route table and its
 * matcher, the HAR reader (its exact errors, base64, missing and truncated
 * bodies), redaction of what traffic carries, and the end-to-end proof:
 * HAR files recorded from a real client (tests/harrec.c) against the
 * reference server, clean and with each mutation, judged by
 * `apiconform check`. The live proxy is tests/test_proxy.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../runners/har.h"
#include "../runners/passive.h"
#include "../runners/route.h"
#include "harrec.h"
#include "refproc.h"
#include "testutil.h"

/* A path under build/passive/, with its own buffers (t_path's rotate). */
static const char *out_path(const char *name)
{
    static char dir[256], paths[16][512];
    static int next;
    char *p = paths[next++ % 16];

    if (!dir[0]) {
        snprintf(dir, sizeof dir, "%s/passive", t_build());
        mkdir(dir, 0755);
    }
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
}

static struct route_table *shipped_routes(void)
{
    struct ac_error err = AC_ERROR_INIT;
    struct route_table *t = route_table_load(t_path("%s/catalog/routes.json", t_root()), &err);

    T_EQ_STR(err.text, "");
    return t;
}

static struct catalog *shipped_catalog(void)
{
    struct ac_error err = AC_ERROR_INIT;
    struct catalog *c = catalog_load(t_path("%s/catalog/nce-errors.json", t_root()), &err);

    T_EQ_STR(err.text, "");
    return c;
}

/* ---- routes ------------------------------------------------------------ */

static void expect_route(const struct route_table *t, const char *method, const char *url, int kind,
                         const char *label, int service)
{
    struct route_match m;

    route_table_match(t, method, url, &m);
    T_EQ_STR(m.label, label);
    T_EQ_INT(m.kind, kind);
    T_EQ_INT(m.service, service);
}

static void test_passive_route_match(void)
{
    struct route_table *t = shipped_routes();

    if (!t)
        return;
    T_EQ_INT(route_table_count(t), 78);
    expect_route(t, "GET", "http://h:8/api/v1/nlb/loadbalancers/mylb?limit=1#x", ROUTE_MATCHED,
                 "/api/v1/nlb/loadbalancers/{lb_name}", 4);
    expect_route(t, "GET", "/api/v1/ips/quota", ROUTE_MATCHED, "/api/v1/ips/quota", 3);
    expect_route(t, "GET", "/api/v1/ips/896", ROUTE_MATCHED, "/api/v1/ips/{id}", 3);
    expect_route(t, "GET", "https://x/api/v1/ips/896/cost", ROUTE_MATCHED, "/api/v1/ips/{id}/cost",
                 3);
    expect_route(t, "DELETE", "/api/v1/repositories/a/b/c/tags/v1", ROUTE_MATCHED,
                 "/api/v1/repositories/{repo_name+}/tags/{tag}", 0);
    expect_route(t, "POST", "/api/v1/repositories/a/tags/v1/actions/build/?docker_file=x",
                 ROUTE_MATCHED, "/api/v1/repositories/{repo_name+}/tags/{tag}/actions/build", 0);
    expect_route(t, "PUT", "/api/v1/microservices/5/containers/ab12/actions/restart", ROUTE_MATCHED,
                 "/api/v1/microservices/{id}/containers/{uuid}/actions/restart", 1);
    expect_route(t, "PATCH", "/api/v1/ips", ROUTE_OTHER_METHOD, "/api/v1/ips", 3);
    expect_route(t, "GET", "http://h/api/v9/ips/3", ROUTE_UNMATCHED, "(unknown route) /api/v9", -1);
    expect_route(t, "GET", "http://h", ROUTE_UNMATCHED, "(unknown route) /", -1);
    expect_route(t, "GET", "/api//v1/ips", ROUTE_UNMATCHED, "(unknown route) /api/", -1);
    expect_route(t, "GET",
                 "/api/v1/ips/1/2/3/4/5/6/7/8/9/0/1/2/3/4/5/6/7/8/9/0/1/2/3/4/5/6/7/8/9/0",
                 ROUTE_UNMATCHED, "(unknown route) /api/v1", -1);
    expect_route(t, "GET", "/\x1b[31m/x", ROUTE_UNMATCHED, "(unknown route) /?[31m/x", -1);
    route_table_free(t);
}

static void expect_routes_error(const char *doc, const char *message)
{
    struct ac_error err = AC_ERROR_INIT;
    struct route_table *t = route_table_load_buffer("r.json", doc, strlen(doc), &err);
    char text[600];

    T_TRUE(t == NULL);
    T_EQ_STR(ac_error_str(&err, text, sizeof text), message);
    route_table_free(t);
}

static void test_passive_route_errors(void)
{
    expect_routes_error("{\"format\": \"x\", \"routes\": []}",
                        "r.json: format: expected \"apiconform-routes/1\"");
    expect_routes_error("{\"format\": \"apiconform-routes/1\"}",
                        "r.json: routes: expected an array, got nothing");
    expect_routes_error("{\"format\": \"apiconform-routes/1\", \"routes\": [], \"x\": 1}",
                        "r.json: unknown key \"x\" (expected format, source, routes)");
    expect_routes_error("{\"format\": \"apiconform-routes/1\", \"routes\": [{\"method\": \"GET\", "
                        "\"path\": \"api/v1\", \"service\": 1}]}",
                        "r.json: routes[0].path: \"api/v1\": expected a path starting with \"/\"");
    expect_routes_error(
        "{\"format\": \"apiconform-routes/1\", \"routes\": [{\"method\": \"FETCH\", "
        "\"path\": \"/a\", \"service\": 1}]}",
        "r.json: routes[0].method: \"FETCH\" is not one of GET HEAD POST PUT "
        "DELETE PATCH OPTIONS");
    expect_routes_error("{\"format\": \"apiconform-routes/1\", \"routes\": [{\"method\": \"GET\", "
                        "\"path\": \"/a\", \"service\": 1}, {\"method\": \"GET\", \"path\": "
                        "\"/a\", \"service\": 2}]}",
                        "r.json: routes[1].path: GET /a is also routes[0]");
    expect_routes_error("{\"format\": \"apiconform-routes/1\", \"routes\": [{\"method\": \"GET\", "
                        "\"path\": \"/a\", \"service\": 100}]}",
                        "r.json: routes[0].service: expected an integer 0..99, got one out of "
                        "range");
    expect_routes_error("{\"format\": \"apiconform-routes/1\", \"routes\": [{\"method\": \"GET\", "
                        "\"path\": \"/a/{x}y\", \"service\": 1}]}",
                        "r.json: routes[0].path: \"/a/{x}y\": a parameter must be a whole "
                        "segment \"{name}\"");
    expect_routes_error("{\"format\": \"apiconform-routes/1\", \"routes\": [{\"method\": \"GET\", "
                        "\"path\": \"/a//b\", \"service\": 1}]}",
                        "r.json: routes[0].path: \"/a//b\": empty segment");
    expect_routes_error("{\"format\": \"apiconform-routes/1\", \"routes\": [{\"method\": \"GET\", "
                        "\"path\": \"/a\", \"service\": 1, \"verb\": 2}]}",
                        "r.json: routes[0]: unknown key \"verb\" (expected method, path, "
                        "service, source)");
}

/* ---- the HAR reader -------------------------------------------------------- */

static int count_entry(void *ud, const struct passive_answer *a, struct ac_error *err)
{
    (void)a;
    (void)err;
    ++*(int *)ud;
    return 0;
}

static void expect_har_error(const char *doc, const char *message)
{
    struct ac_error err = AC_ERROR_INIT;
    int n = 0;
    char text[600];

    T_EQ_INT(har_read_buffer("a.har", doc, strlen(doc), count_entry, &n, &err), -1);
    T_EQ_STR(ac_error_str(&err, text, sizeof text), message);
}

#define ENTRY_OK                                                                                   \
    "{\"request\": {\"method\": \"GET\", \"url\": \"http://h/api/v1/ips\", \"headers\": []}, "     \
    "\"response\": {\"status\": 404, \"headers\": [], \"content\": {\"size\": 0}}}"

static void test_passive_har_errors(void)
{
    struct ac_error err = AC_ERROR_INIT;
    const char *ok = "{\"log\": {\"entries\": [" ENTRY_OK "]}}";
    int n = 0;

    T_EQ_INT(har_read_buffer("a.har", ok, strlen(ok), count_entry, &n, &err), 1);
    T_EQ_INT(n, 1);
    expect_har_error("not json", "a.har:1:3: not a HAR file: '[' or '{' expected near 'not'");
    expect_har_error("[]", "a.har: log: not a HAR file (a HAR file is an object {\"log\": "
                           "{\"entries\": [...]}}, got an array)");
    expect_har_error("{\"log\": 3}", "a.har: log: missing or not an object (a HAR file is an "
                                     "object {\"log\": {\"entries\": [...]}}, got an integer)");
    expect_har_error("{\"log\": {}}", "a.har: log.entries: expected an array, got nothing");
    expect_har_error("{\"log\": {\"entries\": [7]}}",
                     "a.har: log.entries[0]: expected an object, got an integer");
    expect_har_error("{\"log\": {\"entries\": [" ENTRY_OK ", {\"request\": {}}]}}",
                     "a.har: log.entries[1].response: missing (expected an object)");
    expect_har_error(
        "{\"log\": {\"entries\": [{\"request\": {\"url\": \"/\"}, \"response\": {}}]}}",
        "a.har: log.entries[0].request.method: missing (expected a string)");
    expect_har_error("{\"log\": {\"entries\": [{\"request\": {\"method\": \"GET\", \"url\": \"/\", "
                     "\"headers\": []}, \"response\": {\"status\": \"404\", \"headers\": []}}]}}",
                     "a.har: log.entries[0].response.status: expected an integer, got a string");
    expect_har_error("{\"log\": {\"entries\": [{\"request\": {\"method\": \"GET\", \"url\": \"/\", "
                     "\"headers\": [{\"name\": \"A\", \"value\": 1}]}, \"response\": {\"status\": "
                     "404, \"headers\": []}}]}}",
                     "a.har: log.entries[0].request.headers[0].value: expected a string, got an "
                     "integer");
    expect_har_error("{\"log\": {\"entries\": [{\"request\": {\"method\": \"GET\", \"url\": \"/\", "
                     "\"headers\": []}, \"response\": {\"status\": 404}}]}}",
                     "a.har: log.entries[0].response.headers: missing (expected an array of "
                     "{name, value})");
    expect_har_error("{\"log\": {\"entries\": [{\"request\": {\"method\": \"GET\", \"url\": \"/\", "
                     "\"headers\": []}, \"response\": {\"status\": 404, \"headers\": [], "
                     "\"content\": {\"text\": 5}}}]}}",
                     "a.har: log.entries[0].response.content.text: expected a string, got an "
                     "integer");
}

static void test_passive_har_cli_errors(void)
{
    static const char doc[] = "{\"log\": {\"entries\": [{\"request\": {}}]}}";
    const char *bad = t_write_temp("bad.har", doc, strlen(doc));
    char badpath[512], *err = NULL, *out = NULL;
    const char *args[8];
    char expect[700];

    snprintf(badpath, sizeof badpath, "%s", bad);
    args[0] = "check";
    args[1] = badpath;
    args[2] = NULL;
    T_EQ_INT(apiconform_run(args, &out, &err), 2);
    snprintf(expect, sizeof expect,
             "apiconform: %s: log.entries[0].response: missing (expected an object)\n", badpath);
    T_EQ_STR(err, expect);
    T_EQ_STR(out, "");
    free(err);
    free(out);
    args[1] = "/nonexistent/x.har";
    T_EQ_INT(apiconform_run(args, NULL, &err), 2);
    T_CONTAINS(err, "apiconform: cannot open '/nonexistent/x.har'");
    free(err);
    args[1] = "--max-har-size";
    args[2] = "10";
    args[3] = badpath;
    args[4] = NULL;
    T_EQ_INT(apiconform_run(args, NULL, &err), 2);
    snprintf(expect, sizeof expect,
             "apiconform: %s: 39 bytes, more than the limit of 10 (--max-har-size)\n", badpath);
    T_EQ_STR(err, expect);
    free(err);
    args[1] = NULL;
    T_EQ_INT(apiconform_run(args, NULL, &err), 2);
    T_CONTAINS(err, "apiconform: check: expected one or more HAR files");
    free(err);
}

/* ---- bodies ------------------------------------------------------------------ */

struct fates {
    struct passive *p;
    enum passive_fate f[16];
    int n;
};

static int add_entry(void *ud, const struct passive_answer *a, struct ac_error *err)
{
    struct fates *x = ud;
    (void)err;
    return passive_add(x->p, a, x->n < 16 ? &x->f[x->n++] : NULL, NULL);
}

#define RESP(status, content)                                                                      \
    "{\"request\": {\"method\": \"GET\", \"url\": \"http://h/api/v1/ips/1\", \"headers\": []}, "   \
    "\"response\": {\"status\": " status ", \"headers\": [{\"name\": \"content-type\", "           \
    "\"value\": \"application/json\"}, {\"name\": \"request-id\", \"value\": "                     \
    "\"5e0d3c63-7a3a-4f3e-9d5e-2b1c8f0a9b11\"}], \"content\": " content "}}"

static void test_passive_bodies(void)
{
    /* The first body is {"code": 4040006, "message": "No such api."} in
     * base64: it must judge as the same text does (the second). */
    /* One HAR entry per line: */
    /* clang-format off */
    const char *doc =
        "{\"log\": {\"entries\": ["
        RESP("404", "{\"size\": 44, \"text\": \"eyJjb2RlIjogNDA0MDAwNiwgIm1lc3NhZ2UiOiAiTm8gc3VjaCBhcGkuIn0=\", \"encoding\": \"base64\"}") ","
        RESP("404", "{\"text\": \"{\\\"code\\\": 4040006, \\\"message\\\": \\\"No such api.\\\"}\"}") ","
        RESP("404", "{\"size\": 120, \"mimeType\": \"application/json\"}") ","
        RESP("404", "{\"size\": 120, \"text\": \"{\\\"code\\\": 4040006\"}") ","
        RESP("404", "{\"size\": 3, \"text\": \"*!*\", \"encoding\": \"base64\"}") ","
        RESP("404", "{\"size\": 0}") ","
        RESP("0", "{\"size\": 0}") ","
        RESP("200", "{\"size\": 2, \"text\": \"[]\"}") ","
        RESP("404", "{\"size\": 9, \"_file\": \"x.json\"}") ","
        RESP("404", "{\"size\": 3, \"text\": \"abc\", \"encoding\": \"gzip\"}")
        "]}}";
    /* clang-format on */
    struct ac_error err = AC_ERROR_INIT;
    struct catalog *cat = shipped_catalog();
    struct route_table *routes = shipped_routes();
    struct redactor *red = redact_new();
    struct fates x;
    struct passive_stats st;
    struct run_results rr;
    size_t i;

    memset(&x, 0, sizeof x);
    memset(&rr, 0, sizeof rr);
    x.p = passive_new(cat, routes, red, NULL);
    T_EQ_INT(har_read_buffer("b.har", doc, strlen(doc), add_entry, &x, &err), 10);
    T_EQ_STR(err.text, "");
    T_EQ_INT(x.n, 10);
    T_EQ_INT(x.f[0], PASSIVE_PASSED);     /* base64, decoded */
    T_EQ_INT(x.f[1], PASSIVE_PASSED);     /* text without a size */
    T_EQ_INT(x.f[2], PASSIVE_NOT_JUDGED); /* not captured */
    T_EQ_INT(x.f[3], PASSIVE_NOT_JUDGED); /* truncated */
    T_EQ_INT(x.f[4], PASSIVE_NOT_JUDGED); /* bad base64 */
    T_EQ_INT(x.f[5], PASSIVE_FAILED);     /* recorded as empty: the body check fails */
    T_EQ_INT(x.f[6], PASSIVE_IGNORED);    /* no answer */
    T_EQ_INT(x.f[7], PASSIVE_IGNORED);    /* a success */
    T_EQ_INT(x.f[8], PASSIVE_NOT_JUDGED); /* body beside the archive */
    T_EQ_INT(x.f[9], PASSIVE_NOT_JUDGED); /* unknown encoding */
    passive_get_stats(x.p, &st);
    T_EQ_INT(st.answers, 10);
    T_EQ_INT(st.no_response, 1);
    T_EQ_INT(st.considered, 8);
    T_EQ_INT(st.judged, 3);
    T_EQ_INT(st.not_judged, 5);
    T_EQ_INT(passive_results(x.p, &rr, &err), 0);
    /* GET /api/v1/ips/{id}: code 4040006 (passed), no code (failed: the
     * empty body; the not-judged answers are counted with it). */
    T_EQ_INT(rr.nresults, 2);
    for (i = 0; i < rr.nresults; i++) {
        const struct result *r = &rr.results[i];
        T_EQ_STR(r->scenario_id, "GET /api/v1/ips/{id}");
        if (r->code == 0) {
            T_EQ_INT(r->verdict, VERDICT_FAIL);
            T_EQ_STR(r->summary, "1 of 1 judged answer broke the contract: body 1; 5 not judged "
                                 "(1 body not captured, 1 body truncated, 1 body is not valid "
                                 "base64, 1 body stored outside the HAR (content._file), 1 body "
                                 "in an unknown encoding)");
            T_EQ_INT(r->nfailures, 1);
            if (r->nfailures)
                T_EQ_STR(r->failures[0].check, "body");
        } else {
            T_EQ_INT(r->code, 4040006);
            T_EQ_INT(r->verdict, VERDICT_PASS);
            T_EQ_STR(r->title, "GET /api/v1/ips/{id} answered with code 4040006: 2 answers");
        }
    }
    results_release(&rr);
    passive_free(x.p);
    redact_free(red);
    route_table_free(routes);
    catalog_free(cat);
}

static void test_passive_base64(void)
{
    struct ac_buf b = AC_BUF_INIT;

    T_EQ_INT(har_base64_decode("aGVsbG8=", 8, &b), 0);
    T_EQ_STR(b.data, "hello");
    ac_buf_reset(&b);
    T_EQ_INT(har_base64_decode("aGVs\nbG8", 8, &b), 0);
    T_EQ_STR(b.data, "hello");
    ac_buf_reset(&b);
    T_EQ_INT(har_base64_decode("aGVsbG8=x", 9, &b), -1);
    ac_buf_reset(&b);
    T_EQ_INT(har_base64_decode("a", 1, &b), -1);
    ac_buf_release(&b);
}

/* ---- redaction ------------------------------------------------------------- */

static void test_passive_redacts_secrets(void)
{
    /* The token appears in an error answer's URL before the answer that
     * reveals it: it must be masked all the same. */
    const char *doc =
        "{\"log\": {\"entries\": ["
        "{\"request\": {\"method\": \"GET\", \"url\": "
        "\"http://user:URLPASS99@h/api/v1/ips/RESPTOKEN4444?token=QUERYSECRET77&limit=1\", "
        "\"headers\": [{\"name\": \"Authorization\", \"value\": \"Token SECRETTOKEN123\"}, "
        "{\"name\": \"Cookie\", \"value\": \"sid=COOKIESECRET9; lang=en\"}, "
        "{\"name\": \"X-Note\", \"value\": \"carrying APPSECRET555 by mistake\"}]}, "
        "\"response\": {\"status\": 404, \"headers\": [], \"content\": {\"size\": 45, "
        "\"text\": \"{\\\"code\\\": 4040301, \\\"message\\\": \\\"RESPTOKEN4444\\\"}\"}}},"
        "{\"request\": {\"method\": \"POST\", \"url\": \"http://h/api/v1/token\", \"headers\": [], "
        "\"postData\": {\"text\": \"{\\\"app_key\\\": \\\"k\\\", \\\"app_secret\\\": "
        "\\\"APPSECRET555\\\"}\"}}, "
        "\"response\": {\"status\": 201, \"headers\": [], \"content\": {\"size\": 25, "
        "\"text\": \"{\\\"token\\\": \\\"RESPTOKEN4444\\\"}\"}}}"
        "]}}";
    static const char *const secrets[] = {"URLPASS99",     "QUERYSECRET77", "SECRETTOKEN123",
                                          "COOKIESECRET9", "APPSECRET555",  "RESPTOKEN4444"};
    const char *har = t_write_temp("secrets.har", doc, strlen(doc));
    char harpath[512], *out = NULL, *err = NULL;
    const char *outputs[4];
    const char *args[12];
    size_t i, k;

    snprintf(harpath, sizeof harpath, "%s", har);
    outputs[0] = out_path("secrets.json");
    outputs[1] = out_path("secrets.html");
    outputs[2] = out_path("secrets.xml");
    outputs[3] = out_path("secrets.md");
    args[0] = "check";
    args[1] = "--json";
    args[2] = outputs[0];
    args[3] = "--html";
    args[4] = outputs[1];
    args[5] = "--junit";
    args[6] = outputs[2];
    args[7] = "--markdown";
    args[8] = outputs[3];
    args[9] = harpath;
    args[10] = NULL;
    T_EQ_INT(apiconform_run(args, &out, &err), 1); /* the message is not the catalog's */
    for (k = 0; k < 6; k++) {
        T_NOT_CONTAINS(out, secrets[k]);
        T_NOT_CONTAINS(err, secrets[k]);
    }
    for (i = 0; i < 4; i++) {
        char *text = t_read_file(outputs[i], NULL);
        T_TRUE(text != NULL);
        for (k = 0; text && k < 6; k++)
            T_NOT_CONTAINS(text, secrets[k]);
        if (i == 0) {
            T_CONTAINS(text, "Authorization: Token ***");
            T_CONTAINS(text, "token=***&limit=1");
            T_CONTAINS(text, "http://***@h/api/v1/ips/***");
        }
        free(text);
    }
    free(out);
    free(err);
}

/* ---- against the reference server -------------------------------------------- */

/* Records the sample traffic against a reference server started with
 * args into build/passive/<name>.har. 0 or -1. */
static int record(const char *const *args, const char *name, char *path, size_t size)
{
    struct refproc ref;
    struct harrec *h;
    int rc = -1;

    snprintf(path, size, "%s", out_path(name));
    if (refproc_start(&ref, args) < 0)
        return -1;
    h = harrec_new(ref.url);
    if (h && harrec_record_sample(h) > 10 && harrec_write(h, path) == 0)
        rc = 0;
    harrec_free(h);
    refproc_stop(&ref);
    return rc;
}

/* apiconform check [--all] har --json out; returns the exit status and
 * the distinct failed checks, space-separated, into checks. */
static int check_har(const char *har, int all, char *checks, size_t size, char **out)
{
    const char *json = out_path("check.json");
    const char *args[8];
    int n = 0, rc;
    json_t *root, *r, *f;
    size_t i, k;

    args[n++] = "check";
    if (all)
        args[n++] = "--all";
    args[n++] = "--json";
    args[n++] = json;
    args[n++] = har;
    args[n] = NULL;
    checks[0] = '\0';
    remove(json);
    rc = apiconform_run(args, out, NULL);
    root = json_load_file(json, 0, NULL);
    json_array_foreach (json_object_get(root, "results"), i, r) {
        json_array_foreach (json_object_get(r, "failures"), k, f) {
            const char *c = json_string_value(json_object_get(f, "check"));
            char tag[40];
            snprintf(tag, sizeof tag, "%s ", c ? c : "?");
            if (!strstr(checks, tag) && strlen(checks) + strlen(tag) < size)
                strcat(checks, tag);
        }
    }
    json_decref(root);
    return rc;
}

static void test_passive_committed_har(void)
{
    char checks[256], *out = NULL;

    T_EQ_INT(check_har(t_path("%s/tests/data/har/reference.har", t_root()), 0, checks,
                       sizeof checks, &out),
             0);
    T_EQ_STR(checks, "");
    T_CONTAINS(out, "error answers:");
    T_CONTAINS(out, "failed), 0 not judged;");
    T_NOT_CONTAINS(out, " 0 judged");
    free(out);
}

static void test_passive_clean_reference(void)
{
    char har[512], checks[256], *out = NULL;
    const char *record_to = getenv("AC_RECORD_HAR");

    if (record(NULL, "clean.har", har, sizeof har) < 0) {
        T_TRUE(!"the reference server did not start or answer");
        return;
    }
    T_EQ_INT(check_har(har, 0, checks, sizeof checks, &out), 0);
    T_EQ_STR(checks, "");
    /* Every error answer of the sample is judged: 11 error answers. */
    T_CONTAINS(out, "14 answers, 11 error answers: 11 judged (11 passed, 0 failed), 0 not judged;");
    free(out);
    T_EQ_INT(check_har(har, 1, checks, sizeof checks, &out), 0);
    free(out);
    /* AC_RECORD_HAR=path: keep the recording (how tests/data/har/reference.har
     * was made). */
    if (record_to && *record_to) {
        char *text = t_read_file(har, NULL);
        FILE *f = text ? fopen(record_to, "w") : NULL;
        if (f) {
            fputs(text, f);
            fclose(f);
        }
        free(text);
    }
}

/* Each breaking mutation of the reference server, and the check that must
 * catch it in the traffic; legal variations must pass. */
static const struct {
    const char *mutation;
    const char *check; /* NULL: legal */
    int all;           /* needs --all (the answer is not an error status) */
} mutations[] = {
    {"status-mismatch", "consistency", 0},
    {"ok-status", "consistency", 1},
    {"code-string", "body", 0},
    {"code-swap", "message", 0},
    {"message-fix-typo", "message", 0},
    {"message-drop-period", "message", 0},
    {"message-add-period", "message", 0},
    {"message-case", "message", 0},
    {"message-trailing-space", "message", 0},
    {"no-request-id", "request-id", 0},
    {"bad-request-id", "request-id", 0},
    {"content-type-html", "content-type", 0},
    {"html-page", "body", 0},
    {"empty-body", "body", 0},
    {"unknown-code", "known", 0},
    {"extra-fields", NULL, 0},
    {"header-case", NULL, 0},
    {"charset", NULL, 0},
};

static void test_passive_mutations(void)
{
    size_t i;
    int missed = 0;

    for (i = 0; i < sizeof mutations / sizeof mutations[0]; i++) {
        const char *args[] = {"--mutate", mutations[i].mutation, NULL};
        char har[512], checks[256], name[64], tag[40];
        int rc;

        snprintf(name, sizeof name, "%s.har", mutations[i].mutation);
        if (record(args, name, har, sizeof har) < 0) {
            printf("\n  %-24s the reference server did not start", mutations[i].mutation);
            missed++;
            continue;
        }
        rc = check_har(har, mutations[i].all, checks, sizeof checks, NULL);
        snprintf(tag, sizeof tag, "%s ", mutations[i].check ? mutations[i].check : "");
        printf("\n  %-24s exit %d  failed checks: %s", mutations[i].mutation, rc,
               checks[0] ? checks : "-");
        if (mutations[i].check ? rc != 1 || !strstr(checks, tag) : rc != 0) {
            printf(" <- MISSED");
            missed++;
        }
    }
    printf("\n  ");
    T_EQ_INT(missed, 0);
    /* Without --all the 200 answers of ok-status are not error answers:
     * nothing to judge is exit 3, not a pass. */
    {
        const char *args[] = {"--mutate", "ok-status", NULL};
        char har[512], checks[256], *out = NULL;
        if (record(args, "ok-status.har", har, sizeof har) == 0) {
            T_EQ_INT(check_har(har, 0, checks, sizeof checks, &out), 3);
            free(out);
        }
    }
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("passive conformance: routes, HAR, check", NULL, NULL);

    if (!s ||
        !CU_add_test(s, "routes: templates, literals first, unknown grouped",
                     test_passive_route_match) ||
        !CU_add_test(s, "routes: exact errors", test_passive_route_errors) ||
        !CU_add_test(s, "HAR: exact errors naming entry and field", test_passive_har_errors) ||
        !CU_add_test(s, "HAR: check exits 2 on bad input", test_passive_har_cli_errors) ||
        !CU_add_test(s, "HAR: base64, missing, truncated bodies", test_passive_bodies) ||
        !CU_add_test(s, "HAR: base64 decoder", test_passive_base64) ||
        !CU_add_test(s, "secrets of traffic reach no output", test_passive_redacts_secrets) ||
        !CU_add_test(s, "the committed recording passes", test_passive_committed_har) ||
        !CU_add_test(s, "a recording of the reference server passes",
                     test_passive_clean_reference) ||
        !CU_add_test(s, "each mutation fails its check in the traffic", test_passive_mutations))
        return -1;
    return 0;
}
