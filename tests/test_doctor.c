/* tests/test_doctor.c -- apiconform doctor against the reference server in
 * strict mode: ready; not ready when an account's credentials are wrong and
 * when what the account holds leaves no headroom; usage errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refproc.h"
#include "testutil.h"

static const char *strict_args[] = {"--strict", "--faults", NULL};

static const char *profile(void)
{
    return t_path("%s/profiles/reference-strict.json", t_root());
}

/* The last line of s (static). */
static const char *last_line(const char *s)
{
    static char line[512];
    size_t len;
    const char *p;

    line[0] = '\0';
    if (!s)
        return line;
    len = strlen(s);
    while (len && s[len - 1] == '\n')
        len--;
    for (p = s + len; p > s && p[-1] != '\n'; p--)
        ;
    snprintf(line, sizeof line, "%.*s", (int)(s + len - p), p);
    return line;
}

static void test_doctor_ready(void)
{
    struct refproc r;
    char *out = NULL, *err = NULL;

    if (refproc_start(&r, strict_args) < 0) {
        T_TRUE(!"reference server started");
        return;
    }
    {
        const char *args[] = {"doctor", "--profile", profile(), "--base-url", r.url, NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 0);
        T_CONTAINS(out, "ok: main credentials: token obtained, GET /api/v1/namespaces answered "
                        "200\n");
        /* The frozen account answers what the scenarios needing it expect. */
        T_CONTAINS(out, "ok: account frozen: token obtained, GET /api/v1/namespaces answered "
                        "403/4030009, as the scenarios that need it expect\n");
        T_CONTAINS(out, "ok: loadbalancers: the account holds 0 of 2; a scenario needs up to 1");
        T_CONTAINS(out, "ok: ips-nlb: the account holds 0 of 2; a scenario needs up to 1");
        /* The four that need a feature of the reference server only. */
        T_CONTAINS(out, "plan: 209 scenarios: 205 will run, 4 skipped\n");
        T_NOT_CONTAINS(out, "not ready");
        T_EQ_STR(last_line(out), "ready");
        T_NOT_CONTAINS(out, "conformance-secret");
        free(out);
        free(err);
    }
    {
        /* Without a profile: the quotas are unknown, and skips are told. */
        const char *args[] = {"doctor", "--base-url", r.url, NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 0);
        T_CONTAINS(out, "loadbalancers: the account holds 0, quota unknown (set "
                        "quotas.loadbalancers in the profile); a scenario needs up to 0\n");
        T_CONTAINS(out, "plan: 209 scenarios: 89 will run, 120 skipped\n");
        T_CONTAINS(out, "skipped ");
        T_EQ_STR(last_line(out), "ready");
        free(out);
        free(err);
    }
    refproc_stop(&r);
}

static void test_doctor_bad_credentials(void)
{
    static const char text[] =
        "{\"schema\": \"apiconform-profile/1\",\n"
        " \"credentials\": {\"app_key_env\": \"APICONFORM_APP_KEY\", \"app_secret_env\": "
        "\"APICONFORM_APP_SECRET\"},\n"
        " \"accounts\": {\"other\": {\"app_key_env\": \"OTHER_KEY\", \"app_secret_env\": "
        "\"BROKE_SECRET\"},\n"
        "              \"broke\": {\"token_env\": \"NO_SUCH_TOKEN_VAR\"}},\n"
        " \"allow\": [\"all\"]}\n";
    const char *path = t_write_temp("bad-creds.json", text, strlen(text));
    struct refproc r;
    char *out = NULL, *err = NULL;

    if (refproc_start(&r, strict_args) < 0) {
        T_TRUE(!"reference server started");
        return;
    }
    {
        const char *args[] = {"doctor", "--profile", path, "--base-url", r.url, NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 3);
        T_CONTAINS(out, "not ready: account other: no token: POST /api/v1/token answered 4");
        T_CONTAINS(out, "not ready: account broke: environment variable NO_SUCH_TOKEN_VAR is "
                        "not set\n");
        T_CONTAINS(out, "ok: main credentials: token obtained");
        T_EQ_STR(last_line(out), "not ready: 2 problems");
        T_NOT_CONTAINS(out, "broke-secret");
        free(out);
        free(err);
    }
    refproc_stop(&r);
}

/* A quota with no room for what a scenario holds: doctor says the run has
 * none (here the command line gives the account no load balancer at all;
 * the command line wins over the profile). */
static void test_doctor_no_headroom(void)
{
    struct refproc r;
    char *out = NULL, *err = NULL;

    if (refproc_start(&r, strict_args) < 0) {
        T_TRUE(!"reference server started");
        return;
    }
    {
        const char *args[] = {"doctor", "--profile", profile(),         "--base-url",
                              r.url,    "--quota",   "loadbalancers=0", NULL};
        T_EQ_INT(apiconform_run(args, &out, &err), 3);
        T_CONTAINS(out, "not ready: loadbalancers: the account holds 0 of 0; scenario ");
        T_CONTAINS(out, " needs room for 1\n");
        T_EQ_STR(last_line(out), "not ready: 1 problem");
        free(out);
        free(err);
    }
    refproc_stop(&r);
}

static void test_doctor_usage(void)
{
    char *out = NULL, *err = NULL;
    const char *a1[] = {"doctor", NULL};
    const char *a2[] = {"doctor", "--base-url", "http://127.0.0.1:1", "--jobs", "0", NULL};
    const char *a3[] = {"doctor", "--help", NULL};

    T_EQ_INT(apiconform_run(a1, &out, &err), 2);
    T_CONTAINS(err, "apiconform: doctor: no target: give --profile FILE with a base_url, or "
                    "--base-url\n");
    free(out);
    free(err);
    T_EQ_INT(apiconform_run(a2, &out, &err), 2);
    T_CONTAINS(err, "apiconform: doctor: --jobs: expected a number 1-1024, got '0'\n");
    free(out);
    free(err);
    T_EQ_INT(apiconform_run(a3, &out, &err), 0);
    T_CONTAINS(out, "Exit status: 0 ready; 2 usage or input error; 3 not ready");
    free(out);
    free(err);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("doctor", NULL, NULL);

    if (!s || !CU_add_test(s, "ready against the strict reference", test_doctor_ready) ||
        !CU_add_test(s, "not ready: wrong credentials", test_doctor_bad_credentials) ||
        !CU_add_test(s, "not ready: no headroom", test_doctor_no_headroom) ||
        !CU_add_test(s, "usage errors", test_doctor_usage))
        return -1;
    return 0;
}
