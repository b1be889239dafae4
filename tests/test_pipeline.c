/* tests/test_pipeline.c -- run_pipeline() called directly (runners/
 * pipeline.h), not through the apiconform program: against the reference
 * server (a few example scenarios pass; each reference mutation tried is
 * caught by the checks tests/mutations.json names for it) and against the
 * second contract's server (tests/data/contract2/: the whole suite passes;
 * its changed message fails the message check of its scenario alone).
 * Also what it promises: nothing on stdout or stderr, every hook at its
 * point, an empty plan a usage error, --list and a refusing before_send
 * sending nothing.
 *
 * verify_runs makes and destroys a CUnit registry of its own, which CUnit
 * refuses while a test runs; so test_register forks a worker before the
 * tests run, and each test asks it for a pipeline by case name and
 * server URL. The worker runs each in a child of its own (no program is
 * executed): the child's stdout and stderr go to files, and it writes
 * what the pipeline returned and what the hooks saw as lines of text,
 * which the test asserts on. */
#include <CUnit/CUnit.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../reports/results.h"
#include "../runners/pipeline.h"
#include "c2proc.h"
#include "refproc.h"
#include "testutil.h"

#define C2_ID "c2-client-id-0001"
#define C2_SECRET "c2-client-secret-0001"

/* What the hooks saw, in the child. */
struct seen {
    int before_send, started, progress, exchanged, judged;
    size_t runnable_seen;
    int refuse; /* before_send returns this when not 0 */
    struct ac_buf errors;
};

static void h_error(void *ud, const char *text, int usage)
{
    struct seen *s = ud;
    ac_buf_addf(&s->errors, "error usage=%d: %s\n", usage, text);
}

static int h_before_send(void *ud, size_t runnable, struct pipeline_credentials *cred)
{
    struct seen *s = ud;
    (void)cred;
    s->before_send++;
    s->runnable_seen = runnable;
    return s->refuse;
}

static void h_started(void *ud, size_t planned)
{
    (void)planned;
    ((struct seen *)ud)->started++;
}

static void h_progress(void *ud, const struct scenario_run *r)
{
    (void)r;
    ((struct seen *)ud)->progress++;
}

static void h_exchanged(void *ud, const struct scenario_run *runs, size_t n, const char *run_id)
{
    (void)runs, (void)n, (void)run_id;
    ((struct seen *)ud)->exchanged++;
}

static void h_judged(void *ud, const struct pipeline_result *res)
{
    (void)res;
    ((struct seen *)ud)->judged++;
}

/* The summary the child writes: status, plan, counts, each failure's
 * checks, the hooks, the errors. */
static void summarize(FILE *f, int rc, const struct pipeline_result *res, const struct seen *s)
{
    struct results_counts c;
    size_t i, k;

    fprintf(f, "rc %d\nplanned %zu runnable %zu\n", rc, res->nruns, res->runnable);
    fprintf(f, "sent %s\n", res->requests > 0 ? "some" : "none");
    results_count(&res->rr, &c);
    fprintf(f, "passed %zu failed %zu known %zu errors %zu skipped %zu\n", c.passed, c.failed,
            c.known, c.errors, c.skipped);
    for (i = 0; i < res->rr.nresults; i++) {
        const struct result *r = &res->rr.results[i];
        if (r->verdict != VERDICT_FAIL)
            continue;
        fprintf(f, "FAIL %ld %s:", r->code, r->scenario_id);
        for (k = 0; k < r->nfailures; k++)
            fprintf(f, "%s%s", k ? "," : " ", r->failures[k].check);
        fputc('\n', f);
    }
    fprintf(f, "hooks before_send=%d started=%d progress=%d exchanged=%d judged=%d\n",
            s->before_send, s->started, s->progress, s->exchanged, s->judged);
    fputs(s->errors.data ? s->errors.data : "", f);
}

struct outcome {
    char *text;      /* the summary, or NULL when the child did not write one */
    char *out, *err; /* what the child printed */
};

static void outcome_free(struct outcome *o)
{
    free(o->text);
    free(o->out);
    free(o->err);
}

static long no_quotas[SUITE_NQUOTAS];

