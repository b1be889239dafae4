/* tests/test_profile.c -- runners/profile.c: loading a target profile (each
 * kind of error with its exact text), the words it stands for and their
 * precedence under the command line, and runs driven by a profile against
 * the reference server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runners/profile.h"
#include "refproc.h"
#include "testutil.h"

/* Loads content as a profile named p.json in a temporary directory and
 * returns the error as "where: text" (static), or "" when it loaded. */
static const char *load_error(const char *content)
{
    static char out[600];
    struct ac_error err = AC_ERROR_INIT;
    const char *path = t_write_temp("p.json", content, strlen(content));
    struct profile *p = profile_load(path, &err);
    const char *slash;

    out[0] = '\0';
    if (!p) {
        ac_error_str(&err, out, sizeof out);
        /* The temporary directory varies: keep the file's own name. */
        slash = strstr(out, "/p.json");
        if (slash && strncmp(out, "cannot", 6) != 0)
            memmove(out, slash + 1, strlen(slash + 1) + 1);
    }
    profile_free(p);
    return out;
}

#define HEAD "{\"schema\": \"apiconform-profile/1\", "

static void test_profile_errors(void)
{
    struct ac_error err = AC_ERROR_INIT;

    T_TRUE(profile_load("/nonexistent/p.json", &err) == NULL);
    T_EQ_INT(err.code, AC_ERR_IO);
    T_EQ_STR(err.text, "cannot open '/nonexistent/p.json': No such file or directory");

    T_EQ_STR(load_error("{\"schema\": \"apiconform-profile/1\",\n \"jobs\": }"),
             "p.json: line 2, column 10: unexpected token near '}'");
    T_EQ_STR(load_error(HEAD "\"jobs\": 1, \"jobs\": 2}"),
             "p.json: line 1, column 52: duplicate object key near '\"jobs\"'");
    T_EQ_STR(load_error("[]"), "p.json: (top level): expected an object, got an array");
    T_EQ_STR(load_error("{\"jobs\": 2}"),
             "p.json: schema: missing (expected \"apiconform-profile/1\")");
    T_EQ_STR(load_error("{\"schema\": \"apiconform-profile/2\"}"),
             "p.json: schema: expected \"apiconform-profile/1\", got \"apiconform-profile/2\"");
    T_EQ_STR(load_error(HEAD "\"jobz\": 2}"),
             "p.json: jobz: unknown key (expected schema, base_url, credentials, accounts, "
             "allow, quotas, fixtures, features, jobs, rps, timeout_ms, max_response_ms, "
             "retry_after_max, poll_timeout, cacert or insecure)");
    T_EQ_STR(load_error(HEAD "\"quotas\": {\"loadbalancers\": \"2\"}}"),
             "p.json: quotas.loadbalancers: expected a non-negative integer, got \"2\"");
    T_EQ_STR(load_error(HEAD "\"quotas\": {\"services\": -1}}"),
             "p.json: quotas.services: expected a non-negative integer, got -1");
    T_EQ_STR(load_error(HEAD "\"quotas\": {\"load-balancers\": 2}}"),
             "p.json: quotas.load-balancers: unknown quota (did you mean loadbalancers?)");
    T_EQ_STR(load_error(HEAD "\"quotas\": {\"volumes\": 2}}"),
             "p.json: quotas.volumes: unknown quota (expected a name of apiconform-ref --quota "
             "help, or rate-per-second)");
    T_EQ_STR(load_error(HEAD "\"quotas\": [2]}"),
             "p.json: quotas: expected an object of quota names and numbers, got an array");
    T_EQ_STR(load_error(HEAD "\"credentials\": {\"token_env\": \"T\", \"app_key_env\": \"K\"}}"),
             "p.json: credentials: expected either token_env or app_key_env and "
             "app_secret_env, got both");
    T_EQ_STR(load_error(HEAD "\"credentials\": {\"app_key_env\": \"K\"}}"),
             "p.json: credentials: expected app_key_env and app_secret_env together, or "
             "token_env");
    T_EQ_STR(load_error(HEAD "\"credentials\": {\"app_key\": \"conformance-key\"}}"),
             "p.json: credentials.app_key: unknown key (expected app_key_env, app_secret_env "
             "or token_env)");
    T_EQ_STR(load_error(HEAD "\"accounts\": {\"broke\": {\"token_env\": \"$X\"}}}"),
             "p.json: accounts.broke.token_env: expected the name of an environment variable "
             "(letters, digits, _), got \"$X\"");
    T_EQ_STR(load_error(HEAD "\"accounts\": {\"a:b\": {\"token_env\": \"X\"}}}"),
             "p.json: accounts.a:b: expected an account name (letters, digits, _ and -)");
    T_EQ_STR(load_error(HEAD "\"allow\": [\"limit\", \"chaos\"]}"),
             "p.json: allow[1]: expected destructive, limit, fault, all or account:NAME, got "
             "\"chaos\"");
    T_EQ_STR(load_error(HEAD "\"allow\": \"all\"}"),
             "p.json: allow: expected an array of capabilities, got \"all\"");
    T_EQ_STR(load_error(HEAD "\"fixtures\": {\"lb\": {\"LB\": 7}}}"),
             "p.json: fixtures.lb.LB: expected a non-empty string, got 7");
    T_EQ_STR(load_error(HEAD "\"fixtures\": {\"lb\": {}}}"),
             "p.json: fixtures.lb: expected an object of the fixture's variables and their "
             "values, got an object");
    T_EQ_STR(load_error(HEAD "\"features\": [\"repository delete\"]}"),
             "p.json: features[0]: expected a name (letters, digits, _ and -), got "
             "\"repository delete\"");
    T_EQ_STR(load_error(HEAD "\"jobs\": 0}"), "p.json: jobs: expected an integer 1-1024, got 0");
    T_EQ_STR(load_error(HEAD "\"rps\": \"5\"}"),
             "p.json: rps: expected requests per second (a number 0-1000000, 0: unlimited), "
             "got \"5\"");
    T_EQ_STR(load_error(HEAD "\"timeout_ms\": 2.5}"),
             "p.json: timeout_ms: expected milliseconds 1-3600000, got 2.5");
    T_EQ_STR(load_error(HEAD "\"retry_after_max\": 0}"),
             "p.json: retry_after_max: expected seconds 1-3600, got 0");
    T_EQ_STR(load_error(HEAD "\"poll_timeout\": 86401}"),
             "p.json: poll_timeout: expected seconds 0-86400, got 86401");
    T_EQ_STR(load_error(HEAD "\"insecure\": \"yes\"}"),
             "p.json: insecure: expected true or false, got \"yes\"");
    T_EQ_STR(load_error(HEAD "\"base_url\": \"ftp://x\"}"),
             "p.json: base_url: expected an http:// or https:// URL, got \"ftp://x\"");
    T_EQ_STR(load_error(HEAD "\"cacert\": \"a\\nb\"}"),
             "p.json: cacert: expected a string without control characters, got \"a\\nb\"");
}

