/* tests/test_e2e.c -- the apiconform binary against the reference server
 * (a child process on an ephemeral loopback port), with the example suite
 * of tests/data/suite/example: every class and step feature, capabilities
 * and skips, each mutation caught by the check that exists for it and the
 * legal variations accepted, usage errors, outputs, the console, ERROR
 * lines, baselines, shards, merge and diff. Preflight, dry run, budgets,
 * secrets and interruption are in test_e2e_safety.c; the shared helpers in
 * e2efix.h. This file's test_register() adds both suites. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2efix.h"
#include "refproc.h"
#include "testutil.h"

static void test_e2e_example_suite_passes(void)
{
    struct refproc r;
    char *out = NULL, *err = NULL, *state = NULL;
    const char *junit = e2e_tmpfile_path("example-junit.xml");
    const char *extra[16];
    int i = 0;

    T_EQ_INT(refproc_start(&r, (const char *const[]){"--faults", NULL}), 0);
    while (e2e_all_caps[i]) {
        extra[i] = e2e_all_caps[i];
        i++;
    }
    extra[i++] = "--junit";
    extra[i++] = junit;
    extra[i] = NULL;
    T_EQ_INT(e2e_run_example(r.url, extra, &out, &err), 0);
    T_CONTAINS(out, "13 passed, 0 failed, 0 errors, 0 skipped\n");
    T_EQ_INT(t_junit_validate(junit, NULL), 0);
    /* Teardown left nothing behind. */
    {
        char *cargv[] = {(char *)"/usr/bin/curl", (char *)"-s",
                         (char *)t_path("%s/__ref/state", r.url), NULL};
        T_EQ_INT(t_run(cargv, NULL, &state, NULL), 0);
        T_CONTAINS(state, "\"total\": 0}");
    }
    free(out);
    free(err);
    free(state);
    refproc_stop(&r);
}

static void test_e2e_without_capabilities_skips(void)
{
    struct refproc r;
    char *out = NULL;

    T_EQ_INT(refproc_start(&r, NULL), 0);
    T_EQ_INT(e2e_run_example(r.url, (const char *const[]){"-v", NULL}, &out, NULL), 0);
    T_CONTAINS(out, "7 passed, 0 failed, 0 errors, 6 skipped\n");
    T_CONTAINS(out, "SKIP  5000005 secret-key-create-fault: requires fault injection on the server "
                    "(--allow fault)\n");
    T_CONTAINS(out, "SKIP  4090116 microservice-duplicate-name: requires creating and deleting "
                    "resources (--allow destructive)\n");
    free(out);
    refproc_stop(&r);
}

/* Issue 5: the shipped suite with no capability allowed runs every
 * stateless scenario (all pass) and skips the rest, each with a reason. */
