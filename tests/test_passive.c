/* tests/test_passive.c -- passive conformance: the route table and its
 * matcher, the HAR reader (its exact errors, base64, missing and truncated
 * bodies), redaction of what traffic carries, and the end-to-end proof:
 * HAR files recorded from a real client (tests/harrec.c) against the
 * reference server, clean and with each mutation, judged by
 * `apiconform check`. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../runners/har.h"
#include "../runners/passive.h"
#include "../runners/route.h"
#include "harrec.h"
#include "rawserver.h"
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

static void expect_route(const struct route_table *t, const char *method, const char *url,
                         int kind, const char *label, int service)
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
    expect_route(t, "PUT", "/api/v1/microservices/5/containers/ab12/actions/restart",
                 ROUTE_MATCHED, "/api/v1/microservices/{id}/containers/{uuid}/actions/restart", 1);
    expect_route(t, "PATCH", "/api/v1/ips", ROUTE_OTHER_METHOD, "/api/v1/ips", 3);
    expect_route(t, "GET", "http://h/api/v9/ips/3", ROUTE_UNMATCHED, "(unknown route) /api/v9",
                 -1);
    expect_route(t, "GET", "http://h", ROUTE_UNMATCHED, "(unknown route) /", -1);
    expect_route(t, "GET", "/api//v1/ips", ROUTE_UNMATCHED, "(unknown route) /api/", -1);
    expect_route(t, "GET", "/api/v1/ips/1/2/3/4/5/6/7/8/9/0/1/2/3/4/5/6/7/8/9/0/1/2/3/4/5/6/7/8/9/0",
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
    expect_routes_error("{\"format\": \"apiconform-routes/1\", \"routes\": [{\"method\": \"FETCH\", "
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

#define ENTRY_OK                                                                            \
    "{\"request\": {\"method\": \"GET\", \"url\": \"http://h/api/v1/ips\", \"headers\": []}, " \
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
    expect_har_error("{\"log\": {\"entries\": [{\"request\": {\"url\": \"/\"}, \"response\": {}}]}}",
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

#define RESP(status, content)                                                                \
    "{\"request\": {\"method\": \"GET\", \"url\": \"http://h/api/v1/ips/1\", \"headers\": []}, " \
    "\"response\": {\"status\": " status ", \"headers\": [{\"name\": \"content-type\", "         \
    "\"value\": \"application/json\"}, {\"name\": \"request-id\", \"value\": "                   \
    "\"5e0d3c63-7a3a-4f3e-9d5e-2b1c8f0a9b11\"}], \"content\": " content "}}"

static void test_passive_bodies(void)
{
    /* The first body is {"code": 4040006, "message": "No such api."} in
     * base64: it must judge as the same text does (the second). */
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
        "{\"request\": {\"method\": \"GET\", \"url\": \"http://user:URLPASS99@h/api/v1/ips/RESPTOKEN4444?token=QUERYSECRET77&limit=1\", "
        "\"headers\": [{\"name\": \"Authorization\", \"value\": \"Token SECRETTOKEN123\"}, "
        "{\"name\": \"Cookie\", \"value\": \"sid=COOKIESECRET9; lang=en\"}, "
        "{\"name\": \"X-Note\", \"value\": \"carrying APPSECRET555 by mistake\"}]}, "
        "\"response\": {\"status\": 404, \"headers\": [], \"content\": {\"size\": 45, "
        "\"text\": \"{\\\"code\\\": 4040301, \\\"message\\\": \\\"RESPTOKEN4444\\\"}\"}}},"
        "{\"request\": {\"method\": \"POST\", \"url\": \"http://h/api/v1/token\", \"headers\": [], "
        "\"postData\": {\"text\": \"{\\\"app_key\\\": \\\"k\\\", \\\"app_secret\\\": \\\"APPSECRET555\\\"}\"}}, "
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
    json_array_foreach(json_object_get(root, "results"), i, r)
    {
        json_array_foreach(json_object_get(r, "failures"), k, f)
        {
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


/* ---- the proxy ------------------------------------------------------------------ */

struct proxyproc {
    pid_t pid;
    int out;       /* read end of its stdout */
    char url[64];  /* http://127.0.0.1:PORT */
};

/* Starts build/apiconform proxy --listen 127.0.0.1:0 --upstream upstream
 * plus args (NULL-ended) and reads its first line. 0 or -1. */
static int proxy_start(struct proxyproc *pp, const char *upstream, const char *const *args)
{
    char *argv[40], line[256];
    int p[2], n = 0, i;
    size_t got = 0;

    argv[n++] = (char *)t_path("%s/apiconform", t_build());
    argv[n++] = (char *)"proxy";
    argv[n++] = (char *)"--listen";
    argv[n++] = (char *)"127.0.0.1:0";
    argv[n++] = (char *)"--upstream";
    argv[n++] = (char *)upstream;
    for (i = 0; args && args[i] && n < 38; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    if (pipe(p) != 0)
        return -1;
    pp->pid = fork();
    if (pp->pid == 0) {
        int dn = open("/dev/null", O_RDWR);
        dup2(dn, 0);
        dup2(p[1], 1);
        dup2(dn, 2);
        close(p[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    pp->out = p[0];
    while (got < sizeof line - 1) {
        struct pollfd pf = {p[0], POLLIN, 0};
        ssize_t k;
        if (poll(&pf, 1, 5000) <= 0)
            break;
        k = read(p[0], line + got, 1);
        if (k <= 0)
            break;
        if (line[got] == '\n')
            break;
        got++;
    }
    line[got] = '\0';
    if (strncmp(line, "listening on ", 13) != 0) {
        kill(pp->pid, SIGKILL);
        waitpid(pp->pid, NULL, 0);
        close(p[0]);
        return -1;
    }
    snprintf(pp->url, sizeof pp->url, "%.60s", line + 13);
    return 0;
}

/* SIGTERM; returns the exit status and the rest of its stdout (heap). */
static int proxy_stop(struct proxyproc *pp, char **out)
{
    struct ac_buf b = AC_BUF_INIT;
    char buf[4096];
    ssize_t k;
    int status = 0;

    kill(pp->pid, SIGTERM);
    while ((k = read(pp->out, buf, sizeof buf)) > 0 || (k < 0 && errno == EINTR))
        if (k > 0)
            ac_buf_add(&b, buf, (size_t)k);
    close(pp->out);
    waitpid(pp->pid, &status, 0);
    if (out)
        *out = ac_buf_take(&b);
    ac_buf_release(&b);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Codes of the results file's passed / failed results and the distinct
 * failed checks. */
struct verdicts {
    long passed[512], failed[512];
    size_t npassed, nfailed;
    char checks[256];
    size_t errors;
};

static void read_verdicts(const char *path, struct verdicts *v)
{
    json_t *root = json_load_file(path, 0, NULL), *r, *f;
    size_t i, k;

    memset(v, 0, sizeof *v);
    json_array_foreach(json_object_get(root, "results"), i, r)
    {
        const char *verdict = json_string_value(json_object_get(r, "verdict"));
        long code = (long)json_integer_value(json_object_get(r, "code"));
        if (!verdict)
            continue;
        if (strcmp(verdict, "passed") == 0 && v->npassed < 512)
            v->passed[v->npassed++] = code;
        if (strcmp(verdict, "failed") == 0 && v->nfailed < 512)
            v->failed[v->nfailed++] = code;
        if (strcmp(verdict, "error") == 0)
            v->errors++;
        json_array_foreach(json_object_get(r, "failures"), k, f)
        {
            const char *c = json_string_value(json_object_get(f, "check"));
            char tag[40];
            snprintf(tag, sizeof tag, "%s ", c ? c : "?");
            if (!strstr(v->checks, tag) && strlen(v->checks) + strlen(tag) < sizeof v->checks)
                strcat(v->checks, tag);
        }
    }
    json_decref(root);
}

static int has_code(const long *v, size_t n, long code)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (v[i] == code)
            return 1;
    return 0;
}

/* The shipped suite through the proxy in front of the reference server
 * (started as mk/run.sh starts it, plus mutate when not NULL). Fills the
 * suite's and the proxy's verdicts; returns 0 or -1. */
static int suite_through_proxy(const char *mutate, int all, int *run_rc, int *proxy_rc,
                               struct verdicts *suite, struct verdicts *proxy, char **proxy_out)
{
    const char *ref_args[32] = {"--faults",          "--quota", "secret-keys=16", "--quota",
                                "repositories=12",   "--quota", "tags=6",         "--quota",
                                "loadbalancers=16",  "--quota", "certs=16",       "--quota",
                                "ips-nce=16",        "--quota", "ips-nlb=16",     "--quota",
                                "services=16",       "--quota", "containers=64",  "--quota",
                                "replicas=40",       NULL};
    char suite_json[512], proxy_json[512], events[512];
    const char *pargs[10];
    struct refproc ref;
    struct proxyproc pp;
    int n = 0;

    snprintf(suite_json, sizeof suite_json, "%s", out_path("suite.json"));
    snprintf(proxy_json, sizeof proxy_json, "%s", out_path("proxy.json"));
    snprintf(events, sizeof events, "%s", out_path("events.jsonl"));
    remove(suite_json);
    remove(proxy_json);
    if (mutate) {
        ref_args[21] = "--mutate";
        ref_args[22] = mutate;
        ref_args[23] = NULL;
    }
    if (refproc_start(&ref, ref_args) < 0)
        return -1;
    pargs[n++] = "--json";
    pargs[n++] = proxy_json;
    pargs[n++] = "--events";
    pargs[n++] = events;
    pargs[n++] = "--timeout";
    pargs[n++] = "10";
    if (all)
        pargs[n++] = "--all";
    pargs[n] = NULL;
    if (proxy_start(&pp, ref.url, pargs) < 0) {
        refproc_stop(&ref);
        return -1;
    }
    {
        const char *args[] = {"run", "--base-url", pp.url, "--allow", "all", "--app-key-env",
                              "APICONFORM_APP_KEY", "--app-secret-env", "APICONFORM_APP_SECRET",
                              "--account", "other:OTHER_KEY:OTHER_SECRET", "--account",
                              "broke:BROKE_KEY:BROKE_SECRET", "--account",
                              "frozen:FROZEN_KEY:FROZEN_SECRET", "--account",
                              "limited:LIMITED_KEY:LIMITED_SECRET", "--suite",
                              t_path("%s/suite", t_root()), "--catalog",
                              t_path("%s/catalog/nce-errors.json", t_root()), "--json",
                              suite_json, "-q", NULL};
        *run_rc = apiconform_run(args, NULL, NULL);
    }
    *proxy_rc = proxy_stop(&pp, proxy_out);
    refproc_stop(&ref);
    read_verdicts(suite_json, suite);
    read_verdicts(proxy_json, proxy);
    return 0;
}

static void test_passive_proxy_agrees_with_suite(void)
{
    struct verdicts suite, proxy;
    int run_rc = -1, proxy_rc = -1;
    char *out = NULL;
    size_t i, missing = 0;

    if (suite_through_proxy(NULL, 0, &run_rc, &proxy_rc, &suite, &proxy, &out) < 0) {
        T_TRUE(!"the reference server or the proxy did not start");
        return;
    }
    /* request-body-stalls included: the upstream's 408 before the body is
     * complete is relayed. */
    T_EQ_INT(run_rc, 0);
    T_EQ_INT(suite.errors, 0);
    T_EQ_INT(suite.nfailed, 0);
    T_TRUE(suite.npassed > 150);
    T_EQ_INT(proxy_rc, 0);
    T_EQ_INT(proxy.nfailed, 0);
    T_EQ_STR(proxy.checks, "");
    /* Every code the suite saw pass, the proxy saw pass. */
    for (i = 0; i < suite.npassed; i++)
        if (!has_code(proxy.passed, proxy.npassed, suite.passed[i])) {
            printf("\n  code %ld passed in the suite, not seen by the proxy", suite.passed[i]);
            missing++;
        }
    T_EQ_INT(missing, 0);
    /* Every error answer judged. */
    T_CONTAINS(out, "error answers:");
    T_CONTAINS(out, "0 failed), 0 not judged;");
    free(out);
    /* One event line per judged answer, each JSON, and no credential in
     * them or in the report: every Authorization value is masked. */
    {
        char *ev = t_read_file(out_path("events.jsonl"), NULL), *line, *save = NULL;
        char *report = t_read_file(out_path("proxy.json"), NULL);
        const char *p;
        size_t lines = 0, bad = 0;
        T_TRUE(ev && report);
        T_NOT_CONTAINS(report, "conformance-secret");
        for (p = report ? strstr(report, "Authorization: Token ") : NULL; p;
             p = strstr(p + 1, "Authorization: Token "))
            bad += strncmp(p + 21, "***", 3) != 0;
        T_NOT_CONTAINS(ev, "conformance-secret");
        for (line = ev ? strtok_r(ev, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
            json_t *j = json_loads(line, 0, NULL);
            lines++;
            bad += !j || strcmp(json_string_value(json_object_get(j, "verdict")) ?
                                    json_string_value(json_object_get(j, "verdict")) : "",
                                "passed") != 0;
            json_decref(j);
        }
        T_EQ_INT(bad, 0);
        T_TRUE(lines > 150);
        free(ev);
        free(report);
    }
}

static void test_passive_proxy_catches_mutations(void)
{
    static const struct {
        const char *mutation, *check;
        int all;
    } m[] = {
        {"status-mismatch", "consistency", 0}, {"ok-status", "consistency", 1},
        {"message-drop-period", "message", 0}, {"no-request-id", "request-id", 0},
        {"unknown-code", "known", 0},          {"html-page", "body", 0},
        {"charset", NULL, 0},
    };
    size_t i;

    for (i = 0; i < sizeof m / sizeof m[0]; i++) {
        struct verdicts suite, proxy;
        int run_rc = -1, proxy_rc = -1;
        char tag[40];

        if (suite_through_proxy(m[i].mutation, m[i].all, &run_rc, &proxy_rc, &suite, &proxy,
                                NULL) < 0) {
            T_TRUE(!"the reference server or the proxy did not start");
            continue;
        }
        snprintf(tag, sizeof tag, "%s ", m[i].check ? m[i].check : "");
        printf("\n  %-20s suite exit %d (%zu failed: %s) proxy exit %d (%zu failed: %s)",
               m[i].mutation, run_rc, suite.nfailed, suite.checks, proxy_rc, proxy.nfailed,
               proxy.checks);
        T_EQ_INT(suite.errors, 0);
        if (m[i].check) {
            T_TRUE(suite.nfailed > 0);
            T_EQ_INT(run_rc, 1);
            T_EQ_INT(proxy_rc, 1);
            T_CONTAINS(proxy.checks, tag);
        } else {
            T_EQ_INT(suite.nfailed, 0);
            T_EQ_INT(run_rc, 0);
            T_EQ_INT(proxy_rc, 0);
        }
    }
    printf("\n  ");
}

/* One request through a proxy in front of upstream; the status the client
 * saw (-1: no complete answer) and the proxy's exit status. */
static int through(const char *upstream, const char *const *pargs, const char *method,
                   const char *path, const char *const *headers, const char *body, int *proxy_rc)
{
    struct proxyproc pp;
    struct harrec *h;
    int status = -2;

    *proxy_rc = -1;
    if (proxy_start(&pp, upstream, pargs) < 0)
        return -3;
    h = harrec_new(pp.url);
    if (h)
        status = harrec_send(h, method, path, headers, body, NULL);
    harrec_free(h);
    *proxy_rc = proxy_stop(&pp, NULL);
    return status;
}

static void test_passive_proxy_hostile(void)
{
    static const char huge[] = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: "
                               "application/json\r\nContent-Length: 20000000\r\n\r\n";
    static const char garbage[] = "HTTP/1.1 abc\r\n\r\n";
    struct raw_script silent = {RAW_SILENT, NULL, 0, 0, 0, 0};
    struct raw_script big = {RAW_REPLY, huge, sizeof huge - 1, 0, 20000000, 0};
    struct raw_script bad = {RAW_REPLY, garbage, sizeof garbage - 1, 0, 0, 0};
    const char *short_timeout[] = {"--timeout", "2", NULL};
    const char *small_body[] = {"--max-body", "100000", NULL};
    struct rawserver *rs;
    char url[64];
    int rc;

    /* A silent upstream: 502 after --timeout, the proxy unharmed. */
    rs = rawserver_start(&silent);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rs ? rawserver_port(rs) : 1);
    T_EQ_INT(through(url, short_timeout, "GET", "/api/v1/ips", NULL, NULL, &rc), 502);
    T_EQ_INT(rc, 3); /* not forwarded; the proxy's own 502 is not judged as the target's */
    rawserver_stop(rs);
    /* An endless body: cut at --max-body, the client sees a cut answer. */
    rs = rawserver_start(&big);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rs ? rawserver_port(rs) : 1);
    T_EQ_INT(through(url, small_body, "GET", "/api/v1/ips", NULL, NULL, &rc), -1);
    T_EQ_INT(rc, 3); /* its body could not be kept: not judged */
    rawserver_stop(rs);
    /* Not HTTP: 502. */
    rs = rawserver_start(&bad);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rs ? rawserver_port(rs) : 1);
    T_EQ_INT(through(url, NULL, "GET", "/api/v1/ips", NULL, NULL, &rc), 502);
    T_EQ_INT(rc, 3);
    rawserver_stop(rs);
    /* Nothing listens: 502. */
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rawserver_closed_port());
    T_EQ_INT(through(url, NULL, "GET", "/api/v1/ips", NULL, NULL, &rc), 502);
    T_EQ_INT(rc, 3);
}

static void test_passive_proxy_bounds(void)
{
    struct refproc ref;
    struct proxyproc pp;
    struct harrec *h;
    const char *pargs[] = {"--max-body", "1000", "--max-connections", "8", NULL};
    const char *json_ct[] = {"Content-Type: application/json", NULL};
    char big[3000], *out = NULL;
    int fd, rc;

    if (refproc_start(&ref, NULL) < 0) {
        T_TRUE(!"the reference server did not start");
        return;
    }
    if (proxy_start(&pp, ref.url, pargs) < 0) {
        T_TRUE(!"the proxy did not start");
        refproc_stop(&ref);
        return;
    }
    /* A client that stalls in its headers holds only its own connection. */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    {
        struct sockaddr_in sa;
        memset(&sa, 0, sizeof sa);
        sa.sin_family = AF_INET;
        sa.sin_port = htons((uint16_t)atoi(strrchr(pp.url, ':') + 1));
        sa.sin_addr.s_addr = htonl(0x7f000001);
        T_EQ_INT(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
        T_TRUE(write(fd, "GET /api/v1/ips HTTP/1.1\r\nHost: x\r\nX-Sl", 40) == 40);
    }
    /* Hostile clients: bytes that are not HTTP, a 100 KB header line. */
    {
        static char junk[100 * 1024];
        int k;
        for (k = 0; k < 2; k++) {
            int g = socket(AF_INET, SOCK_STREAM, 0);
            struct sockaddr_in sa;
            memset(&sa, 0, sizeof sa);
            sa.sin_family = AF_INET;
            sa.sin_port = htons((uint16_t)atoi(strrchr(pp.url, ':') + 1));
            sa.sin_addr.s_addr = htonl(0x7f000001);
            if (k == 0)
                memset(junk, 0xff, sizeof junk);
            else {
                memcpy(junk, "GET / HTTP/1.1\r\nX-Big: ", 24);
                memset(junk + 24, 'a', sizeof junk - 24);
            }
            T_EQ_INT(connect(g, (struct sockaddr *)&sa, sizeof sa), 0);
            signal(SIGPIPE, SIG_IGN);
            T_TRUE(send(g, junk, sizeof junk, MSG_NOSIGNAL) > 0);
            close(g);
        }
    }
    h = harrec_new(pp.url);
    T_EQ_INT(harrec_send(h, "GET", "/api/v9/ips", NULL, NULL, NULL), 404);
    /* A declared body over --max-body: the proxy's own 413, not forwarded. */
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    T_EQ_INT(harrec_send(h, "POST", "/api/v1/secret-keys", json_ct, big, NULL), 413);
    harrec_free(h);
    close(fd);
    rc = proxy_stop(&pp, &out);
    refproc_stop(&ref);
    T_EQ_INT(rc, 0);
    /* The stalled request and the one with the huge header count (their
     * request lines came), the refused one is not forwarded, one is judged. */
    T_CONTAINS(out, "4 requests (1 not forwarded: upstream failed 0, too large 1); 1 answers, "
                    "1 error answers: 1 judged (1 passed, 0 failed)");
    free(out);
}

static void test_passive_proxy_upstream_down(void)
{
    struct refproc ref;
    struct proxyproc pp;
    struct harrec *h;
    char *out = NULL;

    if (refproc_start(&ref, NULL) < 0 || proxy_start(&pp, ref.url, NULL) < 0) {
        T_TRUE(!"the reference server or the proxy did not start");
        return;
    }
    h = harrec_new(pp.url);
    T_EQ_INT(harrec_send(h, "GET", "/api/v9/ips", NULL, NULL, NULL), 404);
    refproc_stop(&ref);
    T_EQ_INT(harrec_send(h, "GET", "/api/v9/ips", NULL, NULL, NULL), 502);
    harrec_free(h);
    /* One answer judged and passed, one request not forwarded: the traffic
     * could not be judged whole, exit 3 as for a run with an error. */
    T_EQ_INT(proxy_stop(&pp, &out), 3);
    T_CONTAINS(out, "2 requests (1 not forwarded: upstream failed 1, too large 0); 1 answers, 1 "
                    "error answers: 1 judged (1 passed, 0 failed)");
    free(out);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("passive conformance: routes, HAR, check", NULL, NULL);

    if (!s || !CU_add_test(s, "routes: templates, literals first, unknown grouped", test_passive_route_match) ||
        !CU_add_test(s, "routes: exact errors", test_passive_route_errors) ||
        !CU_add_test(s, "HAR: exact errors naming entry and field", test_passive_har_errors) ||
        !CU_add_test(s, "HAR: check exits 2 on bad input", test_passive_har_cli_errors) ||
        !CU_add_test(s, "HAR: base64, missing, truncated bodies", test_passive_bodies) ||
        !CU_add_test(s, "HAR: base64 decoder", test_passive_base64) ||
        !CU_add_test(s, "secrets of traffic reach no output", test_passive_redacts_secrets) ||
        !CU_add_test(s, "the committed recording passes", test_passive_committed_har) ||
        !CU_add_test(s, "a recording of the reference server passes", test_passive_clean_reference) ||
        !CU_add_test(s, "each mutation fails its check in the traffic", test_passive_mutations) ||
        !CU_add_test(s, "proxy: the shipped suite through it, same verdicts",
                     test_passive_proxy_agrees_with_suite) ||
        !CU_add_test(s, "proxy: catches what the suite catches", test_passive_proxy_catches_mutations) ||
        !CU_add_test(s, "proxy: hostile upstreams are bounded", test_passive_proxy_hostile) ||
        !CU_add_test(s, "proxy: a stalled client stalls only itself; body cap", test_passive_proxy_bounds) ||
        !CU_add_test(s, "proxy: a request the upstream failed is exit 3", test_passive_proxy_upstream_down))
        return -1;
    return 0;
}
