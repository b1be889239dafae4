/* catalog/catalog.c -- loading, validating and querying the contract. */
#include "catalog.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/ac_json.h"
#include "../common/sha256.h"

struct catalog {
    struct catalog_entry *entries; /* file order */
    size_t n;
    struct catalog_entry **sorted; /* by code, for bsearch */
    char *source;
    char sha256[65];
    char *service_names[100];        /* from the file's "services", or NULL */
    char fallback_names[100][16];    /* "service NN", built on demand */
    const struct contract *contract; /* the code scheme the codes were checked by
                                        (borrowed; NULL: the built-in one) */
};

/* The NetEase Cloud contract never names its services; these names are
 * inferred from the messages (see api/REFERENCE.md §4). */
static const char *const builtin_service_names[] = {
    "platform", "microservices", "cloud volumes", "IPs", "load balancers", "unidentified",
};

/* Registered 4xx and 5xx statuses (IANA HTTP status code registry). */
static const int error_statuses[] = {
    400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413,
    414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431,
    451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
};

int catalog_status_is_error(int status)
{
    size_t i;

    for (i = 0; i < sizeof error_statuses / sizeof error_statuses[0]; i++)
        if (error_statuses[i] == status)
            return 1;
    return 0;
}

const char *catalog_default_path(void)
{
    const char *env = getenv("AC_CATALOG");

    if (env && *env)
        return env;
    return ac_data_path("catalog/nce-errors.json", "nce-errors.json");
}

void catalog_free(struct catalog *c)
{
    size_t i;

    if (!c)
        return;
    for (i = 0; i < c->n; i++) {
        free((char *)c->entries[i].message);
        free((char *)c->entries[i].description);
        free((char *)c->entries[i].solution);
    }
    for (i = 0; i < 100; i++)
        free(c->service_names[i]);
    free(c->entries);
    free(c->sorted);
    free(c->source);
    free(c);
}

static int cmp_entry_ptr(const void *a, const void *b)
{
    const struct catalog_entry *x = *(const struct catalog_entry *const *)a;
    const struct catalog_entry *y = *(const struct catalog_entry *const *)b;
    return (x->code > y->code) - (x->code < y->code);
}

/* Reads an optional string member; "" when absent. */
static int opt_string(const char *src, size_t idx, json_t *obj, const char *key, char **out,
                      struct ac_error *err)
{
    json_t *v = json_object_get(obj, key);
    char where[300];

    if (!v || json_is_null(v)) {
        *out = ac_strdup("");
    } else if (!json_is_string(v)) {
        snprintf(where, sizeof where, "%s: entry %zu (%s)", src, idx, key);
        return ac_error_set(err, AC_ERR_INVALID, where, "expected a string, got %s",
                            ac_json_type_word(v));
    } else {
        *out = ac_strdup(json_string_value(v));
    }
    if (!*out)
        return ac_error_nomem(err, src);
    return 0;
}

