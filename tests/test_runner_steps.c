/* tests/test_runner_steps.c -- runners/: how a job walks its steps against
 * scripted raw servers: a setup step's find over a paged list, and a poll
 * (a step's retry) given more time than the suite's attempts by
 * --poll-timeout. Shared catalog and runner in runfix.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runners/engine.h"
#include "rawserver.h"
#include "runfix.h"
#include "testutil.h"

/* ---- a setup step's find over a list, paged or not ---- */

/* One answer of the raw server: a page of n repositories named other-*,
 * with "total" when total >= 0, and "wanted" (repo_id 4242) last when
 * wanted. */
static void list_reply(struct ac_buf *reply, int n, long total, int wanted)
{
    struct ac_buf body = AC_BUF_INIT;
    int i;

    ac_buf_adds(&body, "{");
    if (total >= 0)
        ac_buf_addf(&body, "\"total\": %ld, ", total);
    ac_buf_adds(&body, "\"repositories\": [");
    for (i = 0; i < n; i++)
        ac_buf_addf(&body, "%s{\"repo_name\": \"%s-%d\", \"repo_id\": %d}", i ? ", " : "",
                    wanted && i == n - 1 ? "wanted" : "other", i,
                    wanted && i == n - 1 ? 4242 : i + 1);
    ac_buf_adds(&body, "]}");
    ac_buf_addf(reply,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                "Connection: close\r\n\r\n%s",
                body.len, body.data);
    ac_buf_release(&body);
}

/* A scenario whose setup finds repository "wanted-N" in the list at path
 * (limit=30&offset=0, as the fixtures send) and captures its repo_id,
 * then sends probe, against a server answering the nth request with a
 * page of sizes[n] repositories (the last size again once they run out),
 * "wanted" last in page wanted_page (-1: in none), with "total" when
 * total >= 0. Fills *run (caller releases it, then frees *s) and returns
 * the requests the server read. */
static int find_case(const char *path, const char *probe, const int *sizes, size_t npages,
                     int wanted_page, long total, struct suite **s, struct scenario_run *run,
                     char *last, size_t last_size)
{
    struct ac_buf replies[4], sc = AC_BUF_INIT;
    const char *texts[4];
    struct ac_error e = AC_ERROR_INIT;
    struct rawserver *srv;
    size_t i;
    int got = -1;

    CU_ASSERT_FATAL(npages >= 1 && npages <= 4);
    for (i = 0; i < npages; i++) {
        ac_buf_init(&replies[i]);
        list_reply(&replies[i], sizes[i], total, (int)i == wanted_page);
        texts[i] = replies[i].data;
    }
    ac_buf_addf(&sc,
                "{\"scenarios\": [{\"id\": \"find\", \"code\": 4040006, \"title\": \"t\", "
                "\"class\": \"stateful\", \"setup\": [{\"method\": \"GET\", \"path\": \"%s\", "
                "\"query\": {\"limit\": \"30\", \"offset\": \"0\"}, \"find\": {\"in\": "
                "\"/repositories\", \"where\": {\"repo_name\": \"wanted-%d\"}}, \"capture\": "
                "{\"repo_id\": \"/repo_id\"}}], \"request\": {\"method\": \"GET\", \"path\": "
                "\"%s\"}}]}",
                path, wanted_page >= 0 ? sizes[wanted_page] - 1 : 0, probe);
    memset(run, 0, sizeof *run);
    *s = suite_load_file_buffer("00/4040006.json", sc.data, sc.len, NULL, rn_cat, &e);
    srv = *s ? rawserver_start_replies(texts, npages) : NULL;
    if (!*s)
        fprintf(stderr, "suite: %s: %s\n", e.where, e.text);
    T_TRUE(srv != NULL);
    if (srv) {
        rn_run_polling(*s, rawserver_port(srv), 5000, 65536, 0, run);
        got = rawserver_requests(srv);
        snprintf(last, last_size, "%s", rawserver_last_request(srv));
        rawserver_stop(srv);
    }
    for (i = 0; i < npages; i++)
        ac_buf_release(&replies[i]);
    ac_buf_release(&sc);
    return got;
}