static const char full[] =
    "{\"schema\": \"apiconform-profile/1\",\n"
    " \"base_url\": \"https://staging.example.com\",\n"
    " \"credentials\": {\"app_key_env\": \"NCE_APP_KEY\", \"app_secret_env\": "
    "\"NCE_APP_SECRET\"},\n"
    " \"accounts\": {\"broke\": {\"app_key_env\": \"BROKE_KEY\", \"app_secret_env\": "
    "\"BROKE_SECRET\"},\n"
    "              \"other\": {\"token_env\": \"OTHER_TOKEN\"}},\n"
    " \"allow\": [\"destructive\", \"limit\", \"fault\"],\n"
    " \"quotas\": {\"loadbalancers\": 2, \"services\": 3, \"replicas\": 4, \"rate-per-second\": "
    "20},\n"
    " \"fixtures\": {\"namespace\": {\"NS_ID\": \"42\", \"NS\": \"default\"}},\n"
    " \"features\": [\"repository-delete\"],\n"
    " \"jobs\": 8, \"rps\": 2.5, \"timeout_ms\": 10000, \"max_response_ms\": 3000,\n"
    " \"retry_after_max\": 60, \"poll_timeout\": 900, \"cacert\": \"ca.pem\", \"insecure\": "
    "false}\n";

