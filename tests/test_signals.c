/* tests/test_signals.c -- SIGTERM and SIGINT, as CI sends them.
 *
 * CI cancels a job with SIGTERM (or SIGINT) and follows with SIGKILL a few
 * seconds later. Each test runs the real binary against a raw-socket
 * server that never answers (or answers a poll with a state it never
 * leaves), signals it once the request is in flight, and asserts: exit
 * status 3, every report written and valid, the scenarios the signal
 * stopped reported as interrupted (not skipped, not blamed on the target),
 * what teardown could not clean said, and the time from the signal to the
 * exit, measured and printed, under a generous bound. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/ac.h"
#include "rawserver.h"
#include "testutil.h"

/* Generous: the interrupt budget is 3 s; CI's grace period is longer. */
#define EXIT_BOUND_MS 10000

struct outputs {
    char junit[300], html[300], json[300], md[300];
};

static char *const env[] = {(char *)"SIGNAL_TOKEN=signal-test-token-0123456789", (char *)"CI=1",
                            NULL};

static void outputs_init(struct outputs *o, const char *name)
{
    char dir[256];

    snprintf(dir, sizeof dir, "%s/signals-%s", t_build(), name);
    mkdir(dir, 0755);
    snprintf(o->junit, sizeof o->junit, "%s/junit.xml", dir);
    snprintf(o->html, sizeof o->html, "%s/report.html", dir);
    snprintf(o->json, sizeof o->json, "%s/results.json", dir);
    snprintf(o->md, sizeof o->md, "%s/summary.md", dir);
    remove(o->junit);
    remove(o->html);
    remove(o->json);
    remove(o->md);
}

/* argv of `apiconform run` with the suite tests/data/signals/SUITE, one job,
 * the four reports, and extra (NULL-ended). Static storage. */
static char **run_argv(const char *url, const char *suite, const struct outputs *o,
                       const char *const *extra)
{
    static char *a[48];
    static char suite_dir[512], bin[512];
    int n = 0, i;

    snprintf(bin, sizeof bin, "%s/apiconform", t_build());
    snprintf(suite_dir, sizeof suite_dir, "%s/tests/data/signals/%s", t_root(), suite);
    a[n++] = bin;
    a[n++] = (char *)"run";
    a[n++] = (char *)"--base-url";
    a[n++] = (char *)url;
    a[n++] = (char *)"--suite";
    a[n++] = suite_dir;
    a[n++] = (char *)"--token-env";
    a[n++] = (char *)"SIGNAL_TOKEN";
    a[n++] = (char *)"--allow";
    a[n++] = (char *)"all";
    a[n++] = (char *)"--jobs";
    a[n++] = (char *)"1";
    a[n++] = (char *)"--retries";
    a[n++] = (char *)"0";
    a[n++] = (char *)"--junit";
    a[n++] = (char *)o->junit;
    a[n++] = (char *)"--html";
    a[n++] = (char *)o->html;
    a[n++] = (char *)"--json";
    a[n++] = (char *)o->json;
    a[n++] = (char *)"--markdown";
    a[n++] = (char *)o->md;
    for (i = 0; extra && extra[i] && n < 46; i++)
        a[n++] = (char *)extra[i];
    a[n] = NULL;
    return a;
}

struct wait_for {
    struct rawserver *srv;
    int requests;
};

static int server_saw(void *ud)
{
    const struct wait_for *w = ud;
    return rawserver_requests(w->srv) >= w->requests;
}

static void report_time(const char *what, long long ms)
{
    char msg[200];

    fprintf(stderr, "    %s: signal to exit %lld ms (bound %d ms)\n", what, ms, EXIT_BOUND_MS);
    snprintf(msg, sizeof msg, "%s: exited %lld ms after the signal, within %d ms", what, ms,
             EXIT_BOUND_MS);
    CU_assertImplementation(ms >= 0 && ms < EXIT_BOUND_MS, __LINE__, msg, __FILE__, "", CU_FALSE);
}

/* The four reports exist and are valid; returns the JSON results (caller
 * decrefs), or NULL. */
static json_t *valid_reports(const struct outputs *o)
{
    char *xerr = NULL, *html = t_read_file(o->html, NULL), *md = t_read_file(o->md, NULL);
    json_error_t je;
    json_t *root;

    /* The project's own schema, and Jenkins' when ../shared has it. */
    T_EQ_INT(t_junit_validate(o->junit, &xerr), 0);
    if (xerr && *xerr)
        fprintf(stderr, "    JUnit: %s\n", xerr);
    T_TRUE(html != NULL);
    T_CONTAINS(html, "</html>");
    T_CONTAINS(html, "interrupted");
    T_TRUE(md != NULL);
    T_CONTAINS(md, "interrupted");
    root = json_load_file(o->json, 0, &je);
    T_TRUE(root != NULL);
    T_TRUE(json_is_true(json_object_get(json_object_get(root, "run"), "incomplete")));
    free(xerr);
    free(html);
    free(md);
    return root;
}

