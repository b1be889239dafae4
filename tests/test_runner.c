/* tests/test_runner.c -- runners/: the checks on crafted responses and the
 * redactor. The engine against scripted raw servers (refused, silent,
 * non-JSON, lying lengths, huge bodies), the planner and answer.c are in
 * test_runner_engine.c. The judging phase (CUnit inside the runner) is
 * tested end to end in test_e2e.c. This file's test_register() adds both
 * suites. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runners/check.h"
#include "../runners/redact.h"
#include "runfix.h"
#include "testutil.h"

/* ---- the catalog and the checks every test enables ---- */

struct catalog *rn_cat;
unsigned char rn_all_checks[CHECK_COUNT] = {1, 1, 1, 1, 1, 1, 1, 1, 1};

int rn_init(void)
{
    struct ac_error e = AC_ERROR_INIT;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    rn_cat = catalog_load(t_path("%s/catalog/nce-errors.json", t_root()), &e);
    return rn_cat ? 0 : -1;
}

int rn_clean(void)
{
    catalog_free(rn_cat);
    curl_global_cleanup();
    return 0;
}

/* ---- checks ---- */

/* check_observe of an answer with a Content-Type and a Request-Id (NULL:
 * that header is absent). */
static void observe_with(int status, const char *ct, const char *rid, const char *body, size_t len,
                         struct observed *o)
{
    struct check_header h[2];
    size_t n = 0;

    if (ct)
        h[n++] = (struct check_header){"Content-Type", ct};
    if (rid)
        h[n++] = (struct check_header){"Request-Id", rid};
    check_observe(status, h, n, body, len, o);
}

static void observe(const char *body, struct observed *o)
{
    observe_with(404, "application/json", UUID, body, strlen(body), o);
}

static void test_runner_observe_bodies(void)
{
    struct observed o;
    char *deep = malloc(200001);

    observe("{\"code\": 4040005, \"message\": \"No such secret key.\"}", &o);
    T_EQ_INT(o.body, BODY_OK);
    T_EQ_INT(o.code, 4040005);
    T_EQ_STR(o.message, "No such secret key.");
    observed_release(&o);
    observe("", &o);
    T_EQ_INT(o.body, BODY_EMPTY);
    T_EQ_STR(o.body_problem, "the body is empty");
    observed_release(&o);
    observe("<html>502</html>", &o);
    T_EQ_INT(o.body, BODY_NOT_JSON);
    T_EQ_STR(o.body_problem, "the body is not JSON: invalid token near '<' (line 1, column 1)");
    observed_release(&o);
    observe("[1]", &o);
    T_EQ_STR(o.body_problem, "the body is an array, not an object");
    observed_release(&o);
    observe("{\"code\": \"4000001\", \"message\": \"x\"}", &o);
    T_EQ_INT(o.body, BODY_BAD_MEMBERS);
    T_EQ_STR(o.body_problem, "\"code\" is a string, expected an integer");
    T_EQ_INT(o.has_message, 1);
    observed_release(&o);
    observe("{\"code\": 4.0000001e6, \"message\": \"x\"}", &o);
    T_EQ_STR(o.body_problem, "\"code\" is a real number, expected an integer");
    observed_release(&o);
    observe("{\"code\": 99999999999999999999, \"message\": \"x\"}", &o);
    T_EQ_INT(o.body, BODY_NOT_JSON);
    T_CONTAINS(o.body_problem, "too big integer");
    observed_release(&o);
    observe("{\"code\": 4000001, \"message\": null}", &o);
    T_EQ_STR(o.body_problem, "\"message\" is null, expected a string");
    observed_release(&o);
    observe("{\"code\": 4000001}", &o);
    T_EQ_STR(o.body_problem, "\"message\" is missing");
    observed_release(&o);
    observe("{\"code\": 4000001, \"code\": 4000002, \"message\": \"x\"}", &o);
    T_EQ_INT(o.body, BODY_NOT_JSON);
    T_CONTAINS(o.body_problem, "duplicate object key");
    observed_release(&o);
    observe("{\"code\": 4000001, \"message\": \"bad \\ud800 surrogate\"}", &o);
    T_EQ_INT(o.body, BODY_NOT_JSON);
    observed_release(&o);
    memset(deep, '[', 200000);
    deep[200000] = '\0';
    observe(deep, &o);
    T_EQ_INT(o.body, BODY_NOT_JSON);
    T_CONTAINS(o.body_problem, "maximum parsing depth reached");
    observed_release(&o);
    free(deep);
}

