/* catalog/contract.c -- see contract.h. */
#include "contract.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/ac_json.h"

/* A loaded contract: the public struct first, then what its strings are
 * borrowed from (the parsed file). */
struct loaded {
    struct contract pub;
    json_t *root;
    char *source;
    char *token_body;
    struct contract_collection *collections;
};

/* What sweep needs to know of the NetEase lists: the largest page each
 * endpoint allows (a larger limit is an error), load balancers in one page,
 * and services listed per namespace. */
static const struct contract_collection builtin_collections[] = {
    {"/api/v1/nlb/loadbalancers", 199, 0, NULL}, {"/api/v1/cloud-volumes", 20, 1, NULL},
    {"/api/v1/containers", 30, 1, NULL},         {"/api/v1/apps", 30, 1, NULL},
    {"/api/v1/repositories", 30, 1, NULL},       {"/api/v1/microservices", 0, 0, "per-namespace"},
};

/* catalog/nce-contract.json, field by field (test_catalog compares them). */
static const struct contract builtin = {
    "built-in",
    "NetEase Cloud OpenAPI",
    "/code",
    "/message",
    "code",
    "message",
    "application/json",
    "Request-Id",
    3,
    2,
    2,
    "Authorization",
    "Token",
    {"POST", "/api/v1/token"},
    "{\"app_key\":\"${app_key}\",\"app_secret\":\"${app_secret}\"}",
    "/token",
    {"GET", "/api/v1/namespaces"},
    "limit",
    "offset",
    "/total",
    builtin_collections,
    sizeof builtin_collections / sizeof builtin_collections[0],
    1000000,
    9999999,
    "code / 10000",
    1,
};

static const struct contract *active;

const struct contract *contract_builtin(void)
{
    return &builtin;
}

const struct contract *contract_or_builtin(const struct contract *k)
{
    return k ? k : &builtin;
}

void contract_set_active(const struct contract *k)
{
    active = k;
}

const struct contract *contract_active(void)
{
    return active;
}

const char *contract_default_path(void)
{
    static char path[8192];
    const char *env = getenv("AC_CONTRACT");

    if (env && *env)
        return env;
    /* ac_data_path's buffer is shared with the catalog's default path. */
    snprintf(path, sizeof path, "%s",
             ac_data_path("catalog/nce-contract.json", "nce-contract.json"));
    return path;
}