static int parse_entry(struct catalog *c, size_t idx, json_t *obj, struct ac_error *err)
{
    struct catalog_entry *e = &c->entries[idx];
    const char *src = c->source, *key;
    char where[300];
    json_t *code, *msg, *v;
    json_int_t n;
    size_t bad;
    int digits = contract_code_digits(c->contract);

    (void)v;
    if (!json_is_object(obj)) {
        snprintf(where, sizeof where, "%s: entry %zu", src, idx);
        return ac_error_set(err, AC_ERR_INVALID, where,
                            "expected an object with \"code\" and \"message\", got %s",
                            ac_json_type_word(obj));
    }
    json_object_foreach (obj, key, v) {
        if (strcmp(key, "code") && strcmp(key, "message") && strcmp(key, "description") &&
            strcmp(key, "solution")) {
            snprintf(where, sizeof where, "%s: entry %zu", src, idx);
            return ac_error_set(
                err, AC_ERR_INVALID, where,
                "unknown key \"%s\" (expected code, message, description, solution)", key);
        }
    }
    code = json_object_get(obj, "code");
    snprintf(where, sizeof where, "%s: entry %zu (code)", src, idx);
    if (!code)
        return ac_error_set(err, AC_ERR_INVALID, where,
                            "missing; expected an integer of exactly %d digits", digits);
    if (!json_is_integer(code))
        return ac_error_set(err, AC_ERR_INVALID, where,
                            "expected an integer of exactly %d digits, got %s", digits,
                            ac_json_type_word(code));
    n = json_integer_value(code);
    if (!contract_code_valid(c->contract, n))
        return ac_error_set(err, AC_ERR_INVALID, where,
                            "expected an integer of exactly %d digits, got %lld", digits,
                            (long long)n);
    e->code = (long)n;
    e->status = contract_code_status(c->contract, n);
    e->service = contract_code_service(c->contract, n);
    e->detail = contract_code_detail(c->contract, n);
    e->index = idx;
    if (e->status < 400 || e->status > 599 || !catalog_status_is_error(e->status))
        return ac_error_set(err, AC_ERR_INVALID, where,
                            "%ld starts with %d, expected a 4xx or 5xx HTTP status", e->code,
                            e->status);

    msg = json_object_get(obj, "message");
    snprintf(where, sizeof where, "%s: entry %zu (message)", src, idx);
    if (!msg)
        return ac_error_set(err, AC_ERR_INVALID, where, "missing; expected a non-empty string");
    if (!json_is_string(msg))
        return ac_error_set(err, AC_ERR_INVALID, where, "expected a non-empty string, got %s",
                            ac_json_type_word(msg));
    if (json_string_length(msg) == 0)
        return ac_error_set(err, AC_ERR_INVALID, where, "expected a non-empty string, got \"\"");
    if (json_string_length(msg) > CATALOG_MAX_MESSAGE_BYTES)
        return ac_error_set(err, AC_ERR_INVALID, where, "longer than %u bytes",
                            CATALOG_MAX_MESSAGE_BYTES);
    /* jansson already rejects invalid UTF-8 while parsing; this guards
     * catalogs built from other sources and documents the rule. */
    if (!ac_utf8_valid(json_string_value(msg), json_string_length(msg), &bad))
        return ac_error_set(err, AC_ERR_INVALID, where,
                            "not valid UTF-8 (byte %zu); expected UTF-8 text", bad);
    e->message = ac_strdup(json_string_value(msg));
    if (!e->message)
        return ac_error_nomem(err, src);
    if (opt_string(src, idx, obj, "description", (char **)&e->description, err) < 0 ||
        opt_string(src, idx, obj, "solution", (char **)&e->solution, err) < 0)
        return -1;
    return 0;
}

static int parse_services(struct catalog *c, json_t *services, struct ac_error *err)
{
    const char *key;
    json_t *v;
    char where[300];

    snprintf(where, sizeof where, "%s: services", c->source);
    if (!json_is_object(services))
        return ac_error_set(err, AC_ERR_INVALID, where,
                            "expected an object of \"NN\": \"name\", got %s",
                            ac_json_type_word(services));
    json_object_foreach (services, key, v) {
        if (strlen(key) != 2 || !isdigit((unsigned char)key[0]) ||
            !isdigit((unsigned char)key[1]) || !json_is_string(v))
            return ac_error_set(err, AC_ERR_INVALID, where,
                                "expected two-digit keys with string names, got \"%s\"", key);
        c->service_names[atoi(key)] = ac_strdup(json_string_value(v));
        if (!c->service_names[atoi(key)])
            return ac_error_nomem(err, where);
    }
    return 0;
}

/* The loader (the "format" member, when present, must be CATALOG_FORMAT).
 * With each_error NULL it stops at the first error (err set);
 * otherwise errors of single entries (and duplicate codes) are handed to
 * each_error one by one and loading goes on, so that `catalog lint` can
 * name them all; the result is still NULL when any was found, with err
 * set to the first. */