/* A configuration with apiconform run's defaults, for url (may be NULL). */
static void defaults(struct pipeline_config *cfg, const char *url)
{
    size_t i;

    memset(cfg, 0, sizeof *cfg);
    for (i = 0; i < SUITE_NQUOTAS; i++)
        no_quotas[i] = -1;
    cfg->quotas = no_quotas;
    cfg->plan.service = cfg->plan.cls = -1;
    cfg->engine.base_url = url;
    cfg->engine.jobs = 8;
    cfg->engine.timeout_ms = 30000;
    cfg->engine.connect_timeout_ms = 5000;
    cfg->engine.retries = 2;
    cfg->engine.body_cap = ENGINE_DEFAULT_BODY_CAP;
    cfg->engine.tick_ms = 10000;
    for (i = 0; i < CHECK_COUNT; i++)
        cfg->verify.enabled[i] = 1;
    cfg->verify.message_mode = MESSAGE_EXACT;
}

static char *path_copy(const char *p)
{
    static char bufs[8][512];
    static int next;
    char *b = bufs[next++ % 8];

    snprintf(b, sizeof bufs[0], "%s", p);
    return b;
}

static const char *results_json(void)
{
    return t_path("%s/pipeline-results.json", t_build());
}

/* The configuration of a case, by name (in the worker's child):
 * ref-two, ref-one, unknown-code, list, refuse, bad-suite: the example
 * suite under the NetEase contract; c2: the second contract's files, all
 * loaded by the pipeline from their paths. */
static void case_config(const char *name, const char *url, struct pipeline_config *cfg, int *refuse)
{
    static const long two[] = {4150001, 4040402}, one[] = {4150001}, unknown[] = {4000000};
    static char *destructive[] = {(char *)"destructive"};

    defaults(cfg, url);
    *refuse = 0;
    if (strcmp(name, "c2") == 0) {
        cfg->contract_path = path_copy(t_path("%s/tests/data/contract2/contract.json", t_root()));
        cfg->catalog_path = path_copy(t_path("%s/tests/data/contract2/catalog.json", t_root()));
        cfg->suite_dir = path_copy(t_path("%s/tests/data/contract2/suite", t_root()));
        cfg->plan.allowed = destructive;
        cfg->plan.nallowed = 1;
        cfg->cred.app_key = C2_ID;
        cfg->cred.app_secret = C2_SECRET;
        return;
    }
    cfg->contract_path = path_copy(t_path("%s/catalog/nce-contract.json", t_root()));
    cfg->catalog_path = path_copy(t_path("%s/catalog/nce-errors.json", t_root()));
    cfg->suite_dir = path_copy(t_path("%s/tests/data/suite/example", t_root()));
    cfg->cred.app_key = "conformance-key";
    cfg->cred.app_secret = "conformance-secret";
    cfg->plan.codes = one;
    cfg->plan.ncodes = 1;
    if (strcmp(name, "ref-two") == 0) {
        cfg->plan.codes = two;
        cfg->plan.ncodes = 2;
        cfg->json = path_copy(results_json());
    } else if (strcmp(name, "unknown-code") == 0)
        cfg->plan.codes = unknown;
    else if (strcmp(name, "list") == 0)
        cfg->mode = PIPELINE_LIST;
    else if (strcmp(name, "refuse") == 0)
        *refuse = AC_EXIT_USAGE;
    else if (strcmp(name, "bad-suite") == 0)
        cfg->suite_dir = path_copy(t_path("%s/no-such-suite", t_build()));
}

static const char *child_file(const char *what)
{
    return t_path("%s/pipeline-%s.txt", t_build(), what);
}

