/* tests/test_e2e_safety.c -- the apiconform binary against the reference
 * server, for what keeps a run safe and honest: the response-time budget,
 * --insecure recorded in every report, preflight failures, two reports on
 * one path, dry run and list sending nothing, canary and short credentials,
 * SIGINT with teardown and incomplete reports, and sweep after a killed
 * run. Helpers in e2efix.h. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2efix.h"
#include "refproc.h"
#include "testutil.h"

/* Issue 13: a target that answers correctly but slowly passed. With
 * --max-response-ms the slow answer fails response-time and nothing else;
 * --skip-check response-time and no budget let it pass; a stalled upload,
 * answered when the server's read timeout expires, is not held to the
 * budget. The bounds are one-sided: slow-answers waits 300 ms at least, the
 * read timeout 2.5 s at least; a conforming loopback answer gets 2 s. */
static void test_e2e_response_time_budget(void)
{
    struct refproc r;
    const char *json = e2e_tmpfile_path("response-time.json");
    char got[200];

    T_EQ_INT(refproc_start(&r, (const char *const[]){"--mutate", "slow-answers", NULL}), 0);
    T_EQ_INT(e2e_run_example(r.url,
                             (const char *const[]){"--code", "4150001", "--max-response-ms", "100",
                                                   "--json", json, NULL},
                             NULL, NULL),
             1);
    e2e_failed_checks(json, got, sizeof got);
    T_EQ_STR(got, "response-time,");
    T_EQ_INT(e2e_run_example(r.url,
                             (const char *const[]){"--code", "4150001", "--max-response-ms", "100",
                                                   "--skip-check", "response-time", NULL},
                             NULL, NULL),
             0);
    T_EQ_INT(e2e_run_example(r.url, (const char *const[]){"--code", "4150001", NULL}, NULL, NULL),
             0);
    refproc_stop(&r);
    T_EQ_INT(refproc_start(&r, (const char *const[]){"--read-timeout-ms", "2500", NULL}), 0);
    T_EQ_INT(
        e2e_run_example(r.url,
                        (const char *const[]){"--code", "4080001", "--code", "4150001",
                                              "--max-response-ms", "2000", "--json", json, NULL},
                        NULL, NULL),
        0);
    e2e_failed_checks(json, got, sizeof got);
    T_EQ_STR(got, "");
    refproc_stop(&r);
    {
        char *err = NULL;
        const char *args[] = {"run", "--base-url", "http://127.0.0.1:9", "--max-response-ms",
                              "-1",  NULL};
        T_EQ_INT(apiconform_run(args, NULL, &err), 2);
        T_EQ_STR(err, "apiconform: --max-response-ms: expected milliseconds (0 for no budget), "
                      "got '-1'\nTry 'apiconform --help' for more information.\n");
        free(err);
    }
}

/* Issue 13: --insecure was said on stderr only; every report records it,
 * and a run without it records that TLS was verified. */
static void test_e2e_insecure_in_every_report(void)
{
    struct refproc r;
    const char *junit = e2e_tmpfile_path("insecure-junit.xml"),
               *html = e2e_tmpfile_path("insecure.html");
    const char *md = e2e_tmpfile_path("insecure.md"), *json = e2e_tmpfile_path("insecure.json");
    char *err = NULL, *text;

    T_EQ_INT(refproc_start(&r, NULL), 0);
    T_EQ_INT(e2e_run_example(r.url,
                             (const char *const[]){"--code", "4150001", "--insecure", "--junit",
                                                   junit, "--html", html, "--markdown", md,
                                                   "--json", json, NULL},
                             NULL, &err),
             0);
    T_CONTAINS(err, "--insecure: TLS certificates are not verified");
    free(err);
    text = t_read_file(junit, NULL);
    T_CONTAINS(text, "<property name=\"tls.verify\" value=\"false\"/>");
    free(text);
    text = t_read_file(html, NULL);
    T_CONTAINS(text, "<tr><th>TLS verification</th><td><strong>off</strong> (--insecure)");
    free(text);
    text = t_read_file(md, NULL);
    T_CONTAINS(text, "> **TLS verification was off** (`--insecure`)");
    free(text);
    text = t_read_file(json, NULL);
    T_CONTAINS(text, "\"tls_verify\": false");
    free(text);
    T_EQ_INT(e2e_run_example(r.url,
                             (const char *const[]){"--code", "4150001", "--junit", junit, NULL},
                             NULL, NULL),
             0);
    text = t_read_file(junit, NULL);
    T_CONTAINS(text, "<property name=\"tls.verify\" value=\"true\"/>");
    free(text);
    refproc_stop(&r);
}