void contract_free(struct contract *k)
{
    struct loaded *l = (struct loaded *)k;

    if (!k || k->builtin)
        return;
    json_decref(l->root);
    free(l->source);
    free(l->token_body);
    free(l->collections);
    free(l);
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int same_endpoint(const struct contract_endpoint *a, const struct contract_endpoint *b)
{
    return same_str(a->method, b->method) && same_str(a->path, b->path);
}

int contract_same(const struct contract *a, const struct contract *b)
{
    size_t i;

    a = contract_or_builtin(a);
    b = contract_or_builtin(b);
    if (!same_str(a->name, b->name) || !same_str(a->code_pointer, b->code_pointer) ||
        !same_str(a->message_pointer, b->message_pointer) ||
        !same_str(a->media_type, b->media_type) ||
        !same_str(a->request_id_header, b->request_id_header) ||
        a->status_digits != b->status_digits || a->service_digits != b->service_digits ||
        a->detail_digits != b->detail_digits || !same_str(a->auth_header, b->auth_header) ||
        !same_str(a->auth_scheme, b->auth_scheme) || !same_endpoint(&a->token, &b->token) ||
        !same_str(a->token_body, b->token_body) || !same_str(a->token_pointer, b->token_pointer) ||
        !same_endpoint(&a->preflight, &b->preflight) || !same_str(a->limit_param, b->limit_param) ||
        !same_str(a->offset_param, b->offset_param) ||
        !same_str(a->total_pointer, b->total_pointer) || a->ncollections != b->ncollections ||
        strcmp(a->status_rule, b->status_rule) != 0)
        return 0;
    for (i = 0; i < a->ncollections; i++) {
        const struct contract_collection *x = &a->collections[i], *y = &b->collections[i];
        if (!same_str(x->path, y->path) || x->page_size != y->page_size || x->paged != y->paged ||
            !same_str(x->listed, y->listed))
            return 0;
    }
    return 1;
}

/* ---- the code scheme ---------------------------------------------------- */

static long long pow10ll(int n)
{
    long long p = 1;

    while (n-- > 0)
        p *= 10;
    return p;
}

int contract_code_digits(const struct contract *k)
{
    k = contract_or_builtin(k);
    return k->status_digits + k->service_digits + k->detail_digits;
}

int contract_code_valid(const struct contract *k, long long code)
{
    k = contract_or_builtin(k);
    return code >= k->code_min && code <= k->code_max;
}

int contract_code_status(const struct contract *k, long long code)
{
    k = contract_or_builtin(k);
    if (code < 0 || code > k->code_max)
        return -1;
    return (int)(code / pow10ll(k->service_digits + k->detail_digits));
}

int contract_code_service(const struct contract *k, long long code)
{
    k = contract_or_builtin(k);
    if (code < 0 || code > k->code_max)
        return -1;
    return (int)(code / pow10ll(k->detail_digits) % pow10ll(k->service_digits));
}

int contract_code_detail(const struct contract *k, long long code)
{
    k = contract_or_builtin(k);
    if (code < 0 || code > k->code_max)
        return -1;
    return (int)(code % pow10ll(k->detail_digits));
}

long long contract_code_make(const struct contract *k, int status, int service, int detail)
{
    k = contract_or_builtin(k);
    return (long long)status * pow10ll(k->service_digits + k->detail_digits) +
           (long long)service * pow10ll(k->detail_digits) + detail;
}

/* ---- bodies --------------------------------------------------------------- */

json_t *contract_json_pointer(json_t *root, const char *pointer)
{
    json_t *cur = root;
    const char *p = pointer;
    char tok[1024];

    if (!root || !pointer)
        return NULL;
    if (!*p)
        return root;
    if (*p != '/')
        return NULL;
    while (*p == '/' && cur) {
        size_t n = 0;
        p++;
        while (*p && *p != '/') {
            char c = *p++;
            if (c == '~') {
                if (*p == '0')
                    c = '~';
                else if (*p == '1')
                    c = '/';
                else
                    return NULL;
                p++;
            }
            if (n + 1 >= sizeof tok)
                return NULL;
            tok[n++] = c;
        }
        tok[n] = '\0';
        if (json_is_object(cur)) {
            cur = json_object_get(cur, tok);
        } else if (json_is_array(cur)) {
            size_t i, idx = 0;
            if (n == 0 || (n > 1 && tok[0] == '0') || n > 9)
                return NULL;
            for (i = 0; i < n; i++) {
                if (!isdigit((unsigned char)tok[i]))
                    return NULL;
                idx = idx * 10 + (size_t)(tok[i] - '0');
            }
            cur = json_array_get(cur, idx);
        } else {
            return NULL;
        }
    }
    return cur;
}

json_t *contract_error_code(const struct contract *k, json_t *root)
{
    return contract_json_pointer(root, contract_or_builtin(k)->code_pointer);
}

json_t *contract_error_message(const struct contract *k, json_t *root)
{
    return contract_json_pointer(root, contract_or_builtin(k)->message_pointer);
}

int contract_media_type_is(const struct contract *k, const char *ct)
{
    const char *want = contract_or_builtin(k)->media_type;
    size_t n;

    if (!ct)
        return 0;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    n = strcspn(ct, "; \t");
    return n == strlen(want) && strncasecmp(ct, want, n) == 0;
}

/* ---- sessions --------------------------------------------------------------- */

/* s with ${app_key} and ${app_secret} replaced; heap, NULL on no memory. */
static char *fill_vars(const char *s, const char *key, const char *secret)
{
    struct ac_buf b = AC_BUF_INIT;

    ac_buf_grow(&b, 0);
    while (*s) {
        if (strncmp(s, "${app_key}", 10) == 0) {
            ac_buf_adds(&b, key);
            s += 10;
        } else if (strncmp(s, "${app_secret}", 13) == 0) {
            ac_buf_adds(&b, secret);
            s += 13;
        } else {
            ac_buf_addc(&b, *s++);
        }
    }
    return ac_buf_take(&b);
}

/* Fills every string of j in place. 0, or -1 on no memory. */
static int fill_json(json_t *j, const char *key, const char *secret)
{
    const char *name;
    json_t *v;
    size_t i;

    if (json_is_object(j)) {
        json_object_foreach (j, name, v) {
            if (fill_json(v, key, secret) < 0)
                return -1;
        }
    } else if (json_is_array(j)) {
        json_array_foreach (j, i, v) {
            if (fill_json(v, key, secret) < 0)
                return -1;
        }
    } else if (json_is_string(j)) {
        char *s = fill_vars(json_string_value(j), key, secret);
        int rc = s ? json_string_set(j, s) : -1;
        free(s);
        return rc;
    }
    return 0;
}

char *contract_token_body(const struct contract *k, const char *app_key, const char *app_secret,
                          int *nomem)
{
    json_t *t;
    char *out = NULL;

    k = contract_or_builtin(k);
    *nomem = 0;
    if (!k->token_body)
        return NULL;
    t = json_loads(k->token_body, JSON_DECODE_ANY, NULL);
    if (t && fill_json(t, app_key ? app_key : "", app_secret ? app_secret : "") == 0)
        out = json_dumps(t, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(t);
    *nomem = !out;
    return out;
}

void contract_auth_line(const struct contract *k, const char *token, char *out, size_t size)
{
    k = contract_or_builtin(k);
    if (*k->auth_scheme)
        snprintf(out, size, "%s: %s %s", k->auth_header, k->auth_scheme, token);
    else
        snprintf(out, size, "%s: %s", k->auth_header, token);
}

const struct contract_collection *contract_collection(const struct contract *k, const char *path)
{
    size_t i;

    k = contract_or_builtin(k);
    for (i = 0; i < k->ncollections; i++)
        if (strcmp(k->collections[i].path, path) == 0)
            return &k->collections[i];
    return NULL;
}

/* ---- loading ------------------------------------------------------------------ */

struct loader {
    const char *name;
    struct ac_error *err;
};

/* "integer", or a string's value quoted (cut), or an integer's value. */
static void describe(const json_t *v, char *out, size_t size)
{
    if (!v)
        snprintf(out, size, "nothing");
    else if (json_is_string(v))
        snprintf(out, size, "\"%.100s\"", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(out, size, "%lld", (long long)json_integer_value(v));
    else
        snprintf(out, size, "%s", ac_json_type_name(v));
}

static int bad(struct loader *L, const char *key, const char *expected, const json_t *got)
{
    char g[160];

    describe(got, g, sizeof g);
    return ac_error_set(L->err, AC_ERR_INVALID, L->name, "%s: expected %s, got %s", key, expected,
                        g);
}

static int missing(struct loader *L, const char *key, const char *expected)
{
    return ac_error_set(L->err, AC_ERR_INVALID, L->name, "%s: missing (expected %s)", key,
                        expected);
}

/* Every member of obj (at keypath; "" for the top) is one of allowed. */
static int check_keys(struct loader *L, const char *keypath, json_t *obj,
                      const char *const *allowed)
{
    const char *key;
    json_t *v;
    char list[256] = "", at[300];
    size_t i;

    for (i = 0; allowed[i]; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                 allowed[i]);
    json_object_foreach (obj, key, v) {
        for (i = 0; allowed[i]; i++)
            if (strcmp(key, allowed[i]) == 0)
                break;
        if (!allowed[i]) {
            snprintf(at, sizeof at, "%s%s%.100s", keypath, *keypath ? "." : "", key);
            return ac_error_set(L->err, AC_ERR_INVALID, L->name, "%s: unknown key (expected %s)",
                                at, list);
        }
    }
    return 0;
}

/* The object member key of the object at keypath; missing is an error. */
static json_t *object_at(struct loader *L, json_t *parent, const char *key, const char *expected)
{
    json_t *v = json_object_get(parent, key);

    if (!v) {
        missing(L, key, expected);
        return NULL;
    }
    if (!json_is_object(v)) {
        bad(L, key, expected, v);
        return NULL;
    }
    return v;
}

static int is_tchar(int c)
{
    return isalnum(c) || strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int is_token(const char *s, size_t max)
{
    size_t n = strlen(s), i;

    if (n == 0 || n > max)
        return 0;
    for (i = 0; i < n; i++)
        if (!is_tchar((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Letters, digits, '-', '_' and '.': a header name or auth scheme that no
 * shell expands inside double quotes (reproducers quote them so). */
static int is_name(const char *s, size_t max)
{
    size_t n = strlen(s), i;

    if (n == 0 || n > max)
        return 0;
    for (i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("-_.", s[i]))
            return 0;
    return 1;
}

static int get_string(struct loader *L, json_t *obj, const char *at, const char *member,
                      const char *expected, const char **out)
{
    char key[300];
    json_t *v = json_object_get(obj, member);

    snprintf(key, sizeof key, "%s.%s", at, member);
    if (!v)
        return missing(L, key, expected);
    if (!json_is_string(v))
        return bad(L, key, expected, v);
    *out = json_string_value(v);
    return 0;
}

/* A JSON Pointer to a member: a string of "/"-separated tokens whose "~"
 * escapes are ~0 or ~1. */
static int get_pointer(struct loader *L, json_t *obj, const char *at, const char *member,
                       const char *example, const char **out)
{
    char key[300], expected[200];
    const char *p;
    json_t *v = json_object_get(obj, member);

    snprintf(key, sizeof key, "%s.%s", at, member);
    snprintf(expected, sizeof expected, "a JSON Pointer to a member, such as \"%s\"", example);
    if (!v)
        return missing(L, key, expected);
    if (!json_is_string(v) || json_string_length(v) < 2 || json_string_value(v)[0] != '/' ||
        strlen(json_string_value(v)) != json_string_length(v))
        return bad(L, key, expected, v);
    for (p = json_string_value(v); *p; p++)
        if (*p == '~' && p[1] != '0' && p[1] != '1')
            return bad(L, key, "a JSON Pointer whose '~' is followed by 0 or 1", v);
    *out = json_string_value(v);
    return 0;
}

static int get_digits(struct loader *L, json_t *obj, const char *member, int lo, int hi,
                      const char *expected, int *out)
{
    char key[300];
    json_t *v = json_object_get(obj, member);

    snprintf(key, sizeof key, "code_scheme.%s", member);
    if (!v)
        return missing(L, key, expected);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return bad(L, key, expected, v);
    *out = (int)json_integer_value(v);
    return 0;
}

static int get_endpoint(struct loader *L, json_t *obj, const char *at,
                        struct contract_endpoint *out)
{
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", NULL};
    char key[300];
    const char *p;
    size_t i;

    if (get_string(L, obj, at, "method", "GET, POST, PUT, PATCH or DELETE", &out->method) < 0)
        return -1;
    for (i = 0; methods[i] && strcmp(methods[i], out->method) != 0; i++)
        ;
    snprintf(key, sizeof key, "%s.method", at);
    if (!methods[i])
        return bad(L, key, "GET, POST, PUT, PATCH or DELETE", json_object_get(obj, "method"));
    snprintf(key, sizeof key, "%s.path", at);
    if (get_string(L, obj, at, "path", "a path starting with '/'", &out->path) < 0)
        return -1;
    for (p = out->path; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '?' || *p == '#')
            break;
    if (out->path[0] != '/' || *p ||
        strlen(out->path) != json_string_length(json_object_get(obj, "path")))
        return bad(L, key,
                   "a path starting with '/', without spaces, control characters, '?' "
                   "or '#'",
                   json_object_get(obj, "path"));
    return 0;
}

/* Every string of the token body template uses only ${app_key} and
 * ${app_secret}. at is the key path of j. */
static int check_template(struct loader *L, const char *at, json_t *j)
{
    char key[300];
    const char *name, *s;
    json_t *v;
    size_t i;

    if (json_is_object(j)) {
        json_object_foreach (j, name, v) {
            snprintf(key, sizeof key, "%s.%.100s", at, name);
            if (check_template(L, key, v) < 0)
                return -1;
        }
    } else if (json_is_array(j)) {
        json_array_foreach (j, i, v) {
            snprintf(key, sizeof key, "%s[%zu]", at, i);
            if (check_template(L, key, v) < 0)
                return -1;
        }
    } else if (json_is_string(j)) {
        for (s = json_string_value(j); (s = strstr(s, "${")) != NULL; s += 2)
            if (strncmp(s, "${app_key}", 10) != 0 && strncmp(s, "${app_secret}", 13) != 0)
                return bad(L, at, "a template whose variables are ${app_key} and ${app_secret}", j);
    }
    return 0;
}

/* A header name (1-64 letters, digits, '-', '_' or '.') at at.member. */
static int get_header_name(struct loader *L, json_t *obj, const char *at, const char *member,
                           const char *example, const char **out)
{
    char key[300], expected[200];

    snprintf(key, sizeof key, "%s.%s", at, member);
    snprintf(expected, sizeof expected, "a header name such as \"%s\"", example);
    if (get_string(L, obj, at, member, expected, out) < 0)
        return -1;
    if (!is_name(*out, 64)) {
        snprintf(expected, sizeof expected,
                 "a header name of 1-64 letters, digits, '-', '_' or '.', such as \"%s\"", example);
        return bad(L, key, expected, json_object_get(obj, member));
    }
    return 0;
}

static int parse_error_body(struct loader *L, json_t *root, struct contract *k)
{
    static const char *const keys[] = {"code", "message", "media_type", "request_id_header", NULL};
    json_t *o =
        object_at(L, root, "error_body", "an object with \"code\", \"message\" and \"media_type\"");
    const char *mt, *slash;

    if (!o || check_keys(L, "error_body", o, keys) < 0 ||
        get_pointer(L, o, "error_body", "code", "/code", &k->code_pointer) < 0 ||
        get_pointer(L, o, "error_body", "message", "/message", &k->message_pointer) < 0 ||
        get_string(L, o, "error_body", "media_type", "a media type such as \"application/json\"",
                   &mt) < 0)
        return -1;
    if (strcmp(k->code_pointer, k->message_pointer) == 0)
        return bad(L, "error_body.message", "a pointer other than error_body.code's",
                   json_object_get(o, "message"));
    slash = strchr(mt, '/');
    {
        char type[128] = "";
        if (slash && (size_t)(slash - mt) < sizeof type)
            snprintf(type, sizeof type, "%.*s", (int)(slash - mt), mt);
        if (!slash || !is_token(type, 127) || !is_token(slash + 1, 127))
            return bad(L, "error_body.media_type", "a media type such as \"application/json\"",
                       json_object_get(o, "media_type"));
    }
    k->media_type = mt;
    if (json_object_get(o, "request_id_header") &&
        get_header_name(L, o, "error_body", "request_id_header", "Request-Id",
                        &k->request_id_header) < 0)
        return -1;
    k->code_name = k->code_pointer + 1;
    k->message_name = k->message_pointer + 1;
    return 0;
}

static int parse_scheme(struct loader *L, json_t *root, struct contract *k)
{
    static const char *const keys[] = {"status_digits", "service_digits", "detail_digits", NULL};
    json_t *o = object_at(L, root, "code_scheme",
                          "an object with \"status_digits\", \"service_digits\" and "
                          "\"detail_digits\"");
    int n;

    if (!o || check_keys(L, "code_scheme", o, keys) < 0 ||
        get_digits(L, o, "status_digits", 3, 3, "3 (an HTTP status has three digits)",
                   &k->status_digits) < 0 ||
        get_digits(L, o, "service_digits", 0, 2, "0, 1 or 2", &k->service_digits) < 0 ||
        get_digits(L, o, "detail_digits", 1, 4, "1 to 4", &k->detail_digits) < 0)
        return -1;
    n = contract_code_digits(k);
    k->code_min = pow10ll(n - 1);
    k->code_max = pow10ll(n) - 1;
    snprintf(k->status_rule, sizeof k->status_rule, "code / %lld",
             pow10ll(k->service_digits + k->detail_digits));
    return 0;
}

static int parse_auth(struct loader *L, json_t *root, struct contract *k)
{
    static const char *const keys[] = {"header", "scheme", NULL};
    json_t *o = object_at(L, root, "auth", "an object with \"header\" and \"scheme\"");

    if (!o || check_keys(L, "auth", o, keys) < 0 ||
        get_header_name(L, o, "auth", "header", "Authorization", &k->auth_header) < 0 ||
        get_string(L, o, "auth", "scheme", "an auth scheme such as \"Bearer\", or \"\"",
                   &k->auth_scheme) < 0)
        return -1;
    if (*k->auth_scheme && !is_name(k->auth_scheme, 32))
        return bad(L, "auth.scheme",
                   "an auth scheme of 1-32 letters, digits, '-', '_' or '.', such as "
                   "\"Bearer\", or \"\"",
                   json_object_get(o, "scheme"));
    return 0;
}

static int parse_token(struct loader *L, json_t *root, struct loaded *l)
{
    static const char *const keys[] = {"method", "path", "body", "token_pointer", NULL};
    struct contract *k = &l->pub;
    json_t *o = object_at(L, root, "token",
                          "an object with \"method\", \"path\", \"body\" and \"token_pointer\"");
    json_t *body;

    if (!o || check_keys(L, "token", o, keys) < 0 || get_endpoint(L, o, "token", &k->token) < 0 ||
        get_pointer(L, o, "token", "token_pointer", "/token", &k->token_pointer) < 0)
        return -1;
    body = json_object_get(o, "body");
    if (body && !json_is_null(body)) {
        if (check_template(L, "token.body", body) < 0)
            return -1;
        l->token_body = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!l->token_body)
            return ac_error_nomem(L->err, L->name);
        k->token_body = l->token_body;
    }
    return 0;
}

static int parse_preflight(struct loader *L, json_t *root, struct contract *k)
{
    static const char *const keys[] = {"method", "path", NULL};
    json_t *o = object_at(L, root, "preflight", "an object with \"method\" and \"path\"");

    if (!o || check_keys(L, "preflight", o, keys) < 0 ||
        get_endpoint(L, o, "preflight", &k->preflight) < 0)
        return -1;
    return 0;
}

static int parse_collection(struct loader *L, const char *path, json_t *o,
                            struct contract_collection *c)
{
    static const char *const keys[] = {"page_size", "paged", "listed", NULL};
    char at[300], key[340];
    json_t *v;

    snprintf(at, sizeof at, "lists.collections[\"%.200s\"]", path);
    if (!json_is_object(o))
        return bad(L, at, "an object with \"page_size\", \"paged\" or \"listed\"", o);
    if (path[0] != '/' || strchr(path, '?') || strchr(path, '{'))
        return ac_error_set(L->err, AC_ERR_INVALID, L->name,
                            "%s: expected a collection path starting with '/', without '?' or "
                            "'{'",
                            at);
    if (check_keys(L, at, o, keys) < 0)
        return -1;
    c->path = path;
    c->paged = 1;
    v = json_object_get(o, "page_size");
    snprintf(key, sizeof key, "%s.page_size", at);
    if (v && (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 100000))
        return bad(L, key, "an integer from 1 to 100000", v);
    c->page_size = v ? (long)json_integer_value(v) : 0;
    v = json_object_get(o, "paged");
    snprintf(key, sizeof key, "%s.paged", at);
    if (v && !json_is_boolean(v))
        return bad(L, key, "true or false", v);
    if (v)
        c->paged = json_is_true(v);
    if (!c->page_size)
        c->paged = 0;
    v = json_object_get(o, "listed");
    snprintf(key, sizeof key, "%s.listed", at);
    if (v && !(json_is_string(v) && strcmp(json_string_value(v), "per-namespace") == 0))
        return bad(L, key, "\"per-namespace\"", v);
    c->listed = v ? json_string_value(v) : NULL;
    return 0;
}

static int parse_lists(struct loader *L, json_t *root, struct loaded *l)
{
    static const char *const keys[] = {"limit_param", "offset_param", "total_pointer",
                                       "collections", NULL};
    struct contract *k = &l->pub;
    json_t *o = json_object_get(root, "lists"), *cols, *v;
    const char *path;
    size_t n = 0;

    if (!o)
        return 0;
    if (!json_is_object(o))
        return bad(L, "lists",
                   "an object with \"limit_param\", \"offset_param\" and "
                   "\"collections\"",
                   o);
    if (check_keys(L, "lists", o, keys) < 0 ||
        get_string(L, o, "lists", "limit_param", "a query parameter name such as \"limit\"",
                   &k->limit_param) < 0 ||
        get_string(L, o, "lists", "offset_param", "a query parameter name such as \"offset\"",
                   &k->offset_param) < 0)
        return -1;
    if (!is_token(k->limit_param, 64))
        return bad(L, "lists.limit_param", "a query parameter name such as \"limit\"",
                   json_object_get(o, "limit_param"));
    if (!is_token(k->offset_param, 64))
        return bad(L, "lists.offset_param", "a query parameter name such as \"offset\"",
                   json_object_get(o, "offset_param"));
    if (json_object_get(o, "total_pointer") &&
        get_pointer(L, o, "lists", "total_pointer", "/total", &k->total_pointer) < 0)
        return -1;
    cols = json_object_get(o, "collections");
    if (!cols)
        return 0;
    if (!json_is_object(cols))
        return bad(L, "lists.collections", "an object of collection path -> how it is listed",
                   cols);
    l->collections = calloc(json_object_size(cols) + 1, sizeof *l->collections);
    if (!l->collections)
        return ac_error_nomem(L->err, L->name);
    json_object_foreach (cols, path, v) {
        if (parse_collection(L, path, v, &l->collections[n]) < 0)
            return -1;
        n++;
    }
    k->collections = l->collections;
    k->ncollections = n;
    return 0;
}

struct contract *contract_load_buffer(const char *name, const char *data, size_t len,
                                      struct ac_error *err)
{
    static const char *const keys[] = {"format", "name",      "error_body", "code_scheme", "auth",
                                       "token",  "preflight", "lists",      NULL};
    struct loader L = {name, err};
    struct loaded *l = calloc(1, sizeof *l);
    struct contract *k = l ? &l->pub : NULL;
    json_t *v;

    if (!l || !(l->source = ac_strdup(name))) {
        ac_error_nomem(err, name);
        goto fail;
    }
    k->source = l->source;
    l->root = ac_json_parse(name, data, len, AC_JSON_NOT_VALID, err);
    if (!l->root)
        goto fail;
    if (!json_is_object(l->root)) {
        ac_error_set(err, AC_ERR_INVALID, name, "expected a JSON object (a contract), got %s",
                     ac_json_type_name(l->root));
        goto fail;
    }
    if (check_keys(&L, "", l->root, keys) < 0)
        goto fail;
    v = json_object_get(l->root, "format");
    if (!v) {
        missing(&L, "format", "\"" CONTRACT_FORMAT "\"");
        goto fail;
    }
    if (!json_is_string(v) || strcmp(json_string_value(v), CONTRACT_FORMAT) != 0) {
        bad(&L, "format", "\"" CONTRACT_FORMAT "\"", v);
        goto fail;
    }
    v = json_object_get(l->root, "name");
    if (v && !json_is_string(v)) {
        bad(&L, "name", "a string", v);
        goto fail;
    }
    k->name = v ? json_string_value(v) : "";
    k->limit_param = "limit";
    k->offset_param = "offset";
    if (parse_error_body(&L, l->root, k) < 0 || parse_scheme(&L, l->root, k) < 0 ||
        parse_auth(&L, l->root, k) < 0 || parse_token(&L, l->root, l) < 0 ||
        parse_preflight(&L, l->root, k) < 0 || parse_lists(&L, l->root, l) < 0)
        goto fail;
    return k;
fail:
    contract_free(k);
    return NULL;
}

struct contract *contract_load(const char *path, struct ac_error *err)
{
    struct ac_buf b = AC_BUF_INIT;
    struct contract *k = NULL;

    if (ac_file_read(path, CONTRACT_MAX_FILE_BYTES, &b, err) == 0)
        k = contract_load_buffer(path, b.data ? b.data : "", b.len, err);
    ac_buf_release(&b);
    return k;
}
