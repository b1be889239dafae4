/* runners/passive.c -- see passive.h: the judging of one answer and the
 * groups answers are counted in. What is kept of an answer is
 * passive_keep.c; the results built from the groups, passive_results.c. */
#include "passive_int.h"

#include <ctype.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void passive_options_default(struct passive_options *o)
{
    int i;

    memset(o, 0, sizeof *o);
    o->mode = MESSAGE_EXACT;
    for (i = 0; i < CHECK_COUNT; i++)
        o->enabled[i] = i != CHECK_STATUS && i != CHECK_CODE;
}

static void group_free(struct group *g)
{
    size_t i;

    free(g->method);
    for (i = 0; i < CHECK_COUNT; i++) {
        free(g->first[i].expected);
        free(g->first[i].actual);
        free(g->first[i].detail);
        free(g->first[i].source);
    }
    for (i = 0; i < g->nreasons; i++)
        free(g->reasons[i].text);
    passive_example_release(&g->ex);
    free(g);
}

struct passive *passive_new(const struct catalog *cat, const struct route_table *routes,
                            struct redactor *red, const struct passive_options *o)
{
    struct passive *p = calloc(1, sizeof *p);

    if (!p)
        return NULL;
    p->cat = cat;
    p->routes = routes;
    p->red = red;
    if (o)
        p->opt = *o;
    else
        passive_options_default(&p->opt);
    p->opt.enabled[CHECK_STATUS] = 0;
    p->opt.enabled[CHECK_CODE] = 0;
    return p;
}

void passive_free(struct passive *p)
{
    size_t i;

    if (!p)
        return;
    for (i = 0; i < p->n; i++)
        group_free(p->v[i]);
    free(p->v);
    free(p);
}

void passive_get_stats(const struct passive *p, struct passive_stats *out)
{
    *out = p->st;
}

/* ---- judging ------------------------------------------------------------ */

int passive_judge(const struct catalog *cat, const struct passive_options *opt, int status,
                  const struct passive_header *headers, size_t nheaders, const char *body,
                  size_t body_len, struct observed *o, struct check_list *out)
{
    unsigned char en[CHECK_COUNT];
    const struct catalog_entry *e = NULL;
    size_t i;
    int rc;

    memcpy(en, opt->enabled, sizeof en);
    en[CHECK_STATUS] = 0;
    en[CHECK_CODE] = 0;
    check_observe(status, NULL, 0, body, body_len, o);
    for (i = 0; i < nheaders; i++)
        observed_add_header(o, headers[i].name, headers[i].value);
    if (o->oom)
        return -1;
    if (o->has_code && catalog_code_valid(o->code))
        e = catalog_find(cat, (long)o->code);
    if (e)
        rc = check_probe(o, e, opt->mode, cat, en, out);
    else
        rc = check_error_response(o, cat, en, out);
    if (rc < 0)
        return -1;
    for (i = 0; i < out->n; i++)
        if (!out->v[i].passed)
            return 0;
    return 1;
}

