/* suite/suite.c -- a loaded suite: making and freeing one, what it holds
 * (scenarios, fixtures, digest) and the quotas: their names, the quota
 * variables (${quota_NAME}, ${over_quota_NAME}, ${quota_left_NAME}, one
 * table for checking and for defining them) and what a scenario holds.
 * See suite.h for the contract.
 *
 * The loader (load.c and the files it calls) fills a struct suite; once
 * suite_load returns, nothing changes it but suite_set_quotas. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- quotas ------------------------------------------------------------- */

const char *const suite_quota_names[SUITE_NQUOTAS + 1] = {
    "secret-keys",
    "repositories",
    "tags",
    "loadbalancers",
    "listeners",
    "clusters",
    "certs",
    "ips-nce",
    "ips-nlb",
    "services",
    "containers",
    "replicas",
    "envs",
    "command-length",
    "log-dirs",
    "log-dir-length",
    "port-maps",
    "description-length",
    "rate-per-second",
    NULL,
};

int suite_quota_index(const char *name)
{
    int i;

    for (i = 0; name && suite_quota_names[i]; i++)
        if (strcmp(suite_quota_names[i], name) == 0)
            return i;
    return -1;
}

/* The families of quota variables, with '_' for '-' in NAME:
 * ${over_quota_NAME} (one more than the quota), ${quota_left_NAME} (the
 * quota less what the scenario's fixtures hold of it), ${quota_NAME}. */
enum { QV_OVER, QV_LEFT, QV_QUOTA, QV_COUNT };
static const char *const quota_var_prefixes[] = {"over_quota_", "quota_left_", "quota_", NULL};

/* The quota a quota variable names, or -1. */
int suite_quota_var_index(const char *name, size_t len)
{
    int i;
    size_t k, p;

    for (p = 0; quota_var_prefixes[p]; p++)
        if (len > strlen(quota_var_prefixes[p]) &&
            memcmp(name, quota_var_prefixes[p], strlen(quota_var_prefixes[p])) == 0)
            break;
    if (!quota_var_prefixes[p])
        return -1;
    name += strlen(quota_var_prefixes[p]);
    len -= strlen(quota_var_prefixes[p]);
    for (i = 0; suite_quota_names[i]; i++) {
        const char *q = suite_quota_names[i];
        if (strlen(q) != len)
            continue;
        for (k = 0; k < len && (q[k] == name[k] || (q[k] == '-' && name[k] == '_')); k++)
            ;
        if (k == len)
            return i;
    }
    return -1;
}

void suite_set_quotas(struct suite *s, const long *quotas)
{
    size_t i;

    for (i = 0; s && i < s->n; i++) {
        struct step *st = &s->scenarios[i].request;
        long q;
        if (st->repeat_quota < 0)
            continue;
        /* ${i} runs from repeat_from to quota + 1: the last must be refused.
         * Unknown: 0 (the plan skips the scenario). */
        q = quotas ? quotas[st->repeat_quota] : -1;
        if (q < 0)
            st->repeat = 0;
        else {
            q += 2 - st->repeat_from;
            st->repeat = q < 1 ? 1 : q > MAX_REPEAT ? MAX_REPEAT : (int)q;
        }
    }
}

void suite_set_quota_vars(struct vars *v, const struct suite *s, const struct scenario *sc,
                          const long *quotas)
{
    int held[SUITE_NQUOTAS], k, f;
    size_t i;

    memset(held, 0, sizeof held);
    if (s && sc) {
        suite_scenario_holds(s, sc, held);
        for (i = 0; i < sc->nholds; i++)
            held[sc->holds[i].quota] -= sc->holds[i].n; /* its fixtures' only */
    }
    for (k = 0; quotas && k < SUITE_NQUOTAS; k++) {
        if (quotas[k] < 0)
            continue;
        for (f = 0; f < QV_COUNT; f++) {
            long val = f == QV_OVER   ? quotas[k] + 1
                       : f == QV_LEFT ? quotas[k] - held[k]
                                      : quotas[k];
            char name[64], *p;
            json_t *j = json_integer(val);
            snprintf(name, sizeof name, "%s%s", quota_var_prefixes[f], suite_quota_names[k]);
            for (p = name; *p; p++)
                if (*p == '-')
                    *p = '_';
            vars_set(v, name, j);
            json_decref(j);
        }
    }
}

