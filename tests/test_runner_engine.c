/* tests/test_runner_engine.c -- runners/: the engine against scripted raw
 * servers (auth modes, masked header values, transport failures, non-JSON
 * answers), the planner (capabilities, accounts, shards), and answer.c
 * (Retry-After, bounded retry waits, chunked framing, the message of a cut
 * body, 429/503 judged or retried, capped and redacted messages). Shared
 * catalog and check mask in runfix.h. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runners/check.h"
#include "../runners/engine.h"
#include "../runners/plan.h"
#include "../runners/redact.h"
#include "rawserver.h"
#include "runfix.h"
#include "testutil.h"

/* ---- engine.c and plan.c against scripted raw servers ---- */

static const char one_scenario[] =
    "{\"scenarios\": [{\"id\": \"probe-%s\", \"code\": 4040006, \"title\": \"t\", "
    "\"class\": \"stateless\", \"request\": {\"method\": \"GET\", \"path\": \"/api/v1/x\", "
    "\"auth\": \"%s\"}}]}";

static struct suite *suite_with(const char *auth)
{
    char buf[600];
    struct ac_error e = AC_ERROR_INIT;
    struct suite *s;

    snprintf(buf, sizeof buf, one_scenario, auth, auth);
    s = suite_load_file_buffer("00/4040006.json", buf, strlen(buf), NULL, rn_cat, &e);
    if (!s)
        fprintf(stderr, "suite: %s: %s\n", e.where, e.text);
    return s;
}

void rn_run_polling(struct suite *s, int port, long timeout_ms, size_t body_cap,
                    long poll_timeout_ms, struct scenario_run *run)
{
    struct ac_error e = AC_ERROR_INIT;
    struct redactor *red = redact_new();
    struct engine_config c;
    struct engine *en;
    char url[64];

    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    memset(&c, 0, sizeof c);
    c.base_url = url;
    c.jobs = 2;
    c.timeout_ms = timeout_ms;
    c.connect_timeout_ms = 1000;
    c.retries = 1;
    c.body_cap = body_cap;
    c.run_id = "rtest";
    c.poll_timeout_ms = poll_timeout_ms;
    en = engine_new(&c, red, &e);
    engine_set_token(en, NULL, "0123456789abcdef0123456789abcdef");
    memset(run, 0, sizeof *run);
    run->sc = suite_at(s, 0);
    run->probe = -1;
    T_EQ_INT(engine_run(en, s, run, 1, NULL, NULL), 0);
    engine_free(en);
    redact_free(red);
}

static void run_against(struct suite *s, int port, long timeout_ms, size_t body_cap,
                        struct scenario_run *run)
{
    rn_run_polling(s, port, timeout_ms, body_cap, 0, run);
}

static const char json_404[] =
    "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nRequest-Id: " UUID
    "\r\nContent-Length: 41\r\nConnection: close\r\n\r\n"
    "{\"code\":4040006,\"message\":\"No such api.\"}";

static void test_runner_engine_sends_auth_modes(void)
{
    struct raw_script sc = {RAW_REPLY, json_404, sizeof json_404 - 1, 0, 0, 0};
    struct rawserver *srv = rawserver_start(&sc);
    struct scenario_run run;
    struct suite *s;

    T_TRUE(srv != NULL);
    if (!srv)
        return;
    s = suite_with("token");
    run_against(s, rawserver_port(srv), 5000, 1 << 20, &run);
    T_CONTAINS(rawserver_last_request(srv), "GET /api/v1/x HTTP/1.1\r\n");
    T_CONTAINS(rawserver_last_request(srv),
               "Authorization: Token 0123456789abcdef0123456789abcdef\r\n");
    T_EQ_INT(run.probe, 0);
    T_TRUE(run.error == NULL);
    T_EQ_INT(run.ex[0].obs.status, 404);
    T_EQ_INT(run.ex[0].obs.code, 4040006);
    T_EQ_STR(observed_header(&run.ex[0].obs, "Request-Id"), UUID);
    /* The reproducer names the token, never holds it. */
    T_CONTAINS(run.ex[0].curl, "-H \"Authorization: Token $APICONFORM_TOKEN\"");
    T_NOT_CONTAINS(run.ex[0].curl, "0123456789abcdef0123456789abcdef");
    scenario_run_release(&run);
    suite_free(s);
    s = suite_with("none");
    run_against(s, rawserver_port(srv), 5000, 1 << 20, &run);
    T_NOT_CONTAINS(rawserver_last_request(srv), "Authorization");
    scenario_run_release(&run);
    suite_free(s);
    s = suite_with("invalid");
    run_against(s, rawserver_port(srv), 5000, 1 << 20, &run);
    T_CONTAINS(rawserver_last_request(srv),
               "Authorization: Token ffffffffffffffffffffffffffffffff");
    scenario_run_release(&run);
    suite_free(s);
    rawserver_stop(srv);
}

