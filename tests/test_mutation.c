/* tests/test_mutation.c -- the proof that each of the suite's checks catches
 * what it exists for (make mutation, part of make test).
 *
 * The table is data: tests/mutations.json has one row per mutation the
 * reference server offers (apiconform-ref --mutate help). A breaking row
 * names the checks made for that mutation; a legal row names none. For
 * every row the whole suite runs against the server deviating in that way
 * for all codes, exactly as `make run` runs it (mk/run.sh with REF_ARGS),
 * and the per-check outcome is read from the run's --json results:
 *
 *   breaking  exit 1, at least one scenario failed, and EVERY failed
 *             scenario failed each check the row names. A detection by
 *             some other check does not count: a dead `status` check must
 *             not hide behind `consistency` failing on the same answer.
 *             With "only": true no other check may fail at all.
 *   legal     exit 0 and no scenario failed.
 *
 * "run_args" adds runner options to a row's run (slow-answers is caught
 * only with a response-time budget). The first tests check the table
 * itself against both programs; the unmutated run also proves that a full
 * run leaves the server with no resource it created. Each row is its own
 * CUnit test, named after the mutation, and prints one line of the table:
 * how many scenarios failed and, per named check, in how many it failed. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tdata.h"
#include "testutil.h"

#define TABLE "tests/mutations.json"
#define MAX_ROWS 64
#define MAX_CHECKS 8

struct row {
    char mutation[64];
    int legal;
    size_t nchecks;
    char checks[MAX_CHECKS][32]; /* breaking: each must fail in every failed scenario */
    int only;                    /* 1: no check outside checks may fail */
    char run_args[256];          /* extra RUN_ARGS, words separated by one space */
    char test_name[128];         /* the CUnit test's name */
};

static struct row rows[MAX_ROWS];
static size_t nrows;

/* ---- the table --------------------------------------------------------- */

static int load_row(const json_t *o, size_t i, const char *file, struct row *r,
                    struct ac_error *err)
{
    static const char *const allowed[] = {"mutation", "kind", "checks", "only", "run_args", NULL};
    const char *name, *kind;
    const json_t *checks, *args, *s;
    char where[96];
    size_t k;

    memset(r, 0, sizeof *r);
    snprintf(where, sizeof where, "mutations[%zu]", i);
    if (!json_is_object(o))
        return td_fail(err, file, where, "", "expected an object, got %s",
                       json_is_array(o) ? "an array" : "a scalar");
    if (td_string(o, "mutation", 1, file, where, &name, err) < 0)
        return -1;
    if (!*name || strlen(name) >= sizeof r->mutation || strpbrk(name, " :"))
        return td_fail(err, file, where, "mutation",
                       "expected a mutation name (no spaces or ':'), got \"%s\"", name);
    snprintf(r->mutation, sizeof r->mutation, "%s", name);
    snprintf(where, sizeof where, "mutations[%zu] (%s)", i, name);
    if (td_members(o, allowed, file, where, err) < 0 ||
        td_string(o, "kind", 1, file, where, &kind, err) < 0 ||
        td_strings(o, "checks", 0, 0, file, where, &checks, err) < 0 ||
        td_bool(o, "only", 0, file, where, &r->only, err) < 0 ||
        td_strings(o, "run_args", 0, 0, file, where, &args, err) < 0)
        return -1;
    if (strcmp(kind, "breaking") && strcmp(kind, "legal"))
        return td_fail(err, file, where, "kind", "expected \"breaking\" or \"legal\", got \"%s\"",
                       kind);
    r->legal = strcmp(kind, "legal") == 0;
    if (r->legal && (checks || r->only))
        return td_fail(err, file, where, checks ? "checks" : "only",
                       "a legal mutation is caught by no check: leave it out");
    if (!r->legal && !checks)
        return td_fail(err, file, where, "checks",
                       "missing: a breaking mutation names the checks made to catch it");
    json_array_foreach (checks, k, s) {
        const char *c = json_string_value(s);
        if (k >= MAX_CHECKS || !*c || strlen(c) >= sizeof r->checks[0])
            return td_fail(err, file, where, "checks", "expected at most %d check names",
                           MAX_CHECKS);
        snprintf(r->checks[r->nchecks++], sizeof r->checks[0], "%s", c);
    }
    json_array_foreach (args, k, s) {
        const char *a = json_string_value(s);
        size_t used = strlen(r->run_args);
        /* mk/run.sh splits RUN_ARGS at blanks: a word must not hold one. */
        if (!*a || strpbrk(a, " \t\n'\"\\$`"))
            return td_fail(err, file, where, "run_args",
                           "expected words without blanks or shell quoting, got \"%s\"", a);
        if (used + strlen(a) + 2 > sizeof r->run_args)
            return td_fail(err, file, where, "run_args", "longer than %zu bytes",
                           sizeof r->run_args - 1);
        snprintf(r->run_args + used, sizeof r->run_args - used, "%s%s", used ? " " : "", a);
    }
    return 0;
}

