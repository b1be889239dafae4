/* suite/template.c -- variables, ${name} templates and JSON Pointers (RFC
 * 6901). See suite.h. The loader uses the same scanner for its
 * undefined-variable check, so what loads is exactly what expands. */
#include "suite.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A vars is a JSON object: name -> value. jansson keeps insertion order,
 * which nothing relies on, and gives us reference counting for free. */
struct vars {
    json_t *obj;
};

static int is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

int suite_var_name_valid(const char *s, size_t len)
{
    size_t i;

    if (len == 0 || !is_name_start(s[0]))
        return 0;
    for (i = 1; i < len; i++)
        if (!is_name_char(s[i]))
            return 0;
    return 1;
}

/* Length of the name of a reference starting at s ("${" already matched
 * at s - 2) when it is followed by '}', else 0. */
static size_t ref_name_len(const char *s)
{
    size_t n = 0;

    if (!is_name_start(s[0]))
        return 0;
    while (is_name_char(s[n]))
        n++;
    return s[n] == '}' ? n : 0;
}

int suite_tmpl_scan(const char *tmpl, tmpl_var_fn fn, void *ud, size_t *bad_at)
{
    size_t i = 0, n;

    while (tmpl[i]) {
        if (tmpl[i] != '$') {
            i++;
            continue;
        }
        /* "$${" is the escape for a literal "${"; it is skipped whole, so
         * its '{' is never read as the start of a reference. */
        if (tmpl[i + 1] == '$' && tmpl[i + 2] == '{') {
            i += 3;
            continue;
        }
        if (tmpl[i + 1] != '{') {
            i++;
            continue;
        }
        n = ref_name_len(tmpl + i + 2);
        if (n == 0) {
            if (bad_at)
                *bad_at = i;
            return -2;
        }
        if (fn && fn(ud, tmpl + i + 2, n) < 0)
            return -1;
        i += n + 3;
    }
    return 0;
}

int suite_tmpl_whole_var(const char *s, size_t *off, size_t *len)
{
    size_t n;

    if (s[0] != '$' || s[1] != '{')
        return 0;
    n = ref_name_len(s + 2);
    if (n == 0 || s[n + 3] != '\0')
        return 0;
    *off = 2;
    *len = n;
    return 1;
}

int suite_pointer_valid(const char *p)
{
    if (p[0] == '\0')
        return 1;
    if (p[0] != '/')
        return 0;
    for (; *p; p++)
        if (p[0] == '~' && p[1] != '0' && p[1] != '1')
            return 0;
    return 1;
}

/* ---- variables ---------------------------------------------------------- */

struct vars *vars_new(void)
{
    struct vars *v = calloc(1, sizeof *v);

    if (!v)
        return NULL;
    v->obj = json_object();
    if (!v->obj) {
        free(v);
        return NULL;
    }
    return v;
}

void vars_free(struct vars *v)
{
    if (!v)
        return;
    json_decref(v->obj);
    free(v);
}

int vars_set(struct vars *v, const char *name, json_t *value)
{
    json_t *own;

    if (!v || !name || !value)
        return -1;
    /* An array is copied (shallowly) so that vars_append may grow it in
     * place without changing an array the caller still holds. */
    own = json_is_array(value) ? json_copy(value) : json_incref(value);
    if (!own)
        return -1;
    return json_object_set_new(v->obj, name, own) == 0 ? 0 : -1;
}

int vars_set_str(struct vars *v, const char *name, const char *value)
{
    json_t *s;

    if (!v || !name || !value)
        return -1;
    s = json_string(value);
    if (!s)
        return -1;
    return json_object_set_new(v->obj, name, s) == 0 ? 0 : -1;
}

int vars_append(struct vars *v, const char *name, json_t *value)
{
    json_t *list, *old;

    if (!v || !name || !value)
        return -1;
    old = json_object_get(v->obj, name);
    if (json_is_array(old))
        return json_array_append(old, value) == 0 ? 0 : -1;
    /* A scalar already set under the name becomes the list's first value,
     * so nothing captured is ever lost. */
    list = json_array();
    if (!list)
        return -1;
    if ((old && json_array_append(list, old) < 0) || json_array_append(list, value) < 0) {
        json_decref(list);
        return -1;
    }
    return json_object_set_new(v->obj, name, list) == 0 ? 0 : -1;
}

json_t *vars_get(const struct vars *v, const char *name)
{
    if (!v || !name)
        return NULL;
    return json_object_get(v->obj, name);
}

/* ---- expansion ---------------------------------------------------------- */

struct expand_ctx {
    const char *tmpl;
    const struct vars *v;
    struct ac_buf *out;
    struct ac_error *err;
    size_t done; /* bytes of tmpl already copied to out */
};