static void test_profile_loads_every_key(void)
{
    struct ac_error err = AC_ERROR_INIT;
    const char *path = t_write_temp("full.json", full, strlen(full));
    struct profile *p = profile_load(path, &err);
    const struct profile_fixture *f;

    T_EQ_STR(err.text, "");
    T_TRUE(p != NULL);
    if (!p)
        return;
    T_EQ_STR(p->base_url, "https://staging.example.com");
    T_EQ_STR(p->credentials.app_key_env, "NCE_APP_KEY");
    T_EQ_INT(p->naccounts, 2);
    T_EQ_STR(p->accounts[1].token_env, "OTHER_TOKEN");
    T_EQ_INT(p->nallow, 3);
    T_EQ_INT(profile_quota(p, "loadbalancers"), 2);
    T_EQ_INT(profile_quota(p, "rate-per-second"), 20);
    T_EQ_INT(profile_quota(p, "certs"), -1); /* not given: unknown */
    f = profile_fixture(p, "namespace");
    T_TRUE(f != NULL);
    if (f) {
        T_EQ_INT(f->nvars, 2);
        T_EQ_STR(f->vars[0], "NS_ID=42");
    }
    T_TRUE(profile_fixture(p, "lb") == NULL);
    T_TRUE(profile_feature(p, "repository-delete"));
    T_TRUE(!profile_feature(p, "favourites"));
    T_EQ_INT(p->jobs, 8);
    T_TRUE(p->rps == 2.5);
    T_EQ_INT(p->insecure, 0);
    profile_free(p);
}

/* The vector profile_argv builds, joined by spaces. Heap string. */
static char *words(const char *profile_text, const char *const *user, enum profile_cmd cmd,
                   struct ac_error *err)
{
    const char *path = t_write_temp("w.json", profile_text, strlen(profile_text));
    char *argv[32], **nargv = NULL, *s;
    struct profile *p = NULL;
    int argc = 0, nargc = 0, i;
    size_t len = 1;

    argv[argc++] = (char *)"run";
    for (i = 0; user[i]; i++)
        argv[argc++] = strcmp(user[i], "@") == 0 ? (char *)path : (char *)user[i];
    argv[argc] = NULL;
    if (profile_argv(argc, argv, cmd, &p, &nargc, &nargv, err) < 0)
        return NULL;
    for (i = 0; i < nargc; i++)
        len += strlen(nargv[i]) + 1;
    s = calloc(1, len);
    for (i = 0; s && i < nargc; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, nargv[i]);
    }
    T_TRUE(nargv[nargc] == NULL);
    profile_argv_free(nargv);
    profile_free(p);
    return s;
}