/* Runs the probe checks and returns the failed ones as "name,name,". */
static void failed_checks(const struct observed *o, long expected, enum message_mode mode,
                          char *out, size_t size)
{
    struct check_list l = {NULL, 0};
    size_t i;

    out[0] = '\0';
    check_probe(o, catalog_find(rn_cat, expected), mode, rn_cat, rn_all_checks, &l);
    for (i = 0; i < l.n; i++)
        if (!l.v[i].passed)
            snprintf(out + strlen(out), size - strlen(out), "%s,", check_name(l.v[i].id));
    check_list_release(&l);
}

static void probe_case(int status, const char *ct, const char *rid, const char *body, long expected,
                       const char *want_failed)
{
    struct observed o;
    char got[200];

    observe_with(status, ct, rid, body, strlen(body), &o);
    failed_checks(&o, expected, MESSAGE_EXACT, got, sizeof got);
    T_EQ_STR(got, want_failed);
    observed_release(&o);
}

static void test_runner_checks_each_can_fail(void)
{
    const char *ok = "{\"code\": 4040402, \"message\": \"No such loadbalancer\"}";

    probe_case(404, "application/json", UUID, ok, 4040402, "");
    probe_case(404, "application/json; charset=utf-8", UUID,
               "{\"code\": 4040402, \"message\": \"No such loadbalancer\", \"extra\": 1}", 4040402,
               "");
    probe_case(400, "application/json", UUID, ok, 4040402, "status,consistency,");
    probe_case(404, "application/json", UUID, "<html>", 4040402, "body,");
    probe_case(404, "application/json", UUID,
               "{\"code\": 4040401, \"message\": \"No such loadbalancer\"}", 4040402, "code,");
    probe_case(404, "application/json", UUID,
               "{\"code\": 4040499, \"message\": \"No such loadbalancer\"}", 4040402,
               "code,known,");
    probe_case(404, "application/json", UUID,
               "{\"code\": 4040402, \"message\": \"No such load balancer\"}", 4040402, "message,");
    probe_case(404, "text/html", UUID, ok, 4040402, "content-type,");
    probe_case(404, NULL, UUID, ok, 4040402, "content-type,");
    probe_case(404, "application/json", NULL, ok, 4040402, "request-id,");
    probe_case(404, "application/json", "req-42", ok, 4040402, "request-id,");
    probe_case(200, "application/json", UUID, ok, 4040402, "status,consistency,");
}

/* The budget is inclusive; 0 and a skipped check add no outcome. */
static void test_runner_response_time_budget(void)
{
    unsigned char skipped[CHECK_COUNT];
    struct check_list l = {NULL, 0};

    T_EQ_STR(check_name(CHECK_RESPONSE_TIME), "response-time");
    T_EQ_INT(check_by_name("response-time"), CHECK_RESPONSE_TIME);
    T_EQ_INT(check_response_time(100, 100, rn_all_checks, &l), 0);
    T_EQ_INT(check_response_time(101, 100, rn_all_checks, &l), 0);
    T_EQ_INT(l.n, 2);
    if (l.n == 2) {
        T_EQ_INT(l.v[0].id, CHECK_RESPONSE_TIME);
        T_EQ_INT(l.v[0].passed, 1);
        T_EQ_INT(l.v[1].passed, 0);
        T_EQ_STR(l.v[1].expected, "\xE2\x89\xA4 100 ms");
        T_EQ_STR(l.v[1].actual, "101 ms");
    }
    check_list_release(&l);
    T_EQ_INT(check_response_time(20000, 0, rn_all_checks, &l), 0);
    T_EQ_INT(l.n, 0);
    memcpy(skipped, rn_all_checks, sizeof skipped);
    skipped[CHECK_RESPONSE_TIME] = 0;
    T_EQ_INT(check_response_time(20000, 100, skipped, &l), 0);
    T_EQ_INT(l.n, 0);
    check_list_release(&l);
}