/* Every header-derived value the engine keeps is redacted: Request-Id and
 * Content-Type echoing the token, and credential headers by their name. */
static void test_runner_engine_masks_header_values(void)
{
    static const char reply[] =
        "HTTP/1.1 404 Not Found\r\nContent-Type: application/json; "
        "x=0123456789abcdef0123456789abcdef"
        "\r\nRequest-Id: 0123456789abcdef0123456789abcdef\r\nSet-Cookie: session=s3ss10n-v4lue-42"
        "\r\nWWW-Authenticate: Token realm=\"api\"\r\nContent-Length: 41\r\n"
        "Connection: close\r\n\r\n"
        "{\"code\":4040006,\"message\":\"No such api.\"}";
    struct raw_script sc = {RAW_REPLY, reply, sizeof reply - 1, 0, 0, 0};
    struct rawserver *srv = rawserver_start(&sc);
    struct scenario_run run;
    struct suite *s;

    T_TRUE(srv != NULL);
    if (!srv)
        return;
    s = suite_with("token");
    run_against(s, rawserver_port(srv), 5000, 1 << 20, &run);
    T_EQ_INT(run.probe, 0);
    if (run.nex > 0) {
        T_EQ_STR(observed_header(&run.ex[0].obs, "Request-Id"), "***");
        T_EQ_STR(observed_header(&run.ex[0].obs, "Content-Type"), "application/json; x=***");
        T_CONTAINS(run.ex[0].headers, "Request-Id: ***\r\n");
        T_CONTAINS(run.ex[0].headers, "Set-Cookie: ***\r\n");
        T_CONTAINS(run.ex[0].headers, "WWW-Authenticate: Token ***\r\n");
        T_NOT_CONTAINS(run.ex[0].headers, "s3ss10n");
    }
    scenario_run_release(&run);
    suite_free(s);
    rawserver_stop(srv);
}

static void engine_case(const struct raw_script *script, long timeout_ms, size_t cap,
                        const char *want_error)
{
    struct rawserver *srv = script ? rawserver_start(script) : NULL;
    int port = srv ? rawserver_port(srv) : rawserver_closed_port();
    struct suite *s = suite_with("token");
    struct scenario_run run;

    run_against(s, port, timeout_ms, cap, &run);
    T_TRUE(run.error != NULL);
    T_CONTAINS(run.error, want_error);
    T_EQ_INT(run.probe, -1);
    scenario_run_release(&run);
    suite_free(s);
    rawserver_stop(srv);
}

