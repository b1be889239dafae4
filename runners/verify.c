/* runners/verify.c -- see verify.h. */
#include "verify.h"

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/reports.h"

#define TRANSCRIPT_CAP 16384

/* CUnit calls test functions without arguments: the start handler tells the
 * one test function which run it is judging. */
struct registered {
    CU_pTest test;
    size_t index;
};

static struct {
    const struct catalog *cat;
    const struct scenario_run *runs;
    const struct verify_options *opt;
    struct result *results;
    struct registered *reg;
    size_t nreg;
    size_t current;
    int oom;
    unsigned tests_run, asserts, asserts_failed;
} V;

static char *sdup(const char *s)
{
    char *p = ac_strdup(s ? s : "");
    if (!p)
        V.oom = 1;
    return p;
}

static char *take(struct ac_buf *b)
{
    char *p = ac_buf_take(b);
    if (!p)
        V.oom = 1;
    return p;
}

static int cmp_reg(const void *a, const void *b)
{
    const struct registered *x = a, *y = b;
    return (x->test > y->test) - (x->test < y->test);
}

static void on_test_start(const CU_pTest test, const CU_pSuite suite)
{
    struct registered key = {test, 0}, *hit;

    (void)suite;
    hit = bsearch(&key, V.reg, V.nreg, sizeof *V.reg, cmp_reg);
    V.current = hit ? hit->index : (size_t)-1;
}

/* "404/4040402 "No such loadbalancer"" or "404 with a body that ...". */
static void describe_observed(struct ac_buf *b, const struct observed *o)
{
    if (o->has_code && o->has_message) {
        size_t real, fit = check_message_fit(o, 300, &real);
        ac_buf_addf(b, "%d/%lld \"%.*s\"", o->status, o->code, (int)fit,
                    o->message ? o->message : "");
        if (fit < real)
            ac_buf_addf(b, " [truncated: %zu of %zu bytes shown]", fit, real);
    } else if (o->has_code)
        ac_buf_addf(b, "%d/%lld (%s)", o->status, o->code,
                    o->body_problem ? o->body_problem : "no message");
    else
        ac_buf_addf(b, "%d (%s)", o->status, o->body_problem ? o->body_problem : "no code");
}

static void add_failure(struct result *r, const struct check_outcome *c, const char *where)
{
    struct check_failure *nv = realloc(r->failures, (r->nfailures + 1) * sizeof *nv);
    struct ac_buf d = AC_BUF_INIT;

    if (!nv) {
        V.oom = 1;
        return;
    }
    r->failures = nv;
    nv += r->nfailures++;
    nv->check = sdup(check_name(c->id));
    nv->expected = sdup(c->expected);
    nv->actual = sdup(c->actual);
    if (where)
        ac_buf_addf(&d, "in %s", where);
    if (c->detail && c->detail[0])
        ac_buf_addf(&d, "%s%s", where ? "\n" : "", c->detail);
    nv->detail = take(&d);
}

static void transcript(struct result *r, const struct scenario_run *run)
{
    struct ac_buf t = AC_BUF_INIT;
    size_t i;

    for (i = 0; i < run->nex; i++) {
        const struct exchange *x = &run->ex[i];
        if (t.len > TRANSCRIPT_CAP)
            break;
        ac_buf_addf(&t, "[%s] %s (%lld ms)\n", x->label, x->request_line, x->ms);
        if (x->request_body)
            ac_buf_addf(&t, "  > %s\n", x->request_body);
        if (x->transport_error) {
            ac_buf_addf(&t, "  ! %s\n", x->error_text);
            continue;
        }
        {
            const char *ct = observed_header(&x->obs, "Content-Type");
            const char *rname = contract_or_builtin(contract_active())->request_id_header;
            const char *rid = rname ? observed_header(&x->obs, rname) : NULL;
            ac_buf_addf(&t, "  < %d %s, ", x->obs.status, ct ? ct : "(no Content-Type)");
            if (rname)
                ac_buf_addf(&t, "%s %s, ", rname, rid ? rid : "(none)");
            ac_buf_addf(&t, "%zu bytes\n", x->body_len);
        }
        if (x->excerpt && x->excerpt[0])
            ac_buf_addf(&t, "  < %s\n", x->excerpt);
    }
    if (t.len > TRANSCRIPT_CAP) {
        size_t more = t.len - TRANSCRIPT_CAP;
        t.len = TRANSCRIPT_CAP;
        t.data[t.len] = '\0';
        ac_buf_addf(&t, "\n[transcript truncated: %zu more bytes, %zu exchanges in all]\n", more,
                    run->nex);
    } else if (i < run->nex) {
        ac_buf_addf(&t, "[transcript truncated: %zu more exchanges]\n", run->nex - i);
    }
    r->transcript = take(&t);
}

