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
    static char why[320];

    if (strncmp(req, "account:", 8) == 0) {
        if (has(o->accounts, o->naccounts, req + 8))
            return NULL;
        snprintf(why, sizeof why, "requires account '%.60s' (--account %.60s:KEY_VAR:SECRET_VAR)",
                 req + 8, req + 8);
        return why;
    }
    if (strncmp(req, "feature:", 8) == 0) {
        if (has(o->features, o->nfeatures, req + 8))
            return NULL;
        snprintf(why, sizeof why,
                 "requires feature '%.60s' of the target, beyond the documented API (--feature "
                 "%.60s, or \"features\": [\"%.60s\"] in the profile)",
                 req + 8, req + 8, req + 8);
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
        /* Sized by a quota the profile does not give: it cannot know how
         * far to go, and guessing would judge the target on a number it
         * never promised. */
        for (k = 0; !v[count].skip_reason && k < sc->nquotas; k++) {
            int qi = suite_quota_index(sc->quotas[k]);
            if (qi >= 0 && o->quotas && o->quotas[qi] >= 0)
                continue;
            struct ac_buf why = AC_BUF_INIT;
            ac_buf_addf(&why,
                        "needs the target's %s quota: set quotas.%s in the profile (or --quota "
                        "%s=N)",
                        sc->quotas[k], sc->quotas[k], sc->quotas[k]);
            v[count].skip_reason = ac_buf_take(&why);
            if (!v[count].skip_reason) {
                plan_release(v, count);
                return -1;
            }
        }
        count++;
    }
    *runs = v;
    *n = count;
    return 0;
}

/* Appends up to three suite values nearest to want by edit distance (of
 * the digits, for codes), as " (nearest: a, b, c)"; values further than a
 * third of want's length (at least 2) are not suggested. */
static void nearest(const struct suite *s, const char *want, int codes, char *buf, size_t size)
{
    const char *best[3] = {NULL, NULL, NULL};
    size_t bestd[3] = {(size_t)-1, (size_t)-1, (size_t)-1}, i, k, m;
    char(*seen)[16] = codes ? calloc(suite_count(s) + 1, sizeof *seen) : NULL;
    size_t used = strlen(buf);

    for (i = 0; i < suite_count(s); i++) {
        const struct scenario *sc = suite_at(s, i);
        size_t nv = codes ? 1 : sc->ntags;
        for (k = 0; k < nv; k++) {
            const char *v;
            size_t d;
            if (codes) {
                if (!seen)
                    return;
                snprintf(seen[i], sizeof seen[i], "%ld", sc->code);
                v = seen[i];
            } else
                v = sc->tags[k];
            d = ac_edit_distance(want, v);
            if (d > (strlen(want) / 3 > 2 ? strlen(want) / 3 : 2))
                continue; /* too far to be what was meant */
            for (m = 0; m < 3; m++)
                if (best[m] && strcmp(best[m], v) == 0)
                    break;
            if (m < 3)
                continue;
            for (m = 0; m < 3; m++) {
                if (d < bestd[m]) {
                    memmove(&best[m + 1], &best[m], (2 - m) * sizeof best[0]);
                    memmove(&bestd[m + 1], &bestd[m], (2 - m) * sizeof bestd[0]);
                    best[m] = v;
                    bestd[m] = d;
                    break;
                }
            }
        }
    }
    for (m = 0; m < 3 && best[m] && used < size; m++)
        used +=
            (size_t)snprintf(buf + used, size - used, "%s%s", m ? ", " : " (nearest: ", best[m]);
    if (best[0] && used < size)
        snprintf(buf + used, size - used, ")");
    free(seen);
}

static size_t count_selected(const struct suite *s, const struct plan_options *o)
{
    size_t i, n = 0;

    for (i = 0; i < suite_count(s); i++)
        n += (size_t)selected(suite_at(s, i), o);
    return n;
}

void plan_explain_empty(const struct suite *s, const struct plan_options *o, const char *suite_dir,
                        char *buf, size_t size)
{
    struct plan_options one;
    size_t i;

    buf[0] = '\0';
    if (suite_count(s) == 0) {
        snprintf(buf, size, "the suite %.400s holds no scenario", suite_dir);
        return;
    }
    /* Each filter alone: the first that matches nothing is named. */
    for (i = 0; i < o->ncodes; i++) {
        memset(&one, 0, sizeof one);
        one.codes = &o->codes[i];
        one.ncodes = 1;
        one.service = one.cls = -1;
        if (count_selected(s, &one) == 0) {
            char want[24];
            snprintf(want, sizeof want, "%ld", o->codes[i]);
            snprintf(buf, size, "--code %ld matches no scenario", o->codes[i]);
            nearest(s, want, 1, buf, size);
            return;
        }
    }
    for (i = 0; i < o->ntags; i++) {
        memset(&one, 0, sizeof one);
        one.tags = &o->tags[i];
        one.ntags = 1;
        one.service = one.cls = -1;
        if (count_selected(s, &one) == 0) {
            snprintf(buf, size, "--tag %.100s matches no scenario", o->tags[i]);
            nearest(s, o->tags[i], 0, buf, size);
            return;
        }
    }
    memset(&one, 0, sizeof one);
    one.service = o->service;
    one.cls = -1;
    if (o->service >= 0 && count_selected(s, &one) == 0) {
        snprintf(buf, size, "--service %d matches no scenario", o->service);
        return;
    }
    one.service = -1;
    one.cls = o->cls;
    if (o->cls >= 0 && count_selected(s, &one) == 0) {
        snprintf(buf, size, "--class %s matches no scenario",
                 scenario_class_name((enum scenario_class)o->cls));
        return;
    }
    if (count_selected(s, o) == 0) {
        snprintf(buf, size, "no scenario matches all of the filters given together");
        return;
    }
    snprintf(buf, size, "shard %d/%d holds no scenario (%zu selected in all)", o->shard_index,
             o->shard_count, count_selected(s, o));
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