static void test_runner_engine_transport_errors(void)
{
    struct raw_script silent = {RAW_SILENT, NULL, 0, 0, 0, 0};
    struct raw_script closer = {RAW_CLOSE, NULL, 0, 0, 0, 0};
    static const char short_len[] = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                                    "Content-Length: 100\r\n\r\n{\"code\":4040006";
    struct raw_script lying = {RAW_REPLY, short_len, sizeof short_len - 1, 0, 0, 0};
    static const char big[] = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                              "Connection: close\r\n\r\n";
    struct raw_script huge = {RAW_REPLY, big, sizeof big - 1, 0, 5u << 20, 0};
    static const char big_len[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 10737418240\r\n\r\n";
    struct raw_script declared = {RAW_REPLY, big_len, sizeof big_len - 1, 0, 0, 0};
    static const char http09[] = "{\"code\":4040006,\"message\":\"No such api.\"}";
    struct raw_script nine = {RAW_REPLY, http09, sizeof http09 - 1, 0, 0, 0};

    engine_case(NULL, 2000, 1 << 20, "probe (GET /api/v1/x): connection refused: ");
    engine_case(&silent, 300, 1 << 20,
                "probe (GET /api/v1/x): timeout: no complete answer within 300 ms");
    engine_case(&closer, 2000, 1 << 20, "probe (GET /api/v1/x): ");
    engine_case(&lying, 2000, 1 << 20,
                "probe (GET /api/v1/x): Transferred a partial file: transfer closed with 85 bytes "
                "remaining");
    engine_case(&huge, 5000, 1 << 20,
                "probe (GET /api/v1/x): response body exceeded the 1048576-byte cap");
    engine_case(&declared, 5000, 1 << 20,
                "probe (GET /api/v1/x): response body exceeded the 1048576-byte cap");
    engine_case(&nine, 2000, 1 << 20,
                "probe (GET /api/v1/x): Unsupported protocol: Received HTTP/0.9 when not allowed");
}

static void test_runner_engine_non_json_is_judged(void)
{
    static const char html[] = "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n"
                               "Content-Length: 25\r\nConnection: close\r\n\r\n"
                               "<html><script>x</script>\x1b";
    struct raw_script sc = {RAW_REPLY, html, sizeof html - 1, 0, 0, 0};
    struct rawserver *srv = rawserver_start(&sc);
    struct suite *s = suite_with("token");
    struct scenario_run run;

    run_against(s, rawserver_port(srv), 2000, 1 << 20, &run);
    T_TRUE(run.error == NULL);
    T_EQ_INT(run.probe, 0);
    T_EQ_INT(run.ex[0].obs.status, 502);
    T_EQ_INT(run.ex[0].obs.body, BODY_NOT_JSON);
    T_EQ_STR(observed_header(&run.ex[0].obs, "Content-Type"), "text/html");
    scenario_run_release(&run);
    suite_free(s);
    rawserver_stop(srv);
}

static void test_runner_plan_capabilities_and_shards(void)
{
    struct ac_error e = AC_ERROR_INIT;
    struct suite *s = suite_load(t_path("%s/tests/data/suite/example", t_root()), rn_cat, &e);
    struct plan_options o;
    struct scenario_run *runs = NULL;
    size_t n = 0, i, total, seen = 0;
    char *fault[] = {(char *)"fault"}, *acct[] = {(char *)"broke"};
    int shard;

    T_TRUE(s != NULL);
    if (!s) {
        fprintf(stderr, "%s: %s\n", e.where, e.text);
        return;
    }
    memset(&o, 0, sizeof o);
    o.service = o.cls = -1;
    T_EQ_INT(plan_build(s, &o, &runs, &n), 0);
    total = n;
    T_EQ_INT(total, suite_count(s));
    for (i = 0; i < n; i++) {
        if (runs[i].sc->cls == SCENARIO_STATELESS && runs[i].sc->nrequires == 0)
            T_TRUE(runs[i].skip_reason == NULL);
        if (runs[i].sc->cls == SCENARIO_FAULT)
            T_EQ_STR(runs[i].skip_reason, "requires fault injection on the server (--allow fault)");
        if (runs[i].sc->cls == SCENARIO_STATEFUL)
            T_EQ_STR(runs[i].skip_reason,
                     "requires creating and deleting resources (--allow destructive)");
    }
    plan_release(runs, n);
    o.allowed = fault;
    o.nallowed = 1;
    o.cls = SCENARIO_FAULT;
    T_EQ_INT(plan_build(s, &o, &runs, &n), 0);
    T_TRUE(n >= 1);
    for (i = 0; i < n; i++)
        T_TRUE(runs[i].skip_reason == NULL);
    plan_release(runs, n);
    T_EQ_STR(plan_unmet("account:broke", &o),
             "requires account 'broke' (--account broke:KEY_VAR:SECRET_VAR)");
    o.accounts = acct;
    o.naccounts = 1;
    T_TRUE(plan_unmet("account:broke", &o) == NULL);
    memset(&o, 0, sizeof o);
    o.service = o.cls = -1;
    for (shard = 1; shard <= 3; shard++) {
        o.shard_index = shard;
        o.shard_count = 3;
        T_EQ_INT(plan_build(s, &o, &runs, &n), 0);
        seen += n;
        plan_release(runs, n);
    }
    T_EQ_INT(seen, total);
    {
        int si, sn;
        T_EQ_INT(plan_parse_shard("2/4", &si, &sn), 0);
        T_TRUE(si == 2 && sn == 4);
        T_EQ_INT(plan_parse_shard("5/4", &si, &sn), -1);
        T_EQ_INT(plan_parse_shard("0/4", &si, &sn), -1);
        T_EQ_INT(plan_parse_shard("x", &si, &sn), -1);
    }
    suite_free(s);
}

/* ---- answer.c: Retry-After, chunked framing, a message in a cut body ---- */

static void test_runner_retry_after_parse(void)
{
    /* 2024-05-01T12:00:00Z */
    const long long now = 1714564800LL;
    long long d = -1;

    T_EQ_INT(engine_retry_after_parse(NULL, now, &d), ENGINE_RA_ABSENT);
    T_EQ_INT(engine_retry_after_parse("120", now, &d), ENGINE_RA_SECONDS);
    T_EQ_INT(d, 120);
    T_EQ_INT(engine_retry_after_parse(" \t0 ", now, &d), ENGINE_RA_SECONDS);
    T_EQ_INT(d, 0);
    /* Huge: saturates, never overflows. */
    T_EQ_INT(engine_retry_after_parse("99999999999999999999999999999999", now, &d),
             ENGINE_RA_SECONDS);
    T_TRUE(d > 1000000000000LL);
    /* The three HTTP-date forms, 90 s ahead. */
    T_EQ_INT(engine_retry_after_parse("Wed, 01 May 2024 12:01:30 GMT", now, &d), ENGINE_RA_DATE);
    T_EQ_INT(d, 90);
    T_EQ_INT(engine_retry_after_parse("Wednesday, 01-May-24 12:01:30 GMT", now, &d),
             ENGINE_RA_DATE);
    T_EQ_INT(d, 90);
    T_EQ_INT(engine_retry_after_parse("Wed May  1 12:01:30 2024", now, &d), ENGINE_RA_DATE);
    T_EQ_INT(d, 90);
    /* Past dates (also before 1970) ask for no wait. */
    T_EQ_INT(engine_retry_after_parse("Sun, 06 Nov 1994 08:49:37 GMT", now, &d), ENGINE_RA_DATE);
    T_EQ_INT(d, 0);
    T_EQ_INT(engine_retry_after_parse("Thu, 01 Jan 1970 00:00:00 GMT", now, &d), ENGINE_RA_DATE);
    T_EQ_INT(d, 0);
    T_EQ_INT(engine_retry_after_parse("Mon, 01 Jan 1900 00:00:00 GMT", now, &d), ENGINE_RA_DATE);
    T_EQ_INT(d, 0);
    /* An rfc850 year more than 50 years ahead is in the past century. */
    T_EQ_INT(engine_retry_after_parse("Friday, 31-Dec-99 23:59:59 GMT", now, &d), ENGINE_RA_DATE);
    T_EQ_INT(d, 0);
    T_EQ_INT(engine_retry_after_parse("Fri, 31 Dec 9999 23:59:59 GMT", now, &d), ENGINE_RA_DATE);
    T_EQ_INT(d, 253402300799LL - now);
    /* Garbage. */
    T_EQ_INT(engine_retry_after_parse("", now, &d), ENGINE_RA_GARBAGE);
    T_EQ_INT(engine_retry_after_parse("soon", now, &d), ENGINE_RA_GARBAGE);
    T_EQ_INT(engine_retry_after_parse("-5", now, &d), ENGINE_RA_GARBAGE);
    T_EQ_INT(engine_retry_after_parse("1.5", now, &d), ENGINE_RA_GARBAGE);
    T_EQ_INT(engine_retry_after_parse("12abc", now, &d), ENGINE_RA_GARBAGE);
    T_EQ_INT(engine_retry_after_parse("Wed, 31 Apr 2024 12:00:00 GMT", now, &d), ENGINE_RA_GARBAGE);
    T_EQ_INT(engine_retry_after_parse("Wed, 01 May 2024 25:00:00 GMT", now, &d), ENGINE_RA_GARBAGE);
    T_EQ_INT(engine_retry_after_parse("Wed, 01 May 2024 12:00:00 UTC", now, &d), ENGINE_RA_GARBAGE);
    T_EQ_INT(engine_retry_after_parse("Wed, 01 May 2024 12:00:00 GMT x", now, &d),
             ENGINE_RA_GARBAGE);
    T_EQ_INT(engine_retry_after_parse("Xyz, 01 May 2024 12:00:00 GMT", now, &d), ENGINE_RA_GARBAGE);
    T_EQ_INT(engine_retry_after_parse("Sun, 29 Feb 2023 00:00:00 GMT", now, &d), ENGINE_RA_GARBAGE);
    T_EQ_INT(engine_retry_after_parse("Thu, 29 Feb 2024 00:00:00 GMT", now, &d), ENGINE_RA_DATE);
}

static void test_runner_retry_wait_clamped(void)
{
    /* What Retry-After asks, up to the bound. */
    T_EQ_INT(engine_retry_wait_ms(ENGINE_RA_SECONDS, 2, 1, 30000), 2000);
    T_EQ_INT(engine_retry_wait_ms(ENGINE_RA_SECONDS, 1000000000, 1, 30000), 30000);
    T_EQ_INT(engine_retry_wait_ms(ENGINE_RA_SECONDS, 9223372036854775807LL, 3, 1000), 1000);
    T_EQ_INT(engine_retry_wait_ms(ENGINE_RA_DATE, 0, 1, 30000), 0);
    T_EQ_INT(engine_retry_wait_ms(ENGINE_RA_DATE, 31, 1, 30000), 30000);
    /* Absent or garbage: back off 1 s, 2 s, 4 s..., bounded too. */
    T_EQ_INT(engine_retry_wait_ms(ENGINE_RA_GARBAGE, 0, 1, 30000), 1000);
    T_EQ_INT(engine_retry_wait_ms(ENGINE_RA_ABSENT, 0, 3, 30000), 4000);
    T_EQ_INT(engine_retry_wait_ms(ENGINE_RA_ABSENT, 0, 10, 30000), 30000);
    T_EQ_INT(engine_retry_wait_ms(ENGINE_RA_ABSENT, 0, 1000, 30000), 30000);
    T_EQ_INT(engine_retry_wait_ms(ENGINE_RA_GARBAGE, 0, 1, 500), 500);
    T_EQ_INT(engine_retry_wait_ms(ENGINE_RA_SECONDS, 5, 1, 0), 0);
}

static int chunks_end(const char *raw, size_t split)
{
    struct engine_chunks c;
    size_t n = strlen(raw), i;
    int r = 0;

    memset(&c, 0, sizeof c);
    /* Fed in pieces of `split` bytes: the state survives any cut. */
    for (i = 0; i < n && r == 0; i += split)
        r = engine_chunks_feed(&c, raw + i, n - i < split ? n - i : split);
    return r;
}

static void test_runner_chunked_end(void)
{
    static const char *const whole[] = {
        "0\r\n\r\n",
        "5\r\nhello\r\n0\r\n\r\n",
        "5;name=v\r\nhello\r\nA\r\n0123456789\r\n0\r\n\r\n",
        "3\r\nabc\r\n0\r\nX-T: 1\r\nY: 2\r\n\r\n",
        "3\nabc\n0\n\n",
    };
    static const char *const open_ended[] = {
        "", "5\r\nhel", "5\r\nhello\r\n", "0\r\n", "0\r\nX-T: 1\r\n", "3\r\nabc\r\n0\r\n\r",
    };
    static const char *const broken[] = {
        "x\r\n", "5\r\nhelloX", "\r\n", "5\r\nhello\r\n0\r\n\rX", "1000000000000000\r\n",
    };
    size_t i, split;

    for (split = 1; split <= 64; split *= 4) {
        for (i = 0; i < sizeof whole / sizeof whole[0]; i++)
            T_EQ_INT(chunks_end(whole[i], split), 1);
        for (i = 0; i < sizeof open_ended / sizeof open_ended[0]; i++)
            T_EQ_INT(chunks_end(open_ended[i], split), 0);
        for (i = 0; i < sizeof broken / sizeof broken[0]; i++)
            T_EQ_INT(chunks_end(broken[i], split), -1);
    }
}

static void test_runner_cut_message_scan(void)
{
    struct engine_cut_message m;

    /* The message string begun, not ended. */
    engine_cut_message_scan("{\"code\":4040006,\"message\":\"xxxxxxxxxx", 37, "/message", &m);
    T_EQ_INT(m.seen, 1);
    T_EQ_INT(m.whole, 0);
    T_EQ_INT(m.len, 10);
    T_EQ_STR(m.head, "xxxxxxxxxx");
    /* Members before it of every kind are skipped; escapes decode. */
    {
        static const char b[] = " { \"a\" : [1, -2.5e+3, {\"x\": \"}\\\"\"}, true, null],"
                                " \"b\": false, \"mess\\u0061ge\": \"A\\u00e9\\ud83d\\ude00\\n.\"";
        engine_cut_message_scan(b, sizeof b - 1, "/message", &m);
        T_EQ_INT(m.seen, 1);
        T_EQ_INT(m.whole, 1);
        T_EQ_INT(m.len, 1 + 2 + 4 + 1 + 1);
        T_EQ_STR(m.head, "A\xc3\xa9\xf0\x9f\x98\x80\n.");
        /* Normalized: the final period does not count (the LF before it
         * does: only blanks after the period would be stripped). */
        T_EQ_INT(m.norm_len, 8);
    }
    /* Normalized length ignores surrounding blanks. */
    engine_cut_message_scan("{\"message\":\"   ab   ", 20, "/message", &m);
    T_EQ_INT(m.seen, 1);
    T_EQ_INT(m.len, 8);
    T_EQ_INT(m.norm_len, 2);
    /* A multibyte character cut by the end is not an error. */
    engine_cut_message_scan("{\"message\":\"ab\xe2\x82", 16, "/message", &m);
    T_EQ_INT(m.seen, 1);
    T_EQ_INT(m.len, 2);
    /* Nothing can be said: */
    engine_cut_message_scan("{\"code\":4040006,\"mess", 21, "/message", &m);
    T_EQ_INT(m.seen, 0);
    engine_cut_message_scan("{\"code\":40400", 13, "/message", &m);
    T_EQ_INT(m.seen, 0);
    engine_cut_message_scan("[\"message\",\"xxxx", 16, "/message", &m);
    T_EQ_INT(m.seen, 0);
    engine_cut_message_scan("{\"message\":42}", 14, "/message", &m);
    T_EQ_INT(m.seen, 0);
    engine_cut_message_scan("{\"a\":{\"message\":\"xxxxxxxx", 25, "/message", &m);
    T_EQ_INT(m.seen, 0);
    /* Another contract's pointer: the member nested where it says, each
     * object on the way skipped past what comes before it. */
    engine_cut_message_scan("{\"error\":{\"code\":40401,\"message\":\"No wid", 40, "/error/message",
                            &m);
    T_EQ_INT(m.seen, 1);
    T_EQ_STR(m.head, "No wid");
    engine_cut_message_scan("{\"message\":\"top\",\"error\":{\"message\":\"in\"}}", 42,
                            "/error/message", &m);
    T_EQ_INT(m.seen, 1);
    T_EQ_INT(m.whole, 1);
    T_EQ_STR(m.head, "in");
    engine_cut_message_scan("{\"e~r/r\":{\"m\":\"x", 16, "/e~0r~1r/m", &m);
    T_EQ_INT(m.seen, 1);
    /* Not there, or not an object on the way: nothing said. */
    engine_cut_message_scan("{\"message\":\"xxxxxxxx", 20, "/error/message", &m);
    T_EQ_INT(m.seen, 0);
    engine_cut_message_scan("{\"error\":\"message\",\"x\":\"yyyy", 28, "/error/message", &m);
    T_EQ_INT(m.seen, 0);
    engine_cut_message_scan("{\"code\":01,\"message\":\"xxxx", 26, "/message", &m);
    T_EQ_INT(m.seen, 0);
    engine_cut_message_scan("{\"message\":\"ab\x01", 15, "/message", &m);
    T_EQ_INT(m.seen, 0);
    engine_cut_message_scan("{\"message\":\"ab\xff", 15, "/message", &m);
    T_EQ_INT(m.seen, 0);
    engine_cut_message_scan("{\"message\":\"ab\\ude00", 20, "/message", &m);
    T_EQ_INT(m.seen, 0);
    engine_cut_message_scan("{\"message\":\"ab\\u0000", 20, "/message", &m);
    T_EQ_INT(m.seen, 0);
    engine_cut_message_scan("{\"message\":\"ab\\x", 16, "/message", &m);
    T_EQ_INT(m.seen, 0);
    engine_cut_message_scan(NULL, 0, "/message", &m);
    T_EQ_INT(m.seen, 0);
    /* A deep member before it: no stack spent on it. */
    {
        struct ac_buf b = AC_BUF_INIT;
        size_t i;
        ac_buf_adds(&b, "{\"a\":");
        for (i = 0; i < 100000; i++)
            ac_buf_addc(&b, '[');
        engine_cut_message_scan(b.data, b.len, "/message", &m);
        T_EQ_INT(m.seen, 0);
        ac_buf_release(&b);
    }
}

/* Runs the one scenario (expected code `code`) against a server answering
 * `reply`, with a catalog (NULL: none given to the engine) and retries;
 * returns the requests the server saw. */
static int throttle_case(const char *reply, long code, const struct catalog *c, int retries,
                         struct scenario_run *run)
{
    struct raw_script rs = {RAW_REPLY, reply, strlen(reply), 0, 0, 0};
    struct rawserver *srv = rawserver_start(&rs);
    struct ac_error e = AC_ERROR_INIT;
    struct redactor *red = redact_new();
    struct engine_config cfg;
    struct engine *en;
    struct suite *s;
    char url[64], buf[600], name[32];
    int n;

    snprintf(buf, sizeof buf,
             "{\"scenarios\": [{\"id\": \"p\", \"code\": %ld, \"title\": \"t\", \"class\": "
             "\"stateless\", \"request\": {\"method\": \"GET\", \"path\": \"/api/v1/x\"}}]}",
             code);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rawserver_port(srv));
    snprintf(name, sizeof name, "%02ld/%ld.json", (code / 100) % 100, code);
    s = suite_load_file_buffer(name, buf, strlen(buf), NULL, c ? c : rn_cat, &e);
    memset(run, 0, sizeof *run);
    T_TRUE(s != NULL);
    if (!s) {
        fprintf(stderr, "suite: %s: %s\n", e.where, e.text);
        rawserver_stop(srv);
        redact_free(red);
        return -1;
    }
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = url;
    cfg.jobs = 1;
    cfg.timeout_ms = 5000;
    cfg.connect_timeout_ms = 1000;
    cfg.retries = retries;
    cfg.retry_after_max_ms = 1000;
    cfg.catalog = c;
    cfg.run_id = "rtest";
    en = engine_new(&cfg, red, &e);
    engine_set_token(en, NULL, "0123456789abcdef0123456789abcdef");
    run->sc = suite_at(s, 0);
    run->probe = -1;
    T_EQ_INT(engine_run(en, s, run, 1, NULL, NULL), 0);
    engine_free(en);
    redact_free(red);
    suite_free(s);
    n = rawserver_requests(srv);
    rawserver_stop(srv);
    return n;
}