/* One case, in a child of the worker: 0 when it wrote its summary. */
static int run_case(const char *name, const char *url)
{
    pid_t pid = fork();
    int status = 0;

    if (pid < 0)
        return -1;
    if (pid == 0) {
        struct seen s;
        struct pipeline_hooks h = {&s,         h_error, h_before_send, h_started,
                                   h_progress, NULL,    h_exchanged,   h_judged};
        struct pipeline_config cfg;
        struct pipeline_result res;
        FILE *f;
        int rc;

        alarm(120);
        if (!freopen(child_file("stdout"), "w", stdout) ||
            !freopen(child_file("stderr"), "w", stderr))
            _exit(99);
        memset(&s, 0, sizeof s);
        case_config(name, strcmp(url, "-") ? url : NULL, &cfg, &s.refuse);
        cfg.hooks = &h;
        rc = run_pipeline(&cfg, &res);
        f = fopen(child_file("summary"), "w");
        if (!f)
            _exit(98);
        summarize(f, rc, &res, &s);
        fclose(f);
        pipeline_result_release(&res);
        ac_buf_release(&s.errors);
        /* exit, not _exit: under ASan, a leak of the pipeline fails it. */
        exit(0);
    }
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The worker: forked before CUnit runs anything. Reads "CASE URL" lines,
 * answers "0" or "-1" for each, until its input ends. */
static int to_worker = -1, from_worker = -1;

static void worker(int in, int out)
{
    FILE *f = fdopen(in, "r");
    char line[1024], name[64], url[512];

    while (f && fgets(line, sizeof line, f)) {
        char reply[8];
        int n;
        if (sscanf(line, "%63s %511s", name, url) != 2)
            break;
        n = snprintf(reply, sizeof reply, "%d\n", run_case(name, url));
        if (write(out, reply, (size_t)n) != n)
            break;
    }
    _exit(0);
}

static int start_worker(void)
{
    int req[2], rep[2];
    pid_t pid;

    if (pipe(req) < 0 || pipe(rep) < 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(req[1]);
        close(rep[0]);
        worker(req[0], rep[1]);
    }
    close(req[0]);
    close(rep[1]);
    to_worker = req[1];
    from_worker = rep[0];
    return 0;
}

/* Has the worker run case name against url (NULL: none); fills o. */
static void pipeline_case(const char *name, const char *url, struct outcome *o)
{
    char line[600], reply[16];
    ssize_t k;
    int n;

    memset(o, 0, sizeof *o);
    unlink(child_file("summary"));
    n = snprintf(line, sizeof line, "%s %s\n", name, url ? url : "-");
    T_TRUE(to_worker >= 0);
    if (to_worker < 0 || write(to_worker, line, (size_t)n) != n)
        return;
    k = read(from_worker, reply, sizeof reply - 1);
    reply[k > 0 ? k : 0] = '\0';
    t_eq_str(reply, "0\n", name, __LINE__, __FILE__);
    o->text = t_read_file(child_file("summary"), NULL);
    o->out = t_read_file(child_file("stdout"), NULL);
    o->err = t_read_file(child_file("stderr"), NULL);
    T_TRUE(o->text != NULL);
    /* The pipeline prints nothing itself. */
    T_EQ_STR(o->out, "");
    T_EQ_STR(o->err, "");
}

static void test_pipeline_reference_passes(void)
{
    struct refproc r;
    struct outcome o;
    json_t *root;

    if (refproc_start(&r, NULL) < 0) {
        T_TRUE(!"reference server started");
        return;
    }
    unlink(results_json());
    pipeline_case("ref-two", r.url, &o);
    T_CONTAINS(o.text, "rc 0\nplanned 2 runnable 2\nsent some\n");
    T_CONTAINS(o.text, "\npassed 2 failed 0 known 0 errors 0 skipped 0\n");
    T_CONTAINS(o.text, "\nhooks before_send=1 started=1 progress=2 exchanged=1 judged=1\n");
    T_NOT_CONTAINS(o.text, "error usage=");
    /* The report is written where the configuration says. */
    root = json_load_file(results_json(), 0, NULL);
    T_TRUE(root != NULL);
    T_EQ_INT(json_integer_value(json_object_get(json_object_get(root, "summary"), "passed")), 2);
    json_decref(root);
    outcome_free(&o);
    T_EQ_INT(refproc_stop(&r), 0);
}

/* The checks tests/mutations.json names for mutation, as "a,b". */
static void table_checks(const char *mutation, char *out, size_t size)
{
    json_t *root = json_load_file(t_path("%s/tests/mutations.json", t_root()), 0, NULL), *m, *c;
    size_t i, k;

    out[0] = '\0';
    T_TRUE(root != NULL);
    json_array_foreach (json_object_get(root, "mutations"), i, m) {
        if (strcmp(json_string_value(json_object_get(m, "mutation")), mutation) != 0)
            continue;
        json_array_foreach (json_object_get(m, "checks"), k, c) {
            size_t len = strlen(out);
            snprintf(out + len, size - len, "%s%s", k ? "," : "", json_string_value(c));
        }
    }
    json_decref(root);
}

/* Each mutation on 4150001 fails its one scenario by exactly the checks
 * the mutation table names for it. */
static void test_pipeline_reference_mutations(void)
{
    static const char *const mutations[] = {"message-drop-period", "no-request-id",
                                            "status-mismatch"};
    size_t i;

    for (i = 0; i < sizeof mutations / sizeof mutations[0]; i++) {
        struct refproc r;
        struct outcome o;
        char checks[200], want[400];

        if (refproc_start(&r, (const char *const[]){"--mutate", mutations[i], NULL}) < 0) {
            T_TRUE(!"reference server started");
            continue;
        }
        table_checks(mutations[i], checks, sizeof checks);
        T_TRUE(checks[0] != '\0');
        pipeline_case("ref-one", r.url, &o);
        t_contains(o.text, "rc 1\nplanned 1 runnable 1\n", mutations[i], __LINE__, __FILE__);
        t_contains(o.text, "\npassed 0 failed 1 known 0 errors 0 skipped 0\nFAIL 4150001 ",
                   mutations[i], __LINE__, __FILE__);
        snprintf(want, sizeof want, ": %s\nhooks ", checks);
        t_contains(o.text, want, mutations[i], __LINE__, __FILE__);
        outcome_free(&o);
        T_EQ_INT(refproc_stop(&r), 0);
    }
}

static void test_pipeline_contract2_passes(void)
{
    struct c2proc s;
    struct outcome o;

    if (c2proc_start(&s, NULL) < 0) {
        T_TRUE(!"contract2server started");
        return;
    }
    pipeline_case("c2", s.url, &o);
    T_CONTAINS(o.text, "rc 0\nplanned 13 runnable 13\nsent some\n");
    T_CONTAINS(o.text, "\npassed 13 failed 0 known 0 errors 0 skipped 0\n");
    T_CONTAINS(o.text, "\nhooks before_send=1 started=1 progress=13 exchanged=1 judged=1\n");
    T_NOT_CONTAINS(o.text, "FAIL ");
    T_NOT_CONTAINS(o.text, "error usage=");
    outcome_free(&o);
    T_EQ_INT(c2proc_stop(&s), 0);
}

static void test_pipeline_contract2_mutation(void)
{
    struct c2proc s;
    struct outcome o;

    if (c2proc_start(&s, "wrong-message") < 0) {
        T_TRUE(!"contract2server started");
        return;
    }
    pipeline_case("c2", s.url, &o);
    T_CONTAINS(o.text, "rc 1\nplanned 13 runnable 13\n");
    T_CONTAINS(o.text, "\npassed 12 failed 1 known 0 errors 0 skipped 0\n"
                       "FAIL 40401 widget-get-unknown: message\nhooks ");
    outcome_free(&o);
    T_EQ_INT(c2proc_stop(&s), 0);
}

/* Nothing listens at this address: none of these may send anything. */
#define NOWHERE "http://127.0.0.1:9"

static void test_pipeline_sends_nothing(void)
{
    struct outcome o;

    /* An empty plan is a usage error, said once, through the hook. */
    pipeline_case("unknown-code", NOWHERE, &o);
    T_CONTAINS(o.text, "rc 2\nplanned 0 runnable 0\nsent none\n");
    T_CONTAINS(o.text, "hooks before_send=0 started=0 progress=0 exchanged=0 judged=0\n"
                       "error usage=1: nothing planned: --code 4000000 matches no scenario");
    outcome_free(&o);
    /* --list: the plan, and no hook after it. */
    pipeline_case("list", NULL, &o);
    T_CONTAINS(o.text, "rc 0\nplanned 1 runnable 1\nsent none\n");
    T_CONTAINS(o.text, "hooks before_send=0 started=0 progress=0 exchanged=0 judged=0\n");
    T_NOT_CONTAINS(o.text, "error usage=");
    outcome_free(&o);
    /* before_send refusing (the console found no credentials): its status. */
    pipeline_case("refuse", NOWHERE, &o);
    T_CONTAINS(o.text, "rc 2\nplanned 1 runnable 1\nsent none\n");
    T_CONTAINS(o.text, "hooks before_send=1 started=0 progress=0 exchanged=0 judged=0\n");
    outcome_free(&o);
    /* A missing suite: the loader's error, exit 2. */
    pipeline_case("bad-suite", NOWHERE, &o);
    T_CONTAINS(o.text, "rc 2\nplanned 0 runnable 0\n");
    T_CONTAINS(o.text, "error usage=0: ");
    T_CONTAINS(o.text, "no-such-suite");
    outcome_free(&o);
}

int test_register(void)
{
    CU_pSuite s;

    if (start_worker() < 0) {
        fprintf(stderr, "test_pipeline: cannot start the worker\n");
        return -1;
    }
    s = CU_add_suite("run_pipeline, called directly", NULL, NULL);
    if (!s ||
        !CU_add_test(s, "example scenarios pass against the reference server",
                     test_pipeline_reference_passes) ||
        !CU_add_test(s, "reference mutations are caught by their checks",
                     test_pipeline_reference_mutations) ||
        !CU_add_test(s, "the second contract's suite passes", test_pipeline_contract2_passes) ||
        !CU_add_test(s, "the second contract's changed message fails its check",
                     test_pipeline_contract2_mutation) ||
        !CU_add_test(s, "empty plan, list, a refusing hook, a bad suite: nothing sent",
                     test_pipeline_sends_nothing))
        return -1;
    return 0;
}
