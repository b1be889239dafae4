/* tests/refcodes.c -- see refcodes.h: the loader of tests/reference-codes/,
 * with an exact error for every rule of tests/reference-codes/README.md. */
#include "refcodes.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdata.h"

#define FORMAT "apiconform-reference-codes/1"

static const char *const row_members[] = {
    "code", "account", "token", "at_once",       "setup",        "run",       "method",
    "path", "headers", "body",  "body_template", "service_info", "container", NULL,
};
/* The reference server's extra accounts (reference/README.md). */
static const char *const accounts[] = {"other", "broke", "frozen", "limited", NULL};
static const char *const methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", NULL};
static const char *const templates[] = {"service", "stateful-service", "cert", "bad-cert", NULL};

static char *xstrdup(const char *s)
{
    char *d = s ? strdup(s) : NULL;

    if (s && !d)
        abort();
    return d;
}

static int one_of(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return (int)i;
    return -1;
}

static void join(char *out, size_t size, const char *const *list)
{
    out[0] = '\0';
    for (size_t i = 0; list[i]; i++)
        snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? ", " : "", list[i]);
}

static void row_release(struct rt_code_row *r)
{
    free(r->account);
    free(r->method);
    free(r->path);
    free(r->hdrs);
    free(r->body);
    free(r->si);
    free(r->c0);
    memset(r, 0, sizeof *r);
}

/* A patch member: an object, dumped as JSON text into *out. */
static int patch(const json_t *o, const char *key, const char *file, const char *where, char **out,
                 struct ac_error *err)
{
    const json_t *v = json_object_get(o, key);

    if (!v)
        return 0;
    if (!json_is_object(v))
        return td_fail(err, file, where, key, "expected an object (merged into SVC0), got %s",
                       json_is_array(v) ? "an array" : "a scalar");
    *out = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!*out)
        abort();
    return 0;
}

/* The request members: method, path, headers, the body. */
static int request(const json_t *o, const char *file, const char *where, struct rt_code_row *r,
                   struct ac_error *err)
{
    const char *method, *path, *body, *tmpl;
    const json_t *hdrs, *h;
    char list[128];
    size_t i;

    if (td_string(o, "method", 1, file, where, &method, err) < 0 ||
        td_string(o, "path", 1, file, where, &path, err) < 0 ||
        td_strings(o, "headers", 0, 0, file, where, &hdrs, err) < 0 ||
        td_string(o, "body", 0, file, where, &body, err) < 0 ||
        td_string(o, "body_template", 0, file, where, &tmpl, err) < 0)
        return -1;
    if (one_of(method, methods) < 0) {
        join(list, sizeof list, methods);
        return td_fail(err, file, where, "method", "expected one of %s, got \"%s\"", list, method);
    }
    if (path[0] != '/')
        return td_fail(err, file, where, "path", "expected a path starting with '/', got \"%s\"",
                       path);
    r->method = xstrdup(method);
    r->path = xstrdup(path);
    json_array_foreach (hdrs, i, h) {
        const char *line = json_string_value(h);
        char at[32];
        snprintf(at, sizeof at, "headers[%zu]", i);
        if (!strchr(line, ':') || line[0] == ':' || strpbrk(line, "\r\n"))
            return td_fail(err, file, where, at, "expected one \"Name: value\" line, got \"%s\"",
                           line);
        if (!r->hdrs) {
            r->hdrs = xstrdup(line);
        } else {
            size_t n = strlen(r->hdrs) + strlen(line) + 2;
            char *both = malloc(n);
            if (!both)
                abort();
            snprintf(both, n, "%s\n%s", r->hdrs, line);
            free(r->hdrs);
            r->hdrs = both;
        }
    }
    if (body && tmpl)
        return td_fail(err, file, where, "body_template", "give body or body_template, not both");
    r->body = xstrdup(body);
    if (tmpl) {
        int k = one_of(tmpl, templates);
        if (k < 0) {
            join(list, sizeof list, templates);
            return td_fail(err, file, where, "body_template", "expected one of %s, got \"%s\"",
                           list, tmpl);
        }
        r->body_kind = (enum rt_body)(RT_BODY_SERVICE + k);
    }
    if (r->body_kind != RT_BODY_SERVICE && r->body_kind != RT_BODY_STATEFUL) {
        const char *key = json_object_get(o, "service_info") ? "service_info"
                          : json_object_get(o, "container")  ? "container"
                                                             : NULL;
        if (key)
            return td_fail(err, file, where, key,
                           "only with body_template \"service\" or \"stateful-service\"");
    }
    if (patch(o, "service_info", file, where, &r->si, err) < 0 ||
        patch(o, "container", file, where, &r->c0, err) < 0)
        return -1;
    snprintf(r->test_name, sizeof r->test_name, "code %ld: %s %s", r->code, method, path);
    return 0;
}