static void test_profile_precedence(void)
{
    struct ac_error err = AC_ERROR_INIT;
    const char *none[] = {"--jobs", "2", NULL};
    const char *plain[] = {"--profile", "@", NULL};
    const char *over[] = {"--profile", "@",           "--token-env", "T", "--allow", "limit",
                          "--account", "broke:BK:BS", "--jobs",      "1", NULL};
    const char *twice[] = {"--profile", "@", "--profile=@", NULL};
    const char *after_dashes[] = {"--", "--profile", "@", NULL};
    char *s;

    s = words(full, none, PROFILE_FOR_RUN, &err);
    T_EQ_STR(s, "run --jobs 2"); /* no profile: the words as given */
    free(s);

    s = words(full, plain, PROFILE_FOR_RUN, &err);
    T_EQ_STR(s, "run --base-url https://staging.example.com --app-key-env NCE_APP_KEY "
                "--app-secret-env NCE_APP_SECRET --cacert ca.pem --account "
                "broke:BROKE_KEY:BROKE_SECRET --account other:OTHER_TOKEN --allow "
                "destructive,limit,fault --quota loadbalancers=2 --quota services=3 --quota "
                "replicas=4 --quota rate-per-second=20 --feature repository-delete --jobs 8 "
                "--rps 2.5 --timeout 10000 --max-response-ms 3000 --retry-after-max 60 "
                "--poll-timeout 900");
    free(s);

    /* The user's credentials, --allow and account broke replace the
     * profile's; the user's --jobs comes last, so getopt keeps it. */
    s = words(full, over, PROFILE_FOR_RUN, &err);
    T_EQ_STR(s, "run --base-url https://staging.example.com --cacert ca.pem --account "
                "other:OTHER_TOKEN --quota loadbalancers=2 --quota services=3 --quota "
                "replicas=4 --quota rate-per-second=20 --feature repository-delete --jobs 8 "
                "--rps 2.5 --timeout 10000 --max-response-ms 3000 --retry-after-max 60 "
                "--poll-timeout 900 --token-env T --allow limit --account broke:BK:BS --jobs 1");
    free(s);

    s = words(full, plain, PROFILE_FOR_SWEEP, &err);
    T_EQ_STR(s, "run --base-url https://staging.example.com --app-key-env NCE_APP_KEY "
                "--app-secret-env NCE_APP_SECRET --cacert ca.pem");
    free(s);

    s = words(full, after_dashes, PROFILE_FOR_RUN, &err);
    T_TRUE(s != NULL && strncmp(s, "run -- --profile /", 18) == 0);
    free(s);

    T_TRUE(words(full, twice, PROFILE_FOR_RUN, &err) == NULL);
    T_EQ_INT(err.code, AC_ERR_USAGE);
    T_CONTAINS(err.text, "--profile given twice");
}

/* The command line of apiconform: exit 2 and the exact message, nothing
 * sent. */
static void test_profile_cli_errors(void)
{
    const char *bad =
        "{\"schema\": \"apiconform-profile/1\", \"quotas\": {\"loadbalancers\": \"2\"}}";
    const char *path = t_write_temp("profile.json", bad, strlen(bad));
    char *out = NULL, *err = NULL;
    const char *a1[] = {"run", "--profile", path, NULL};
    const char *a2[] = {"sweep", "--profile", path, NULL};
    const char *a3[] = {"run", "--profile", NULL};
    const char *a4[] = {"run", "--profile", "/nonexistent/profile.json", NULL};
    char want[600];

    snprintf(want, sizeof want,
             "apiconform: %s: quotas.loadbalancers: expected a non-negative integer, got \"2\"\n",
             path);
    T_EQ_INT(apiconform_run(a1, &out, &err), 2);
    T_EQ_STR(err, want);
    free(out);
    free(err);
    T_EQ_INT(apiconform_run(a2, &out, &err), 2);
    T_EQ_STR(err, want);
    free(out);
    free(err);
    T_EQ_INT(apiconform_run(a3, &out, &err), 2);
    T_EQ_STR(err, "apiconform: run: --profile needs a value (FILE)\n"
                  "Try 'apiconform --help' for more information.\n");
    free(out);
    free(err);
    /* An account given by its token variable (the profile's token_env):
     * read before anything is sent. */
    {
        const char *a5[] = {"run",
                            "--base-url",
                            "http://127.0.0.1:1",
                            "--account",
                            "broke:NO_SUCH_TOKEN",
                            "--allow",
                            "all",
                            "--code",
                            "4030001",
                            NULL};
        T_EQ_INT(apiconform_run(a5, &out, &err), 2);
        T_EQ_STR(err, "apiconform: environment variable NO_SUCH_TOKEN is not set (named by a "
                      "--*-env option)\n");
        free(out);
        free(err);
    }
    T_EQ_INT(apiconform_run(a4, &out, &err), 2);
    T_EQ_STR(err, "apiconform: cannot open '/nonexistent/profile.json': No such file or "
                  "directory\n");
    free(out);
    free(err);
}

/* A run driven only by a profile: the base URL, the credentials, the
 * accounts (one by token), the capabilities and the jobs come from it. */