static int add_value(struct ac_buf *out, const json_t *val)
{
    char *dump;
    int rc;

    switch (json_typeof(val)) {
    case JSON_STRING: return ac_buf_add(out, json_string_value(val), json_string_length(val));
    case JSON_INTEGER: return ac_buf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(val));
    case JSON_REAL: return ac_buf_addf(out, "%.17g", json_real_value(val));
    case JSON_TRUE: return ac_buf_adds(out, "true");
    case JSON_FALSE: return ac_buf_adds(out, "false");
    case JSON_NULL: return ac_buf_adds(out, "null");
    default:
        /* Lists and objects are inserted as compact JSON. */
        dump = json_dumps(val, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!dump)
            return -1;
        rc = ac_buf_adds(out, dump);
        free(dump);
        return rc;
    }
}

/* Copies the literal text from ctx->done up to end, turning each "$${"
 * into "${". */
static int add_literal(struct expand_ctx *x, size_t end)
{
    size_t i = x->done, start = x->done;

    while (i < end) {
        if (x->tmpl[i] == '$' && i + 2 < end && x->tmpl[i + 1] == '$' && x->tmpl[i + 2] == '{') {
            if (ac_buf_add(x->out, x->tmpl + start, i - start) < 0)
                return -1;
            start = i + 1; /* drop the first '$' */
            i += 3;
            continue;
        }
        i++;
    }
    return ac_buf_add(x->out, x->tmpl + start, end - start);
}

/* The value of the variable name[0..len); NULL, with err set, when it is
 * not set. */
static json_t *lookup(const struct vars *v, const char *name, size_t len, struct ac_error *err)
{
    char key[256];
    json_t *val;

    snprintf(key, sizeof key, "%.*s", (int)(len < sizeof key ? len : sizeof key - 1), name);
    val = vars_get(v, key);
    if (!val)
        ac_error_set(err, AC_ERR_INVALID, NULL, "variable \"%s\" is not set", key);
    return val;
}

static int expand_var(void *ud, const char *name, size_t len)
{
    struct expand_ctx *x = ud;
    size_t at = (size_t)(name - x->tmpl) - 2;
    json_t *val;

    if (add_literal(x, at) < 0)
        return ac_error_nomem(x->err, NULL);
    val = lookup(x->v, name, len, x->err);
    if (!val)
        return -1;
    if (add_value(x->out, val) < 0)
        return ac_error_nomem(x->err, NULL);
    x->done = at + len + 3;
    return 0;
}

int suite_expand(const char *tmpl, const struct vars *v, struct ac_buf *out, struct ac_error *err)
{
    struct expand_ctx x = {tmpl, v, out, err, 0};
    size_t bad_at = 0, before = out->len;
    int rc;

    rc = suite_tmpl_scan(tmpl, expand_var, &x, &bad_at);
    if (rc == -2)
        ac_error_set(err, AC_ERR_INVALID, NULL, SUITE_BAD_REF, bad_at);
    if (rc == 0 && add_literal(&x, strlen(tmpl)) < 0)
        rc = ac_error_nomem(err, NULL);
    if (rc != 0) {
        /* Leave out as it was: a half-expanded string is never useful. */
        out->len = before;
        if (out->data)
            out->data[before] = '\0';
        return -1;
    }
    return 0;
}

json_t *suite_expand_json(const json_t *tmpl, const struct vars *v, struct ac_error *err)
{
    struct ac_buf buf = AC_BUF_INIT;
    json_t *res = NULL, *val, *item;
    const char *key, *s;
    size_t i, off, len;

    switch (json_typeof(tmpl)) {
    case JSON_STRING:
        s = json_string_value(tmpl);
        if (suite_tmpl_whole_var(s, &off, &len)) {
            val = lookup(v, s + off, len, err);
            if (!val)
                return NULL;
            /* A deep copy: the body must not change when the variable
             * does (a list variable grows in place). */
            res = json_deep_copy(val);
            if (!res)
                ac_error_nomem(err, NULL);
            return res;
        }
        if (suite_expand(s, v, &buf, err) < 0)
            goto out;
        res = json_stringn(buf.data ? buf.data : "", buf.len);
        if (!res)
            ac_error_set(err, AC_ERR_INVALID, NULL, "expanded string is not valid UTF-8");
        goto out;
    case JSON_ARRAY:
        res = json_array();
        if (!res)
            goto nomem;
        for (i = 0; i < json_array_size(tmpl); i++) {
            item = suite_expand_json(json_array_get(tmpl, i), v, err);
            if (!item || json_array_append_new(res, item) < 0)
                goto fail;
        }
        goto out;
    case JSON_OBJECT:
        res = json_object();
        if (!res)
            goto nomem;
        /* Keys are literal: only values are templates. */
        json_object_foreach ((json_t *)tmpl, key, val) {
            item = suite_expand_json(val, v, err);
            if (!item || json_object_set_new(res, key, item) < 0)
                goto fail;
        }
        goto out;
    default:
        res = json_deep_copy(tmpl);
        if (!res)
            goto nomem;
        goto out;
    }
nomem:
    ac_error_nomem(err, NULL);
fail:
    ac_error_nomem(err, NULL);
    json_decref(res);
    res = NULL;
out:
    ac_buf_release(&buf);
    return res;
}