static void test_runner_engine_429_judged_or_retried(void)
{
    static const char cat429[] =
        "{\"format\": \"apiconform-catalog/1\", \"source\": \"t\", \"entries\": ["
        "{\"code\": 4040006, \"message\": \"No such api.\", \"description\": \"\", \"solution\": "
        "\"\"},"
        "{\"code\": 4290001, \"message\": \"Too many.\", \"description\": \"\", \"solution\": "
        "\"\"},"
        "{\"code\": 5030001, \"message\": \"Down.\", \"description\": \"\", \"solution\": \"\"}]}";
#define ANSWER(status, body)                                                                       \
    "HTTP/1.1 " status "\r\nRetry-After: 0\r\nContent-Type: application/json\r\n"                  \
    "Connection: close\r\n\r\n" body
    static const char r429_own[] =
        ANSWER("429 Too Many", "{\"code\":4290001,\"message\":\"Too many.\"}");
    static const char r429_proxy[] = ANSWER("429 Too Many", "{\"code\":4030001,\"message\":\"x\"}");
    static const char r503_own[] = ANSWER("503 Down", "{\"code\":5030001,\"message\":\"Down.\"}");
    static const char r503_html[] = ANSWER("503 Down", "<html>busy</html>");
#undef ANSWER
    struct ac_error e = AC_ERROR_INIT;
    struct catalog *c = catalog_load_buffer("t.json", cat429, sizeof cat429 - 1, &e);
    struct scenario_run run;

    T_TRUE(c != NULL);
    if (!c)
        return;
    /* A catalog code of status 429: the implementation's answer, judged. */
    T_EQ_INT(throttle_case(r429_own, 4040006, c, 2, &run), 1);
    T_EQ_INT(run.probe, 0);
    T_TRUE(run.error == NULL);
    scenario_run_release(&run);
    /* The scenario expects a 429: judged whatever the body. */
    T_EQ_INT(throttle_case(r429_proxy, 4290001, c, 2, &run), 1);
    T_EQ_INT(run.probe, 0);
    T_TRUE(run.error == NULL);
    scenario_run_release(&run);
    /* A code of another status: try again, then ERROR. */
    T_EQ_INT(throttle_case(r429_proxy, 4040006, c, 2, &run), 3);
    T_EQ_INT(run.probe, -1);
    T_CONTAINS(
        run.error,
        "probe (GET /api/v1/x): rate limited: 429/4030001 \"x\", Retry-After: 0, after 2 retries");
    T_EQ_INT(run.nex, 1);
    T_EQ_INT(run.nex ? run.ex[0].transport_error : 0, CURLE_HTTP_RETURNED_ERROR);
    scenario_run_release(&run);
    T_EQ_INT(throttle_case(r503_html, 4040006, c, 0, &run), 1);
    T_CONTAINS(
        run.error,
        "probe (GET /api/v1/x): unavailable: 503 (no error code in the body), Retry-After: 0, "
        "after 0 retries");
    scenario_run_release(&run);
    T_EQ_INT(throttle_case(r503_own, 4040006, c, 1, &run), 1);
    T_EQ_INT(run.probe, 0);
    scenario_run_release(&run);
    /* Without a catalog the code's status digits decide. */
    T_EQ_INT(throttle_case(r503_own, 4040006, NULL, 1, &run), 1);
    T_EQ_INT(run.probe, 0);
    scenario_run_release(&run);
    T_EQ_INT(throttle_case(r429_proxy, 4040006, NULL, 1, &run), 2);
    T_EQ_INT(run.probe, -1);
    scenario_run_release(&run);
    catalog_free(c);
}

