/* runners/plan.c -- see plan.h. */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int has(char *const *v, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

const char *plan_unmet(const char *req, const struct plan_options *o)
{
    static char why[256];

    if (strncmp(req, "account:", 8) == 0) {
        if (has(o->accounts, o->naccounts, req + 8))
            return NULL;
        snprintf(why, sizeof why, "requires account '%.60s' (--account %.60s:KEY_VAR:SECRET_VAR)",
                 req + 8, req + 8);
        return why;
    }
    if (has(o->allowed, o->nallowed, req) || has(o->allowed, o->nallowed, "all"))
        return NULL;
    if (strcmp(req, "destructive") == 0)
        return "requires creating and deleting resources (--allow destructive)";
    if (strcmp(req, "limit") == 0)
        return "requires exhausting a quota, the balance or the rate limit (--allow limit)";
    if (strcmp(req, "fault") == 0)
        return "requires fault injection on the server (--allow fault)";
    snprintf(why, sizeof why, "requires '%.60s' (--allow %.60s)", req, req);
    return why;
}

static int selected(const struct scenario *sc, const struct plan_options *o)
{
    size_t i;

    if (o->ncodes) {
        for (i = 0; i < o->ncodes; i++)
            if (o->codes[i] == sc->code)
                break;
        if (i == o->ncodes)
            return 0;
    }
    if (o->service >= 0 && sc->service != o->service)
        return 0;
    if (o->cls >= 0 && (int)sc->cls != o->cls)
        return 0;
    if (o->ntags) {
        for (i = 0; i < sc->ntags; i++)
            if (has(o->tags, o->ntags, sc->tags[i]))
                break;
        if (i == sc->ntags)
            return 0;
    }
    return 1;
}

int plan_build(const struct suite *s, const struct plan_options *o, struct scenario_run **runs,
               size_t *n)
{
    size_t i, k, count = 0, chosen = 0;
    struct scenario_run *v = calloc(suite_count(s) + 1, sizeof *v);

    if (!v)
        return -1;
    for (i = 0; i < suite_count(s); i++) {
        const struct scenario *sc = suite_at(s, i);
        if (!selected(sc, o))
            continue;
        /* Shards take every N-th selected scenario: stable, and balanced
         * across services. */
        if (o->shard_count > 0 && (int)(chosen++ % (size_t)o->shard_count) != o->shard_index - 1)
            continue;
        v[count].sc = sc;
        v[count].probe = -1;
        for (k = 0; k < sc->nrequires; k++) {
            const char *why = plan_unmet(sc->requires[k], o);
            if (why) {
                v[count].skip_reason = ac_strdup(why);
                if (!v[count].skip_reason) {
                    plan_release(v, count);
                    return -1;
                }
                break;
            }
        }
        count++;
    }
    *runs = v;
    *n = count;
    return 0;
}

void plan_release(struct scenario_run *runs, size_t n)
{
    size_t i;

    for (i = 0; runs && i < n; i++)
        scenario_run_release(&runs[i]);
    free(runs);
}

int plan_parse_shard(const char *s, int *index, int *count)
{
    char *end;
    long i, n;

    i = strtol(s, &end, 10);
    if (end == s || *end != '/')
        return -1;
    s = end + 1;
    n = strtol(s, &end, 10);
    if (end == s || *end || n < 1 || n > 10000 || i < 1 || i > n)
        return -1;
    *index = (int)i;
    *count = (int)n;
    return 0;
}