static struct catalog *load(const char *name, const char *data, size_t len,
                            const struct contract *k, struct ac_error *err,
                            void (*each_error)(void *ud, const struct ac_error *e), void *ud)
{
    struct catalog *c = NULL;
    json_t *root = NULL, *entries, *v;
    const char *key;
    char where[300];
    size_t i;
    int ok = 0, bad_entries = 0;
    struct ac_error first_error = AC_ERROR_INIT;

    c = calloc(1, sizeof *c);
    if (!c || !(c->source = ac_strdup(name))) {
        ac_error_nomem(err, name);
        goto out;
    }
    c->contract = k;
    ac_sha256_hex_of(data, len, c->sha256);
    root = ac_json_parse(name, data, len, AC_JSON_NOT_VALID, err);
    if (!root)
        goto out;
    if (!json_is_object(root)) {
        ac_error_set(err, AC_ERR_INVALID, name,
                     "expected a JSON object with an \"entries\" array, got %s",
                     ac_json_type_word(root));
        goto out;
    }
    json_object_foreach (root, key, v) {
        if (strcmp(key, "entries") && strcmp(key, "format") && strcmp(key, "source") &&
            strcmp(key, "services")) {
            ac_error_set(err, AC_ERR_INVALID, name,
                         "unknown key \"%s\" (expected format, source, services, entries)", key);
            goto out;
        }
    }
    v = json_object_get(root, "format");
    if (v && !(json_is_string(v) && strcmp(json_string_value(v), CATALOG_FORMAT) == 0)) {
        /* Another version of the format may mean other fields: refuse it
         * rather than read it as this one. */
        snprintf(where, sizeof where, "%s: format", name);
        if (json_is_string(v))
            ac_error_set(err, AC_ERR_INVALID, where, "expected \"%s\", got \"%.100s\"",
                         CATALOG_FORMAT, json_string_value(v));
        else
            ac_error_set(err, AC_ERR_INVALID, where, "expected the string \"%s\", got %s",
                         CATALOG_FORMAT, ac_json_type_word(v));
        goto out;
    }
    entries = json_object_get(root, "entries");
    if (!entries || !json_is_array(entries)) {
        ac_error_set(err, AC_ERR_INVALID, name, "expected an \"entries\" array, got %s",
                     entries ? ac_json_type_word(entries) : "nothing");
        goto out;
    }
    if (json_array_size(entries) == 0) {
        ac_error_set(err, AC_ERR_INVALID, name, "\"entries\" is empty; expected at least one code");
        goto out;
    }
    if (json_object_get(root, "services") &&
        parse_services(c, json_object_get(root, "services"), err) < 0)
        goto out;
    c->entries = calloc(json_array_size(entries), sizeof *c->entries);
    c->sorted = calloc(json_array_size(entries), sizeof *c->sorted);
    if (!c->entries || !c->sorted) {
        ac_error_nomem(err, name);
        goto out;
    }
    c->n = json_array_size(entries);
    for (i = 0; i < c->n; i++) {
        c->sorted[i] = &c->entries[i];
        if (parse_entry(c, i, json_array_get(entries, i), err) < 0) {
            if (!each_error || err->code == AC_ERR_NOMEM) {
                c->n = i + 1; /* free what was parsed, including entry i */
                goto out;
            }
            each_error(ud, err);
            if (!bad_entries++)
                first_error = *err;
            ac_error_clear(err);
            c->entries[i].code = 0; /* left out of the duplicate check */
            c->entries[i].index = i;
        }
    }
    qsort(c->sorted, c->n, sizeof *c->sorted, cmp_entry_ptr);
    for (i = 1; i < c->n; i++) {
        if (c->sorted[i]->code && c->sorted[i]->code == c->sorted[i - 1]->code) {
            const struct catalog_entry *a = c->sorted[i - 1], *b = c->sorted[i];
            if (a->index > b->index) {
                const struct catalog_entry *t = a;
                a = b;
                b = t;
            }
            snprintf(where, sizeof where, "%s: entry %zu (code)", name, b->index);
            ac_error_set(err, AC_ERR_INVALID, where, "duplicate code %ld, first at entry %zu",
                         b->code, a->index);
            if (!each_error)
                goto out;
            each_error(ud, err);
            if (!bad_entries++)
                first_error = *err;
            ac_error_clear(err);
        }
    }
    if (bad_entries) {
        *err = first_error;
        goto out;
    }
    ok = 1;
out:
    json_decref(root);
    if (!ok) {
        catalog_free(c);
        return NULL;
    }
    return c;
}

struct catalog *catalog_load_buffer(const char *name, const char *data, size_t len,
                                    struct ac_error *err)
{
    return load(name, data, len, contract_active(), err, NULL, NULL);
}

struct error_counter {
    void (*fn)(void *ud, const struct ac_error *e);
    void *ud;
    size_t n;
};

static void count_error(void *ud, const struct ac_error *e)
{
    struct error_counter *k = ud;

    k->n++;
    k->fn(k->ud, e);
}