/* Loads path (shown as file) into rows; 0, or -1 with err set. */
static int load_table(const char *path, const char *file, struct ac_error *err)
{
    static const char *const allowed[] = {"format", "mutations", NULL};
    json_t *root = td_load(path, file, "apiconform-mutation-table/1", err), *arr, *o;
    size_t i, j;
    int rc = -1;

    nrows = 0;
    if (!root || td_members(root, allowed, file, "", err) < 0)
        goto out;
    arr = json_object_get(root, "mutations");
    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        td_fail(err, file, "", "mutations", "expected a non-empty array of rows");
        goto out;
    }
    if (json_array_size(arr) > MAX_ROWS) {
        td_fail(err, file, "", "mutations", "expected at most %d rows", MAX_ROWS);
        goto out;
    }
    json_array_foreach (arr, i, o) {
        if (load_row(o, i, file, &rows[i], err) < 0)
            goto out;
        for (j = 0; j < i; j++)
            if (strcmp(rows[j].mutation, rows[i].mutation) == 0) {
                char where[96];
                snprintf(where, sizeof where, "mutations[%zu]", i);
                td_fail(err, file, where, "mutation", "\"%s\" is already mutations[%zu]",
                        rows[i].mutation, j);
                goto out;
            }
        snprintf(rows[i].test_name, sizeof rows[i].test_name, "--mutate %s %s", rows[i].mutation,
                 rows[i].legal ? "is accepted" : "is caught by its checks");
        nrows = i + 1;
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}

/* ---- one run of the suite ---------------------------------------------- */

struct outcome {
    int status;
    size_t failed, scenarios;
    size_t caught[MAX_CHECKS]; /* failed scenarios in which checks[k] failed */
    char checks[256];          /* distinct failed checks, "status consistency " */
    char strays[256];          /* distinct failed checks the row does not name */
};

static int named(const struct row *row, const char *check)
{
    for (size_t k = 0; k < row->nchecks; k++)
        if (strcmp(row->checks[k], check) == 0)
            return 1;
    return 0;
}

static void add_tag(char *set, size_t size, const char *check)
{
    char tag[40];

    snprintf(tag, sizeof tag, "%s ", check);
    if (!strstr(set, tag) && strlen(set) + strlen(tag) < size)
        strcat(set, tag);
}

/* Runs the suite with REF_ARGS ref_args and the row's run_args (row NULL:
 * unmutated) and reads OUT/results.json into o. -1 when the results file
 * is missing or not what the runner writes. */
static int run_suite(const char *ref_args, const struct row *row, const char *out_dir,
                     struct outcome *o)
{
    char script[1024];
    char *argv[] = {(char *)"/bin/sh", script, (char *)t_build(), NULL};
    char env_ref[512], env_out[512], env_run[512], env_ci[] = "CI=1";
    char *env[] = {env_ref, env_out, env_run, env_ci, NULL};
    json_t *root, *results, *r;
    size_t i;
    char *out = NULL, *err = NULL;