static void test_e2e_preflight_and_usage(void)
{
    struct refproc r;
    char *out = NULL, *err = NULL;
    char url[64];

    /* Nothing listens: one clear message, exit 3, no per-scenario noise. */
    T_EQ_INT(refproc_start(&r, NULL), 0);
    snprintf(url, sizeof url, "%s", r.url);
    refproc_stop(&r);
    T_EQ_INT(e2e_run_example(url, NULL, &out, &err), 3);
    T_CONTAINS(err, "apiconform: POST /api/v1/token: connection refused");
    T_NOT_CONTAINS(out, "passed");
    free(out);
    free(err);
    T_EQ_INT(refproc_start(&r, (const char *const[]){"--app-secret", "something-else", NULL}), 0);
    T_EQ_INT(e2e_run_example(r.url, NULL, &out, &err), 3);
    T_EQ_STR(err, "apiconform: cannot obtain a token for account 'main': POST /api/v1/token "
                  "answered 404/4040001 \"No such user.\"\n");
    free(out);
    free(err);
    T_EQ_INT(
        e2e_run_example(r.url, (const char *const[]){"--allow", "everything", NULL}, NULL, &err),
        2);
    T_EQ_STR(err, "apiconform: --allow: expected destructive, limit, fault or all, got "
                  "'everything'\nTry 'apiconform --help' for more information.\n");
    free(err);
    {
        /* More --tag values than the runner holds: a usage error, exit 2,
         * also with --list (it once printed the message and exited 0). */
        static char tags[300 * 6];
        size_t used = 0;
        int k;
        for (k = 0; k < 300; k++)
            used += (size_t)snprintf(tags + used, sizeof tags - used, "%st%d", k ? "," : "", k);
        {
            const char *args[] = {"run", "--suite", e2e_example(), "--list", "--tag", tags, NULL};
            T_EQ_INT(apiconform_run(args, NULL, &err), 2);
            T_CONTAINS(err, "too many --tag values");
            free(err);
        }
    }
    {
        const char *args[] = {"run", "--suite", e2e_example(), NULL};
        T_EQ_INT(apiconform_run(args, NULL, &err), 2);
        T_EQ_STR(err, "apiconform: run: --base-url is required\n"
                      "Try 'apiconform --help' for more information.\n");
        free(err);
    }
    {
        static const char text[] = "{\"scenarios\": [{\"id\": \"x\", \"code\": 4010001, "
                                   "\"title\": \"t\", \"class\": \"stateless\", \"request\": "
                                   "{\"method\": \"GET\", \"paht\": \"/x\"}}]}";
        const char *bad = t_write_temp("bad-suite-00-4010001.json", text, sizeof text - 1);
        char dir[512], cmd[4096];
        snprintf(dir, sizeof dir, "%s/badsuite", t_build());
        snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s/00 && cp %s %s/00/4010001.json", dir,
                 dir, bad, dir);
        T_EQ_INT(system(cmd), 0);
        {
            const char *args[] = {"run", "--base-url", r.url, "--suite", dir, NULL};
            T_EQ_INT(apiconform_run(args, NULL, &err), 2);
            T_CONTAINS(err, "00/4010001.json: scenarios[0].request: unknown key \"paht\"");
            free(err);
        }
    }
    refproc_stop(&r);
}

/* Issue 13: two reports given one path overwrote each other. The same file
 * under two spellings (./x, d/../d/x, a symbolic link), existing or not, is
 * the same path; it is a usage error that names both options, and nothing
 * is sent. */
