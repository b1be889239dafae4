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
    {
        char *xargv[] = {(char *)"/usr/bin/xmllint", (char *)"--noout", (char *)"--schema",
                         (char *)t_path("%s/schemas/junit-10.xsd", t_shared()), (char *)junit,
                         NULL};
        T_EQ_INT(t_run(xargv, NULL, NULL, NULL), 0);
    }
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
    json_decref(root);
    free(out);
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
};

static void test_e2e_each_mutation_is_caught(void)
{
    static const struct mutation_case cases[] = {
        {"status-mismatch", "4150001", 1, "status,consistency,"},
        {"ok-status", "4150001", 1, "status,consistency,"},
        {"code-string", "4150001", 1, "body,"},
        /* 415 has no other code, so the swapped one has another status too */
        {"code-swap", "4150001", 1, "code,consistency,"},
        {"code-swap", "4040402", 1, "code,"},
        {"message-drop-period", "4150001", 1, "message,"},
        {"message-add-period", "4040402", 1, "message,"},
        {"message-case", "4150001", 1, "message,"},
        {"message-trailing-space", "4150001", 1, "message,"},
        {"no-request-id", "4150001", 1, "request-id,"},
        {"bad-request-id", "4150001", 1, "request-id,"},
        {"content-type-html", "4150001", 1, "content-type,"},
        {"html-page", "4150001", 1, "body,content-type,"},
        {"empty-body", "4150001", 1, "body,"},
        {"unknown-code", "4150001", 1, "code,known,"},
        {"extra-fields", "4150001", 0, ""},
        {"header-case", "4150001", 0, ""},
        {"charset", "4150001", 0, ""},
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
        free(out);
        refproc_stop(&r);
    }
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

static void test_e2e_dry_run_and_list(void)
{
    char *out = NULL;
    const char *args[] = {"run", "--base-url", "http://127.0.0.1:1", "--suite", example(),
                          "--dry-run", "--allow", "all", "--code", "4090483", NULL};
    const char *list[] = {"run", "--list", "--suite", example(), NULL};

    T_EQ_INT(apiconform_run(args, &out, NULL), 0);
    T_CONTAINS(out, "# 4090483 lb-duplicate-name:");
    T_CONTAINS(out, "curl -sS -i -X POST 'http://127.0.0.1:1/api/v1/nlb/loadbalancers' -H "
                    "\"Authorization: Token $APICONFORM_TOKEN\"");
    T_NOT_CONTAINS(out, "conformance-secret");
    free(out);
    T_EQ_INT(apiconform_run(list, &out, NULL), 0);
    T_CONTAINS(out, "13 scenarios planned\n");
    free(out);
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
        !CU_add_test(s, "preflight failures and usage errors", test_e2e_preflight_and_usage) ||
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