    snprintf(script, sizeof script, "%s/mk/run.sh", t_root());
    snprintf(env_ref, sizeof env_ref, "REF_ARGS=%s", ref_args);
    snprintf(env_out, sizeof env_out, "OUT=%s", out_dir);
    snprintf(env_run, sizeof env_run, "RUN_ARGS=-q %s", row ? row->run_args : "");
    memset(o, 0, sizeof *o);
    /* mk/run.sh runs from the project root: the suite and catalog are there;
     * an old results file must not stand in for a run that wrote none. */
    if (chdir(t_root()) != 0 || (unlink(t_path("%s/results.json", out_dir)) < 0 && errno != ENOENT))
        return -1;
    o->status = t_run(argv, env, &out, &err);
    free(out);
    free(err);
    root = json_load_file(t_path("%s/results.json", out_dir), 0, NULL);
    results = json_object_get(root, "results");
    if (!json_is_array(results)) {
        json_decref(root);
        return -1;
    }
    json_array_foreach (results, i, r) {
        json_t *f;
        size_t k;
        char seen[256] = "";
        const char *verdict = json_string_value(json_object_get(r, "verdict"));

        o->scenarios++;
        if (!verdict || strcmp(verdict, "failed"))
            continue;
        o->failed++;
        json_array_foreach (json_object_get(r, "failures"), k, f) {
            const char *c = json_string_value(json_object_get(f, "check"));
            c = c ? c : "?";
            add_tag(o->checks, sizeof o->checks, c);
            add_tag(seen, sizeof seen, c);
            if (row && !named(row, c))
                add_tag(o->strays, sizeof o->strays, c);
        }
        for (k = 0; row && k < row->nchecks; k++) {
            char tag[40];
            snprintf(tag, sizeof tag, "%s ", row->checks[k]);
            o->caught[k] += strstr(seen, tag) != NULL;
        }
    }
    json_decref(root);
    return 0;
}

static const char *out_dir(void)
{
    static char dir[1024];

    /* A copy: t_path's buffers rotate. */
    snprintf(dir, sizeof dir, "%s/mutation", t_build());
    return dir;
}

/* ---- tests --------------------------------------------------------------- */

/* The check names of the runner, from its own usage error (the one list). */
static void runner_checks(char *out, size_t size)
{
    char *argv[] = {(char *)t_path("%s/apiconform", t_build()), (char *)"run",
                    (char *)"--skip-check", (char *)"?", NULL};
    char *err = NULL;
    const char *open_paren;

    out[0] = '\0';
    T_EQ_INT(t_run(argv, NULL, NULL, &err), 2);
    open_paren = err ? strstr(err, "no check named '?' (") : NULL;
    T_TRUE(open_paren != NULL);
    if (open_paren) {
        /* "(status, body, ...)" becomes " status body ... " */
        const char *p = open_paren + strlen("no check named '?' (");
        size_t n = 0;
        out[n++] = ' ';
        for (; *p && *p != ')' && n + 2 < size; p++)
            if (*p != ',')
                out[n++] = *p;
        out[n++] = ' ';
        out[n] = '\0';
    }
    free(err);
}

/* Every mutation of --mutate help has exactly one row, of the kind help
 * says; every named check is one the runner has. */