static void test_runner_message_modes_and_diff(void)
{
    char *d;

    T_TRUE(check_message_matches("Invalid parameters.", "Invalid parameters.", 19, MESSAGE_EXACT));
    T_TRUE(!check_message_matches("Invalid parameters.", "Invalid parameters", 18, MESSAGE_EXACT));
    T_TRUE(check_message_matches("Invalid parameters.", " invalid PARAMETERS ", 20,
                                 MESSAGE_NORMALIZED));
    T_TRUE(!check_message_matches("Namspace not found", "Namespace not found", 19,
                                  MESSAGE_NORMALIZED));
    T_TRUE(check_message_matches("x", "anything", 8, MESSAGE_IGNORE));
    d = check_message_diff("Namspace not found", "Namespace not found", 19);
    T_EQ_STR(d, "expected \"Namspace not found\"\n"
                "actual   \"Namespace not found\"\n"
                "             ^ first difference at byte 3");
    free(d);
    d = check_message_diff("fail.", "fail", 4);
    T_EQ_STR(d, "expected \"fail.\"\nactual   \"fail\"\n              ^ first difference at "
                "byte 4 (actual ends early)");
    free(d);
    T_TRUE(check_is_uuid(UUID));
    T_TRUE(check_is_uuid("0F8E2C1A-6B7D-4C3E-9A2B-5D4C3B2A1F00"));
    T_TRUE(!check_is_uuid("0f8e2c1a6b7d4c3e9a2b5d4c3b2a1f00"));
    T_TRUE(!check_is_uuid(UUID "0"));
    T_TRUE(!check_is_uuid(NULL));
}

/* ---- the redactor ---- */

static void test_runner_redacts_every_form(void)
{
    struct redactor *r = redact_new();
    char *out;

    redact_add(r, "s3cr3t/+tok\"en");
    redact_add(r, "ab"); /* too short to mask everywhere: masked as a word */
    out = redact_dup(r, "raw s3cr3t/+tok\"en b64 czNjcjN0Lyt0b2siZW4 url s3cr3t%2F%2Btok%22en "
                        "json s3cr3t\\/+tok\\\"en json2 s3cr3t/+tok\\\"en short ab");
    T_EQ_STR(out, "raw *** b64 *** url *** json *** json2 *** short ***");
    free(out);
    T_TRUE(redact_header_is_sensitive("Authorization", 13));
    T_TRUE(redact_header_is_sensitive("X-Api-Key", 9));
    T_TRUE(!redact_header_is_sensitive("Request-Id", 10));
    T_TRUE(!redact_header_is_sensitive("Content-Type", 12));
    T_TRUE(redact_member_is_sensitive("token"));
    T_TRUE(redact_member_is_sensitive("app_secret"));
    T_TRUE(!redact_member_is_sensitive("message"));
    redact_free(r);
}

/* Each view a reader could decode: the secret is found in it and masked in
 * the source, whatever the spelling. */