/* The result of scenario id in the JSON results (borrowed), or NULL. */
static json_t *result_of(json_t *root, const char *id)
{
    json_t *x;
    size_t i;

    json_array_foreach (json_object_get(root, "results"), i, x) {
        const char *s = json_string_value(json_object_get(x, "scenario_id"));
        if (s && !strcmp(s, id))
            return x;
    }
    return NULL;
}

/* The scenario is an ERROR marked interrupted, its summary holding `why`. */
static void assert_interrupted(json_t *root, const char *id, const char *why)
{
    json_t *x = result_of(root, id);
    const char *summary = json_string_value(json_object_get(x, "summary"));

    T_TRUE(x != NULL);
    T_EQ_STR(json_string_value(json_object_get(x, "verdict")), "error");
    T_TRUE(json_is_true(json_object_get(x, "interrupted")));
    T_CONTAINS(summary, "interrupted");
    T_CONTAINS(summary, why);
}

static void test_signals_sigterm_probe_in_flight(void)
{
    struct raw_script rs = {RAW_SILENT, NULL, 0, 0, 0, 0};
    struct rawserver *srv = rawserver_start(&rs);
    struct wait_for w = {srv, 1};
    struct outputs o;
    char url[64], *out = NULL, *err = NULL, *junit;
    long long ms = -1;
    json_t *root;
    int status;

    T_TRUE(srv != NULL);
    if (!srv)
        return;
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rawserver_port(srv));
    outputs_init(&o, "probe");
    status = t_run_signal(run_argv(url, "probe", &o, (const char *const[]){"--no-preflight", NULL}),
                          env, &out, &err, SIGTERM, server_saw, &w, -1, &ms);
    T_EQ_INT(status, 3);
    report_time("SIGTERM, probe in flight, teardown against a silent target", ms);
    T_CONTAINS(out, "run interrupted");
    root = valid_reports(&o);
    assert_interrupted(root, "signal-probe", "probe");
    /* Never started: interrupted, not an ordinary skip. */
    assert_interrupted(root, "signal-not-started", "not started");
    T_EQ_INT(json_integer_value(json_object_get(json_object_get(root, "summary"), "skipped")), 0);
    T_EQ_INT(json_integer_value(json_object_get(json_object_get(root, "summary"), "interrupted")),
             2);
    json_decref(root);
    junit = t_read_file(o.junit, NULL);
    T_CONTAINS(junit, "type=\"interrupted\"");
    T_NOT_CONTAINS(junit, "<skipped");
    free(junit);
    /* The teardown request met the silent target too: said, with the way out. */
    T_CONTAINS(err, "not cleaned: signal-probe: teardown 1 (delete what the probe may have left)");
    T_CONTAINS(err, "apiconform sweep --base-url");
    T_CONTAINS(err, "--run-id");
    free(out);
    free(err);
    rawserver_stop(srv);
}

static void test_signals_sigterm_during_preflight(void)
{
    struct raw_script rs = {RAW_SILENT, NULL, 0, 0, 0, 0};
    struct rawserver *srv = rawserver_start(&rs);
    struct wait_for w = {srv, 1};
    struct outputs o;
    char url[64], *out = NULL, *err = NULL;
    long long ms = -1;
    json_t *root;
    int status;

    T_TRUE(srv != NULL);
    if (!srv)
        return;
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rawserver_port(srv));
    outputs_init(&o, "preflight");
    status = t_run_signal(run_argv(url, "probe", &o, NULL), env, &out, &err, SIGTERM, server_saw,
                          &w, -1, &ms);
    T_EQ_INT(status, 3);
    report_time("SIGTERM during the preflight", ms);
    T_EQ_INT(rawserver_requests(srv), 1); /* nothing sent after the preflight */
    root = valid_reports(&o);
    assert_interrupted(root, "signal-probe", "not started");
    assert_interrupted(root, "signal-not-started", "not started");
    json_decref(root);
    free(out);
    free(err);
    rawserver_stop(srv);
}

static void test_signals_sigint_while_polling(void)
{
    static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                "Content-Length: 31\r\nConnection: close\r\n\r\n"
                                "{\"id\":\"t1\",\"status\":\"creating\"}";
    struct raw_script rs = {RAW_REPLY, reply, sizeof reply - 1, 0, 0, 0};
    struct rawserver *srv = rawserver_start(&rs);
    struct wait_for w = {srv, 5};
    struct outputs o;
    char url[64], *out = NULL, *err = NULL;
    long long ms = -1;
    json_t *root;
    int status;

    T_TRUE(srv != NULL);
    if (!srv)
        return;
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rawserver_port(srv));
    outputs_init(&o, "poll");
    status = t_run_signal(run_argv(url, "poll", &o, (const char *const[]){"--no-preflight", NULL}),
                          env, &out, &err, SIGINT, server_saw, &w, -1, &ms);
    T_EQ_INT(status, 3);
    report_time("SIGINT while polling", ms);
    root = valid_reports(&o);
    /* The target was not given its 600 attempts: not its fault. */
    assert_interrupted(root, "signal-poll", "setup 2 (wait until it is ready)");
    T_NOT_CONTAINS(json_string_value(json_object_get(result_of(root, "signal-poll"), "summary")),
                   "did not become");
    json_decref(root);
    /* Teardown still ran, and cleaned. */
    T_CONTAINS(rawserver_last_request(srv), "DELETE /api/v1/cf-things/t1 ");
    T_NOT_CONTAINS(err, "not cleaned");
    free(out);
    free(err);
    rawserver_stop(srv);
}