void suite_scenario_holds_if(const struct suite *s, const struct scenario *sc,
                             suite_fixture_filter counts, void *ud, int *holds, int *kept)
{
    size_t i, k;

    memset(holds, 0, SUITE_NQUOTAS * sizeof *holds);
    if (kept)
        memset(kept, 0, SUITE_NQUOTAS * sizeof *kept);
    for (i = 0; i < sc->nfixtures; i++) {
        const struct fixture *f = suite_fixture(s, sc->fixtures[i]);
        if (!f || (counts && !counts(ud, f)))
            continue;
        for (k = 0; k < f->nholds; k++) {
            holds[f->holds[k].quota] += f->holds[k].n;
            if (kept && f->persistent)
                kept[f->holds[k].quota] += f->holds[k].n;
        }
    }
    for (k = 0; k < sc->nholds; k++)
        holds[sc->holds[k].quota] += sc->holds[k].n;
}

void suite_scenario_holds(const struct suite *s, const struct scenario *sc, int *holds)
{
    suite_scenario_holds_if(s, sc, NULL, NULL, holds, NULL);
}

/* ---- the suite ---------------------------------------------------------- */

struct suite *suite_new(const char *fixtures_file, struct ac_error *err)
{
    struct suite *s = calloc(1, sizeof *s);

    if (s)
        s->fixtures_file = ac_strdup(fixtures_file);
    if (!s || !s->fixtures_file) {
        free(s);
        ac_error_nomem(err, NULL);
        return NULL;
    }
    ac_sha256_init(&s->hash);
    return s;
}

size_t suite_count(const struct suite *s)
{
    return s ? s->n : 0;
}

const struct scenario *suite_at(const struct suite *s, size_t i)
{
    return s && i < s->n ? &s->scenarios[i] : NULL;
}

const struct fixture *suite_fixture(const struct suite *s, const char *name)
{
    size_t i;

    for (i = 0; s && name && i < s->nfixtures; i++)
        if (strcmp(s->fixtures[i].name, name) == 0)
            return &s->fixtures[i];
    return NULL;
}

size_t suite_fixture_count(const struct suite *s)
{
    return s ? s->nfixtures : 0;
}

const struct fixture *suite_fixture_at(const struct suite *s, size_t i)
{
    return s && i < s->nfixtures ? &s->fixtures[i] : NULL;
}

const char *suite_sha256(const struct suite *s)
{
    return s ? s->sha256 : NULL;
}

/* ---- freeing ------------------------------------------------------------ */

static void kv_free(struct suite_kv *kv, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(kv[i].name);
        free(kv[i].value);
    }
    free(kv);
}

static void step_release(struct step *st)
{
    free(st->label);
    free(st->method);
    free(st->path);
    kv_free(st->query, st->nquery);
    kv_free(st->headers, st->nheaders);
    json_decref(st->json);
    free(st->body);
    free(st->content_type);
    free(st->account);
    kv_free(st->captures, st->ncaptures);
    free(st->statuses);
    if (st->retry) {
        free(st->retry->pointer);
        json_decref(st->retry->equals);
        free(st->retry);
    }
    free(st->for_each);
    free(st->unless);
    free(st->find_in);
    free(st->find_key);
    free(st->find_value);
    memset(st, 0, sizeof *st);
}

static void steps_free(struct step *st, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        step_release(&st[i]);
    free(st);
}

static void fixture_release(struct fixture *f)
{
    free(f->name);
    suite_free_strs(f->needs, f->nneeds);
    steps_free(f->setup, f->nsetup);
    steps_free(f->teardown, f->nteardown);
    suite_free_strs(f->provides, f->nprovides);
    free(f->holds);
}

void scenario_release(struct scenario *sc)
{
    free(sc->id);
    free(sc->title);
    suite_free_strs(sc->requires, sc->nrequires);
    suite_free_strs(sc->tags, sc->ntags);
    suite_free_strs(sc->fixtures, sc->nfixtures);
    free(sc->holds);
    suite_free_strs(sc->quotas, sc->nquotas);
    steps_free(sc->setup, sc->nsetup);
    step_release(&sc->request);
    steps_free(sc->teardown, sc->nteardown);
    free(sc->file);
}

void suite_free(struct suite *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->n; i++)
        scenario_release(&s->scenarios[i]);
    free(s->scenarios);
    for (i = 0; i < s->nfixtures; i++)
        fixture_release(&s->fixtures[i]);
    free(s->fixtures);
    free(s->fixtures_file);
    free(s);
}