/* One row of file into r (released on error). */
static int load_row(const struct rt_codes *c, const json_t *o, size_t i, const char *file,
                    int service, struct rt_code_row *r, struct ac_error *err)
{
    const char *account, *setup, *run;
    long long code = 0;
    int token = 1, has_token;
    char where[96], list[512];
    size_t k;

    memset(r, 0, sizeof *r);
    snprintf(where, sizeof where, "codes[%zu]", i);
    if (!json_is_object(o))
        return td_fail(err, file, where, "", "expected an object");
    if (td_int(o, "code", 1, file, where, &code, err) < 0)
        return -1;
    if (code < 1000000 || code > 9999999)
        return td_fail(err, file, where, "code", "expected a 7-digit code, got %lld", code);
    r->code = (long)code;
    snprintf(where, sizeof where, "codes[%zu] (code %ld)", i, r->code);
    snprintf(r->where, sizeof r->where, "%s: %s", file, where);
    if ((int)(r->code / 100 % 100) != service)
        return td_fail(err, file, where, "code", "%ld is of service %02ld, not of this file's %02d",
                       r->code, r->code / 100 % 100, service);
    for (k = 0; k < c->n; k++)
        if (c->rows[k].code == r->code)
            return td_fail(err, file, where, "code", "%ld is already %s", r->code,
                           c->rows[k].where);
    has_token = json_object_get(o, "token") != NULL;
    if (td_members(o, row_members, file, where, err) < 0 ||
        td_string(o, "account", 0, file, where, &account, err) < 0 ||
        td_bool(o, "token", 0, file, where, &token, err) < 0 ||
        td_bool(o, "at_once", 0, file, where, &r->at_once, err) < 0 ||
        td_string(o, "setup", 0, file, where, &setup, err) < 0 ||
        td_string(o, "run", 0, file, where, &run, err) < 0)
        return -1;
    if (has_token && token)
        return td_fail(err, file, where, "token",
                       "expected false (no Authorization header); leave it out otherwise");
    if (has_token && account)
        return td_fail(err, file, where, "account", "a row without a token has no account");
    if (account && one_of(account, accounts) < 0) {
        join(list, sizeof list, accounts);
        return td_fail(err, file, where, "account", "expected one of %s, got \"%s\"", list,
                       account);
    }
    r->account = xstrdup(has_token ? "" : account);
    if (setup) {
        for (k = 0; rt_setups[k].name && strcmp(rt_setups[k].name, setup); k++)
            ;
        if (!rt_setups[k].name)
            return td_fail(err, file, where, "setup",
                           "no setup named \"%s\" (see tests/refsetups.c)", setup);
        r->setup = rt_setups[k].fn;
    }
    if (run) {
        static const char *const request_members[] = {
            "method", "path", "headers", "body", "body_template", "service_info", "container",
        };
        for (k = 0; rt_runs[k].name && strcmp(rt_runs[k].name, run); k++)
            ;
        if (!rt_runs[k].name)
            return td_fail(err, file, where, "run",
                           "no scripted scenario named \"%s\" (see tests/refsetups.c)", run);
        r->run = rt_runs[k].fn;
        for (k = 0; k < sizeof request_members / sizeof request_members[0]; k++)
            if (json_object_get(o, request_members[k]))
                return td_fail(err, file, where, request_members[k],
                               "not with \"run\": the scripted scenario sends its own request");
        snprintf(r->test_name, sizeof r->test_name, "code %ld: scripted %s", r->code, run);
        return 0;
    }
    return request(o, file, where, r, err);
}

int rt_codes_load_file(struct rt_codes *c, const char *path, const char *file, struct ac_error *err)
{
    static const char *const members[] = {"format", "service", "name", "codes", NULL};
    json_t *root = td_load(path, file, FORMAT, err), *rows, *o;
    const char *service, *name;
    size_t i;
    int rc = -1;

    if (!root || td_members(root, members, file, "", err) < 0 ||
        td_string(root, "service", 1, file, "", &service, err) < 0 ||
        td_string(root, "name", 1, file, "", &name, err) < 0)
        goto out;
    if (strlen(service) != 2 || service[0] < '0' || service[0] > '9' || service[1] < '0' ||
        service[1] > '9') {
        td_fail(err, file, "", "service", "expected two digits (\"04\"), got \"%s\"", service);
        goto out;
    }
    rows = json_object_get(root, "codes");
    if (!json_is_array(rows) || json_array_size(rows) == 0) {
        td_fail(err, file, "", "codes", "expected a non-empty array of rows");
        goto out;
    }
    json_array_foreach (rows, i, o) {
        struct rt_code_row r;
        if (load_row(c, o, i, file, atoi(service), &r, err) < 0) {
            row_release(&r);
            goto out;
        }
        if (c->n == c->cap) {
            size_t cap = c->cap ? 2 * c->cap : 64;
            struct rt_code_row *more = realloc(c->rows, cap * sizeof *more);
            if (!more)
                abort();
            c->rows = more;
            c->cap = cap;
        }
        c->rows[c->n++] = r;
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int rt_codes_load_dir(struct rt_codes *c, const char *dir, const char *shown, struct ac_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, i;
    int rc = 0;

    if (!d)
        return ac_error_set(err, AC_ERR_IO, shown, "cannot read the directory: %s",
                            strerror(errno));
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        char **more;
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        more = realloc(names, (n + 1) * sizeof *names);
        if (!more)
            abort();
        names = more;
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (n == 0)
        rc = ac_error_set(err, AC_ERR_INVALID, shown, "no *.json file of code rows");
    qsort(names, n, sizeof *names, by_name);
    for (i = 0; i < n; i++) {
        char path[4096], file[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        snprintf(file, sizeof file, "%s/%s", shown, names[i]);
        if (rc == 0)
            rc = rt_codes_load_file(c, path, file, err);
        free(names[i]);
    }
    free(names);
    return rc;
}

const struct rt_code_row *rt_codes_find(const struct rt_codes *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->rows[i].test_name, name) == 0)
            return &c->rows[i];
    return NULL;
}

void rt_codes_release(struct rt_codes *c)
{
    for (size_t i = 0; i < c->n; i++)
        row_release(&c->rows[i]);
    free(c->rows);
    memset(c, 0, sizeof *c);
}