static void test_runner_redacts_decoded_views(void)
{
    struct redactor *r = redact_new();
    char *out;

    redact_add(r, "s3cr3t/+tok\"en");
    redact_add(r, "k3y>>>???~~~");
    /* base64 at offsets 0, 1 (URL-safe) and 2, and the Basic-auth form */
    out = redact_dup(r, "a azN5Pj4+Pz8/fn5+ b dWszeT4-Pj8_P35-fg== c dXVrM3k+Pj4/Pz9+fn4= "
                        "Authorization: Basic dXNlcjpzM2NyM3QvK3RvayJlbg== end");
    T_EQ_STR(out, "a *** b *** c *** Authorization: Basic *** end");
    free(out);
    /* percent-encoding in lower case, and only partly */
    out = redact_dup(r, "p s3cr3t%2f%2btok%22en q %73%33cr3t/+tok%22en r s3cr3t/%2Btok\"en");
    T_EQ_STR(out, "p *** q *** r ***");
    free(out);
    /* hex in either case */
    out = redact_dup(r, "h 7333637233742f2b746f6b22656e H 7333637233742F2B746F6B22656E.");
    T_EQ_STR(out, "h *** H ***.");
    free(out);
    /* JSON string escapes: \u, \/ and \" */
    out = redact_dup(r, "{\"m\":\"\\u0073\\u0033cr3t\\/+tok\\\"en\"} "
                        "\\u0073\\u0033cr3t\\u002f\\u002btok\\u0022en");
    T_EQ_STR(out, "{\"m\":\"***\"} ***");
    free(out);
    /* XML and HTML character references */
    out = redact_dup(r, "x s3cr3t/+tok&quot;en y &#115;3cr3t&#x2F;+tok&#34;en");
    T_EQ_STR(out, "x *** y ***");
    free(out);
    /* ordinary text is left alone */
    out = redact_dup(r, "s3cr3t is not the secret, nor is tok\"en; %zz \\u12 &#;");
    T_EQ_STR(out, "s3cr3t is not the secret, nor is tok\"en; %zz \\u12 &#;");
    free(out);
    redact_free(r);
}

/* A text that starts or ends inside a secret (someone cut it) shows no 8
 * bytes or more of it; a text cut by redact_append_cut is masked first. */
static void test_runner_redacts_at_cuts(void)
{
    struct redactor *r = redact_new();
    struct ac_buf b = AC_BUF_INIT;
    char *out;

    redact_add(r, "s3cr3t/+tok\"en");
    out = redact_dup(r, "ends with s3cr3t/+t");
    T_EQ_STR(out, "ends with ***");
    free(out);
    out = redact_dup(r, "/+tok\"en starts it");
    T_EQ_STR(out, "*** starts it");
    free(out);
    out = redact_dup(r, "ends with 7333637233742f2b");
    T_EQ_STR(out, "ends with ***");
    free(out);
    out = redact_dup(r, "seven s3cr3t/"); /* under 8 bytes: cannot be told from text */
    T_EQ_STR(out, "seven s3cr3t/");
    free(out);
    /* the cut falls inside the secret: masked whole, then cut */
    T_EQ_INT(redact_append_cut(r, "0123456789 s3cr3t/+tok\"en tail", 30, 14, &b), 1);
    T_EQ_STR(b.data, "0123456789 ***");
    ac_buf_reset(&b);
    /* the cut falls inside an encoded secret */
    T_EQ_INT(redact_append_cut(r, "xy s3cr3t%2F%2Btok%22en", 23, 10, &b), 1);
    T_EQ_STR(b.data, "xy ***");
    ac_buf_reset(&b);
    /* a prefix of 8 bytes or more at the cut, not followed by the rest */
    T_EQ_INT(redact_append_cut(r, "xy s3cr3t/+tZZZZ", 16, 12, &b), 1);
    T_EQ_STR(b.data, "xy ***");
    ac_buf_reset(&b);
    T_EQ_INT(redact_append_cut(r, "short", 5, 10, &b), 0);
    T_EQ_STR(b.data, "short");
    ac_buf_release(&b);
    redact_free(r);
}

/* Random texts of escape characters, noise and encoded copies of the
 * secret, cut anywhere: never a crash (ASan), never the secret raw in what
 * is kept, and never more than cap bytes of the text plus the masks. */
