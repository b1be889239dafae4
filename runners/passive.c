/* runners/passive.c -- see passive.h. */
#include "passive.h"

#include <ctype.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NBUCKETS 4096u
#define MAX_REASONS 6

/* One answer kept as the example of its group: raw (unredacted) copies,
 * capped; redacted when results are built. */
struct example {
    char *source;
    char *method;
    char *url;
    char *req_headers; /* "Name: value\n" lines, credentials already masked by name */
    char *req_body;    /* capped, or NULL */
    int status;
    char *content_type, *request_id;
    char *excerpt;     /* first bytes of the body, or NULL */
    int has_code;
    long long code;
    char *message;
};

/* The first failure of one check within a group. */
struct first_failure {
    char *expected, *actual, *detail, *source;
};

struct reason {
    char *text;
    size_t count;
};

struct group {
    char *method;
    char route[128];
    int service;           /* the route's, -1 when unmatched */
    long code;             /* the answers' code, -1 when none */
    size_t seen, judged, failed, not_judged;
    size_t check_failed[CHECK_COUNT];
    struct first_failure first[CHECK_COUNT];
    struct reason reasons[MAX_REASONS];
    size_t nreasons;
    struct example ex;
    int ex_kind;           /* 0 none, 1 not judged, 2 judged, 3 failed: a worse
                              answer replaces the example */
    struct group *next;    /* hash chain */
};

struct passive {
    const struct catalog *cat;
    const struct route_table *routes;
    struct redactor *red;
    struct passive_options opt;
    struct group *buckets[NBUCKETS];
    struct group **v; /* insertion order */
    size_t n, cap;
    struct passive_stats st;
};

void passive_options_default(struct passive_options *o)
{
    int i;

    memset(o, 0, sizeof *o);
    o->mode = MESSAGE_EXACT;
    for (i = 0; i < CHECK_COUNT; i++)
        o->enabled[i] = i != CHECK_STATUS && i != CHECK_CODE;
}

const char *passive_header_get(const struct passive_header *h, size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (h[i].name && strcasecmp(h[i].name, name) == 0)
            return h[i].value ? h[i].value : "";
    return NULL;
}