static void test_profile_e2e(void)
{
    struct refproc r;
    char text[2048], *out = NULL, *err = NULL;
    const char *path, *path2;
    char *tok_out = NULL;

    if (refproc_start(&r, NULL) < 0) {
        T_TRUE(!"reference server started");
        return;
    }
    snprintf(text, sizeof text,
             "{\"schema\": \"apiconform-profile/1\", \"base_url\": \"%s\",\n"
             " \"credentials\": {\"app_key_env\": \"APICONFORM_APP_KEY\", \"app_secret_env\": "
             "\"APICONFORM_APP_SECRET\"},\n"
             " \"accounts\": {\"broke\": {\"app_key_env\": \"BROKE_KEY\", \"app_secret_env\": "
             "\"BROKE_SECRET\"}},\n"
             " \"allow\": [\"destructive\"], \"jobs\": 2}\n",
             r.url);
    path = t_write_temp("e2e.json", text, strlen(text));
    {
        /* Service 03 (account state) needs account broke and nothing
         * else: every scenario that ran passed, none skipped for want of
         * the account. */
        const char *args[] = {"run", "--profile", path, "--service", "03", "-v", NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 0);
        T_CONTAINS(out, " passed, 0 failed, 0 errors, ");
        T_NOT_CONTAINS(out, "needs account broke");
        free(out);
        free(err);
    }
    {
        /* The command line wins: a profile naming a dead port is
         * overridden by --base-url. */
        snprintf(text, sizeof text,
                 "{\"schema\": \"apiconform-profile/1\", \"base_url\": \"http://127.0.0.1:1\","
                 " \"credentials\": {\"token_env\": \"NO_SUCH_VAR\"}}\n");
        path2 = t_write_temp("dead.json", text, strlen(text));
        const char *args[] = {"run",
                              "--profile",
                              path2,
                              "--base-url",
                              r.url,
                              "--app-key-env",
                              "APICONFORM_APP_KEY",
                              "--app-secret-env",
                              "APICONFORM_APP_SECRET",
                              "--code",
                              "4000001",
                              NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 0);
        T_CONTAINS(out, " passed, 0 failed, 0 errors, 0 skipped");
        free(out);
        free(err);
    }
    {
        /* sweep takes the target and the credentials from the profile. */
        const char *args[] = {"sweep", "--profile", path, "--dry-run", NULL};
        T_EQ_INT(apiconform_run(args, &tok_out, &err), 0);
        T_CONTAINS(tok_out, "sweep: would delete 0");
        free(tok_out);
        free(err);
    }
    refproc_stop(&r);
}

/* A fixture the profile serves is not set up or torn down, and the
 * scenario uses its variables. */