/* The message of a failed message check names the real size of a capped
 * message and fits a report field, so no report cuts it again. */
static void test_runner_message_marker_names_real_size(void)
{
    const struct catalog_entry *want = catalog_find(rn_cat, 4040006);
    struct ac_buf body = AC_BUF_INIT;
    struct observed o;
    struct check_list l = {NULL, 0};
    size_t i, real = 0;

    ac_buf_adds(&body, "{\"code\":4040006,\"message\":\"No such api.");
    for (i = 12; i < 1000000; i++)
        ac_buf_addc(&body, (char)('a' + i % 26));
    ac_buf_adds(&body, "\"}");
    {
        const struct check_header h[] = {{"Content-Type", "application/json"},
                                         {"Request-Id", UUID}};
        check_observe(404, h, 2, body.data, body.len, &o);
    }
    T_EQ_INT(o.message_len, 1000000);
    T_EQ_INT(check_message_fit(&o, 300, &real), 300);
    T_EQ_INT(real, 1000000);
    T_EQ_INT(check_probe(&o, want, MESSAGE_EXACT, rn_cat, rn_all_checks, &l), 0);
    for (i = 0; i < l.n; i++) {
        if (l.v[i].id != CHECK_MESSAGE)
            continue;
        T_EQ_INT(l.v[i].passed, 0);
        T_CONTAINS(l.v[i].actual, "\" [truncated: 3999 of 1000000 bytes shown]");
        T_TRUE(strlen(l.v[i].actual) <= 4096);
        T_CONTAINS(l.v[i].detail, "\" [truncated: 1024 of 1000000 bytes shown]\n");
        T_CONTAINS(l.v[i].detail, "(actual has 999988 extra bytes)");
        T_TRUE(strlen(l.v[i].detail) <= 4096);
    }
    check_list_release(&l);
    observed_release(&o);
    ac_buf_release(&body);
    /* "at least" when the real size is not known; whole characters only. */
    {
        char *q = check_quote_message("\xc3\xa9\xc3\xa9\xc3\xa9", 6, 5000, 1, 3);
        T_EQ_STR(q, "\"\xc3\xa9\" [truncated: 2 of at least 5000 bytes shown]");
        free(q);
        q = check_quote_message("ab\x1b", 3, 3, 0, 100);
        T_EQ_STR(q, "\"ab\\x1b\"");
        free(q);
    }
}

