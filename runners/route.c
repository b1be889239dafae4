/* runners/route.c -- see route.h. */
#include "route.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/ac_json.h"

/* Templates have few segments; a request path with more than this many
 * matches nothing (and costs nothing to reject). */
#define MAX_SEGS 32

enum seg_kind { SEG_LITERAL, SEG_PARAM, SEG_PLUS };

struct seg {
    enum seg_kind kind;
    const char *text; /* into route.path (literal only) */
    size_t len;
};

struct route {
    char *method;
    char *path;
    int service;
    struct seg segs[MAX_SEGS];
    size_t nsegs;
    size_t literals;
};

struct route_table {
    struct route *v;
    size_t n;
};

static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};

const char *route_table_default_path(void)
{
    const char *env = getenv("AC_ROUTES");

    if (env && *env)
        return env;
    return ac_data_path("catalog/routes.json", "routes.json");
}

void route_table_free(struct route_table *t)
{
    size_t i;

    if (!t)
        return;
    for (i = 0; i < t->n; i++) {
        free(t->v[i].method);
        free(t->v[i].path);
    }
    free(t->v);
    free(t);
}

size_t route_table_count(const struct route_table *t)
{
    return t ? t->n : 0;
}

/* Splits r->path into segments; "" or a text saying what is wrong. */
static const char *split_template(struct route *r)
{
    const char *p = r->path;

    if (*p != '/')
        return "expected a path starting with \"/\"";
    r->nsegs = 0;
    r->literals = 0;
    while (*p == '/') {
        const char *s = p + 1;
        size_t len = strcspn(s, "/");
        struct seg *g;
        if (len == 0)
            return "empty segment";
        if (r->nsegs == MAX_SEGS)
            return "too many segments";
        g = &r->segs[r->nsegs++];
        g->text = s;
        g->len = len;
        if (s[0] == '{') {
            size_t inner = len - 2;
            if (len < 3 || s[len - 1] != '}')
                return "a parameter must be a whole segment \"{name}\"";
            g->kind = SEG_PARAM;
            if (s[len - 2] == '+') {
                g->kind = SEG_PLUS;
                inner--;
            }
            if (inner == 0 || memchr(s + 1, '{', inner) || memchr(s + 1, '}', inner))
                return "a parameter must be a whole segment \"{name}\"";
        } else {
            if (memchr(s, '{', len) || memchr(s, '}', len) || memchr(s, '?', len))
                return "a parameter must be a whole segment \"{name}\"";
            g->kind = SEG_LITERAL;
            r->literals++;
        }
        p = s + len;
    }
    return "";
}

static int parse_route(struct route_table *t, json_t *o, size_t i, const char *name,
                       struct ac_error *err)
{
    char where[512];
    const char *key, *why;
    json_t *v, *m, *p, *s;
    struct route *r = &t->v[t->n];
    size_t k;