static void test_e2e_shipped_suite_without_capabilities(void)
{
    struct refproc r;
    char *out = NULL, suite[1024];
    const char *json = e2e_tmpfile_path("shipped-stateless.json");
    json_t *root, *res;
    size_t i, skipped = 0, reasons = 0;

    snprintf(suite, sizeof suite, "%s/suite", t_root());
    T_EQ_INT(refproc_start(&r, NULL), 0);
    {
        const char *args[] = {"run",
                              "--base-url",
                              r.url,
                              "--suite",
                              suite,
                              "--app-key-env",
                              "APICONFORM_APP_KEY",
                              "--app-secret-env",
                              "APICONFORM_APP_SECRET",
                              "--json",
                              json,
                              NULL};
        T_EQ_INT(apiconform_run(args, &out, NULL), 0);
    }
    T_CONTAINS(out, " 0 failed, 0 errors, ");
    root = json_load_file(json, 0, NULL);
    json_array_foreach (json_object_get(root, "results"), i, res) {
        const char *v = json_string_value(json_object_get(res, "verdict"));
        const char *cls = json_string_value(json_object_get(res, "class"));
        const char *why = json_string_value(json_object_get(res, "summary"));
        if (v && strcmp(v, "skipped") == 0) {
            skipped++;
            reasons += why && strstr(why, "requires ") == why;
            T_TRUE(cls && strcmp(cls, "stateless") != 0);
        } else {
            T_EQ_STR(v, "passed");
            T_EQ_STR(cls, "stateless");
        }
    }
    T_TRUE(skipped > 0);
    T_EQ_INT(reasons, skipped);
    /* A mostly skipped run is a partial pass, in words and in every
     * report, never the full-pass one. */
    {
        json_t *sum = json_object_get(root, "summary");
        char line[160];
        T_EQ_STR(json_string_value(json_object_get(sum, "verdict")), "partial");
        snprintf(line, sizeof line, "Partial pass: %zu of %zu scenarios ran, ",
                 json_array_size(json_object_get(root, "results")) - skipped,
                 json_array_size(json_object_get(root, "results")));
        T_CONTAINS(out, line);
        T_CONTAINS(out, " of 159 codes verified (");
        T_TRUE(json_integer_value(json_object_get(sum, "codes_total")) == 159);
        T_TRUE(json_integer_value(json_object_get(sum, "codes_verified")) < 159);
    }
    json_decref(root);
    free(out);
    /* A certification run: anything skipped fails the gate. */
    {
        const char *md = e2e_tmpfile_path("shipped-stateless.md");
        char *text;
        const char *args[] = {"run",
                              "--base-url",
                              r.url,
                              "--suite",
                              suite,
                              "--app-key-env",
                              "APICONFORM_APP_KEY",
                              "--app-secret-env",
                              "APICONFORM_APP_SECRET",
                              "--fail-on-skip",
                              "--markdown",
                              md,
                              NULL};
        T_EQ_INT(apiconform_run(args, &out, NULL), 3);
        T_CONTAINS(out, "Not judged: ");
        T_CONTAINS(out, "skipped under --fail-on-skip");
        text = t_read_file(md, NULL);
        T_CONTAINS(text, "not judged");
        T_NOT_CONTAINS(text, "passed\n");
        free(text);
        free(out);
    }
    refproc_stop(&r);
}

struct mutation_case {
    const char *mutation;
    const char *code; /* the example scenario it is tried on */
    int status;
    const char *failed; /* checks that must fail, in report order */
    const char *said;   /* NULL, or what the console line must say */
    int no_triple;      /* 1: the line must not show the status/code/message
                           triple (none of those failed) */
};

static void test_e2e_each_mutation_is_caught(void)
{
    static const struct mutation_case cases[] = {
        {"status-mismatch", "4150001", 1, "status,consistency,", NULL, 0},
        {"ok-status", "4150001", 1, "status,consistency,", NULL, 0},
        {"code-string", "4150001", 1, "body,", NULL, 0},
        /* 415 has no other code, so the swapped one has another status too */
        {"code-swap", "4150001", 1, "code,consistency,", NULL, 0},
        {"code-swap", "4040402", 1, "code,", NULL, 0},
        {"message-drop-period", "4150001", 1, "message,", NULL, 0},
        {"message-add-period", "4040402", 1, "message,", NULL, 0},
        {"message-case", "4150001", 1, "message,", NULL, 0},
        {"message-trailing-space", "4150001", 1, "message,", NULL, 0},
        {"no-request-id", "4150001", 1, "request-id,",
         "request-id: expected a Request-Id header holding a UUID, got no Request-Id header\n", 1},
        {"bad-request-id", "4150001", 1, "request-id,", "request-id: expected a Request-Id", 1},
        {"content-type-html", "4150001", 1, "content-type,",
         "content-type: expected application/json, got \"text/html", 1},
        {"html-page", "4150001", 1, "body,content-type,",
         "; content-type: expected application/json, got ", 0},
        {"empty-body", "4150001", 1, "body,", NULL, 0},
        {"unknown-code", "4150001", 1, "code,known,", "; known: expected a code of the catalog", 0},
        {"extra-fields", "4150001", 0, "", NULL, 0},
        {"header-case", "4150001", 0, "", NULL, 0},
        {"charset", "4150001", 0, "", NULL, 0},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct refproc r;
        char got[200], label[200];
        const char *json = e2e_tmpfile_path("mutation.json");
        char *out = NULL;
        int rc;

        if (refproc_start(&r, (const char *const[]){"--mutate", cases[i].mutation, NULL}) < 0) {
            T_TRUE(!"reference server started");
            continue;
        }
        rc = e2e_run_example(r.url,
                             (const char *const[]){"--code", cases[i].code, "--json", json, NULL},
                             &out, NULL);
        snprintf(label, sizeof label, "exit status with --mutate %s", cases[i].mutation);
        t_eq_int(rc, cases[i].status, label, __LINE__, __FILE__);
        e2e_failed_checks(json, got, sizeof got);
        snprintf(label, sizeof label, "failed checks with --mutate %s", cases[i].mutation);
        t_eq_str(got, cases[i].failed, label, __LINE__, __FILE__);
        /* The console line names every failed check. */
        if (cases[i].said) {
            snprintf(label, sizeof label, "the line for --mutate %s", cases[i].mutation);
            t_contains(out, cases[i].said, label, __LINE__, __FILE__);
            if (cases[i].no_triple)
                t_not_contains(out, ": expected 415/", label, __LINE__, __FILE__);
        }
        free(out);
        refproc_stop(&r);
    }
}