static uint32_t hash_key(const char *method, const char *route, long code)
{
    uint32_t h = 2166136261u;
    const char *s;

    for (s = method; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    h = (h ^ ' ') * 16777619u;
    for (s = route; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return (h ^ (uint32_t)code) * 16777619u;
}

/* The method as a short token ("?" when it is not one). */
static void clean_method(const char *m, char out[17])
{
    size_t i;

    for (i = 0; m && m[i] && i < 16; i++) {
        unsigned char c = (unsigned char)m[i];
        if (!(isalnum(c) || c == '-' || c == '_')) {
            i = 0;
            break;
        }
        out[i] = (char)c;
    }
    if (i == 0 || (m && m[i]))
        snprintf(out, 17, "?");
    else
        out[i] = '\0';
}

static struct group *find_group(struct passive *p, const char *method, const struct route_match *rm,
                                long code)
{
    uint32_t h = hash_key(method, rm->label, code) % NBUCKETS;
    struct group *g;

    for (g = p->buckets[h]; g; g = g->next)
        if (g->code == code && strcmp(g->method, method) == 0 && strcmp(g->route, rm->label) == 0)
            return g;
    if (p->n >= PASSIVE_MAX_GROUPS)
        return NULL;
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 64;
        struct group **nv = realloc(p->v, nc * sizeof *nv);
        if (!nv)
            return NULL;
        p->v = nv;
        p->cap = nc;
    }
    g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->method = ac_strdup(method);
    if (!g->method) {
        free(g);
        return NULL;
    }
    snprintf(g->route, sizeof g->route, "%s", rm->label);
    g->service = rm->service;
    g->code = code;
    g->next = p->buckets[h];
    p->buckets[h] = g;
    p->v[p->n++] = g;
    return g;
}

static int add_reason(struct group *g, const char *why)
{
    size_t i;

    for (i = 0; i < g->nreasons; i++)
        if (strcmp(g->reasons[i].text, why) == 0) {
            g->reasons[i].count++;
            return 0;
        }
    if (g->nreasons == MAX_REASONS) {
        g->reasons[MAX_REASONS - 1].count++;
        return 0;
    }
    g->reasons[g->nreasons].text = ac_strdup(why);
    if (!g->reasons[g->nreasons].text)
        return -1;
    g->reasons[g->nreasons++].count = 1;
    return 0;
}

/* The --events line of one answer, redacted with what is known now. */
static char *event_line(struct passive *p, const struct passive_answer *a, const struct group *g,
                        enum passive_fate fate, const struct check_list *cl, const char *why)
{
    json_t *o = json_object(), *fails = json_array();
    char *url = passive_mask_url(a->url ? a->url : ""),
         *rurl = url ? redact_dup(p->red, url) : NULL;
    char *src = redact_dup(p->red, a->source ? a->source : ""), *s = NULL;
    size_t i;

    if (!o || !fails || !rurl || !src)
        goto out;
    json_object_set_new(o, "source", json_string(src));
    json_object_set_new(o, "method", json_string(g->method));
    json_object_set_new(o, "route", json_string(g->route));
    json_object_set_new(o, "url", json_stringn_nocheck(rurl, strlen(rurl)));
    json_object_set_new(o, "status", json_integer(a->status));
    json_object_set_new(o, "code", g->code >= 0 ? json_integer(g->code) : json_null());
    json_object_set_new(o, "verdict",
                        json_string(fate == PASSIVE_PASSED   ? "passed"
                                    : fate == PASSIVE_FAILED ? "failed"
                                                             : "not judged"));
    for (i = 0; cl && i < cl->n; i++)
        if (!cl->v[i].passed)
            json_array_append_new(fails, json_string(check_name(cl->v[i].id)));
    json_object_set(o, "failed_checks", fails);
    if (why)
        json_object_set_new(o, "reason", json_string(why));
    /* Invalid UTF-8 in a URL must not lose the line: JSON_ENSURE_ASCII
     * escapes what is valid; the nocheck string above may hold the rest,
     * which jansson then refuses, so fall back to the route alone. */
    s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
    if (!s) {
        json_object_set_new(o, "url", json_string("(not UTF-8)"));
        s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
    }
out:
    json_decref(o);
    json_decref(fails);
    free(url);
    free(rurl);
    free(src);
    return s;
}

int passive_add(struct passive *p, const struct passive_answer *a, enum passive_fate *fate_out,
                char **line)
{
    struct observed o;
    struct check_list cl = {NULL, 0};
    struct route_match rm;
    struct group *g;
    char method[17];
    enum passive_fate fate = PASSIVE_IGNORED;
    const char *why = NULL;
    int judged = 0, rc = -1, r;
    size_t i;

    memset(&o, 0, sizeof o);
    if (line)
        *line = NULL;
    p->st.answers++;
    if (passive_learn(p, a) < 0)
        goto out;
    if (a->status <= 0) {
        p->st.no_response++;
        rc = 0;
        goto out;
    }
    if (a->body_state == PASSIVE_BODY_CAPTURED && a->body_len > PASSIVE_BODY_MAX) {
        why = "body larger than 8 MiB";
    } else if (a->body_state != PASSIVE_BODY_CAPTURED) {
        why = a->not_judged_reason ? a->not_judged_reason : "body not captured";
    }
    if (!why) {
        r = passive_judge(p->cat, &p->opt, a->status, a->headers, a->nheaders,
                          a->body ? a->body : "", a->body_len, &o, &cl);
        if (r < 0)
            goto out;
        if (a->status < 400 && !(p->opt.all && o.has_code)) {
            rc = 0;
            goto out;
        }
        judged = 1;
        fate = r ? PASSIVE_PASSED : PASSIVE_FAILED;
    } else if (a->status < 400) {
        rc = 0; /* nothing says it carries a code */
        goto out;
    } else
        fate = PASSIVE_NOT_JUDGED;
    p->st.considered++;
    clean_method(a->method, method);
    route_table_match(p->routes, method, a->url ? a->url : "", &rm);
    g = find_group(p, method, &rm,
                   judged && o.has_code && o.code >= 0 && o.code <= CATALOG_CODE_MAX ? (long)o.code
                                                                                     : -1);
    if (!g) {
        if (p->n < PASSIVE_MAX_GROUPS)
            goto out; /* no memory */
        p->st.overflow++;
        rc = 0;
        goto out;
    }
    g->seen++;
    if (!judged) {
        p->st.not_judged++;
        g->not_judged++;
        if (add_reason(g, why) < 0)
            goto out;
        if (g->ex_kind < 1 && passive_set_example(&g->ex, a, NULL) < 0)
            goto out;
        if (g->ex_kind < 1)
            g->ex_kind = 1;
    } else {
        p->st.judged++;
        g->judged++;
        if (fate == PASSIVE_PASSED)
            p->st.passed++;
        else {
            p->st.failed++;
            g->failed++;
        }
        for (i = 0; i < cl.n; i++) {
            struct check_outcome *c = &cl.v[i];
            struct first_failure *f = &g->first[c->id];
            if (c->passed)
                continue;
            if (g->check_failed[c->id]++ == 0) {
                f->expected = ac_strdup(c->expected);
                f->actual = ac_strdup(c->actual);
                f->detail = ac_strdup(c->detail);
                f->source = ac_strdup(a->source ? a->source : "");
            }
        }
        {
            int kind = fate == PASSIVE_FAILED ? 3 : 2;
            if (g->ex_kind < kind) {
                if (passive_set_example(&g->ex, a, &o) < 0)
                    goto out;
                g->ex_kind = kind;
            }
        }
    }
    if (line) {
        *line = event_line(p, a, g, fate, judged ? &cl : NULL, why);
        if (!*line)
            goto out;
    }
    rc = 0;
out:
    if (fate_out)
        *fate_out = rc < 0 ? PASSIVE_IGNORED : fate;
    check_list_release(&cl);
    observed_release(&o);
    return rc;
}