    snprintf(where, sizeof where, "%.300s: routes[%zu]", name, i);
    if (!json_is_object(o))
        return ac_error_set(err, AC_ERR_INVALID, where, "expected an object, got %s",
                            ac_json_type_name(o));
    json_object_foreach (o, key, v) {
        if (strcmp(key, "method") && strcmp(key, "path") && strcmp(key, "service") &&
            strcmp(key, "source"))
            return ac_error_set(err, AC_ERR_INVALID, where,
                                "unknown key \"%.60s\" (expected method, path, service, source)",
                                key);
    }
    m = json_object_get(o, "method");
    p = json_object_get(o, "path");
    s = json_object_get(o, "service");
    snprintf(where, sizeof where, "%.300s: routes[%zu].method", name, i);
    if (!m)
        return ac_error_set(err, AC_ERR_INVALID, where, "missing");
    if (!json_is_string(m))
        return ac_error_set(err, AC_ERR_INVALID, where, "expected a string, got %s",
                            ac_json_type_name(m));
    for (k = 0; k < sizeof methods / sizeof methods[0]; k++)
        if (strcmp(methods[k], json_string_value(m)) == 0)
            break;
    if (k == sizeof methods / sizeof methods[0])
        return ac_error_set(err, AC_ERR_INVALID, where,
                            "\"%.40s\" is not one of GET HEAD POST PUT DELETE PATCH OPTIONS",
                            json_string_value(m));
    snprintf(where, sizeof where, "%.300s: routes[%zu].path", name, i);
    if (!p)
        return ac_error_set(err, AC_ERR_INVALID, where, "missing");
    if (!json_is_string(p))
        return ac_error_set(err, AC_ERR_INVALID, where, "expected a string, got %s",
                            ac_json_type_name(p));
    if (json_string_length(p) >= sizeof((struct route_match *)0)->label)
        return ac_error_set(err, AC_ERR_INVALID, where, "longer than %zu bytes",
                            sizeof((struct route_match *)0)->label - 1);
    snprintf(where, sizeof where, "%.300s: routes[%zu].service", name, i);
    if (!s)
        return ac_error_set(err, AC_ERR_INVALID, where, "missing");
    if (!json_is_integer(s) || json_integer_value(s) < 0 || json_integer_value(s) > 99)
        return ac_error_set(err, AC_ERR_INVALID, where, "expected an integer 0..99, got %s",
                            json_is_integer(s) ? "one out of range" : ac_json_type_name(s));
    v = json_object_get(o, "source");
    snprintf(where, sizeof where, "%.300s: routes[%zu].source", name, i);
    if (v && !json_is_string(v))
        return ac_error_set(err, AC_ERR_INVALID, where, "expected a string, got %s",
                            ac_json_type_name(v));
    memset(r, 0, sizeof *r);
    r->method = ac_strdup(json_string_value(m));
    r->path = ac_strdup(json_string_value(p));
    r->service = (int)json_integer_value(s);
    if (!r->method || !r->path) {
        free(r->method);
        free(r->path);
        return ac_error_nomem(err, name);
    }
    t->n++;
    snprintf(where, sizeof where, "%.300s: routes[%zu].path", name, i);
    why = split_template(r);
    if (*why)
        return ac_error_set(err, AC_ERR_INVALID, where, "\"%.100s\": %s", r->path, why);
    for (k = 0; k + 1 < t->n; k++)
        if (strcmp(t->v[k].method, r->method) == 0 && strcmp(t->v[k].path, r->path) == 0)
            return ac_error_set(err, AC_ERR_INVALID, where, "%s %.100s is also routes[%zu]",
                                r->method, r->path, k);
    return 0;
}

struct route_table *route_table_load_buffer(const char *name, const char *data, size_t len,
                                            struct ac_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr), *routes, *v;
    struct route_table *t = NULL;
    const char *key, *fmt;
    size_t i;

    if (!root) {
        char where[512];
        snprintf(where, sizeof where, "%.300s:%d:%d", name, jerr.line, jerr.column);
        ac_error_set(err, AC_ERR_PARSE, where, "%s", jerr.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        ac_error_set(err, AC_ERR_INVALID, name, "expected an object, got %s",
                     ac_json_type_name(root));
        goto fail;
    }
    json_object_foreach (root, key, v) {
        if (strcmp(key, "format") && strcmp(key, "source") && strcmp(key, "routes")) {
            ac_error_set(err, AC_ERR_INVALID, name,
                         "unknown key \"%.60s\" (expected format, source, routes)", key);
            goto fail;
        }
    }
    fmt = json_string_value(json_object_get(root, "format"));
    if (!fmt || strcmp(fmt, ROUTE_FORMAT) != 0) {
        ac_error_set(err, AC_ERR_INVALID, name, "format: expected \"%s\"", ROUTE_FORMAT);
        goto fail;
    }
    routes = json_object_get(root, "routes");
    if (!json_is_array(routes)) {
        ac_error_set(err, AC_ERR_INVALID, name, "routes: expected an array, got %s",
                     routes ? ac_json_type_name(routes) : "nothing");
        goto fail;
    }
    t = calloc(1, sizeof *t);
    if (t)
        t->v = calloc(json_array_size(routes) + 1, sizeof *t->v);
    if (!t || !t->v) {
        ac_error_nomem(err, name);
        goto fail;
    }
    json_array_foreach (routes, i, v) {
        if (parse_route(t, v, i, name, err) < 0)
            goto fail;
    }
    json_decref(root);
    return t;
fail:
    json_decref(root);
    route_table_free(t);
    return NULL;
}

