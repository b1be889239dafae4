/* tests/test_repro.c -- reproducers run as printed: a failed scenario's
 * script (from the JSON results) and the --dry-run script are run with sh
 * against the reference server, and must show the same answer the run saw,
 * create and delete what the scenario creates (the server's /__ref/state
 * back to total 0), never carry a secret, and never run what a hostile
 * value the target sent says. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "refproc.h"
#include "testutil.h"

static char *const script_env[] = {(char *)"APICONFORM_APP_KEY=conformance-key",
                                   (char *)"APICONFORM_APP_SECRET=conformance-secret",
                                   (char *)"APICONFORM_TOKEN=", NULL};

static const char *work(const char *name)
{
    static char paths[8][512];
    static int next;
    char *p = paths[next++ % 8];

    mkdir(t_path("%s/repro", t_build()), 0755);
    snprintf(p, sizeof paths[0], "%s/repro/%s", t_build(), name);
    return p;
}

/* Runs a script file with sh (env: the reference's main credentials, plus
 * extra, NULL or one "NAME=value"). Exit status; *out the output. */
static int run_sh(const char *path, char *extra, char **out)
{
    char *argv[] = {(char *)"/bin/sh", (char *)path, NULL};
    char *env[5] = {script_env[0], script_env[1], script_env[2], extra, NULL};
    char *err = NULL;
    int rc = t_run(argv, env, out, &err);

    if (rc != 0 && err)
        fprintf(stderr, "\n%s: exit %d\n%s\n", path, rc, err);
    free(err);
    return rc;
}

static int syntax_ok(const char *path)
{
    char *argv[] = {(char *)"/bin/sh", (char *)"-n", (char *)path, NULL};
    return t_run(argv, NULL, NULL, NULL);
}