static void test_mutation_table_matches_the_programs(void)
{
    char *argv[] = {(char *)t_path("%s/apiconform-ref", t_build()), (char *)"--mutate",
                    (char *)"help", NULL};
    char *help = NULL, *line, *save = NULL, checks[512], label[1024];
    int in_help[MAX_ROWS] = {0}, n = 0;

    T_EQ_INT(t_run(argv, NULL, &help, NULL), 0);
    for (line = strtok_r(help, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char name[64];
        size_t i;
        int legal;
        if (line[0] == ' ' || line[0] == '\0' || sscanf(line, "%63s", name) != 1 ||
            strstr(line, "NAME:CODE"))
            continue;
        legal = strstr(line, "legal:") != NULL;
        n++;
        for (i = 0; i < nrows && strcmp(rows[i].mutation, name); i++)
            ;
        snprintf(label, sizeof label, TABLE ": a row for --mutate %s", name);
        t_eq_int(i < nrows, 1, label, __LINE__, __FILE__);
        if (i == nrows)
            continue;
        in_help[i] = 1;
        snprintf(label, sizeof label, TABLE ": %s is legal (as --mutate help says)", name);
        t_eq_int(rows[i].legal, legal, label, __LINE__, __FILE__);
    }
    T_TRUE(n >= 19);
    T_EQ_INT(nrows, n);
    runner_checks(checks, sizeof checks);
    for (size_t i = 0; i < nrows; i++) {
        snprintf(label, sizeof label, TABLE ": --mutate %.63s in apiconform-ref --mutate help",
                 rows[i].mutation);
        t_eq_int(in_help[i], 1, label, __LINE__, __FILE__);
        for (size_t k = 0; k < rows[i].nchecks; k++) {
            char tag[40];
            snprintf(tag, sizeof tag, " %s ", rows[i].checks[k]);
            snprintf(label, sizeof label, TABLE ": %.63s names check '%.31s', one of%.500s",
                     rows[i].mutation, rows[i].checks[k], checks);
            t_eq_int(strstr(checks, tag) != NULL, 1, label, __LINE__, __FILE__);
        }
    }
    free(help);
}

/* Bad rows are refused with the file, the row and what was expected. */
static void test_mutation_table_errors(void)
{
    static const struct {
        const char *text, *error;
    } cases[] = {
        {"{\"format\": \"x\", \"mutations\": []}", "T: format: expected "
                                                   "\"apiconform-mutation-table/1\", got \"x\""},
        {"{\"format\": \"apiconform-mutation-table/1\", \"mutations\": [{\"mutation\": "
         "\"ok-status\", \"kind\": \"breaking\"}]}",
         "T: mutations[0] (ok-status): checks: missing: a breaking mutation names the checks "
         "made to catch it"},
        {"{\"format\": \"apiconform-mutation-table/1\", \"mutations\": [{\"mutation\": "
         "\"charset\", \"kind\": \"legal\", \"checks\": [\"status\"]}]}",
         "T: mutations[0] (charset): checks: a legal mutation is caught by no check: leave "
         "it out"},
        {"{\"format\": \"apiconform-mutation-table/1\", \"mutations\": [{\"mutation\": "
         "\"ok-status\", \"kind\": \"breaking\", \"check\": \"status\"}]}",
         "T: mutations[0] (ok-status): unknown member \"check\" (allowed: mutation, kind, "
         "checks, only, run_args)"},
        {"{\"format\": \"apiconform-mutation-table/1\", \"mutations\": [{\"mutation\": "
         "\"ok-status\", \"kind\": \"fatal\"}]}",
         "T: mutations[0] (ok-status): kind: expected \"breaking\" or \"legal\", got \"fatal\""},
        {"{\"format\": \"apiconform-mutation-table/1\", \"mutations\": [{\"mutation\": "
         "\"ok-status\", \"kind\": \"breaking\", \"checks\": [1]}]}",
         "T: mutations[0] (ok-status): checks[0]: expected a string, got an integer"},
        {"{\"format\": \"apiconform-mutation-table/1\", \"mutations\": [{\"mutation\": "
         "\"a\", \"kind\": \"legal\"}, {\"mutation\": \"a\", \"kind\": \"legal\"}]}",
         "T: mutations[1]: mutation: \"a\" is already mutations[0]"},
        {"{\"format\": \"apiconform-mutation-table/1\", \"mutations\": [{\"mutation\": "
         "\"a\", \"kind\": \"legal\", \"run_args\": [\"--code 1\"]}]}",
         "T: mutations[0] (a): run_args: expected words without blanks or shell quoting, got "
         "\"--code 1\""},
        {"{\"format\": \"apiconform-mutation-table/1\",",
         "T:1:41: string or '}' expected near end of file"},
    };
    struct row saved[MAX_ROWS];
    size_t saved_n = nrows;

    memcpy(saved, rows, sizeof rows);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ac_error err = AC_ERROR_INIT;
        const char *path = t_write_temp("mutations.json", cases[i].text, strlen(cases[i].text));
        char text[600];
        T_EQ_INT(load_table(path, "T", &err), -1);
        T_EQ_STR(ac_error_str(&err, text, sizeof text), cases[i].error);
    }
    {
        struct ac_error err = AC_ERROR_INIT;
        char text[600];
        T_EQ_INT(load_table("/nonexistent/mutations.json", "T", &err), -1);
        T_EQ_STR(ac_error_str(&err, text, sizeof text),
                 "T: cannot read: No such file or directory");
    }
    memcpy(rows, saved, sizeof rows);
    nrows = saved_n;
}

/* The unmutated suite passes and leaves nothing behind. */
static void test_mutation_clean_run(void)
{
    struct outcome base;

    T_EQ_INT(run_suite("", NULL, out_dir(), &base), 0);
    T_EQ_INT(base.status, 0);
    T_TRUE(base.scenarios >= 159);
    T_EQ_INT(base.failed, 0);
    {
        /* A clean run leaves nothing behind but the persistent fixtures:
         * the two repositories (which the API cannot delete) and the tag
         * quota scenario's stable tags cf-q1.. (as many as profiles/
         * reference.json's tags quota) in one of them; the server's own
         * count. */
        char *state = t_read_file(t_path("%s/reference-state.json", out_dir()), NULL);
        json_t *st = state ? json_loads(state, 0, NULL) : NULL;
        json_t *main_acc = json_object_get(json_object_get(st, "accounts"), "main");
        T_TRUE(json_is_object(main_acc));
        T_EQ_INT(json_integer_value(json_object_get(main_acc, "repositories")), 2);
        T_TRUE(json_integer_value(json_object_get(main_acc, "tags")) <= 6); /* quotas.tags */
        T_EQ_INT(json_integer_value(json_object_get(st, "total")),
                 2 + json_integer_value(json_object_get(main_acc, "tags")));
        json_decref(st);
        free(state);
    }
    printf("\n    %-24s %-9s %-8s %s\n", "mutation", "kind", "result",
           "failed scenarios; per named check: scenarios it failed in; all failed checks");
}