static void test_e2e_reports_need_distinct_paths(void)
{
    char dir[512], same[600], fresh[600], dotted[600], updown[600], link[600], other[600];
    char *err = NULL, want[2048];
    FILE *f;

    snprintf(dir, sizeof dir, "%s", e2e_tmpfile_path("paths"));
    mkdir(dir, 0755);
    snprintf(same, sizeof same, "%s/r.out", dir);
    snprintf(fresh, sizeof fresh, "%s/fresh.out", dir); /* never created */
    snprintf(dotted, sizeof dotted, "%s/./fresh.out", dir);
    snprintf(updown, sizeof updown, "%s/../paths/fresh.out", dir);
    snprintf(link, sizeof link, "%s/link.out", dir);
    snprintf(other, sizeof other, "%s/other.out", dir);
    f = fopen(same, "w");
    if (f)
        fclose(f);
    unlink(link);
    T_EQ_INT(symlink("r.out", link), 0);
    {
        const struct {
            const char *opt1, *path1, *opt2, *path2;
        } cases[] = {
            {"--junit", same, "--html", same},
            {"--junit", fresh, "--json", dotted},
            {"--markdown", updown, "--json", fresh},
            {"--html", "ac-fresh.out", "--markdown", "./ac-fresh.out"},
            {"--html", link, "--markdown", same},
            {"--json", same, "--baseline", same},
        };
        size_t i;
        for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            const char *args[] = {
                "run",         "--base-url",   "http://127.0.0.1:9", "--suite",      e2e_example(),
                cases[i].opt1, cases[i].path1, cases[i].opt2,        cases[i].path2, NULL};
            T_EQ_INT(apiconform_run(args, NULL, &err), 2);
            snprintf(want, sizeof want,
                     "apiconform: %s '%s' and %s '%s' are the same file: a report would "
                     "overwrite the other\nTry 'apiconform --help' for more information.\n",
                     cases[i].opt1, cases[i].path1, cases[i].opt2, cases[i].path2);
            T_EQ_STR(err, want);
            free(err);
        }
    }
    {
        /* Different files are fine: the run goes on (the default credential
         * variables are set here) and stops at the target, which is not
         * there. */
        const char *args[] = {"run",     "--base-url",  "http://127.0.0.1:9",
                              "--suite", e2e_example(), "--junit",
                              same,      "--html",      other,
                              NULL};
        T_EQ_INT(apiconform_run(args, NULL, &err), 3);
        T_NOT_CONTAINS(err, "same file");
        T_CONTAINS(err, "connection refused");
        free(err);
    }
    unlink(link);
    unlink(same);
    rmdir(dir);
}

static void test_e2e_dry_run_and_list(void)
{
    char *out = NULL;
    const char *args[] = {"run",     "--base-url",  "http://127.0.0.1:1",
                          "--suite", e2e_example(), "--dry-run",
                          "--allow", "all",         "--code",
                          "4090483", NULL};
    const char *list[] = {"run", "--list", "--suite", e2e_example(), NULL};

    T_EQ_INT(apiconform_run(args, &out, NULL), 0);
    T_CONTAINS(out, "# ---- 4090483 lb-duplicate-name:");
    T_CONTAINS(out, " -X POST 'http://127.0.0.1:1/api/v1/nlb/loadbalancers' -H "
                    "\"Authorization: Token $APICONFORM_TOKEN\"");
    T_NOT_CONTAINS(out, "conformance-secret");
    free(out);
    T_EQ_INT(apiconform_run(list, &out, NULL), 0);
    T_CONTAINS(out, "13 scenarios planned\n");
    free(out);
    /* One scenario is not "1 scenarios"; the list and the coverage also
     * come as JSON, with service numbers. */
    {
        const char *one[] = {"run", "--suite", e2e_example(), "--list", "--code", "4150001", NULL};
        const char *js[] = {"run", "--suite", e2e_example(), "--list", "--format", "json", NULL};
        const char *cov[] = {"coverage", "--format", "json", NULL};
        json_t *doc;
        T_EQ_INT(apiconform_run(one, &out, NULL), 0);
        T_CONTAINS(out, "\n1 scenario planned\n");
        free(out);
        T_EQ_INT(apiconform_run(js, &out, NULL), 0);
        doc = json_loads(out ? out : "", 0, NULL);
        T_TRUE(json_is_array(doc) && json_array_size(doc) == 13);
        T_TRUE(json_is_integer(json_object_get(json_array_get(doc, 0), "service")));
        T_TRUE(json_is_string(json_object_get(json_array_get(doc, 0), "class")));
        json_decref(doc);
        free(out);
        T_EQ_INT(apiconform_run(cov, &out, NULL), 0);
        doc = json_loads(out ? out : "", 0, NULL);
        T_EQ_INT(json_integer_value(json_object_get(doc, "codes_total")), 159);
        T_EQ_INT(json_integer_value(json_object_get(doc, "codes_covered")), 159);
        T_EQ_INT(json_array_size(json_object_get(doc, "codes")), 159);
        T_EQ_INT(json_integer_value(
                     json_object_get(json_array_get(json_object_get(doc, "codes"), 0), "service")),
                 0);
        json_decref(doc);
        free(out);
    }
}