/* A filter that matches nothing is a usage error (exit 2) naming the filter
 * and the nearest existing values, and nothing is sent: "0 passed" with
 * exit 0 would turn a CI gate green on a typo. Nothing listens at the base
 * URL, so any request would be a connection error, exit 3. */
static void test_e2e_nothing_planned(void)
{
    static const struct {
        const char *flag, *value, *said;
    } rows[] = {
        {"--tag", "validaton",
         "apiconform: nothing planned: --tag validaton matches no scenario (nearest: "},
        {"--code", "4000000", "apiconform: nothing planned: --code 4000000 matches no scenario"},
        {"--service", "77", "apiconform: nothing planned: --service 77 matches no scenario\n"},
    };
    const char *shipped = t_path("%s/suite", t_root());
    char empty[512], *err = NULL;
    size_t i;

    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *args[] = {"run",   "--base-url", "http://127.0.0.1:9", "--suite",
                              shipped, rows[i].flag, rows[i].value,        NULL};
        T_EQ_INT(apiconform_run(args, NULL, &err), 2);
        T_CONTAINS(err, rows[i].said);
        free(err);
    }
    {
        const char *args[] = {"run",   "--base-url", "http://127.0.0.1:9", "--suite",
                              shipped, "--tag",      "validaton",          NULL};
        T_EQ_INT(apiconform_run(args, NULL, &err), 2);
        T_CONTAINS(err, "(nearest: validation)");
        free(err);
    }
    {
        const char *args[] = {"run",    "--base-url", "http://127.0.0.1:9", "--suite", shipped,
                              "--code", "4000001",    "--service",          "4",       NULL};
        T_EQ_INT(apiconform_run(args, NULL, &err), 2);
        T_CONTAINS(err, "no scenario matches all of the filters given together");
        free(err);
    }
    snprintf(empty, sizeof empty, "%s/e2e-empty-suite", t_build());
    mkdir(empty, 0755);
    {
        const char *args[] = {"run", "--base-url", "http://127.0.0.1:9", "--suite", empty, NULL};
        T_EQ_INT(apiconform_run(args, NULL, &err), 2);
        T_CONTAINS(err, "holds no scenario");
        free(err);
    }
}

/* Output paths are checked before anything is sent, and a report goes
 * where it is pointed: "--json -" is pure JSON on stdout (the console lines
 * move to stderr), /dev/stdout is written into, not replaced. */