static size_t longest_catalog_message(void)
{
    size_t i, n, longest = 0;

    for (i = 0; i < catalog_count(V.cat); i++) {
        n = strlen(catalog_at(V.cat, i)->message);
        if (n > longest)
            longest = n;
    }
    return longest;
}

/* The probe's body exceeded the cap (an error: nothing is judged on part
 * of a body), but what was read shows a "message" already longer than any
 * catalog message: whatever follows, it cannot be the expected one, so
 * that much is a failure of the message check. Fills *oc and returns 1
 * then; 0 when it stays an error. */
static int cut_message_outcome(const struct exchange *x, const struct catalog_entry *want,
                               enum message_mode mode, struct check_outcome *oc)
{
    const struct engine_cut_message *m = x->cut;
    size_t longest, bound;
    struct ac_buf d = AC_BUF_INIT;

    if (!V.opt->enabled[CHECK_MESSAGE] || mode == MESSAGE_IGNORE)
        return 0;
    longest = longest_catalog_message();
    bound = mode == MESSAGE_NORMALIZED ? m->norm_len : m->len;
    if (bound <= longest)
        return 0;
    ac_buf_addf(&d, "message is longer than %zu bytes, longer than any catalog message (", longest);
    if (m->whole)
        ac_buf_addf(&d, "it has %zu bytes", m->len);
    else
        ac_buf_addf(&d, "%zu bytes of it had arrived", m->len);
    ac_buf_addf(&d, " when the %s)", x->error_text ? x->error_text : "body was cut");
    memset(oc, 0, sizeof *oc);
    oc->id = CHECK_MESSAGE;
    oc->expected = check_quote_message(want->message, strlen(want->message), strlen(want->message),
                                       0, REPORT_FIELD_CAP);
    oc->actual = check_quote_message(m->head, m->head_len, m->len, !m->whole, 200);
    oc->detail = take(&d);
    if (!oc->expected || !oc->actual)
        V.oom = 1;
    return 1;
}

static void assert_outcomes(const struct check_list *l, const char *file)
{
    size_t i;
    char cond[600];

    for (i = 0; i < l->n; i++) {
        const struct check_outcome *c = &l->v[i];
        snprintf(cond, sizeof cond, "%s: expected %.250s, got %.250s", check_name(c->id),
                 c->expected ? c->expected : "", c->actual ? c->actual : "");
        CU_assertImplementation(c->passed ? CU_TRUE : CU_FALSE, 0,
                                c->passed ? check_name(c->id) : cond, file, "", CU_FALSE);
    }
}

/* The checks the "expected S/C "M", got ..." triple of a line speaks for. */
static int is_triple_check(const char *name)
{
    const struct check_row *row = check_row(check_by_name(name));

    return row && row->summary == CHECK_SUMMARY_TRIPLE;
}

