/* tests/test_alloc.c -- allocation failure along one whole run.
 *
 * One run of the runner (token, preflight, a scenario, judging, JUnit and
 * JSON reports) against the reference server is calibrated to count its
 * allocations; then it is repeated once for every N, with the Nth
 * allocation failing (tests/failalloc.c, preloaded: it covers our code,
 * jansson, libcurl and libc alike). Every repetition must end cleanly:
 * exit 0 (the failure hit something that could be done without), 2 or 3
 * with a message (the run could not be done) -- never a crash, never a
 * hang, never 1 (a target that conforms must not be reported as failing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refproc.h"
#include "testutil.h"

static void test_alloc_every_failure_is_clean(void)
{
    struct refproc r;
    char preload[1024], report[1024], at[64];
    char *env[] = {preload,
                   report,
                   (char *)"APICONFORM_APP_KEY=conformance-key",
                   (char *)"APICONFORM_APP_SECRET=conformance-secret",
                   (char *)"CI=1",
                   NULL,
                   NULL};
    char *argv[32];
    long total, n, clean = 0, crashed = 0, false_fail = 0;
    int status, i = 0;
    char *count;

    T_EQ_INT(refproc_start(&r, NULL), 0);
    snprintf(preload, sizeof preload, "LD_PRELOAD=%s/tests/libfailalloc.so", t_build());
    snprintf(report, sizeof report, "FAILALLOC_REPORT=%s/failalloc.count", t_build());
    argv[i++] = (char *)t_path("%s/apiconform", t_build());
    argv[i++] = (char *)"run";
    argv[i++] = (char *)"--base-url";
    argv[i++] = r.url;
    argv[i++] = (char *)"--suite";
    argv[i++] = strdup(t_path("%s/tests/hostile/suite", t_root()));
    argv[i++] = (char *)"--app-key-env";
    argv[i++] = (char *)"APICONFORM_APP_KEY";
    argv[i++] = (char *)"--app-secret-env";
    argv[i++] = (char *)"APICONFORM_APP_SECRET";
    argv[i++] = (char *)"--junit";
    argv[i++] = strdup(t_path("%s/failalloc-junit.xml", t_build()));
    argv[i++] = (char *)"--json";
    argv[i++] = strdup(t_path("%s/failalloc.json", t_build()));
    argv[i] = NULL;
    argv[0] = strdup(argv[0]);
    T_EQ_INT(t_run(argv, env, NULL, NULL), 0);
    count = t_read_file(t_path("%s/failalloc.count", t_build()), NULL);
    total = count ? atol(count) : 0;
    free(count);
    T_TRUE(total > 1000);
    env[1] = at;
    for (n = 1; n <= total; n++) {
        char *out = NULL, *err = NULL;
        snprintf(at, sizeof at, "FAILALLOC_AT=%ld", n);
        status = t_run(argv, env, &out, &err);
        if (status >= 124) {
            crashed++;
            if (crashed <= 5)
                fprintf(stderr, "    allocation %ld: exit %d\n%s", n, status, err ? err : "");
        } else if (status == 1) {
            false_fail++;
            if (false_fail <= 5)
                fprintf(stderr, "    allocation %ld: exit 1 (a false failure)\n%s", n,
                        out ? out : "");
        } else {
            clean++;
        }
        free(out);
        free(err);
    }
    fprintf(stderr, "    %ld allocations, %ld clean, %ld crashed or hung, %ld false failures\n",
            total, clean, crashed, false_fail);
    T_EQ_INT(crashed, 0);
    T_EQ_INT(false_fail, 0);
    refproc_stop(&r);
    free(argv[0]);
    free(argv[5]);
    free(argv[11]);
    free(argv[13]);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("allocation failure", NULL, NULL);

    if (!s || !CU_add_test(s, "the Nth allocation fails, for every N of one run",
                           test_alloc_every_failure_is_clean))
        return -1;
    return 0;
}