static void test_e2e_canary_credentials_never_leak(void)
{
    static const char key[] = "canarykey4f1c2b9e77", secret[] = "canarysecret9a8b7c6d55";
    struct refproc r;
    char *out = NULL, *err = NULL;
    const char *files[] = {"canary-junit.xml", "canary-report.html", "canary-summary.md",
                           "canary-results.json"};
    char *argv_env[] = {(char *)"CANARY_KEY=canarykey4f1c2b9e77",
                        (char *)"CANARY_SECRET=canarysecret9a8b7c6d55", (char *)"CI=1", NULL};
    size_t i;

    T_EQ_INT(refproc_start(&r, (const char *const[]){"--faults", "--app-key", key, "--app-secret",
                                                     secret, NULL}),
             0);
    {
        char *argv[] = {(char *)t_path("%s/apiconform", t_build()),
                        (char *)"run",
                        (char *)"--base-url",
                        r.url,
                        (char *)"--suite",
                        (char *)e2e_example(),
                        (char *)"--app-key-env",
                        (char *)"CANARY_KEY",
                        (char *)"--app-secret-env",
                        (char *)"CANARY_SECRET",
                        (char *)"--allow",
                        (char *)"fault,destructive",
                        (char *)"-v",
                        (char *)"--junit",
                        (char *)e2e_tmpfile_path(files[0]),
                        (char *)"--html",
                        (char *)e2e_tmpfile_path(files[1]),
                        (char *)"--markdown",
                        (char *)e2e_tmpfile_path(files[2]),
                        (char *)"--json",
                        (char *)e2e_tmpfile_path(files[3]),
                        NULL};
        int rc = t_run(argv, argv_env, &out, &err);
        T_TRUE(rc == 0 || rc == 1);
    }
    /* The probe of 4000002-style scenarios sends the key; -v prints every
     * exchange: still no credential in any output. */
    /* sweep's output too (it obtains its own token with the pair) */
    {
        char *argv[] = {(char *)t_path("%s/apiconform", t_build()),
                        (char *)"sweep",
                        (char *)"--base-url",
                        r.url,
                        (char *)"--app-key-env",
                        (char *)"CANARY_KEY",
                        (char *)"--app-secret-env",
                        (char *)"CANARY_SECRET",
                        NULL};
        char *sout = NULL, *serr = NULL;
        T_EQ_INT(t_run(argv, argv_env, &sout, &serr), 0);
        T_CONTAINS(sout, "sweep: ");
        T_NO_SECRET(sout, key);
        T_NO_SECRET(sout, secret);
        T_NO_SECRET(serr, key);
        T_NO_SECRET(serr, secret);
        free(sout);
        free(serr);
    }
    T_CONTAINS(err, "> ");
    T_NO_SECRET(out, key);
    T_NO_SECRET(out, secret);
    T_NO_SECRET(err, key);
    T_NO_SECRET(err, secret);
    for (i = 0; i < 4; i++) {
        char *text = t_read_file(e2e_tmpfile_path(files[i]), NULL);
        t_no_secret(text, key, files[i], __LINE__, __FILE__);
        t_no_secret(text, secret, files[i], __LINE__, __FILE__);
        free(text);
    }
    free(out);
    free(err);
    refproc_stop(&r);
}