static void test_e2e_outputs(void)
{
    struct refproc r;
    char *out = NULL, *err = NULL, url[64];
    json_error_t je;
    json_t *root;

    /* Nothing listens: had anything been sent, the exit would be 3. */
    T_EQ_INT(refproc_start(&r, NULL), 0);
    snprintf(url, sizeof url, "%s", r.url);
    refproc_stop(&r);
    T_EQ_INT(e2e_run_example(url, (const char *const[]){"--junit", "missing-dir/j.xml", NULL}, &out,
                             &err),
             2);
    T_CONTAINS(err, "--junit: cannot write 'missing-dir/j.xml': directory 'missing-dir' does "
                    "not exist");
    T_NOT_CONTAINS(err, "connection refused");
    free(out);
    free(err);
    {
        const char *args[] = {"catalog",
                              "import",
                              t_path("%s/catalog/nce-errors.md", t_root()),
                              "-o",
                              "missing-dir/x.json",
                              NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 2);
        T_CONTAINS(err, "cannot write 'missing-dir/x.json'");
        T_EQ_STR(out, "");
        free(out);
        free(err);
    }

    T_EQ_INT(refproc_start(&r, NULL), 0);
    T_EQ_INT(e2e_run_example(r.url, (const char *const[]){"--json", "-", NULL}, &out, &err), 0);
    root = json_loads(out ? out : "", 0, &je);
    T_TRUE(root != NULL);
    T_EQ_STR(json_string_value(json_object_get(root, "schema")), "apiconform-results/1");
    json_decref(root);
    T_NOT_CONTAINS(out, " passed, ");
    T_CONTAINS(err, " passed, 0 failed, 0 errors, ");
    free(out);
    free(err);
    T_EQ_INT(e2e_run_example(r.url, (const char *const[]){"--markdown", "/dev/stdout", NULL}, &out,
                             NULL),
             0);
    T_CONTAINS(out, "## apiconform: ");
    free(out);
    refproc_stop(&r);
}

/* What the console shows: -v lines carry the scenario id and the headers
 * and no CUnit internals; a long run says how it is going; -q prints less
 * than the default; the tally counts known failures. */
static void test_e2e_console(void)
{
    struct refproc r;
    char *out = NULL, *err = NULL, *qout = NULL;
    char *env_argv[16];
    const char *known = e2e_tmpfile_path("console-known.json");
    static const char baseline[] =
        "{\"known_failures\": [{\"code\": 4150001, \"scenario\": \"secret-key-text-body\", "
        "\"reason\": \"tracked upstream\"}]}";

    T_EQ_INT(refproc_start(&r, (const char *const[]){"--latency-ms", "400", NULL}), 0);
    T_EQ_INT(
        e2e_run_example(r.url, (const char *const[]){"-v", "--code", "4150001", NULL}, &out, &err),
        0);
    T_CONTAINS(err, "[secret-key-text-body] > probe (");
    T_CONTAINS(err, "[secret-key-text-body] < header: Request-Id: ");
    T_NOT_CONTAINS(err, "CUnit:");
    free(out);
    free(err);
    /* Not a terminal: a progress line while the answer takes its time. */
    {
        int i = 0;
        env_argv[i++] = (char *)"/usr/bin/env";
        env_argv[i++] = (char *)"APICONFORM_PROGRESS_MS=100";
        env_argv[i++] = (char *)"APICONFORM_APP_KEY=conformance-key";
        env_argv[i++] = (char *)"APICONFORM_APP_SECRET=conformance-secret";
        env_argv[i++] = (char *)t_path("%s/apiconform", t_build());
        env_argv[i++] = (char *)"run";
        env_argv[i++] = (char *)"--base-url";
        env_argv[i++] = r.url;
        env_argv[i++] = (char *)"--suite";
        env_argv[i++] = (char *)e2e_example();
        env_argv[i++] = (char *)"--code";
        env_argv[i++] = (char *)"4150001";
        env_argv[i] = NULL;
        T_EQ_INT(t_run(env_argv, NULL, NULL, &err), 0);
        T_CONTAINS(err, "progress: 0 of 1 done, 1 in flight, slowest secret-key-text-body (");
        free(err);
    }
    refproc_stop(&r);
    T_EQ_INT(refproc_start(&r, (const char *const[]){"--mutate", "message-drop-period", NULL}), 0);
    {
        const char *path = t_write_temp("console-baseline.json", baseline, sizeof baseline - 1);
        T_EQ_INT(e2e_run_example(r.url,
                                 (const char *const[]){"--code", "4150001", "--baseline", path,
                                                       "--json", known, NULL},
                                 &out, NULL),
                 0);
        T_CONTAINS(out, "KNOWN 4150001 secret-key-text-body: ");
        T_CONTAINS(out, "0 passed, 0 failed, 1 known, 0 errors, 0 skipped\n");
        T_EQ_INT(e2e_run_example(
                     r.url,
                     (const char *const[]){"--code", "4150001", "--baseline", path, "-q", NULL},
                     &qout, NULL),
                 0);
        T_NOT_CONTAINS(qout, "KNOWN ");
        T_NOT_CONTAINS(qout, "Partial pass");
        T_CONTAINS(qout, "0 passed, 0 failed, 1 known, 0 errors, 0 skipped\n");
        T_TRUE(qout && out && strlen(qout) < strlen(out));
        free(out);
        free(qout);
    }
    refproc_stop(&r);
}