static void test_signals_second_signal_cuts_short(void)
{
    struct raw_script rs = {RAW_SILENT, NULL, 0, 0, 0, 0};
    struct rawserver *srv = rawserver_start(&rs);
    struct wait_for w = {srv, 1};
    struct outputs o;
    char url[64], *out = NULL, *err = NULL;
    long long ms = -1;
    json_t *root;
    int status;

    T_TRUE(srv != NULL);
    if (!srv)
        return;
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rawserver_port(srv));
    outputs_init(&o, "second");
    /* A setup create in flight is given the budget (its answer says what to
     * delete); a budget of 20 s makes the second signal the only way out. */
    status = t_run_signal(
        run_argv(url, "create", &o,
                 (const char *const[]){"--no-preflight", "--interrupt-budget", "20000", NULL}),
        env, &out, &err, SIGTERM, server_saw, &w, 300, &ms);
    T_EQ_INT(status, 3);
    report_time("second SIGTERM, a create in flight", ms);
    root = valid_reports(&o);
    assert_interrupted(root, "signal-create", "setup 1 (create a thing)");
    json_decref(root);
    T_CONTAINS(err, "not cleaned: signal-create: setup 1 (create a thing)");
    T_CONTAINS(err, "may have created");
    T_CONTAINS(err, "apiconform sweep --base-url");
    free(out);
    free(err);
    rawserver_stop(srv);
}

static void test_signals_budget_option(void)
{
    char *args[] = {(char *)t_path("%s/apiconform", t_build()),
                    (char *)"run",
                    (char *)"--base-url",
                    (char *)"http://127.0.0.1:1",
                    (char *)"--interrupt-budget",
                    (char *)"soon",
                    NULL};
    char *err = NULL;

    T_EQ_INT(t_run(args, NULL, NULL, &err), 2);
    T_CONTAINS(err, "apiconform: --interrupt-budget: expected milliseconds 1-600000, got 'soon'");
    free(err);
}

static void test_signals_sweep(void)
{
    struct raw_script rs = {RAW_SILENT, NULL, 0, 0, 0, 0};
    struct rawserver *srv = rawserver_start(&rs);
    struct wait_for w = {srv, 1};
    char url[64], *out = NULL, *err = NULL;
    long long ms = -1;
    int status;

    T_TRUE(srv != NULL);
    if (!srv)
        return;
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rawserver_port(srv));
    {
        char *args[] = {(char *)t_path("%s/apiconform", t_build()),
                        (char *)"sweep",
                        (char *)"--base-url",
                        url,
                        (char *)"--token-env",
                        (char *)"SIGNAL_TOKEN",
                        (char *)"--run-id",
                        (char *)"r1a2b3c",
                        NULL};
        status = t_run_signal(args, env, &out, &err, SIGTERM, server_saw, &w, -1, &ms);
    }
    T_EQ_INT(status, 3);
    report_time("sweep, SIGTERM while listing", ms);
    T_EQ_INT(rawserver_requests(srv), 1); /* stopped: nothing sent after the signal */
    T_CONTAINS(out, "sweep interrupted");
    T_CONTAINS(out, "not looked at: load balancer");
    T_CONTAINS(out, "apiconform sweep");
    free(out);
    free(err);
    rawserver_stop(srv);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("signals: SIGTERM and SIGINT as CI sends them", NULL, NULL);

    if (!s ||
        !CU_add_test(s, "SIGTERM, probe in flight, silent target: reports, exit 3, in time",
                     test_signals_sigterm_probe_in_flight) ||
        !CU_add_test(s, "SIGTERM during the preflight: reports, every scenario interrupted",
                     test_signals_sigterm_during_preflight) ||
        !CU_add_test(s, "SIGINT while polling: interrupted at its step, teardown cleans",
                     test_signals_sigint_while_polling) ||
        !CU_add_test(s, "a second signal cuts the budget short; what is left is said",
                     test_signals_second_signal_cuts_short) ||
        !CU_add_test(s, "--interrupt-budget takes milliseconds", test_signals_budget_option) ||
        !CU_add_test(s, "sweep stops at once on SIGTERM and says what it did not do",
                     test_signals_sweep))
        return -1;
    return 0;
}