/* A credential under 8 bytes cannot be masked everywhere: refused before
 * anything is sent, by run (token, key, secret, accounts) and sweep. */
static void test_e2e_short_credentials_refused(void)
{
    char *env[] = {(char *)"SHORT=abc1234", (char *)"LONG_ENOUGH=abcd1234", NULL};
    const char *prog = t_path("%s/apiconform", t_build());
    char *argvs[][12] = {
        {(char *)prog, (char *)"run", (char *)"--base-url", (char *)"http://127.0.0.1:1",
         (char *)"--suite", (char *)e2e_example(), (char *)"--token-env", (char *)"SHORT", NULL},
        {(char *)prog, (char *)"run", (char *)"--base-url", (char *)"http://127.0.0.1:1",
         (char *)"--suite", (char *)e2e_example(), (char *)"--app-key-env", (char *)"LONG_ENOUGH",
         (char *)"--app-secret-env", (char *)"SHORT", NULL},
        {(char *)prog, (char *)"run", (char *)"--base-url", (char *)"http://127.0.0.1:1",
         (char *)"--suite", (char *)e2e_example(), (char *)"--token-env", (char *)"LONG_ENOUGH",
         (char *)"--account", (char *)"other:SHORT:LONG_ENOUGH", NULL},
        {(char *)prog, (char *)"sweep", (char *)"--base-url", (char *)"http://127.0.0.1:1",
         (char *)"--token-env", (char *)"SHORT", NULL},
        {(char *)prog, (char *)"sweep", (char *)"--base-url", (char *)"http://127.0.0.1:1",
         (char *)"--app-key-env", (char *)"SHORT", (char *)"--app-secret-env",
         (char *)"LONG_ENOUGH", NULL},
    };
    size_t i;

    for (i = 0; i < sizeof argvs / sizeof argvs[0]; i++) {
        char *err = NULL;
        T_EQ_INT(t_run(argvs[i], env, NULL, &err), 2);
        T_CONTAINS(err, "apiconform: environment variable SHORT holds a credential of 7 bytes: "
                        "at least 8 are needed to keep it out of every output\n");
        T_NOT_CONTAINS(err, "abc1234");
        free(err);
    }
}

static void test_e2e_interrupt_cleans_up(void)
{
    struct refproc r;
    char *argv[32];
    char *env[] = {(char *)"APICONFORM_APP_KEY=conformance-key",
                   (char *)"APICONFORM_APP_SECRET=conformance-secret", NULL};
    const char *json = e2e_tmpfile_path("interrupted.json");
    int n = 0, status = 0;
    pid_t pid;

    /* Slow answers, so the run is still going when the signal comes. */
    T_EQ_INT(refproc_start(&r, (const char *const[]){"--latency-ms", "150", NULL}), 0);
    argv[n++] = (char *)t_path("%s/apiconform", t_build());
    argv[n++] = (char *)"run";
    argv[n++] = (char *)"--base-url";
    argv[n++] = r.url;
    argv[n++] = (char *)"--suite";
    argv[n++] = (char *)e2e_example();
    argv[n++] = (char *)"--app-key-env";
    argv[n++] = (char *)"APICONFORM_APP_KEY";
    argv[n++] = (char *)"--app-secret-env";
    argv[n++] = (char *)"APICONFORM_APP_SECRET";
    argv[n++] = (char *)"--allow";
    argv[n++] = (char *)"destructive";
    argv[n++] = (char *)"--jobs";
    argv[n++] = (char *)"1";
    argv[n++] = (char *)"--json";
    argv[n++] = (char *)json;
    argv[n] = NULL;
    pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        for (n = 0; env[n]; n++)
            putenv(env[n]);
        execv(argv[0], argv);
        _exit(127);
    }
    usleep(900 * 1000);
    kill(pid, SIGINT);
    waitpid(pid, &status, 0);
    T_TRUE(WIFEXITED(status));
    T_EQ_INT(WEXITSTATUS(status), 3);
    {
        json_t *root = json_load_file(json, 0, NULL);
        T_TRUE(json_is_true(json_object_get(json_object_get(root, "run"), "incomplete")) ||
               json_is_true(json_object_get(root, "incomplete")));
        json_decref(root);
    }
    {
        char *state = NULL;
        char *cargv[] = {(char *)"/usr/bin/curl", (char *)"-s",
                         (char *)t_path("%s/__ref/state", r.url), NULL};
        usleep(500 * 1000); /* asynchronous deletions finish */
        T_EQ_INT(t_run(cargv, NULL, &state, NULL), 0);
        T_CONTAINS(state, "\"total\": 0}");
        free(state);
    }
    refproc_stop(&r);
}