/* A find over a collection the contract pages (/api/v1/repositories, 30 a
 * page) reads the next page while a page is full (30 elements, or fewer
 * than "total" seen), each with the offset advanced in place of the
 * step's own, and gives up after 100 pages naming the step; a short page
 * ends the walk, and a path the contract does not page is one request. */
static void test_runner_engine_find_pages(void)
{
    static const int full[] = {30}, short10[] = {10}, three[] = {30, 30, 5};
    const char *repos = "/api/v1/repositories";
    struct scenario_run run;
    struct suite *s = NULL;
    char last[4096];

    /* Always full and never the one wanted: 100 pages, then an error; the
     * probe is not sent. */
    T_EQ_INT(find_case(repos, "/api/v1/x", full, 1, -1, -1, &s, &run, last, sizeof last), 100);
    T_CONTAINS(last, "GET /api/v1/repositories?limit=30&offset=2970 HTTP/1.1\r\n");
    T_CONTAINS(run.error, "setup 1 (GET /api/v1/repositories): /repositories was not read to "
                          "its end: no element matched in 100 pages, and the last was full");
    T_EQ_INT(run.probe, -1);
    T_EQ_INT(run.nex, 100);
    T_CONTAINS(run.nex > 1 ? run.ex[1].request_line : NULL,
               "/api/v1/repositories?limit=30&offset=30");
    scenario_run_release(&run);
    suite_free(s);

    /* Found on the third page (two full ones before it): the capture is
     * the element found there, and the probe uses it. */
    T_EQ_INT(find_case(repos, "/api/v1/x/${repo_id}", three, 3, 2, -1, &s, &run, last, sizeof last),
             4);
    T_TRUE(run.error == NULL);
    T_EQ_INT(run.probe, 3);
    T_CONTAINS(last, "GET /api/v1/x/4242 HTTP/1.1\r\n");
    T_CONTAINS(run.nex > 2 ? run.ex[2].request_line : NULL,
               "/api/v1/repositories?limit=30&offset=60");
    scenario_run_release(&run);
    suite_free(s);

    /* Found on the first page, full as it is: no second page. */
    T_EQ_INT(find_case(repos, "/api/v1/x/${repo_id}", full, 1, 0, -1, &s, &run, last, sizeof last),
             2);
    T_TRUE(run.error == NULL);
    T_CONTAINS(last, "GET /api/v1/x/4242 HTTP/1.1\r\n");
    scenario_run_release(&run);
    suite_free(s);

    /* Short pages, but "total" says more are left: read on. */
    T_EQ_INT(find_case(repos, "/api/v1/x", short10, 1, -1, 100000, &s, &run, last, sizeof last),
             100);
    T_CONTAINS(run.error, "was not read to its end");
    scenario_run_release(&run);
    suite_free(s);

    /* A short page, the total seen: not found after one request; the
     * probe follows. */
    T_EQ_INT(find_case(repos, "/api/v1/x", short10, 1, -1, 10, &s, &run, last, sizeof last), 2);
    T_TRUE(run.error == NULL);
    T_EQ_INT(run.probe, 1);
    scenario_run_release(&run);
    suite_free(s);

    /* A full page of a path the contract does not page: one request. */
    T_EQ_INT(find_case("/api/v1/things", "/api/v1/x", full, 1, -1, -1, &s, &run, last, sizeof last),
             2);
    T_CONTAINS(last, "GET /api/v1/x HTTP/1.1\r\n");
    T_TRUE(run.error == NULL);
    T_EQ_INT(run.nex, 2);
    T_CONTAINS(run.nex ? run.ex[0].request_line : NULL, "/api/v1/things?limit=30&offset=0");
    scenario_run_release(&run);
    suite_free(s);
}

/* ---- a poll past the suite's attempts ---- */