/* baseline create writes a baseline of a run's failures, which then turns
 * them into known failures once their reasons are written; an entry naming
 * no scenario of the suite is an error before anything is sent. */
static void test_e2e_baseline_create(void)
{
    struct refproc r;
    const char *json = e2e_tmpfile_path("bl-run.json"), *known = e2e_tmpfile_path("bl-known.json");
    char *out = NULL, *err = NULL, *text;
    static const char stale[] =
        "{\"known_failures\": [{\"code\": 4150001, \"scenario\": \"no-such-scenario\", "
        "\"reason\": \"old\"}]}";

    T_EQ_INT(refproc_start(&r, (const char *const[]){"--mutate", "message-drop-period", NULL}), 0);
    T_EQ_INT(e2e_run_example(r.url,
                             (const char *const[]){"--code", "4150001", "--json", json, NULL}, NULL,
                             NULL),
             1);
    {
        const char *args[] = {"baseline", "create", json, "-o", known, NULL};
        T_EQ_INT(apiconform_run(args, NULL, &err), 0);
        T_CONTAINS(err, "1 known failure written to");
        free(err);
    }
    text = t_read_file(known, NULL);
    T_CONTAINS(text, "\"scenario\": \"secret-key-text-body\"");
    T_CONTAINS(text, "\"reason\": \"TODO: ");
    free(text);
    /* The placeholder reason is a reason: the baseline applies as written. */
    T_EQ_INT(e2e_run_example(r.url,
                             (const char *const[]){"--code", "4150001", "--baseline", known, NULL},
                             &out, NULL),
             0);
    T_CONTAINS(out, "1 known");
    free(out);
    {
        const char *path = t_write_temp("bl-stale.json", stale, sizeof stale - 1);
        T_EQ_INT(e2e_run_example(
                     r.url, (const char *const[]){"--code", "4150001", "--baseline", path, NULL},
                     &out, &err),
                 2);
        T_CONTAINS(err, "bl-stale.json: known_failures[0]: no scenario 4150001 'no-such-scenario' "
                        "in the suite");
        T_NOT_CONTAINS(out, "passed");
        free(out);
        free(err);
    }
    {
        const char *args[] = {"baseline", "create", json, "-o", "missing-dir/k.json", NULL};
        T_EQ_INT(apiconform_run(args, NULL, &err), 2);
        free(err);
    }
    refproc_stop(&r);
}

/* An ERROR line says what the target answered (its code and message) and
 * names the step with its variables expanded, not "${uniq}". */
static void test_e2e_error_lines_say_the_answer(void)
{
    struct refproc r;
    char *out = NULL;

    T_EQ_INT(refproc_start(&r, (const char *const[]){"--quota", "loadbalancers=0", NULL}), 0);
    {
        const char *args[] = {
            "run",     "--base-url",  r.url,    "--suite", t_path("%s/suite", t_root()),
            "--allow", "destructive", "--code", "4000451", NULL};
        T_EQ_INT(apiconform_run(args, &out, NULL), 3);
    }
    T_CONTAINS(out, "answered 400/4000469 \"Loadbalancer quota insufficient\", expected 2xx");
    T_CONTAINS(out, "(create load balancer cf-lb-r");
    T_NOT_CONTAINS(out, "${");
    free(out);
    /* https against a plain-http server: no certificate was judged, so the
     * hint is about the scheme, not about --cacert. */
    {
        char url[80], *err = NULL;
        snprintf(url, sizeof url, "https://%s", r.url + strlen("http://"));
        T_EQ_INT(e2e_run_example(url, NULL, NULL, &err), 3);
        T_CONTAINS(err, "the handshake failed");
        T_CONTAINS(err, "For a plain-http server use an http:// base URL");
        T_NOT_CONTAINS(err, "--cacert");
        free(err);
    }
    refproc_stop(&r);
}