/* The one test function: judges run V.current. */
static void judge(void)
{
    const struct scenario_run *run;
    const struct scenario *sc;
    const struct catalog_entry *want;
    struct result *r;
    struct ac_buf sum = AC_BUF_INIT;
    enum message_mode mode;
    size_t i, k, pstart = 0, pend = 0; /* r->failures[pstart..pend) are the probe's */
    int probe_failed = 0;
    const struct exchange *cut = NULL;

    if (V.current == (size_t)-1)
        return;
    run = &V.runs[V.current];
    r = &V.results[V.current];
    sc = run->sc;
    want = catalog_find(V.cat, sc->code);
    mode = sc->message_mode != MESSAGE_DEFAULT ? sc->message_mode : V.opt->message_mode;
    for (i = 0; i < run->nex; i++) {
        const struct exchange *x = &run->ex[i];
        struct check_list l = {NULL, 0};
        int is_probe = (long)i == run->probe;

        if (x->transport_error && x->cut && x->phase == PHASE_PROBE) {
            struct check_outcome oc;
            if (cut_message_outcome(x, want, mode, &oc)) {
                struct check_list one = {&oc, 1};
                assert_outcomes(&one, sc->file);
                pstart = r->nfailures;
                add_failure(r, &oc, NULL);
                pend = r->nfailures;
                cut = x;
                free(oc.expected);
                free(oc.actual);
                free(oc.detail);
            }
            continue;
        }
        if (x->transport_error || (!is_probe && x->obs.status < 400))
            continue;
        {
            /* A probe that stalls its upload on purpose is answered when
             * the target's read timeout expires: that time is the target's
             * policy, not its speed. */
            struct check_input in = {&x->obs, V.cat, is_probe ? want : NULL, mode, x->ms, 0};
            if (is_probe && !sc->request.stall)
                in.budget_ms = V.opt->max_response_ms;
            if (check_run(&in, V.opt->enabled, &l) < 0)
                V.oom = 1;
        }
        assert_outcomes(&l, sc->file);
        if (is_probe)
            pstart = r->nfailures;
        for (k = 0; k < l.n; k++) {
            if (l.v[k].passed)
                continue;
            add_failure(r, &l.v[k], is_probe ? NULL : x->label);
            /* A slow answer alone is not a wrong answer: the summary
             * then names the check, not the answer's contents. */
            if (is_probe && check_row(l.v[k].id)->scope != CHECK_SCOPE_TIMING)
                probe_failed = 1;
        }
        if (is_probe)
            pend = r->nfailures;
        check_list_release(&l);
    }
    if (r->nfailures) {
        /* The line names every failed check: the status/code/message triple
         * only when one of those (or the body) failed, then each other
         * check with its expected and actual value, so a missing Request-Id
         * does not read 'expected 404/4040402 ..., got 404/4040402 ...'. */
        int triple = 0;
        r->verdict = VERDICT_FAIL;
        for (k = pstart; probe_failed && k < pend; k++)
            triple |= is_triple_check(r->failures[k].check);
        if (triple) {
            const struct observed *o = &run->ex[run->probe].obs;
            ac_buf_addf(&sum, "expected %d/%ld \"%s\", got ", want->status, want->code,
                        want->message);
            describe_observed(&sum, o);
        }
        if (cut && !triple) {
            /* The answer was cut at the body cap: what was read already
             * shows a message no catalog holds. */
            ac_buf_addf(&sum, "expected %d/%ld \"%s\", got %d: %s", want->status, want->code,
                        want->message, cut->cut_status, r->failures[pstart].detail);
        }
        for (k = 0; k < r->nfailures; k++) {
            const struct check_failure *f = &r->failures[k];
            int in_step = k < pstart || k >= pend;
            size_t line = in_step ? strcspn(f->detail + 3, "\n") : 0;
            if ((triple || cut) && !in_step && is_triple_check(f->check))
                continue;
            ac_buf_adds(&sum, sum.len ? "; " : "");
            if (in_step)
                ac_buf_addf(&sum, "%.*s: ", (int)line, f->detail + 3);
            ac_buf_addf(&sum, "%s: expected %s, got %s", f->check, f->expected, f->actual);
        }
        /* Keep the one-line summary one line. */
        for (k = 0; k < sum.len; k++)
            if (sum.data[k] == '\n')
                sum.data[k] = ' ';
        r->summary = take(&sum);
    } else if (run->error || run->probe < 0) {
        r->verdict = VERDICT_ERROR;
        r->interrupted = run->error && run->interrupted;
        r->summary = sdup(run->error ? run->error : "the probe was not sent");
        CU_assertImplementation(CU_FALSE, 0, r->summary, sc->file, "", CU_FALSE);
    } else {
        r->verdict = VERDICT_PASS;
        r->summary = sdup("");
    }
    ac_buf_release(&sum);
}