/* One row: the test's name finds it. */
static void test_mutation_row(void)
{
    const char *name = CU_get_current_test()->pName;
    const struct row *row = NULL;
    struct outcome o;
    char refargs[128], label[1024], per[256] = "";
    int ok;

    for (size_t i = 0; i < nrows && !row; i++)
        if (strcmp(rows[i].test_name, name) == 0)
            row = &rows[i];
    T_TRUE(row != NULL);
    if (!row)
        return;
    snprintf(refargs, sizeof refargs, "--mutate %s", row->mutation);
    snprintf(label, sizeof label, "--mutate %s: results.json written", row->mutation);
    t_eq_int(run_suite(refargs, row, out_dir(), &o), 0, label, __LINE__, __FILE__);
    if (row->legal) {
        snprintf(label, sizeof label, "--mutate %s (legal): exit status", row->mutation);
        t_eq_int(o.status, 0, label, __LINE__, __FILE__);
        snprintf(label, sizeof label, "--mutate %s (legal): failed scenarios (checks: %s)",
                 row->mutation, o.checks);
        t_eq_int(o.failed, 0, label, __LINE__, __FILE__);
        ok = o.status == 0 && o.failed == 0;
    } else {
        snprintf(label, sizeof label, "--mutate %s: exit status", row->mutation);
        ok = t_eq_int(o.status, 1, label, __LINE__, __FILE__);
        snprintf(label, sizeof label, "--mutate %s: some scenario failed", row->mutation);
        ok &= t_eq_int(o.failed > 0, 1, label, __LINE__, __FILE__);
        for (size_t k = 0; k < row->nchecks; k++) {
            /* The attribution: this check, in every failed scenario. */
            snprintf(label, sizeof label,
                     "--mutate %s: failed scenarios in which check '%s' failed (failed "
                     "checks: %s)",
                     row->mutation, row->checks[k], o.checks);
            ok &= t_eq_int(o.caught[k], o.failed, label, __LINE__, __FILE__);
            snprintf(per + strlen(per), sizeof per - strlen(per), "%s%s %zu", k ? ", " : "",
                     row->checks[k], o.caught[k]);
        }
        if (row->only) {
            snprintf(label, sizeof label, "--mutate %s: checks not named in " TABLE " that failed",
                     row->mutation);
            ok &= t_eq_str(o.strays, "", label, __LINE__, __FILE__);
        }
    }
    printf("\n    %-24s %-9s %-8s %zu/%zu; %s; %s\n    ", row->mutation,
           row->legal ? "legal" : "breaking",
           row->legal ? (ok ? "accepted" : "FLAGGED") : (ok ? "caught" : "MISSED"), o.failed,
           o.scenarios, per[0] ? per : "-", o.checks[0] ? o.checks : "-");
}

int test_register(void)
{
    struct ac_error err = AC_ERROR_INIT;
    char text[600];
    CU_pSuite s;

    if (load_table(t_path("%s/%s", t_root(), TABLE), TABLE, &err) < 0) {
        fprintf(stderr, "%s\n", ac_error_str(&err, text, sizeof text));
        return -1;
    }
    s = CU_add_suite("mutations of the reference server", NULL, NULL);
    if (!s ||
        !CU_add_test(s, "the table names every mutation and real checks",
                     test_mutation_table_matches_the_programs) ||
        !CU_add_test(s, "the table's errors are exact", test_mutation_table_errors) ||
        !CU_add_test(s, "the unmutated suite passes and cleans up", test_mutation_clean_run))
        return -1;
    for (size_t i = 0; i < nrows; i++)
        if (!CU_add_test(s, rows[i].test_name, test_mutation_row))
            return -1;
    return 0;
}