/* A config-less first run: with no credential option, APICONFORM_APP_KEY
 * and APICONFORM_APP_SECRET (or APICONFORM_TOKEN) are used; with none of
 * them set, the message names them. */
static void test_e2e_default_credentials(void)
{
    struct refproc r;
    char *out = NULL, *err = NULL;
    char *argv[] = {(char *)t_path("%s/apiconform", t_build()),
                    (char *)"run",
                    (char *)"--base-url",
                    (char *)"http://127.0.0.1:9",
                    (char *)"--suite",
                    (char *)e2e_example(),
                    NULL};

    T_EQ_INT(refproc_start(&r, NULL), 0);
    {
        const char *args[] = {"run",         "--base-url", r.url,     "--suite",
                              e2e_example(), "--code",     "4150001", NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 0);
        T_CONTAINS(out, " passed, 0 failed, 0 errors, ");
        free(out);
        free(err);
    }
    refproc_stop(&r);
    /* t_run adds nothing to this process's environment, where none of the
     * default variables is set. */
    T_TRUE(!getenv("APICONFORM_APP_KEY") && !getenv("APICONFORM_TOKEN"));
    T_EQ_INT(t_run(argv, NULL, NULL, &err), 2);
    T_CONTAINS(err, "run: no credentials: set APICONFORM_APP_KEY and APICONFORM_APP_SECRET (or "
                    "APICONFORM_TOKEN)");
    free(err);
}

/* Usage errors say what is wrong: a missing value is not an unknown
 * option, a typo gets the nearest option, contradictions are refused, and
 * report, merge and diff each have their own help. */
static void test_e2e_usage_messages(void)
{
    static const struct {
        const char *args[6];
        const char *said;
    } rows[] = {
        {{"run", "--base-url", NULL}, "apiconform: run: --base-url needs a value (URL)\n"},
        {{"run", "--bse-url", "http://x", NULL},
         "apiconform: run: unknown option '--bse-url' (did you mean --base-url?)\n"},
        {{"run", "--insecure=yes", NULL}, "apiconform: run: --insecure takes no value\n"},
        {{"run", "--frobnicate", NULL}, "apiconform: run: unknown option '--frobnicate'\n"},
        {{"run", "-vq", "--list", NULL},
         "apiconform: run: -v (--verbose) and -q (--quiet) contradict each other\n"},
        {{"run", "--list", "--dry-run", NULL}, "apiconform: run: --list and --dry-run: give one"},
        {{"report", "--from", NULL}, "apiconform: report: --from needs a value (FILE)\n"},
        {{"diff", "-o", "x", "a", "b", NULL}, "apiconform: diff: unknown option '-o'\n"},
        {{"merge", "--outptu", "x", NULL},
         "apiconform: merge: unknown option '--outptu' (did you mean --output?)\n"},
        {{"sweep", "--run-di", "r1", NULL},
         "apiconform: sweep: unknown option '--run-di' (did you mean --run-id?)\n"},
        {{"coverage", "--suiet", NULL},
         "apiconform: coverage: unknown option '--suiet' (did you mean --suite?)\n"},
    };
    size_t i;
    char *out = NULL, *err = NULL;

    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        T_EQ_INT(apiconform_run(rows[i].args, NULL, &err), 2);
        T_CONTAINS(err, rows[i].said);
        free(err);
    }
    {
        const char *args[] = {"merge", "--help", NULL};
        T_EQ_INT(apiconform_run(args, &out, NULL), 0);
        T_CONTAINS(out, "Usage: apiconform merge ");
        T_NOT_CONTAINS(out, "--from");
        free(out);
    }
    {
        const char *args[] = {"diff", "--help", NULL};
        T_EQ_INT(apiconform_run(args, &out, NULL), 0);
        T_CONTAINS(out, "Usage: apiconform diff old.json new.json");
        T_NOT_CONTAINS(out, "--output");
        free(out);
    }
}