/* CU_add_test scans the suite for a duplicate name and walks to its tail,
 * both in linear time: quadratic for a large suite (10,000 scenarios spent
 * a third of the run there). Ids are unique by the loader's check, so the
 * test is added to an empty list and linked at a tail we remember. */
static CU_pTest add_test_fast(CU_pSuite suite, CU_pTest *tail, const char *name)
{
    CU_pTest head = suite->pTest, t;
    unsigned n = suite->uiNumberOfTests;

    suite->pTest = NULL;
    suite->uiNumberOfTests = 0;
    t = CU_add_test(suite, name, judge);
    suite->pTest = head;
    suite->uiNumberOfTests = n;
    if (!t)
        return NULL;
    t->pPrev = *tail;
    t->pNext = NULL;
    if (*tail)
        (*tail)->pNext = t;
    else
        suite->pTest = t;
    *tail = t;
    suite->uiNumberOfTests++;
    return t;
}

/* A failed or errored scenario's reproducer: the engine's script under a
 * header that says what was expected and what the target answered. */
static void attach_reproducer(struct result *r, const struct scenario_run *run)
{
    struct ac_buf b = AC_BUF_INIT;
    const struct scenario *sc = run->sc;
    const struct catalog_entry *want = catalog_find(V.cat, sc->code);

    if ((r->verdict != VERDICT_FAIL && r->verdict != VERDICT_ERROR) || !run->script)
        return;
    ac_buf_adds(&b, "#!/bin/sh\n");
    engine_script_comment(&b, "apiconform reproducer of ", sc->id);
    engine_script_comment(&b, "scenario file: ", sc->file);
    if (want) {
        char pre[64];
        snprintf(pre, sizeof pre, "expected: %d/%ld ", want->status, want->code);
        engine_script_comment(&b, pre, want->message);
    }
    engine_script_comment(&b, r->verdict == VERDICT_FAIL ? "failed: " : "error: ", r->summary);
    ac_buf_adds(&b, "# Run: sh THIS-FILE (each request prints its answer and its status).\n");
    ac_buf_adds(&b, run->script);
    r->reproducer = take(&b);
}

static int fill_static(struct result *r, const struct scenario_run *run)
{
    const struct scenario *sc = run->sc;

    r->scenario_id = sdup(sc->id);
    r->code = sc->code;
    r->service = sc->service;
    r->title = sdup(sc->title);
    r->file = sdup(sc->file);
    r->cls = sdup(scenario_class_name(sc->cls));
    r->got_code = -1;
    r->started_ms = run->started_ms;
    r->duration_ms = run->duration_ms;
    if (run->skip_reason) {
        r->verdict = VERDICT_SKIP;
        r->summary = sdup(run->skip_reason);
        return 0;
    }
    transcript(r, run);
    if (run->probe >= 0) {
        const struct exchange *x = &run->ex[run->probe];
        r->curl = sdup(x->curl);
        r->got_status = x->obs.status;
        r->got_code = x->obs.has_code ? (long)x->obs.code : -1;
        r->got_message = NULL;
        if (x->obs.has_message) {
            /* Capped copies name the real size, and fit a report field. */
            size_t real, fit = check_message_fit(&x->obs, REPORT_FIELD_CAP - 64, &real);
            struct ac_buf m = AC_BUF_INIT;
            ac_buf_add(&m, x->obs.message ? x->obs.message : "", fit);
            if (fit < real)
                ac_buf_addf(&m, " [truncated: %zu of %zu bytes shown]", fit, real);
            r->got_message = take(&m);
        }
        r->response_excerpt = sdup(x->excerpt);
    } else {
        size_t i;
        for (i = 0; i < run->nex; i++) {
            const struct exchange *x = &run->ex[i];
            if (x->cut && x->phase == PHASE_PROBE) {
                r->got_status = x->cut_status;
                r->response_excerpt = sdup(x->excerpt);
            }
        }
    }
    return 0;
}