static void test_runner_redacts_random_texts(void)
{
    static const char *pieces[] = {"s3cr3t/+tok\"en",
                                   "s3cr3t%2F%2btok%22en",
                                   "\\u0073\\u0033cr3t\\/+tok\\\"en",
                                   "7333637233742F2B746F6B22656E",
                                   "czNjcjN0Lyt0b2siZW4",
                                   "dXNlcjpzM2NyM3QvK3RvayJlbg==",
                                   "&#115;3cr3t/+tok&quot;en",
                                   "%",
                                   "\\",
                                   "&",
                                   "&#",
                                   ";",
                                   "\\u",
                                   "\\ud800",
                                   "%2",
                                   "%%",
                                   "s3cr3t",
                                   "tok\"en",
                                   "=",
                                   "+",
                                   "/",
                                   "-",
                                   "_",
                                   "a",
                                   "Z",
                                   "0",
                                   "\xc3\xa9",
                                   "\xff",
                                   " "};
    struct redactor *r = redact_new();
    unsigned long seed = 12345;
    int iter, bad = 0;

    redact_add(r, "s3cr3t/+tok\"en");
    redact_add(r, "abc");
    for (iter = 0; iter < 3000; iter++) {
        struct ac_buf text = AC_BUF_INIT, out = AC_BUF_INIT;
        size_t n, k, cap;
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        n = (seed >> 33) % 40;
        for (k = 0; k < n; k++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            ac_buf_adds(&text, pieces[(seed >> 33) % (sizeof pieces / sizeof pieces[0])]);
        }
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        cap = text.len ? (seed >> 33) % (text.len + 1) : 0;
        if (redact_append_cut(r, text.data ? text.data : "", text.len, cap, &out) < 0 ||
            (out.data && strstr(out.data, "s3cr3t/+tok\"en")))
            bad++;
        ac_buf_release(&text);
        ac_buf_release(&out);
    }
    T_EQ_INT(bad, 0);
    redact_free(r);
}

/* Many secrets (a target may hand out one per resource): each is still
 * found under its byte pair, in every view. */
static void test_runner_redacts_many_secrets(void)
{
    struct redactor *r = redact_new();
    char name[64], *out;
    int i;

    for (i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "secret-%04d-xyzzy", i);
        T_EQ_INT(redact_add(r, name), 0);
    }
    /* hex of secret-0150-xyzzy, and secret-0299-xyzzy percent-encoded */
    out = redact_dup(r, "a secret-0007-xyzzy b 7365637265742d303135302d78797a7a79 c "
                        "secret%2D0299%2dxyzzy d secret-0300-xyzzy");
    T_EQ_STR(out, "a *** b *** c *** d secret-0300-xyzzy");
    free(out);
    redact_free(r);
}

/* A credential value the target handed out that is too short to mask
 * everywhere is masked where it stands as a word. */
static void test_runner_redacts_short_values_as_words(void)
{
    struct redactor *r = redact_new();
    char *out;

    T_TRUE(REDACT_MIN_SECRET == 8);
    redact_add(r, "k9x7");
    out = redact_dup(r, "token k9x7 given; ak9x7b and k9x7q stay");
    T_EQ_STR(out, "token *** given; ak9x7b and k9x7q stay");
    free(out);
    redact_free(r);
}

/* ---- registration ---- */

int test_register(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tests[] = {
        {"observes hostile bodies", test_runner_observe_bodies},
        {"every check can fail, legal variations pass", test_runner_checks_each_can_fail},
        {"response-time: an inclusive budget, off at 0", test_runner_response_time_budget},
        {"message modes and the byte diff", test_runner_message_modes_and_diff},
        {"redacts raw, base64, URL and JSON forms", test_runner_redacts_every_form},
        {"redacts every decodable view", test_runner_redacts_decoded_views},
        {"redacts at cuts, then cuts", test_runner_redacts_at_cuts},
        {"redacts short values as words", test_runner_redacts_short_values_as_words},
        {"redacts random texts", test_runner_redacts_random_texts},
        {"redacts with many secrets", test_runner_redacts_many_secrets},
    };
    CU_pSuite s = CU_add_suite("runner: checks and the redactor", rn_init, rn_clean);
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn))
            return -1;
    if (rn_register_engine() < 0 || rn_register_steps() < 0)
        return -1;
    return 0;
}