/* ---- JSON Pointer ------------------------------------------------------- */

/* RFC 6901 section 4: an array index is "0" or digits without a leading
 * zero; "-" (past the end) never resolves to a value. */
static int parse_index(const char *tok, size_t *idx)
{
    size_t v = 0;

    if (tok[0] == '\0' || (tok[0] == '0' && tok[1] != '\0'))
        return -1;
    for (; *tok; tok++) {
        if (*tok < '0' || *tok > '9')
            return -1;
        if (v > ((size_t)-1 - 9) / 10)
            return -1;
        v = v * 10 + (size_t)(*tok - '0');
    }
    *idx = v;
    return 0;
}

json_t *suite_json_pointer(json_t *root, const char *pointer)
{
    struct ac_buf tok = AC_BUF_INIT;
    json_t *cur = root;
    const char *p = pointer;
    size_t idx;

    if (!root || !pointer || !suite_pointer_valid(pointer))
        return NULL;
    while (cur && *p) {
        p++; /* the '/' */
        ac_buf_reset(&tok);
        if (ac_buf_grow(&tok, 0) < 0) {
            cur = NULL;
            break;
        }
        /* Decoding left to right turns "~01" into "~1", as section 4
         * requires (~1 first, then ~0, never the other way round). */
        while (*p && *p != '/') {
            char c = *p;
            if (c == '~') {
                c = p[1] == '0' ? '~' : '/';
                p++;
            }
            if (ac_buf_addc(&tok, c) < 0) {
                cur = NULL;
                break;
            }
            p++;
        }
        if (!cur)
            break;
        if (json_is_object(cur))
            cur = json_object_get(cur, tok.data);
        else if (json_is_array(cur))
            cur = parse_index(tok.data, &idx) == 0 ? json_array_get(cur, idx) : NULL;
        else
            cur = NULL;
    }
    ac_buf_release(&tok);
    return cur;
}

/* ---- template variables ------------------------------------------------- */

struct names_ctx {
    char ***names;
    size_t *n;
};

static int add_name(void *ud, const char *name, size_t len)
{
    struct names_ctx *c = ud;
    char **grown, *copy;
    size_t i;

    for (i = 0; i < *c->n; i++)
        if (strlen((*c->names)[i]) == len && memcmp((*c->names)[i], name, len) == 0)
            return 0;
    copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, name, len);
    copy[len] = '\0';
    grown = realloc(*c->names, (*c->n + 1) * sizeof *grown);
    if (!grown) {
        free(copy);
        return -1;
    }
    grown[*c->n] = copy;
    *c->names = grown;
    (*c->n)++;
    return 0;
}

int suite_template_vars(const char *tmpl, char ***names, size_t *n)
{
    struct names_ctx c = {names, n};

    return suite_tmpl_scan(tmpl, add_name, &c, NULL) == 0 ? 0 : -1;
}

static int json_vars(const json_t *j, char ***names, size_t *n)
{
    const char *key;
    json_t *val;
    size_t i;

    if (json_is_string(j))
        return suite_template_vars(json_string_value(j), names, n);
    if (json_is_array(j)) {
        for (i = 0; i < json_array_size(j); i++)
            if (json_vars(json_array_get(j, i), names, n) < 0)
                return -1;
    } else if (json_is_object(j)) {
        json_object_foreach ((json_t *)j, key, val)
            if (json_vars(val, names, n) < 0)
                return -1;
    }
    return 0;
}

int suite_step_vars(const struct step *st, char ***names, size_t *n)
{
    struct names_ctx c = {names, n};
    size_t i;

    if (suite_template_vars(st->path, names, n) < 0)
        return -1;
    for (i = 0; i < st->nquery; i++)
        if (suite_template_vars(st->query[i].value, names, n) < 0)
            return -1;
    for (i = 0; i < st->nheaders; i++)
        if (suite_template_vars(st->headers[i].value, names, n) < 0)
            return -1;
    if (st->body && suite_template_vars(st->body, names, n) < 0)
        return -1;
    if (st->json && json_vars(st->json, names, n) < 0)
        return -1;
    if (st->for_each && add_name(&c, st->for_each, strlen(st->for_each)) < 0)
        return -1;
    return 0;
}

int suite_step_body(const struct step *st, const struct vars *v, struct ac_buf *out,
                    struct ac_error *err)
{
    json_t *body;
    char *dump;
    int rc;

    if (st->body)
        return suite_expand(st->body, v, out, err);
    if (!st->json)
        return 0;
    body = suite_expand_json(st->json, v, err);
    if (!body)
        return -1;
    dump = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
    json_decref(body);
    if (!dump)
        return ac_error_nomem(err, NULL);
    rc = ac_buf_adds(out, dump);
    free(dump);
    if (rc < 0)
        return ac_error_nomem(err, NULL);
    return 0;
}

const char *suite_step_content_type(const struct step *st)
{
    if (st->content_type)
        return st->content_type;
    return st->json ? "application/json" : NULL;
}