static void example_release(struct example *e)
{
    free(e->source);
    free(e->method);
    free(e->url);
    free(e->req_headers);
    free(e->req_body);
    free(e->content_type);
    free(e->request_id);
    free(e->excerpt);
    free(e->message);
    memset(e, 0, sizeof *e);
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
    example_release(&g->ex);
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

/* ---- secrets ------------------------------------------------------------ */

/* Registers s[0..n) unless the redactor already masks it whole. */
static int learn(struct passive *p, const char *s, size_t n)
{
    char *copy;
    struct ac_buf b = AC_BUF_INIT;
    int rc;

    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    if (n < 4 || n > 4096 || memchr(s, '\0', n))
        return 0;
    if (redact_append(p->red, s, n, &b) < 0)
        return -1;
    rc = strcmp(b.data ? b.data : "", "***") == 0;
    ac_buf_release(&b);
    if (rc)
        return 0;
    copy = malloc(n + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, n);
    copy[n] = '\0';
    rc = redact_add(p->red, copy);
    free(copy);
    return rc;
}

static int learn_json(struct passive *p, json_t *j, int depth)
{
    const char *key;
    json_t *v;
    size_t i;
    int rc = 0;

    if (depth > 32)
        return 0;
    if (json_is_object(j)) {
        json_object_foreach(j, key, v)
        {
            if (json_is_string(v) && redact_member_is_sensitive(key))
                rc |= learn(p, json_string_value(v), json_string_length(v));
            else
                rc |= learn_json(p, v, depth + 1);
        }
    } else if (json_is_array(j)) {
        json_array_foreach(j, i, v)
        rc |= learn_json(p, v, depth + 1);
    }
    return rc ? -1 : 0;
}

static int learn_body(struct passive *p, const char *body, size_t len)
{
    json_t *root;
    int rc;

    if (!body || len == 0 || len > PASSIVE_BODY_MAX)
        return 0;
    root = json_loadb(body, len, JSON_DECODE_ANY, NULL);
    if (!root)
        return 0;
    rc = learn_json(p, root, 0);
    json_decref(root);
    return rc;
}

/* 1 when a query parameter of this name carries a credential. */
static int query_name_is_sensitive(const char *s, size_t n)
{
    char name[64];

    if (n == 0 || n >= sizeof name)
        return 0;
    memcpy(name, s, n);
    name[n] = '\0';
    return redact_member_is_sensitive(name) || redact_header_is_sensitive(s, n);
}

static int learn_query(struct passive *p, const char *url)
{
    const char *q = strchr(url, '?');
    int rc = 0;

    if (!q)
        return 0;
    q++;
    while (*q && *q != '#') {
        size_t n = strcspn(q, "&#"), eq = strcspn(q, "=&#");
        if (eq < n && query_name_is_sensitive(q, eq))
            rc |= learn(p, q + eq + 1, n - eq - 1);
        q += n;
        if (*q == '&')
            q++;
    }
    return rc ? -1 : 0;
}

static int learn_header(struct passive *p, const char *name, const char *value)
{
    size_t n;
    const char *sp;
    int rc = 0;

    if (!name || !value || !redact_header_is_sensitive(name, strlen(name)))
        return 0;
    n = strlen(value);
    if (strcasecmp(name, "Cookie") == 0 || strcasecmp(name, "Set-Cookie") == 0) {
        const char *c = value;
        while (*c) {
            size_t k = strcspn(c, ";"), eq = strcspn(c, "=;");
            if (eq < k)
                rc |= learn(p, c + eq + 1, k - eq - 1);
            c += k;
            if (*c == ';')
                c++;
        }
        return rc ? -1 : 0;
    }
    rc |= learn(p, value, n);
    sp = strchr(value, ' ');
    if (sp)
        rc |= learn(p, sp + 1, strlen(sp + 1));
    return rc ? -1 : 0;
}

int passive_learn(struct passive *p, const struct passive_answer *a)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < a->nreq_headers; i++)
        rc |= learn_header(p, a->req_headers[i].name, a->req_headers[i].value);
    for (i = 0; i < a->nheaders; i++)
        rc |= learn_header(p, a->headers[i].name, a->headers[i].value);
    if (a->url)
        rc |= learn_query(p, a->url);
    rc |= learn_body(p, a->req_body, a->req_body_len);
    if (a->body_state == PASSIVE_BODY_CAPTURED)
        rc |= learn_body(p, a->body, a->body_len);
    return rc ? -1 : 0;
}

/* A copy of url without user information and with the values of
 * sensitive query parameters as "***"; capped. */
static char *mask_url(const char *url)
{
    struct ac_buf b = AC_BUF_INIT;
    size_t n = strlen(url), auth_end, at;
    const char *s = strstr(url, "://"), *q;

    if (n > PASSIVE_URL_CAP)
        n = PASSIVE_URL_CAP;
    if (s && (size_t)(s - url) < strcspn(url, "/?#")) {
        const char *host = s + 3;
        auth_end = (size_t)(host - url) + strcspn(host, "/?#");
        if (auth_end > n)
            auth_end = n;
        at = (size_t)(host - url);
        ac_buf_add(&b, url, at);
        {
            const char *amp = memchr(host, '@', auth_end - at);
            if (amp) {
                ac_buf_adds(&b, "***@");
                at = (size_t)(amp + 1 - url);
            }
        }
        ac_buf_add(&b, url + at, auth_end - at);
        url += auth_end;
        n -= auth_end;
    }
    q = memchr(url, '?', n);
    if (!q) {
        ac_buf_add(&b, url, n);
        goto out;
    }
    ac_buf_add(&b, url, (size_t)(q - url) + 1);
    n -= (size_t)(q - url) + 1;
    q++;
    while (n) {
        size_t k = 0, eq;
        while (k < n && q[k] != '&' && q[k] != '#')
            k++;
        eq = 0;
        while (eq < k && q[eq] != '=')
            eq++;
        if (eq < k && query_name_is_sensitive(q, eq)) {
            ac_buf_add(&b, q, eq + 1);
            ac_buf_adds(&b, "***");
        } else
            ac_buf_add(&b, q, k);
        q += k;
        n -= k;
        if (n && *q == '&') {
            ac_buf_addc(&b, '&');
            q++;
            n--;
        } else if (n) {
            ac_buf_add(&b, q, n);
            break;
        }
    }
out:
    return ac_buf_take(&b);
}