static void test_e2e_shards_merge_diff_baseline(void)
{
    struct refproc good, bad;
    const char *s1 = e2e_tmpfile_path("shard1.json"), *s2 = e2e_tmpfile_path("shard2.json");
    const char *all = e2e_tmpfile_path("merged.json"), *broken = e2e_tmpfile_path("broken.json");
    const char *bl = e2e_tmpfile_path("baseline.json");
    char *out = NULL;
    FILE *f;

    T_EQ_INT(refproc_start(&good, NULL), 0);
    T_EQ_INT(e2e_run_example(good.url, (const char *const[]){"--shard", "1/2", "--json", s1, NULL},
                             NULL, NULL),
             0);
    T_EQ_INT(e2e_run_example(good.url, (const char *const[]){"--shard", "2/2", "--json", s2, NULL},
                             NULL, NULL),
             0);
    {
        const char *args[] = {"merge", s1, s2, "-o", all, NULL};
        json_t *root;
        T_EQ_INT(apiconform_run(args, NULL, NULL), 0);
        root = json_load_file(all, 0, NULL);
        T_EQ_INT(json_array_size(json_object_get(root, "results")), 13);
        json_decref(root);
    }
    refproc_stop(&good);
    T_EQ_INT(refproc_start(&bad, (const char *const[]){"--mutate", "code-swap:4150001", NULL}), 0);
    T_EQ_INT(e2e_run_example(bad.url, (const char *const[]){"--json", broken, NULL}, &out, NULL),
             1);
    T_CONTAINS(out, "FAIL  4150001 secret-key-text-body: expected 415/4150001 \"Unsupported media "
                    "type.\", got 415/");
    free(out);
    {
        const char *args[] = {"diff", all, broken, NULL};
        T_EQ_INT(apiconform_run(args, &out, NULL), 1);
        T_CONTAINS(out, "4150001 secret-key-text-body");
        free(out);
    }
    f = fopen(bl, "w");
    fputs("{\"known_failures\": [{\"code\": 4150001, \"scenario\": \"secret-key-text-body\", "
          "\"reason\": \"staging ticket 42\"}]}",
          f);
    fclose(f);
    T_EQ_INT(e2e_run_example(bad.url, (const char *const[]){"--baseline", bl, NULL}, &out, NULL),
             0);
    T_CONTAINS(out, "KNOWN 4150001 secret-key-text-body");
    free(out);
    refproc_stop(&bad);
}
/* ---- registration ---- */

int test_register(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tests[] = {
        {"the example suite passes and cleans up", test_e2e_example_suite_passes},
        {"without capabilities only stateless scenarios run", test_e2e_without_capabilities_skips},
        {"the shipped suite without capabilities: stateless pass, rest skipped",
         test_e2e_shipped_suite_without_capabilities},
        {"each mutation fails its check; legal variations pass", test_e2e_each_mutation_is_caught},
        {"a filter that matches nothing is exit 2", test_e2e_nothing_planned},
        {"usage errors say what is wrong", test_e2e_usage_messages},
        {"default credential variables", test_e2e_default_credentials},
        {"the console: -v, progress, -q, known failures", test_e2e_console},
        {"baseline create, and stale entries", test_e2e_baseline_create},
        {"ERROR lines say what the target answered", test_e2e_error_lines_say_the_answer},
        {"outputs: checked first, written where pointed", test_e2e_outputs},
        {"shards, merge, diff and baseline", test_e2e_shards_merge_diff_baseline},
    };
    CU_pSuite s = CU_add_suite("end to end: runs, verdicts, reports", NULL, NULL);
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (!CU_add_test(s, tests[i].name, tests[i].fn))
            return -1;
    if (e2e_register_safety() < 0)
        return -1;
    return 0;
}