int catalog_check_file(const char *path, void (*each_error)(void *ud, const struct ac_error *e),
                       void *ud, struct catalog **out)
{
    struct ac_error err = AC_ERROR_INIT;
    struct ac_buf b = AC_BUF_INIT;
    struct error_counter k = {each_error, ud, 0};

    *out = NULL;
    if (ac_file_read(path, CATALOG_MAX_FILE_BYTES, &b, &err) == 0)
        *out = load(path, b.data, b.len, contract_active(), &err, count_error, &k);
    ac_buf_release(&b);
    if (*out)
        return 0;
    if (k.n == 0) {
        /* A whole-file error (not JSON, wrong shape): there is just one. */
        each_error(ud, &err);
        return 1;
    }
    return (int)(k.n > 100000 ? 100000 : k.n);
}

struct catalog *catalog_load_contract(const char *path, const struct contract *k,
                                      struct ac_error *err)
{
    struct ac_buf b = AC_BUF_INIT;
    struct catalog *c = NULL;

    if (ac_file_read(path, CATALOG_MAX_FILE_BYTES, &b, err) == 0)
        c = load(path, b.data, b.len, k, err, NULL, NULL);
    ac_buf_release(&b);
    return c;
}

struct catalog *catalog_load(const char *path, struct ac_error *err)
{
    return catalog_load_contract(path, contract_active(), err);
}

const struct contract *catalog_contract(const struct catalog *c)
{
    return c ? c->contract : contract_active();
}

size_t catalog_count(const struct catalog *c)
{
    return c->n;
}

const struct catalog_entry *catalog_at(const struct catalog *c, size_t i)
{
    return i < c->n ? &c->entries[i] : NULL;
}

const struct catalog_entry *catalog_find(const struct catalog *c, long code)
{
    size_t lo = 0, hi = c->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->sorted[mid]->code == code)
            return c->sorted[mid];
        if (c->sorted[mid]->code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *catalog_source(const struct catalog *c)
{
    return c->source;
}

const char *catalog_sha256(const struct catalog *c)
{
    return c->sha256;
}

const char *catalog_service_name(const struct catalog *c, int service)
{
    if (service < 0 || service > 99)
        return "unknown service";
    if (c && c->service_names[service])
        return c->service_names[service];
    if (service < (int)(sizeof builtin_service_names / sizeof builtin_service_names[0]))
        return builtin_service_names[service];
    if (!c)
        return "other";
    snprintf(((struct catalog *)c)->fallback_names[service], 16, "service %02d", service);
    return c->fallback_names[service];
}

/* The message with ASCII letters lowered and one trailing period dropped:
 * two messages equal under this but not byte for byte are near-duplicates. */
static void normalize(const char *m, char *out, size_t size)
{
    size_t i, n = strlen(m);

    if (n >= size)
        n = size - 1;
    for (i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)m[i]);
    if (n > 0 && out[n - 1] == '.')
        n--;
    out[n] = '\0';
}

size_t catalog_lint(const struct catalog *c, catalog_lint_fn fn, void *ud)
{
    char text[CATALOG_MAX_MESSAGE_BYTES * 2 + 128];
    char na[CATALOG_MAX_MESSAGE_BYTES + 1], nb[CATALOG_MAX_MESSAGE_BYTES + 1];
    size_t i, j, found = 0;

    for (i = 0; i < c->n; i++) {
        const struct catalog_entry *a = &c->entries[i];
        normalize(a->message, na, sizeof na);
        for (j = i + 1; j < c->n; j++) {
            const struct catalog_entry *b = &c->entries[j];
            if (strcmp(a->message, b->message) == 0) {
                snprintf(text, sizeof text, "%ld and %ld have the same message \"%s\"", a->code,
                         b->code, a->message);
                fn(ud, CATALOG_LINT_SAME_MESSAGE, a->code, b->code, text);
                found++;
                continue;
            }
            normalize(b->message, nb, sizeof nb);
            if (strcmp(na, nb) == 0) {
                snprintf(text, sizeof text,
                         "%ld and %ld differ only by a trailing period or letter case: "
                         "\"%s\" / \"%s\"",
                         a->code, b->code, a->message, b->message);
                fn(ud, CATALOG_LINT_NEAR_MESSAGE, a->code, b->code, text);
                found++;
            }
        }
    }
    return found;
}