static void test_profile_fixtures(void)
{
    static const char good[] = "{\"schema\": \"apiconform-profile/1\", \"fixtures\": "
                               "{\"namespace\": {\"ns\": \"default-main\", \"ns_id\": \"1001\"}}}";
    static const char wrong[] = "{\"schema\": \"apiconform-profile/1\", \"fixtures\": "
                                "{\"namespace\": {\"ns\": \"no-such-ns\", \"ns_id\": \"7\"}}}";
    static const char unknown[] = "{\"schema\": \"apiconform-profile/1\", \"fixtures\": "
                                  "{\"lb\": {\"lb\": \"x\"}}}";
    static const char missing[] = "{\"schema\": \"apiconform-profile/1\", \"fixtures\": "
                                  "{\"namespace\": {\"ns\": \"default-main\"}}}";
    static const char extra[] =
        "{\"schema\": \"apiconform-profile/1\", \"fixtures\": "
        "{\"namespace\": {\"ns\": \"a\", \"ns_id\": \"1\", \"nsid\": \"1\"}}}";
    const char *pg = t_write_temp("good.json", good, strlen(good));
    const char *pw = t_write_temp("wrong.json", wrong, strlen(wrong));
    const char *pu = t_write_temp("unknown.json", unknown, strlen(unknown));
    const char *pm = t_write_temp("missing.json", missing, strlen(missing));
    const char *px = t_write_temp("extra.json", extra, strlen(extra));
    char want[600], *out = NULL, *err = NULL;
    struct refproc r;

    if (refproc_start(&r, NULL) < 0) {
        T_TRUE(!"reference server started");
        return;
    }
    {
        /* Without the profile the fixture's setup runs: the control. */
        const char *args[] = {"run",    "--base-url", r.url, "--allow", "destructive",
                              "--code", "4030401",    "-v",  NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 0);
        T_CONTAINS(err, "find the default namespace");
        free(out);
        free(err);
    }
    {
        const char *args[] = {"run",         "--profile", pg,        "--base-url", r.url, "--allow",
                              "destructive", "--code",    "4030401", "-v",         NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 0);
        T_CONTAINS(out, "1 passed, 0 failed, 0 errors, 0 skipped");
        T_NOT_CONTAINS(err, "find the default namespace");
        free(out);
        free(err);
    }
    {
        /* The given values are the ones sent. */
        const char *args[] = {"run",     "--profile",   pw,       "--base-url", r.url,
                              "--allow", "destructive", "--code", "4030401",    NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 3);
        T_CONTAINS(out, "0 passed, 0 failed, 1 errors, 0 skipped");
        free(out);
        free(err);
    }
    refproc_stop(&r);
    {
        const char *args[] = {"run", "--profile", pu, "--list", NULL};
        snprintf(want, sizeof want,
                 "apiconform: %s: fixtures.lb: no such fixture in the suite (see "
                 "suite/fixtures.json)\n",
                 pu);
        T_EQ_INT(apiconform_run(args, &out, &err), 2);
        T_EQ_STR(err, want);
        free(out);
        free(err);
    }
    {
        const char *args[] = {"run", "--profile", pm, "--list", NULL};
        snprintf(want, sizeof want,
                 "apiconform: %s: fixtures.namespace: expected the variables ns, ns_id (what the "
                 "fixture provides), missing ns_id\n",
                 pm);
        T_EQ_INT(apiconform_run(args, &out, &err), 2);
        T_EQ_STR(err, want);
        free(out);
        free(err);
    }
    {
        const char *args[] = {"doctor", "--profile", px, "--base-url", "http://127.0.0.1:1", NULL};
        snprintf(want, sizeof want,
                 "apiconform: %s: fixtures.namespace.nsid: the fixture provides no such variable "
                 "(it provides ns, ns_id)\n",
                 px);
        T_EQ_INT(apiconform_run(args, &out, &err), 2);
        T_EQ_STR(err, want);
        free(out);
        free(err);
    }
}

/* The shipped profiles load, and the reference one carries the quotas
 * mk/run.sh starts the server with. */
static void test_profile_shipped(void)
{
    const char *names[] = {"reference.json", "staging.example.json", "reference-strict.json"};
    size_t i;

    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct ac_error err = AC_ERROR_INIT;
        struct profile *p = profile_load(t_path("%s/profiles/%s", t_root(), names[i]), &err);
        T_EQ_STR(err.text, "");
        T_TRUE(p != NULL);
        if (p && i == 0) {
            T_EQ_INT(profile_quota(p, "loadbalancers"), 16);
            T_EQ_INT(p->naccounts, 4);
        }
        if (p && i == 2) /* the quotas of apiconform-ref --strict */
            T_EQ_INT(profile_quota(p, "loadbalancers"), 2);
        profile_free(p);
    }
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("profile", NULL, NULL);

    if (!s || !CU_add_test(s, "every kind of profile error, exact text", test_profile_errors) ||
        !CU_add_test(s, "loads every key", test_profile_loads_every_key) ||
        !CU_add_test(s, "the command line wins over the profile", test_profile_precedence) ||
        !CU_add_test(s, "bad profiles exit 2", test_profile_cli_errors) ||
        !CU_add_test(s, "a run driven by a profile", test_profile_e2e) ||
        !CU_add_test(s, "the shipped profiles load", test_profile_shipped) ||
        !CU_add_test(s, "fixtures served by the profile", test_profile_fixtures))
        return -1;
    return 0;
}
