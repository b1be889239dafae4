/* tests/test_e2e.c -- the apiconform binary against the reference server
 * (a child process on an ephemeral loopback port), with the example suite
 * of tests/data/suite/example: every class and step feature, the exit
 * statuses, each mutation caught by the check that exists for it, the
 * legal variations accepted, preflight, dry run, secrets, interruption,
 * shards, merge, diff and baseline. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "refproc.h"
#include "testutil.h"

static const char *example(void)
{
    return t_path("%s/tests/data/suite/example", t_root());
}

/* A path under build/e2e/. Its own buffers: t_path's rotate, and an output
 * path that later pointed elsewhere would overwrite whatever it then named. */
static const char *tmpfile_path(const char *name)
{
    static char dir[256], paths[32][512];
    static int next;
    char *p = paths[next++ % 32];

    if (!dir[0]) {
        snprintf(dir, sizeof dir, "%s/e2e", t_build());
        mkdir(dir, 0755);
    }
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
}

/* apiconform run against url with the example suite, all capabilities and
 * the reference accounts, plus extra args (NULL-ended). */
static int run_example(const char *url, const char *const *extra, char **out, char **err)
{
    const char *args[64] = {"run", "--base-url", url, "--suite", example(),
                            "--app-key-env", "APICONFORM_APP_KEY", "--app-secret-env",
                            "APICONFORM_APP_SECRET", NULL};
    int n = 9, i;

    for (i = 0; extra && extra[i] && n < 62; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    return apiconform_run(args, out, err);
}

static const char *const all_caps[] = {"--allow", "all", "--account", "broke:BROKE_KEY:BROKE_SECRET",
                                       "--account", "other:OTHER_KEY:OTHER_SECRET", NULL};

static void test_e2e_example_suite_passes(void)
{
    struct refproc r;
    char *out = NULL, *err = NULL, *state = NULL;
    const char *junit = tmpfile_path("example-junit.xml");
    const char *extra[16];
    int i = 0;

    T_EQ_INT(refproc_start(&r, (const char *const[]){"--faults", NULL}), 0);
    while (all_caps[i]) {
        extra[i] = all_caps[i];
        i++;
    }
    extra[i++] = "--junit";
    extra[i++] = junit;
    extra[i] = NULL;
    T_EQ_INT(run_example(r.url, extra, &out, &err), 0);
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
    T_EQ_INT(run_example(r.url, (const char *const[]){"-v", NULL}, &out, NULL), 0);
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
    const char *json = tmpfile_path("shipped-stateless.json");
    json_t *root, *res;
    size_t i, skipped = 0, reasons = 0;

    snprintf(suite, sizeof suite, "%s/suite", t_root());
    T_EQ_INT(refproc_start(&r, NULL), 0);
    {
        const char *args[] = {"run", "--base-url", r.url, "--suite", suite, "--app-key-env",
                              "APICONFORM_APP_KEY", "--app-secret-env", "APICONFORM_APP_SECRET",
                              "--json", json, NULL};
        T_EQ_INT(apiconform_run(args, &out, NULL), 0);
    }
    T_CONTAINS(out, " 0 failed, 0 errors, ");
    root = json_load_file(json, 0, NULL);
    json_array_foreach(json_object_get(root, "results"), i, res)
    {
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
        const char *md = tmpfile_path("shipped-stateless.md");
        char *text;
        const char *args[] = {"run", "--base-url", r.url, "--suite", suite, "--app-key-env",
                              "APICONFORM_APP_KEY", "--app-secret-env", "APICONFORM_APP_SECRET",
                              "--fail-on-skip", "--markdown", md, NULL};
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

/* The failed checks of the one result of a --json file: "a,b,". */
static void failed_checks(const char *json_path, char *out, size_t size)
{
    json_t *root = json_load_file(json_path, 0, NULL), *f;
    size_t i;

    out[0] = '\0';
    json_array_foreach(json_object_get(json_array_get(json_object_get(root, "results"), 0),
                                       "failures"),
                       i, f)
    {
        snprintf(out + strlen(out), size - strlen(out), "%s,",
                 json_string_value(json_object_get(f, "check")));
    }
    json_decref(root);
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
        const char *json = tmpfile_path("mutation.json");
        char *out = NULL;
        int rc;

        if (refproc_start(&r, (const char *const[]){"--mutate", cases[i].mutation, NULL}) < 0) {
            T_TRUE(!"reference server started");
            continue;
        }
        rc = run_example(r.url, (const char *const[]){"--code", cases[i].code, "--json", json, NULL},
                         &out, NULL);
        snprintf(label, sizeof label, "exit status with --mutate %s", cases[i].mutation);
        t_eq_int(rc, cases[i].status, label, __LINE__, __FILE__);
        failed_checks(json, got, sizeof got);
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
        const char *args[] = {"run",      "--base-url", "http://127.0.0.1:9", "--suite", shipped,
                              rows[i].flag, rows[i].value, NULL};
        T_EQ_INT(apiconform_run(args, NULL, &err), 2);
        T_CONTAINS(err, rows[i].said);
        free(err);
    }
    {
        const char *args[] = {"run", "--base-url", "http://127.0.0.1:9", "--suite", shipped,
                              "--tag", "validaton", NULL};
        T_EQ_INT(apiconform_run(args, NULL, &err), 2);
        T_CONTAINS(err, "(nearest: validation)");
        free(err);
    }
    {
        const char *args[] = {"run", "--base-url", "http://127.0.0.1:9", "--suite", shipped,
                              "--code", "4000001", "--service", "4", NULL};
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
    T_EQ_INT(run_example(url, (const char *const[]){"--junit", "missing-dir/j.xml", NULL}, &out,
                         &err),
             2);
    T_CONTAINS(err, "--junit: cannot write 'missing-dir/j.xml': directory 'missing-dir' does "
                    "not exist");
    T_NOT_CONTAINS(err, "connection refused");
    free(out);
    free(err);
    {
        const char *args[] = {"catalog", "import", t_path("%s/catalog/nce-errors.md", t_root()),
                              "-o", "missing-dir/x.json", NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 2);
        T_CONTAINS(err, "cannot write 'missing-dir/x.json'");
        T_EQ_STR(out, "");
        free(out);
        free(err);
    }

    T_EQ_INT(refproc_start(&r, NULL), 0);
    T_EQ_INT(run_example(r.url, (const char *const[]){"--json", "-", NULL}, &out, &err), 0);
    root = json_loads(out ? out : "", 0, &je);
    T_TRUE(root != NULL);
    T_EQ_STR(json_string_value(json_object_get(root, "schema")), "apiconform-results/1");
    json_decref(root);
    T_NOT_CONTAINS(out, " passed, ");
    T_CONTAINS(err, " passed, 0 failed, 0 errors, ");
    free(out);
    free(err);
    T_EQ_INT(run_example(r.url, (const char *const[]){"--markdown", "/dev/stdout", NULL}, &out,
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
    const char *known = tmpfile_path("console-known.json");
    static const char baseline[] =
        "{\"known_failures\": [{\"code\": 4150001, \"scenario\": \"secret-key-text-body\", "
        "\"reason\": \"tracked upstream\"}]}";

    T_EQ_INT(refproc_start(&r, (const char *const[]){"--latency-ms", "400", NULL}), 0);
    T_EQ_INT(run_example(r.url, (const char *const[]){"-v", "--code", "4150001", NULL}, &out, &err),
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
        env_argv[i++] = (char *)example();
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
        T_EQ_INT(run_example(r.url, (const char *const[]){"--code", "4150001", "--baseline", path,
                                                           "--json", known, NULL},
                             &out, NULL),
                 0);
        T_CONTAINS(out, "KNOWN 4150001 secret-key-text-body: ");
        T_CONTAINS(out, "0 passed, 0 failed, 1 known, 0 errors, 0 skipped\n");
        T_EQ_INT(run_example(r.url, (const char *const[]){"--code", "4150001", "--baseline", path,
                                                           "-q", NULL},
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
    const char *json = tmpfile_path("bl-run.json"), *known = tmpfile_path("bl-known.json");
    char *out = NULL, *err = NULL, *text;
    static const char stale[] =
        "{\"known_failures\": [{\"code\": 4150001, \"scenario\": \"no-such-scenario\", "
        "\"reason\": \"old\"}]}";

    T_EQ_INT(refproc_start(&r, (const char *const[]){"--mutate", "message-drop-period", NULL}), 0);
    T_EQ_INT(run_example(r.url, (const char *const[]){"--code", "4150001", "--json", json, NULL},
                         NULL, NULL),
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
    T_EQ_INT(run_example(r.url, (const char *const[]){"--code", "4150001", "--baseline", known, NULL},
                         &out, NULL),
             0);
    T_CONTAINS(out, "1 known");
    free(out);
    {
        const char *path = t_write_temp("bl-stale.json", stale, sizeof stale - 1);
        T_EQ_INT(run_example(r.url, (const char *const[]){"--code", "4150001", "--baseline", path,
                                                           NULL},
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
        const char *args[] = {"run", "--base-url", r.url, "--suite", t_path("%s/suite", t_root()),
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
        T_EQ_INT(run_example(url, NULL, NULL, &err), 3);
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
    char *argv[] = {(char *)t_path("%s/apiconform", t_build()), (char *)"run", (char *)"--base-url",
                    (char *)"http://127.0.0.1:9", (char *)"--suite", (char *)example(), NULL};

    T_EQ_INT(refproc_start(&r, NULL), 0);
    {
        const char *args[] = {"run", "--base-url", r.url, "--suite", example(), "--code",
                              "4150001", NULL};
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

/* Issue 13: a target that answers correctly but slowly passed. With
 * --max-response-ms the slow answer fails response-time and nothing else;
 * --skip-check response-time and no budget let it pass; a stalled upload,
 * answered when the server's read timeout expires, is not held to the
 * budget. The bounds are one-sided: slow-answers waits 300 ms at least, the
 * read timeout 2.5 s at least; a conforming loopback answer gets 2 s. */
static void test_e2e_response_time_budget(void)
{
    struct refproc r;
    const char *json = tmpfile_path("response-time.json");
    char got[200];

    T_EQ_INT(refproc_start(&r, (const char *const[]){"--mutate", "slow-answers", NULL}), 0);
    T_EQ_INT(run_example(r.url,
                         (const char *const[]){"--code", "4150001", "--max-response-ms", "100",
                                               "--json", json, NULL},
                         NULL, NULL),
             1);
    failed_checks(json, got, sizeof got);
    T_EQ_STR(got, "response-time,");
    T_EQ_INT(run_example(r.url,
                         (const char *const[]){"--code", "4150001", "--max-response-ms", "100",
                                               "--skip-check", "response-time", NULL},
                         NULL, NULL),
             0);
    T_EQ_INT(run_example(r.url, (const char *const[]){"--code", "4150001", NULL}, NULL, NULL), 0);
    refproc_stop(&r);
    T_EQ_INT(refproc_start(&r, (const char *const[]){"--read-timeout-ms", "2500", NULL}), 0);
    T_EQ_INT(run_example(r.url,
                         (const char *const[]){"--code", "4080001", "--code", "4150001",
                                               "--max-response-ms", "2000", "--json", json, NULL},
                         NULL, NULL),
             0);
    failed_checks(json, got, sizeof got);
    T_EQ_STR(got, "");
    refproc_stop(&r);
    {
        char *err = NULL;
        const char *args[] = {"run", "--base-url", "http://127.0.0.1:9", "--max-response-ms", "-1",
                              NULL};
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
    const char *junit = tmpfile_path("insecure-junit.xml"), *html = tmpfile_path("insecure.html");
    const char *md = tmpfile_path("insecure.md"), *json = tmpfile_path("insecure.json");
    char *err = NULL, *text;

    T_EQ_INT(refproc_start(&r, NULL), 0);
    T_EQ_INT(run_example(r.url,
                         (const char *const[]){"--code", "4150001", "--insecure", "--junit", junit,
                                               "--html", html, "--markdown", md, "--json", json,
                                               NULL},
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
    T_EQ_INT(run_example(r.url, (const char *const[]){"--code", "4150001", "--junit", junit, NULL},
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
    T_EQ_INT(run_example(url, NULL, &out, &err), 3);
    T_CONTAINS(err, "apiconform: POST /api/v1/token: connection refused");
    T_NOT_CONTAINS(out, "passed");
    free(out);
    free(err);
    T_EQ_INT(refproc_start(&r, (const char *const[]){"--app-secret", "something-else", NULL}), 0);
    T_EQ_INT(run_example(r.url, NULL, &out, &err), 3);
    T_EQ_STR(err, "apiconform: cannot obtain a token for account 'main': POST /api/v1/token "
                  "answered 404/4040001 \"No such user.\"\n");
    free(out);
    free(err);
    T_EQ_INT(run_example(r.url, (const char *const[]){"--allow", "everything", NULL}, NULL, &err),
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
            const char *args[] = {"run", "--suite", example(), "--list", "--tag", tags, NULL};
            T_EQ_INT(apiconform_run(args, NULL, &err), 2);
            T_CONTAINS(err, "too many --tag values");
            free(err);
        }
    }
    {
        const char *args[] = {"run", "--suite", example(), NULL};
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

    snprintf(dir, sizeof dir, "%s", tmpfile_path("paths"));
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
            const char *args[] = {"run", "--base-url", "http://127.0.0.1:9", "--suite", example(),
                                  cases[i].opt1, cases[i].path1, cases[i].opt2, cases[i].path2,
                                  NULL};
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
        const char *args[] = {"run", "--base-url", "http://127.0.0.1:9", "--suite", example(),
                              "--junit", same, "--html", other, NULL};
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
    const char *args[] = {"run", "--base-url", "http://127.0.0.1:1", "--suite", example(),
                          "--dry-run", "--allow", "all", "--code", "4090483", NULL};
    const char *list[] = {"run", "--list", "--suite", example(), NULL};

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
        const char *one[] = {"run", "--suite", example(), "--list", "--code", "4150001", NULL};
        const char *js[] = {"run", "--suite", example(), "--list", "--format", "json", NULL};
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
        char *argv[] = {(char *)t_path("%s/apiconform", t_build()), (char *)"run",
                        (char *)"--base-url", r.url, (char *)"--suite", (char *)example(),
                        (char *)"--app-key-env", (char *)"CANARY_KEY", (char *)"--app-secret-env",
                        (char *)"CANARY_SECRET", (char *)"--allow", (char *)"fault,destructive",
                        (char *)"-v", (char *)"--junit", (char *)tmpfile_path(files[0]),
                        (char *)"--html", (char *)tmpfile_path(files[1]), (char *)"--markdown",
                        (char *)tmpfile_path(files[2]), (char *)"--json",
                        (char *)tmpfile_path(files[3]), NULL};
        int rc = t_run(argv, argv_env, &out, &err);
        T_TRUE(rc == 0 || rc == 1);
    }
    /* The probe of 4000002-style scenarios sends the key; -v prints every
     * exchange: still no credential in any output. */
    /* sweep's output too (it obtains its own token with the pair) */
    {
        char *argv[] = {(char *)t_path("%s/apiconform", t_build()), (char *)"sweep",
                        (char *)"--base-url", r.url, (char *)"--app-key-env", (char *)"CANARY_KEY",
                        (char *)"--app-secret-env", (char *)"CANARY_SECRET", NULL};
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
        char *text = t_read_file(tmpfile_path(files[i]), NULL);
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
         (char *)"--suite", (char *)example(), (char *)"--token-env", (char *)"SHORT", NULL},
        {(char *)prog, (char *)"run", (char *)"--base-url", (char *)"http://127.0.0.1:1",
         (char *)"--suite", (char *)example(), (char *)"--app-key-env", (char *)"LONG_ENOUGH",
         (char *)"--app-secret-env", (char *)"SHORT", NULL},
        {(char *)prog, (char *)"run", (char *)"--base-url", (char *)"http://127.0.0.1:1",
         (char *)"--suite", (char *)example(), (char *)"--token-env", (char *)"LONG_ENOUGH",
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
    const char *json = tmpfile_path("interrupted.json");
    int n = 0, status = 0;
    pid_t pid;

    /* Slow answers, so the run is still going when the signal comes. */
    T_EQ_INT(refproc_start(&r, (const char *const[]){"--latency-ms", "150", NULL}), 0);
    argv[n++] = (char *)t_path("%s/apiconform", t_build());
    argv[n++] = (char *)"run";
    argv[n++] = (char *)"--base-url";
    argv[n++] = r.url;
    argv[n++] = (char *)"--suite";
    argv[n++] = (char *)example();
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
    json_object_foreach(json_object_get(root, "accounts"), name, acc)
    {
        kinds = acc;
        json_object_foreach(kinds, kind, v)
        {
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
              "--suite", example(), "--allow", "destructive", "--jobs", "4", "--app-key-env",
              "APICONFORM_APP_KEY", "--app-secret-env", "APICONFORM_APP_SECRET", (char *)NULL);
        _exit(127);
    }
    usleep(700 * 1000);
    kill(pid, SIGKILL); /* no chance to clean up */
    waitpid(pid, &status, 0);
    usleep(400 * 1000);
    T_TRUE(live_named_resources(r.url) > 0);
    {
        const char *args[] = {"sweep", "--base-url", r.url, "--app-key-env", "APICONFORM_APP_KEY",
                              "--app-secret-env", "APICONFORM_APP_SECRET", NULL};
        T_EQ_INT(apiconform_run(args, &out, NULL), 0);
        T_CONTAINS(out, "deleted ");
        T_CONTAINS(out, " 0 failed\n");
        free(out);
    }
    usleep(400 * 1000); /* asynchronous deletions */
    T_EQ_INT(live_named_resources(r.url), 0);
    refproc_stop(&r);
}

static void test_e2e_shards_merge_diff_baseline(void)
{
    struct refproc good, bad;
    const char *s1 = tmpfile_path("shard1.json"), *s2 = tmpfile_path("shard2.json");
    const char *all = tmpfile_path("merged.json"), *broken = tmpfile_path("broken.json");
    const char *bl = tmpfile_path("baseline.json");
    char *out = NULL;
    FILE *f;

    T_EQ_INT(refproc_start(&good, NULL), 0);
    T_EQ_INT(run_example(good.url, (const char *const[]){"--shard", "1/2", "--json", s1, NULL},
                         NULL, NULL),
             0);
    T_EQ_INT(run_example(good.url, (const char *const[]){"--shard", "2/2", "--json", s2, NULL},
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
    T_EQ_INT(run_example(bad.url, (const char *const[]){"--json", broken, NULL}, &out, NULL), 1);
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
    T_EQ_INT(run_example(bad.url, (const char *const[]){"--baseline", bl, NULL}, &out, NULL), 0);
    T_CONTAINS(out, "KNOWN 4150001 secret-key-text-body");
    free(out);
    refproc_stop(&bad);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("end to end against the reference server", NULL, NULL);

    if (!s || !CU_add_test(s, "the example suite passes and cleans up", test_e2e_example_suite_passes) ||
        !CU_add_test(s, "without capabilities only stateless scenarios run",
                     test_e2e_without_capabilities_skips) ||
        !CU_add_test(s, "the shipped suite without capabilities: stateless pass, rest skipped",
                     test_e2e_shipped_suite_without_capabilities) ||
        !CU_add_test(s, "each mutation fails its check; legal variations pass",
                     test_e2e_each_mutation_is_caught) ||
        !CU_add_test(s, "a slow answer fails response-time, a stalled upload does not",
                     test_e2e_response_time_budget) ||
        !CU_add_test(s, "--insecure is recorded in every report", test_e2e_insecure_in_every_report) ||
        !CU_add_test(s, "preflight failures and usage errors", test_e2e_preflight_and_usage) ||
        !CU_add_test(s, "a filter that matches nothing is exit 2", test_e2e_nothing_planned) ||
        !CU_add_test(s, "usage errors say what is wrong", test_e2e_usage_messages) ||
        !CU_add_test(s, "default credential variables", test_e2e_default_credentials) ||
        !CU_add_test(s, "the console: -v, progress, -q, known failures", test_e2e_console) ||
        !CU_add_test(s, "baseline create, and stale entries", test_e2e_baseline_create) ||
        !CU_add_test(s, "ERROR lines say what the target answered",
                     test_e2e_error_lines_say_the_answer) ||
        !CU_add_test(s, "outputs: checked first, written where pointed", test_e2e_outputs) ||
        !CU_add_test(s, "two reports on one path are a usage error",
                     test_e2e_reports_need_distinct_paths) ||
        !CU_add_test(s, "dry run and list send nothing", test_e2e_dry_run_and_list) ||
        !CU_add_test(s, "canary credentials never leak", test_e2e_canary_credentials_never_leak) ||
        !CU_add_test(s, "short credentials are refused", test_e2e_short_credentials_refused) ||
        !CU_add_test(s, "SIGINT: teardown runs, reports marked incomplete",
                     test_e2e_interrupt_cleans_up) ||
        !CU_add_test(s, "sweep deletes what a killed run left", test_e2e_sweep_after_kill) ||
        !CU_add_test(s, "shards, merge, diff and baseline", test_e2e_shards_merge_diff_baseline))
        return -1;
    return 0;
}