/* The live resources the server counts for all accounts, IPs excepted (they
 * carry no name, so sweep never touches them). */
static long live_named_resources(const char *url)
{
    char *state = NULL;
    char *cargv[] = {(char *)"/usr/bin/curl", (char *)"-s", (char *)t_path("%s/__ref/state", url),
                     NULL};
    json_t *root, *acc, *kinds, *v;
    const char *name, *kind;
    long total = 0;

    t_run(cargv, NULL, &state, NULL);
    root = json_loads(state ? state : "", 0, NULL);
    json_object_foreach (json_object_get(root, "accounts"), name, acc) {
        kinds = acc;
        json_object_foreach (kinds, kind, v) {
            if (strcmp(kind, "ips") != 0)
                total += (long)json_integer_value(v);
        }
    }
    json_decref(root);
    free(state);
    return root ? total : -1;
}

static void test_e2e_sweep_after_kill(void)
{
    struct refproc r;
    char *out = NULL;
    int status = 0;
    pid_t pid;

    T_EQ_INT(refproc_start(&r, (const char *const[]){"--latency-ms", "150", NULL}), 0);
    pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        putenv((char *)"APICONFORM_APP_KEY=conformance-key");
        putenv((char *)"APICONFORM_APP_SECRET=conformance-secret");
        execl(t_path("%s/apiconform", t_build()), "apiconform", "run", "--base-url", r.url,
              "--suite", e2e_example(), "--allow", "destructive", "--jobs", "4", "--app-key-env",
              "APICONFORM_APP_KEY", "--app-secret-env", "APICONFORM_APP_SECRET", (char *)NULL);
        _exit(127);
    }
    usleep(700 * 1000);
    kill(pid, SIGKILL); /* no chance to clean up */
    waitpid(pid, &status, 0);
    usleep(400 * 1000);
    T_TRUE(live_named_resources(r.url) > 0);
    {
        const char *args[] = {"sweep",
                              "--base-url",
                              r.url,
                              "--app-key-env",
                              "APICONFORM_APP_KEY",
                              "--app-secret-env",
                              "APICONFORM_APP_SECRET",
                              NULL};
        T_EQ_INT(apiconform_run(args, &out, NULL), 0);
        T_CONTAINS(out, "deleted ");
        T_CONTAINS(out, " 0 failed\n");
        free(out);
    }
    usleep(400 * 1000); /* asynchronous deletions */
    T_EQ_INT(live_named_resources(r.url), 0);
    refproc_stop(&r);
}

/* ---- registration ---- */

int e2e_register_safety(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tests[] = {
        {"a slow answer fails response-time, a stalled upload does not",
         test_e2e_response_time_budget},
        {"--insecure is recorded in every report", test_e2e_insecure_in_every_report},
        {"preflight failures and usage errors", test_e2e_preflight_and_usage},
        {"two reports on one path are a usage error", test_e2e_reports_need_distinct_paths},
        {"dry run and list send nothing", test_e2e_dry_run_and_list},
        {"canary credentials never leak", test_e2e_canary_credentials_never_leak},
        {"short credentials are refused", test_e2e_short_credentials_refused},
        {"SIGINT: teardown runs, reports marked incomplete", test_e2e_interrupt_cleans_up},
        {"sweep deletes what a killed run left", test_e2e_sweep_after_kill},
    };
    CU_pSuite s = CU_add_suite("end to end: budgets, preflight, secrets, signals", NULL, NULL);
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn))
            return -1;
    return 0;
}