/* The reference server's count of resources (all accounts), -1 unknown. */
static long long state_total(const struct refproc *r)
{
    char cmd[256];
    char *argv[] = {(char *)"/bin/sh", (char *)"-c", cmd, NULL};
    char *out = NULL;
    json_t *doc;
    long long n = -1;

    snprintf(cmd, sizeof cmd, "curl -sS %s/__ref/state", r->url);
    if (t_run(argv, NULL, &out, NULL) == 0 && (doc = json_loads(out ? out : "", 0, NULL))) {
        if (json_is_integer(json_object_get(doc, "total")))
            n = json_integer_value(json_object_get(doc, "total"));
        json_decref(doc);
    }
    free(out);
    return n;
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* The reproducer of scenario id in a JSON results file, written to path.
 * 0, or -1 when there is none. */
static int extract(const char *json_path, const char *id, const char *path)
{
    json_t *doc = json_load_file(json_path, 0, NULL), *res;
    size_t i;
    int rc = -1;

    json_array_foreach (json_object_get(doc, "results"), i, res) {
        json_t *s = json_object_get(res, "reproducer");
        if (!strcmp(json_string_value(json_object_get(res, "scenario_id")), id) &&
            json_is_string(s))
            rc = write_file(path, json_string_value(s));
    }
    json_decref(doc);
    return rc;
}

/* A run against a message-drop-period server fails a stateless scenario;
 * its reproducer, run with sh, sees the same wrong answer. */
static void test_repro_failed_stateless_runs_as_saved(void)
{
    struct refproc r;
    const char *json = work("stateless.json"), *sh = work("stateless.sh");
    char *out = NULL, *script;

    T_EQ_INT(refproc_start(&r, (const char *const[]){"--mutate", "message-drop-period", NULL}), 0);
    {
        const char *args[] = {"run",    "--base-url", r.url, "--code", "4000002",
                              "--json", json,         "-q",  NULL};
        T_EQ_INT(apiconform_run(args, NULL, NULL), 1);
    }
    T_EQ_INT(extract(json, "token-missing-app-secret", sh), 0);
    script = t_read_file(sh, NULL);
    T_TRUE(script && !strncmp(script, "#!/bin/sh\n", 10));
    T_CONTAINS(script, "# expected: 400/4000002 ");
    T_CONTAINS(script, "set -eu\n");
    T_NO_SECRET(script, "conformance-secret");
    T_NO_SECRET(script, "conformance-key");
    T_EQ_INT(syntax_ok(sh), 0);
    T_EQ_INT(run_sh(sh, NULL, &out), 0);
    /* What the run saw: 400, code 4000002, the message without its period. */
    T_CONTAINS(out, "probe");
    T_CONTAINS(out, ": status 400\n");
    T_CONTAINS(out, "4000002");
    T_NOT_CONTAINS(out, "secret.\"");
    free(out);
    free(script);
    refproc_stop(&r);
}

/* A failed stateful scenario (fixture setup, a poll, probe, teardown):
 * its script creates, probes and deletes, with and without jq. */
static void test_repro_failed_stateful_creates_probes_deletes(void)
{
    struct refproc r;
    const char *json = work("stateful.json"), *sh = work("stateful.sh"), *html = work("s.html");
    char *out = NULL, *script, *page;

    T_EQ_INT(refproc_start(&r, (const char *const[]){"--mutate", "message-drop-period", NULL}), 0);
    {
        const char *args[] = {"run",     "--base-url",  r.url,    "--code", "4090001",
                              "--allow", "destructive", "--json", json,     "--html",
                              html,      "-q",          NULL};
        T_EQ_INT(apiconform_run(args, NULL, NULL), 1);
    }
    T_EQ_INT(state_total(&r), 0);
    T_EQ_INT(extract(json, "legacy-container-duplicate-name", sh), 0);
    script = t_read_file(sh, NULL);
    /* The values of that run are there, as fallbacks and names. */
    T_CONTAINS(script, "the run captured ");
    T_CONTAINS(script, "\"name\":\"cf-ct-r");
    T_EQ_INT(syntax_ok(sh), 0);
    T_EQ_INT(run_sh(sh, NULL, &out), 0);
    T_CONTAINS(out, "container setup 1 (create legacy container cf-ct-r");
    T_CONTAINS(out, "): status 201\n");
    T_CONTAINS(out, "probe (create a container with the same name): status 409\n");
    T_CONTAINS(out, "\"message\": \"Duplicate container name\"}");
    T_CONTAINS(out, "container teardown 1 (delete the container): status 200\n");
    free(out);
    T_EQ_INT(state_total(&r), 0);
    /* The HTML report offers it as a download and shows it whole. */
    page = t_read_file(html, NULL);
    T_CONTAINS(page, "<a download=\"repro-legacy-container-duplicate-name.sh\" "
                     "href=\"data:text/x-shellscript;base64,IyEvYmluL3No");
    T_CONTAINS(page, "<details><summary>Script</summary>\n<pre>#!/bin/sh\n");
    free(page);
    /* What the link downloads is the script of the JSON, byte for byte. */
    {
        char cmd[2048];
        char *argv[] = {(char *)"/bin/sh", (char *)"-c", cmd, NULL};
        snprintf(cmd, sizeof cmd,
                 "sed -n 's/.*<a download=\"repro-legacy-container-duplicate-name.sh\" "
                 "href=\"data:text\\/x-shellscript;base64,\\([^\"]*\\)\".*/\\1/p' '%s' | "
                 "base64 -d | cmp - '%s'",
                 html, sh);
        T_EQ_INT(t_run(argv, NULL, NULL, NULL), 0);
    }
    free(script);
    refproc_stop(&r);
}

/* Hostile values the target echoes back are captured; in the script they
 * are data in single quotes (fallbacks) or double-quoted expansions, and
 * nothing they say runs, with jq and without (the fallback then used). */
static void test_repro_hostile_values_do_not_run(void)
{
    struct refproc r;
    const char *dir = work("hostile-suite"), *json = work("hostile.json"), *sh = work("hostile.sh"),
               *bin = work("nojq-bin");
    char suite_file[600], pwned[600], pwned2[600], scen[4096], cmd[1024], path_env[700];
    char *out = NULL, *script;
    char *argv[] = {(char *)"/bin/sh", (char *)"-c", cmd, NULL};

    snprintf(pwned, sizeof pwned, "%s/pwned", dir);
    snprintf(pwned2, sizeof pwned2, "%s/pwned2", dir);
    mkdir(dir, 0755);
    unlink(pwned);
    unlink(pwned2);
    snprintf(suite_file, sizeof suite_file, "%s/00", dir);
    mkdir(suite_file, 0755);
    snprintf(suite_file, sizeof suite_file, "%s/00/4090001.json", dir);
    snprintf(
        scen, sizeof scen,
        "{\"scenarios\": [{\"id\": \"hostile-desc\", \"code\": 4090001, \"title\": \"hostile\","
        " \"class\": \"stateful\", \"setup\": [{\"label\": \"create\", \"method\": \"POST\","
        " \"path\": \"/api/v1/containers\", \"json\": {\"charge_type\": 2, \"spec_id\": 1,"
        " \"image_type\": 1, \"image_id\": 1, \"name\": \"cf-h-${uniq}\","
        " \"desc\": \"$(touch %s)'; touch %s #\\n`touch %s`\"},"
        " \"capture\": {\"ct_id\": \"/id\"}},"
        " {\"label\": \"wait\", \"method\": \"GET\", \"path\": \"/api/v1/containers/${ct_id}\","
        " \"retry\": {\"until\": \"/status\", \"equals\": \"create_succ\", \"attempts\": 100,"
        " \"interval_ms\": 50}, \"capture\": {\"ct_name\": \"/name\", \"d\": \"/desc\"}}],"
        " \"request\": {\"method\": \"POST\", \"path\": \"/api/v1/containers\", \"json\":"
        " {\"charge_type\": 2, \"spec_id\": 1, \"image_type\": 1, \"image_id\": 1,"
        " \"name\": \"${ct_name}\", \"desc\": \"${d}\"}, \"capture\": {\"dup_id\": \"/id\"}},"
        " \"teardown\": [{\"method\": \"DELETE\", \"path\": \"/api/v1/containers/${dup_id}\","
        " \"status\": [200, 204, 404]}, {\"method\": \"DELETE\","
        " \"path\": \"/api/v1/containers/${ct_id}\", \"status\": [200, 204, 404]}]}]}\n",
        pwned, pwned2, pwned2);
    T_EQ_INT(write_file(suite_file, scen), 0);
    T_EQ_INT(refproc_start(&r, (const char *const[]){"--mutate", "message-drop-period", NULL}), 0);
    {
        const char *args[] = {"run",         "--base-url", r.url, "--suite", dir, "--allow",
                              "destructive", "--json",     json,  "-q",      NULL};
        T_EQ_INT(apiconform_run(args, NULL, NULL), 1);
    }
    T_EQ_INT(extract(json, "hostile-desc", sh), 0);
    script = t_read_file(sh, NULL);
    /* The captured value is a single-quoted fallback, its quote escaped. */
    T_CONTAINS(script, "'\\''; touch ");
    T_EQ_INT(syntax_ok(sh), 0);
    T_EQ_INT(run_sh(sh, NULL, &out), 0);
    T_CONTAINS(out, ": status 409\n");
    free(out);
    T_TRUE(access(pwned, F_OK) != 0);
    T_TRUE(access(pwned2, F_OK) != 0);
    T_EQ_INT(state_total(&r), 0);
    /* Without jq the run's captured values are used (the script says so):
     * still data, though the id it created then differs from the run's. */
    mkdir(bin, 0755);
    snprintf(cmd, sizeof cmd,
             "for t in curl sed cat tr mktemp rm sleep; do ln -sf \"$(command -v $t)\" %s/$t; "
             "done",
             bin);
    T_EQ_INT(t_run(argv, NULL, NULL, NULL), 0);
    snprintf(path_env, sizeof path_env, "PATH=%s", bin);
    run_sh(sh, path_env, &out);
    T_CONTAINS(out, "== setup 1 (create)");
    free(out);
    T_TRUE(access(pwned, F_OK) != 0);
    T_TRUE(access(pwned2, F_OK) != 0);
    free(script);
    refproc_stop(&r);
}

/* --dry-run prints one script: sh -n accepts it (the whole shipped
 * suite), variables are double-quoted expansions, not text in single
 * quotes, and a stateless scenario's script runs as printed. */
static void test_repro_dry_run_is_a_script(void)
{
    struct refproc r;
    const char *all = work("dry-all.sh"), *one = work("dry-one.sh");
    char *out = NULL;

    {
        const char *args[] = {"run", "--base-url", "http://127.0.0.1:1", "--dry-run", "--allow",
                              "all", NULL};
        T_EQ_INT(apiconform_run(args, &out, NULL), 0);
        T_TRUE(out && !strncmp(out, "#!/bin/sh\n", 10));
        T_CONTAINS(out, " -H 'namespace: '\"$ns\"");
        T_NOT_CONTAINS(out, "namespace: ${ns}'");
        T_NO_SECRET(out, "conformance-secret");
        T_EQ_INT(write_file(all, out ? out : ""), 0);
        T_EQ_INT(syntax_ok(all), 0);
        free(out);
    }
    T_EQ_INT(refproc_start(&r, NULL), 0);
    {
        const char *args[] = {"run", "--base-url", r.url, "--dry-run", "--code", "4040402", NULL};
        T_EQ_INT(apiconform_run(args, &out, NULL), 0);
        T_EQ_INT(write_file(one, out ? out : ""), 0);
        free(out);
    }
    T_EQ_INT(run_sh(one, NULL, &out), 0);
    T_CONTAINS(out, "setup 1 (find the default namespace (read only)): status 200\n");
    T_CONTAINS(out, "{\"code\": 4040402, \"message\": \"No such loadbalancer\"}");
    T_CONTAINS(out, "): status 404\n");
    free(out);
    T_EQ_INT(state_total(&r), 0);
    refproc_stop(&r);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("reproducers run as printed", NULL, NULL);

    if (!s ||
        !CU_add_test(s, "a failed stateless scenario's script shows the same answer",
                     test_repro_failed_stateless_runs_as_saved) ||
        !CU_add_test(s, "a failed stateful scenario's script creates, probes, deletes",
                     test_repro_failed_stateful_creates_probes_deletes) ||
        !CU_add_test(s, "hostile captured values do not run",
                     test_repro_hostile_values_do_not_run) ||
        !CU_add_test(s, "--dry-run prints one script that runs", test_repro_dry_run_is_a_script))
        return -1;
    return 0;
}