/* "Authorization: Token ***": the scheme kept, the credential masked. */
static void add_masked_header(struct ac_buf *b, const char *name, const char *value)
{
    ac_buf_adds(b, name);
    ac_buf_adds(b, ": ");
    if (redact_header_is_sensitive(name, strlen(name))) {
        const char *sp = strchr(value, ' ');
        if (sp && strcasecmp(name, "Cookie") && strcasecmp(name, "Set-Cookie"))
            ac_buf_add(b, value, (size_t)(sp - value) + 1);
        ac_buf_adds(b, "***");
    } else
        ac_buf_add(b, value, strnlen(value, 1024));
    ac_buf_addc(b, '\n');
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

static struct group *find_group(struct passive *p, const char *method,
                                const struct route_match *rm, long code)
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

static char *dup_cap(const char *s, size_t n, size_t cap)
{
    char *d;

    if (!s)
        return NULL;
    if (n > cap)
        n = cap;
    d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static int set_example(struct example *e, const struct passive_answer *a, const struct observed *o)
{
    struct ac_buf h = AC_BUF_INIT;
    size_t i;

    example_release(e);
    for (i = 0; i < a->nreq_headers && i < 64; i++)
        if (a->req_headers[i].name && a->req_headers[i].value &&
            a->req_headers[i].name[0] != ':') /* HTTP/2 pseudo-headers */
            add_masked_header(&h, a->req_headers[i].name, a->req_headers[i].value);
    e->source = ac_strdup(a->source ? a->source : "");
    e->method = ac_strdup(a->method ? a->method : "?");
    e->url = mask_url(a->url ? a->url : "");
    e->req_headers = ac_buf_take(&h);
    e->req_body = dup_cap(a->req_body, a->req_body_len, PASSIVE_REQ_BODY_CAP);
    e->status = a->status;
    e->content_type = ac_strdup(passive_header_get(a->headers, a->nheaders, "Content-Type"));
    e->request_id = ac_strdup(passive_header_get(a->headers, a->nheaders, "Request-Id"));
    if (a->body_state == PASSIVE_BODY_CAPTURED)
        e->excerpt = dup_cap(a->body, a->body_len, PASSIVE_EXCERPT_CAP);
    if (o) {
        e->has_code = o->has_code;
        e->code = o->code;
        e->message = ac_strdup(o->message);
    }
    if (!e->source || !e->method || !e->url || !e->req_headers)
        return -1;
    return 0;
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
    char *url = mask_url(a->url ? a->url : ""), *rurl = url ? redact_dup(p->red, url) : NULL;
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
    json_object_set_new(o, "verdict", json_string(fate == PASSIVE_PASSED   ? "passed"
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
        if (g->ex_kind < 1 && set_example(&g->ex, a, NULL) < 0)
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
                if (set_example(&g->ex, a, &o) < 0)
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

/* ---- results -------------------------------------------------------------- */

static int cmp_groups(const void *x, const void *y)
{
    const struct group *a = *(const struct group *const *)x, *b = *(const struct group *const *)y;
    int c;

    if ((a->failed > 0) != (b->failed > 0))
        return a->failed > 0 ? -1 : 1;
    if (a->failed != b->failed)
        return a->failed > b->failed ? -1 : 1;
    if ((a->judged > 0) != (b->judged > 0))
        return a->judged > 0 ? -1 : 1;
    if (a->code != b->code)
        return a->code < b->code ? -1 : 1;
    c = strcmp(a->route, b->route);
    return c ? c : strcmp(a->method, b->method);
}

/* Shell single quotes: ' becomes '\''. */
static void shell_quote(struct ac_buf *b, const char *s)
{
    ac_buf_addc(b, '\'');
    for (; *s; s++)
        if (*s == '\'')
            ac_buf_adds(b, "'\\''");
        else
            ac_buf_addc(b, *s);
    ac_buf_addc(b, '\'');
}

static char *make_curl(const struct example *e)
{
    struct ac_buf b = AC_BUF_INIT;
    const char *h = e->req_headers;

    ac_buf_adds(&b, "curl -X ");
    ac_buf_adds(&b, e->method);
    ac_buf_addc(&b, ' ');
    shell_quote(&b, e->url);
    while (h && *h) {
        size_t n = strcspn(h, "\n");
        char *line = dup_cap(h, n, n);
        if (line) {
            ac_buf_adds(&b, " -H ");
            shell_quote(&b, line);
            free(line);
        }
        h += n;
        if (*h)
            h++;
    }
    if (e->req_body) {
        ac_buf_adds(&b, " --data-raw ");
        shell_quote(&b, e->req_body);
    }
    return ac_buf_take(&b);
}

static char *make_transcript(const struct example *e)
{
    struct ac_buf b = AC_BUF_INIT;
    const char *h = e->req_headers;

    ac_buf_addf(&b, "# %s\n> %s %s\n", e->source, e->method, e->url);
    while (h && *h) {
        size_t n = strcspn(h, "\n");
        ac_buf_adds(&b, "> ");
        ac_buf_add(&b, h, n);
        ac_buf_addc(&b, '\n');
        h += n;
        if (*h)
            h++;
    }
    if (e->req_body)
        ac_buf_addf(&b, ">\n> %s\n", e->req_body);
    ac_buf_addf(&b, "< %d\n", e->status);
    if (e->content_type)
        ac_buf_addf(&b, "< Content-Type: %s\n", e->content_type);
    if (e->request_id)
        ac_buf_addf(&b, "< Request-Id: %s\n", e->request_id);
    ac_buf_addf(&b, "<\n%s\n", e->excerpt ? e->excerpt : "(body not captured)");
    return ac_buf_take(&b);
}

/* Takes s (heap) and returns it redacted (heap), or NULL. */
static char *red_take(const struct passive *p, char *s, int *ok)
{
    char *r;

    if (!s) {
        *ok = 0;
        return NULL;
    }
    r = redact_dup(p->red, s);
    free(s);
    if (!r)
        *ok = 0;
    return r;
}

static char *fmtd(int *ok, const char *f, ...) __attribute__((format(printf, 2, 3)));
static char *fmtd(int *ok, const char *f, ...)
{
    struct ac_buf b = AC_BUF_INIT;
    va_list ap;
    char tmp[1024];

    va_start(ap, f);
    vsnprintf(tmp, sizeof tmp, f, ap);
    va_end(ap);
    if (ac_buf_adds(&b, tmp) < 0)
        *ok = 0;
    return ac_buf_take(&b);
}

static void add_reasons(struct ac_buf *b, const struct group *g)
{
    size_t i;

    for (i = 0; i < g->nreasons; i++)
        ac_buf_addf(b, "%s%zu %s", i ? ", " : "", g->reasons[i].count, g->reasons[i].text);
}

static int group_result(const struct passive *p, const struct group *g, struct result *x)
{
    struct ac_buf b = AC_BUF_INIT;
    int ok = 1;
    size_t i, k;
    char code_text[32];

    memset(x, 0, sizeof *x);
    if (g->code >= 0)
        snprintf(code_text, sizeof code_text, "code %ld", g->code);
    else
        snprintf(code_text, sizeof code_text, "no code");
    ac_buf_addf(&b, "%s %s", g->method, g->route);
    x->scenario_id = red_take(p, ac_buf_take(&b), &ok);
    x->code = g->code >= 0 ? g->code : 0;
    x->service = g->code >= 0 ? catalog_code_service(g->code) : g->service >= 0 ? g->service : 0;
    x->title = red_take(p,
                        fmtd(&ok, "%s %s answered with %s: %zu answer%s", g->method, g->route,
                             code_text, g->seen, g->seen == 1 ? "" : "s"),
                        &ok);
    x->file = red_take(p, ac_strdup(g->ex.source), &ok);
    x->cls = fmtd(&ok, "traffic");
    if (g->failed) {
        x->verdict = VERDICT_FAIL;
        ac_buf_addf(&b, "%zu of %zu judged answer%s broke the contract:", g->failed, g->judged,
                    g->judged == 1 ? "" : "s");
        for (i = 0, k = 0; i < CHECK_COUNT; i++)
            if (g->check_failed[i])
                ac_buf_addf(&b, "%s %s %zu", k++ ? "," : "", check_name((enum check_id)i),
                            g->check_failed[i]);
    } else if (g->judged) {
        x->verdict = VERDICT_PASS;
        ac_buf_adds(&b, "");
    } else {
        x->verdict = VERDICT_SKIP;
        ac_buf_adds(&b, "not judged: ");
        add_reasons(&b, g);
    }
    if (g->not_judged && g->judged) {
        ac_buf_addf(&b, "%s%zu not judged (", b.len ? "; " : "", g->not_judged);
        add_reasons(&b, g);
        ac_buf_addc(&b, ')');
    }
    x->summary = red_take(p, ac_buf_take(&b), &ok);
    if (g->failed) {
        for (i = 0; i < CHECK_COUNT; i++)
            x->nfailures += g->check_failed[i] > 0;
        x->failures = calloc(x->nfailures, sizeof *x->failures);
        if (!x->failures)
            ok = 0;
        for (i = 0, k = 0; x->failures && i < CHECK_COUNT; i++) {
            const struct first_failure *f = &g->first[i];
            struct check_failure *cf;
            if (!g->check_failed[i])
                continue;
            cf = &x->failures[k++];
            cf->check = fmtd(&ok, "%s", check_name((enum check_id)i));
            cf->expected = red_take(p, ac_strdup(f->expected ? f->expected : ""), &ok);
            cf->actual = red_take(p, ac_strdup(f->actual ? f->actual : ""), &ok);
            ac_buf_addf(&b, "%zu of %zu judged answers failed this check; the first: %s",
                        g->check_failed[i], g->judged, f->source ? f->source : "");
            if (f->detail && *f->detail)
                ac_buf_addf(&b, "\n%s", f->detail);
            cf->detail = red_take(p, ac_buf_take(&b), &ok);
        }
    }
    x->curl = red_take(p, make_curl(&g->ex), &ok);
    x->transcript = red_take(p, make_transcript(&g->ex), &ok);
    x->got_status = g->ex.status;
    x->got_code =
        g->ex.has_code && g->ex.code >= 0 && g->ex.code <= CATALOG_CODE_MAX ? (long)g->ex.code : -1;
    x->got_message = g->ex.message ? red_take(p, ac_strdup(g->ex.message), &ok) : NULL;
    x->response_excerpt = red_take(p, ac_strdup(g->ex.excerpt ? g->ex.excerpt : ""), &ok);
    ac_buf_release(&b);
    return ok ? 0 : -1;
}

int passive_results(const struct passive *p, struct run_results *out, struct ac_error *err)
{
    struct group **sorted = NULL;
    struct result *nv;
    size_t i, base = out->nresults;

    if (p->n == 0)
        return 0;
    sorted = malloc(p->n * sizeof *sorted);
    nv = realloc(out->results, (base + p->n) * sizeof *nv);
    if (!sorted || !nv) {
        free(sorted);
        if (nv)
            out->results = nv;
        return ac_error_nomem(err, NULL);
    }
    out->results = nv;
    memcpy(sorted, p->v, p->n * sizeof *sorted);
    qsort(sorted, p->n, sizeof *sorted, cmp_groups);
    for (i = 0; i < p->n; i++) {
        int r = group_result(p, sorted[i], &out->results[base + i]);
        out->nresults++;
        if (r < 0) {
            free(sorted);
            return ac_error_nomem(err, NULL);
        }
    }
    free(sorted);
    return 0;
}