/* A redacted message is shorter than message_len says: the checks read the
 * copy by its own length (before, normalized matching read past its end). */
static void test_runner_redacted_message_length(void)
{
    const struct catalog_entry *want = catalog_find(rn_cat, 4040006);
    struct observed o;
    struct check_list l = {NULL, 0};
    size_t i;
    int seen = 0;

    memset(&o, 0, sizeof o);
    o.status = 404;
    o.body = BODY_OK;
    o.has_code = 1;
    o.code = 4040006;
    o.has_message = 1;
    o.message = ac_strdup("***"); /* a 12-byte token, masked */
    o.message_len = strlen(want->message);
    T_EQ_INT(check_probe(&o, want, MESSAGE_NORMALIZED, rn_cat, rn_all_checks, &l), 0);
    for (i = 0; i < l.n; i++) {
        if (l.v[i].id != CHECK_MESSAGE)
            continue;
        seen = 1;
        T_EQ_INT(l.v[i].passed, 0);
        T_EQ_STR(l.v[i].actual, "\"***\"");
    }
    T_TRUE(seen);
    check_list_release(&l);
    T_EQ_INT(check_probe(&o, want, MESSAGE_EXACT, rn_cat, rn_all_checks, &l), 0);
    check_list_release(&l);
    observed_release(&o);
}

/* ---- registration ---- */

int rn_register_engine(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tests[] = {
        {"engine sends the auth modes", test_runner_engine_sends_auth_modes},
        {"engine masks header values", test_runner_engine_masks_header_values},
        {"engine turns transport failures into errors", test_runner_engine_transport_errors},
        {"engine records a non-JSON answer for judging", test_runner_engine_non_json_is_judged},
        {"plan: capabilities, accounts and shards", test_runner_plan_capabilities_and_shards},
        {"Retry-After: seconds, three date forms, garbage", test_runner_retry_after_parse},
        {"the wait before a 429/503 retry is bounded", test_runner_retry_wait_clamped},
        {"the end of a chunked body, fed in pieces", test_runner_chunked_end},
        {"what a cut body shows of its message", test_runner_cut_message_scan},
        {"engine: a 429/503 is judged, or retried then an error",
         test_runner_engine_429_judged_or_retried},
        {"a capped message's marker names its real size",
         test_runner_message_marker_names_real_size},
        {"a redacted message is read by its own length", test_runner_redacted_message_length},
    };
    CU_pSuite s = CU_add_suite("runner: engine, plan, answers", rn_init, rn_clean);
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn))
            return -1;
    return 0;
}