int verify_runs(const struct catalog *cat, const struct scenario_run *runs, size_t n,
                const struct verify_options *o, struct run_results *out, struct ac_error *err)
{
    CU_pSuite suites[100] = {0};
    CU_pTest tails[100] = {0};
    struct result *nr;
    size_t i, base = out->nresults;
    int rc = -1;
    char name[160];

    nr = realloc(out->results, (out->nresults + n + 1) * sizeof *nr);
    if (!nr)
        return ac_error_nomem(err, NULL);
    out->results = nr;
    memset(nr + base, 0, (n + 1) * sizeof *nr);
    out->nresults += n;
    memset(&V, 0, sizeof V);
    V.cat = cat;
    V.runs = runs;
    V.opt = o;
    V.results = nr + base;
    V.reg = calloc(n + 1, sizeof *V.reg);
    if (!V.reg || CU_initialize_registry() != CUE_SUCCESS) {
        ac_error_set(err, AC_ERR_NOMEM, NULL, "cannot set up CUnit: %s", CU_get_error_msg());
        free(V.reg);
        return -1;
    }
    /* Skipped scenarios are inactive tests; inactive is not failed. */
    CU_set_fail_on_inactive(CU_FALSE);
    CU_set_test_start_handler(on_test_start);
    for (i = 0; i < n; i++) {
        const struct scenario *sc = runs[i].sc;
        int svc = sc->service;
        CU_pTest t;

        fill_static(&V.results[i], &runs[i]);
        if (!suites[svc]) {
            snprintf(name, sizeof name, "%02d %s", svc, catalog_service_name(cat, svc));
            suites[svc] = CU_add_suite(name, NULL, NULL);
            if (!suites[svc])
                goto cunit_fail;
        }
        snprintf(name, sizeof name, "%ld %s", sc->code, sc->id);
        t = add_test_fast(suites[svc], &tails[svc], name);
        if (!t)
            goto cunit_fail;
        if (runs[i].skip_reason)
            CU_set_test_active(t, CU_FALSE);
        V.reg[V.nreg].test = t;
        V.reg[V.nreg].index = i;
        V.nreg++;
    }
    qsort(V.reg, V.nreg, sizeof *V.reg, cmp_reg);
    if (CU_run_all_tests() != CUE_SUCCESS)
        goto cunit_fail;
    for (i = 0; i < n; i++)
        attach_reproducer(&V.results[i], &runs[i]);
    V.tests_run = CU_get_number_of_tests_run();
    V.asserts = CU_get_number_of_asserts();
    V.asserts_failed = CU_get_number_of_failures();
    if (V.oom) {
        ac_error_set(err, AC_ERR_NOMEM, NULL, "out of memory while judging");
        goto out;
    }
    rc = 0;
    goto out;
cunit_fail:
    ac_error_set(err, AC_ERR_NOMEM, NULL, "CUnit: %s", CU_get_error_msg());
out : {
    unsigned tr = V.tests_run, as = V.asserts, af = V.asserts_failed;
    CU_cleanup_registry();
    free(V.reg);
    memset(&V, 0, sizeof V);
    V.tests_run = tr;
    V.asserts = as;
    V.asserts_failed = af;
}
    return rc;
}

void verify_cunit_counts(unsigned *tests_run, unsigned *asserts, unsigned *asserts_failed)
{
    *tests_run = V.tests_run;
    *asserts = V.asserts;
    *asserts_failed = V.asserts_failed;
}
