/* tests/test_mutation.c -- the proof that the suite's checks catch what
 * they exist for (make mutation, part of make test).
 *
 * For every mutation the reference server offers (apiconform-ref --mutate
 * help), the whole suite runs against the server deviating in that way for
 * all codes, exactly as `make run` runs it (mk/run.sh with REF_ARGS). A
 * mutation that breaks the contract must be detected (at least one
 * scenario fails, exit 1); a legal variation must not be (exit 0). Prints
 * the table mutation x detected/missed, with the failing scenarios and
 * checks, and fails on any miss. The unmutated run also proves that a full
 * run leaves the server with no resource it created. A mutation that only
 * one option can catch (slow-answers: --max-response-ms) runs with that
 * option, and must be caught by its check alone. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

struct outcome {
    int status;
    size_t failed, scenarios;
    char checks[256]; /* distinct failed checks */
};

/* Mutations that need runner options beyond the plain run, and the failed
 * checks that must then be exactly those seen. */
static const struct {
    const char *mutation;
    const char *run_args;
    const char *checks;
} special[] = {
    /* Every answer 300 ms late, content intact: only the budget catches it.
     * Three scenarios (one with setup and teardown) keep the slow run short. */
    {"slow-answers", "--max-response-ms 100 --code 4150001 --code 4040402 --code 4090001",
     "response-time "},
};

static int run_suite(const char *ref_args, const char *run_args, const char *out_dir,
                     struct outcome *o)
{
    char script[1024];
    char *argv[] = {(char *)"/bin/sh", script, (char *)t_build(), NULL};
    char env_ref[512], env_out[512], env_run[512], env_ci[] = "CI=1";
    char *env[] = {env_ref, env_out, env_run, env_ci, NULL};
    json_t *root, *r;
    size_t i;
    char *out = NULL, *err = NULL;

    snprintf(script, sizeof script, "%s/mk/run.sh", t_root());
    snprintf(env_ref, sizeof env_ref, "REF_ARGS=%s", ref_args);
    snprintf(env_out, sizeof env_out, "OUT=%s", out_dir);
    snprintf(env_run, sizeof env_run, "RUN_ARGS=-q %s", run_args);
    memset(o, 0, sizeof *o);
    /* mk/run.sh runs from the project root: the suite and catalog are there. */
    if (chdir(t_root()) != 0)
        return -1;
    o->status = t_run(argv, env, &out, &err);
    free(out);
    free(err);
    root = json_load_file(t_path("%s/results.json", out_dir), 0, NULL);
    json_array_foreach(json_object_get(root, "results"), i, r)
    {
        json_t *f;
        size_t k;
        o->scenarios++;
        if (strcmp(json_string_value(json_object_get(r, "verdict")) ?
                       json_string_value(json_object_get(r, "verdict")) : "", "failed"))
            continue;
        o->failed++;
        json_array_foreach(json_object_get(r, "failures"), k, f)
        {
            const char *c = json_string_value(json_object_get(f, "check"));
            char tag[40];
            snprintf(tag, sizeof tag, "%s ", c ? c : "?");
            if (!strstr(o->checks, tag) && strlen(o->checks) + strlen(tag) < sizeof o->checks)
                strcat(o->checks, tag);
        }
    }
    json_decref(root);
    return 0;
}

static void test_mutation_table(void)
{
    char *argv[] = {(char *)t_path("%s/apiconform-ref", t_build()), (char *)"--mutate",
                    (char *)"help", NULL};
    char *help = NULL, *line, *save = NULL;
    struct outcome base, o;
    int missed = 0, n = 0;
    char dir[1024];

    /* A copy: t_path's buffers rotate. */
    snprintf(dir, sizeof dir, "%s/mutation", t_build());
    T_EQ_INT(run_suite("", "", dir, &base), 0);
    T_EQ_INT(base.status, 0);
    T_TRUE(base.scenarios >= 159);
    T_EQ_INT(base.failed, 0);
    /* A clean run leaves nothing behind: the server's own count. */
    {
        char *state = t_read_file(t_path("%s/reference-state.json", dir), NULL);
        T_CONTAINS(state, "\"total\": 0}");
        free(state);
    }
    T_EQ_INT(t_run(argv, NULL, &help, NULL), 0);
    printf("\n    %-24s %-9s %-8s %s\n", "mutation", "kind", "result", "failed scenarios, checks");
    for (line = strtok_r(help, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char name[64], refargs[128];
        const char *run_args = "", *want_checks = NULL;
        int legal, detected, ok;
        size_t k;
        if (line[0] == ' ' || line[0] == '\0' || sscanf(line, "%63s", name) != 1 ||
            strstr(line, "NAME:CODE"))
            continue;
        legal = strstr(line, "legal:") != NULL;
        snprintf(refargs, sizeof refargs, "--mutate %s", name);
        for (k = 0; k < sizeof special / sizeof special[0]; k++)
            if (strcmp(special[k].mutation, name) == 0) {
                run_args = special[k].run_args;
                want_checks = special[k].checks;
            }
        run_suite(refargs, run_args, dir, &o);
        detected = o.status == 1 && o.failed > 0 &&
                   (!want_checks || strcmp(o.checks, want_checks) == 0);
        ok = legal ? o.status == 0 && o.failed == 0 : detected;
        missed += !ok;
        n++;
        printf("    %-24s %-9s %-8s %zu/%zu %s\n", name, legal ? "legal" : "breaking",
               legal ? (ok ? "accepted" : "FLAGGED") : (ok ? "detected" : "MISSED"), o.failed,
               o.scenarios, o.checks);
        {
            char label[128];
            snprintf(label, sizeof label, "--mutate %s %s", name,
                     legal ? "is accepted" : "is detected");
            CU_assertImplementation(ok, __LINE__, label, __FILE__, "", CU_FALSE);
        }
    }
    printf("    %d mutations, %d missed\n", n, missed);
    T_TRUE(n >= 19);
    free(help);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("mutations of the reference server", NULL, NULL);

    if (!s || !CU_add_test(s, "every breaking mutation is detected, no legal one",
                           test_mutation_table))
        return -1;
    return 0;
}