struct route_table *route_table_load(const char *path, struct ac_error *err)
{
    struct ac_buf b = AC_BUF_INIT;
    struct route_table *t = NULL;

    if (ac_file_read(path, ROUTE_FILE_MAX, &b, err) == 0)
        t = route_table_load_buffer(path, b.data ? b.data : "", b.len, err);
    ac_buf_release(&b);
    return t;
}

struct pseg {
    const char *p;
    size_t len;
};

static int match_from(const struct route *r, size_t ti, const struct pseg *ps, size_t np, size_t pi)
{
    size_t k;

    if (ti == r->nsegs)
        return pi == np;
    if (pi == np)
        return 0;
    switch (r->segs[ti].kind) {
    case SEG_LITERAL:
        return r->segs[ti].len == ps[pi].len &&
               memcmp(r->segs[ti].text, ps[pi].p, ps[pi].len) == 0 &&
               match_from(r, ti + 1, ps, np, pi + 1);
    case SEG_PARAM: return match_from(r, ti + 1, ps, np, pi + 1);
    case SEG_PLUS:
        for (k = pi + 1; k <= np; k++)
            if (match_from(r, ti + 1, ps, np, k))
                return 1;
        return 0;
    }
    return 0;
}

/* The path of a URL: after "scheme://authority", before '?' or '#'. */
static void url_path(const char *url, const char **p, size_t *len)
{
    const char *s = strstr(url, "://");

    if (s && (size_t)(s - url) < strcspn(url, "/?#")) {
        s += 3;
        s += strcspn(s, "/?#");
    } else
        s = url;
    *p = s;
    *len = strcspn(s, "?#");
}

static void put_label_seg(char *out, size_t size, const char *s, size_t len)
{
    size_t at = strlen(out), i;

    if (at + 2 >= size)
        return;
    out[at++] = '/';
    for (i = 0; i < len && i < ROUTE_UNKNOWN_SEG_CAP && at + 1 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        out[at++] = c > 0x20 && c < 0x7f ? (char)c : '?';
    }
    out[at] = '\0';
}

void route_table_match(const struct route_table *t, const char *method, const char *url,
                       struct route_match *out)
{
    struct pseg ps[MAX_SEGS];
    const char *path, *p;
    size_t len, np = 0, i;
    const struct route *best = NULL, *other = NULL;
    int overflow = 0;

    memset(out, 0, sizeof *out);
    out->kind = ROUTE_UNMATCHED;
    out->service = -1;
    url_path(url ? url : "", &path, &len);
    if (len > 1 && path[len - 1] == '/')
        len--;
    p = path;
    while (p < path + len && *p == '/') {
        const char *s = p + 1;
        size_t n = 0;
        while (s + n < path + len && s[n] != '/')
            n++;
        if (np == MAX_SEGS) {
            overflow = 1;
            break;
        }
        ps[np].p = s;
        ps[np].len = n;
        np++;
        p = s + n;
    }
    for (i = 0; t && !overflow && p == path + len && i < t->n; i++) {
        const struct route *r = &t->v[i];
        size_t k;
        int empty = 0;
        for (k = 0; k < np; k++)
            empty |= ps[k].len == 0;
        if (empty || !match_from(r, 0, ps, np, 0))
            continue;
        if (method && strcmp(r->method, method) == 0) {
            if (!best || r->literals > best->literals)
                best = r;
        } else if (!other || r->literals > other->literals)
            other = r;
    }
    if (best || other) {
        const struct route *r = best ? best : other;
        /* A matching template of another method with more literals
         * ("/ips/quota" for POST) says the path is that one. */
        if (best && other && other->literals > best->literals)
            r = other;
        out->kind = r == best ? ROUTE_MATCHED : ROUTE_OTHER_METHOD;
        snprintf(out->label, sizeof out->label, "%s", r->path);
        out->service = r->service;
        return;
    }
    snprintf(out->label, sizeof out->label, "%s", ROUTE_UNKNOWN);
    strcat(out->label, " ");
    for (i = 0; i < np && i < 2; i++)
        put_label_seg(out->label, sizeof out->label, ps[i].p, ps[i].len);
    if (np == 0)
        strcat(out->label, "/");
}