static const char gone_200[] =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
    "Connection: close\r\n\r\n{}";
static const char gone_404[] =
    "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nRequest-Id: " UUID
    "\r\nContent-Length: 41\r\nConnection: close\r\n\r\n"
    "{\"code\":4040006,\"message\":\"No such api.\"}";

/* A scenario whose setup polls GET /api/v1/x until it answers 404, 2
 * attempts 10 ms apart, then probes, against a server answering the nth
 * request with replies[n] (the last again after). Returns the requests
 * the server read; fills *run (caller releases it, then frees *s). */
static int poll_case(const char *const *replies, size_t n, long poll_timeout_ms, struct suite **s,
                     struct scenario_run *run)
{
    static const char sc[] =
        "{\"scenarios\": [{\"id\": \"gone\", \"code\": 4040006, \"title\": \"t\", "
        "\"class\": \"stateful\", \"setup\": [{\"method\": \"GET\", \"path\": \"/api/v1/x\", "
        "\"status\": [200, 404], \"retry\": {\"until_status\": 404, \"attempts\": 2, "
        "\"interval_ms\": 10}}], \"request\": {\"method\": \"GET\", \"path\": \"/api/v1/y\"}}]}";
    struct ac_error e = AC_ERROR_INIT;
    struct rawserver *srv;
    int got = -1;

    memset(run, 0, sizeof *run);
    *s = suite_load_file_buffer("00/4040006.json", sc, sizeof sc - 1, NULL, rn_cat, &e);
    if (!*s)
        fprintf(stderr, "suite: %s: %s\n", e.where, e.text);
    srv = *s ? rawserver_start_replies(replies, n) : NULL;
    T_TRUE(srv != NULL);
    if (srv) {
        rn_run_polling(*s, rawserver_port(srv), 5000, 65536, poll_timeout_ms, run);
        got = rawserver_requests(srv);
        rawserver_stop(srv);
    }
    return got;
}

/* A deletion a deployment confirms slower than the suite's attempts: with
 * no --poll-timeout the poll gives up after them and says so; with one,
 * it goes on (once a second) until the resource is gone, and the probe
 * follows; past the timeout it gives up, naming its attempts and time. */
static void test_runner_poll_timeout(void)
{
    const char *const slow[] = {gone_200, gone_200, gone_200, gone_404};
    const char *const never[] = {gone_200};
    struct scenario_run run;
    struct suite *s = NULL;
    int n;

    T_EQ_INT(poll_case(slow, 4, 0, &s, &run), 2);
    T_CONTAINS(run.error, "setup 1 (GET /api/v1/x): still answered 200, not 404, after 2 attempts");
    T_EQ_INT(run.probe, -1);
    scenario_run_release(&run);
    suite_free(s);

    T_EQ_INT(poll_case(slow, 4, 30000, &s, &run), 5);
    T_TRUE(run.error == NULL);
    T_EQ_INT(run.probe, 1); /* the poll is one exchange, its last attempt */
    scenario_run_release(&run);
    suite_free(s);

    /* Never gone: the third attempt comes a second after the second, and
     * the answer after the timeout is the last. */
    n = poll_case(never, 1, 1500, &s, &run);
    T_TRUE(n >= 3 && n <= 4);
    T_CONTAINS(run.error, "still answered 200, not 404, after ");
    T_CONTAINS(run.error, " attempts in ");
    T_EQ_INT(run.probe, -1);
    scenario_run_release(&run);
    suite_free(s);
}

int rn_register_steps(void)
{
    CU_pSuite s = CU_add_suite("runner: steps (find, polls)", rn_init, rn_clean);

    if (!s ||
        !CU_add_test(s, "engine: a find reads a paged list to its end, one request else",
                     test_runner_engine_find_pages) ||
        !CU_add_test(s, "engine: --poll-timeout gives a poll more time than its attempts",
                     test_runner_poll_timeout))
        return -1;
    return 0;
}
