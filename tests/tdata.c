/* tests/tdata.c -- see tdata.h. */
#include "tdata.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../common/ac_json.h"

/* "FILE: WHERE: KEY", leaving out the empty parts. */
static void place(char *out, size_t size, const char *file, const char *where, const char *key)
{
    snprintf(out, size, "%s%s%s%s%s", file, where && *where ? ": " : "", where ? where : "",
             key && *key ? ": " : "", key ? key : "");
}

int td_fail(struct ac_error *err, const char *file, const char *where, const char *key,
            const char *fmt, ...)
{
    char at[256];
    va_list ap;

    place(at, sizeof at, file, where, key);
    va_start(ap, fmt);
    ac_error_setv(err, AC_ERR_INVALID, at, fmt, ap);
    va_end(ap);
    return -1;
}

json_t *td_load(const char *path, const char *file, const char *format, struct ac_error *err)
{
    json_error_t je;
    json_t *root;
    const char *got = NULL;
    FILE *f = fopen(path, "rb");

    if (!f) {
        ac_error_set(err, AC_ERR_IO, file, "cannot read: %s", strerror(errno));
        return NULL;
    }
    root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
    fclose(f);
    if (!root) {
        char at[256];
        snprintf(at, sizeof at, "%s:%d:%d", file, je.line, je.column);
        ac_error_set(err, AC_ERR_PARSE, at, "%s", je.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        td_fail(err, file, "", "", "expected an object, got %s", ac_json_type_name(root));
    } else if (td_string(root, "format", 1, file, "", &got, err) == 0 && strcmp(got, format)) {
        td_fail(err, file, "", "format", "expected \"%s\", got \"%s\"", format, got);
    }
    if (err->code) {
        json_decref(root);
        return NULL;
    }
    return root;
}

int td_members(const json_t *obj, const char *const *allowed, const char *file, const char *where,
               struct ac_error *err)
{
    const char *key;
    json_t *v;

    json_object_foreach ((json_t *)obj, key, v) {
        struct ac_buf names = AC_BUF_INIT;
        size_t i;
        int rc;

        for (i = 0; allowed[i] && strcmp(allowed[i], key); i++)
            ;
        if (allowed[i])
            continue;
        for (i = 0; allowed[i]; i++)
            ac_buf_addf(&names, "%s%s", i ? ", " : "", allowed[i]);
        rc = td_fail(err, file, where, "", "unknown member \"%s\" (allowed: %s)", key,
                     names.data ? names.data : "none");
        ac_buf_release(&names);
        return rc;
    }
    return 0;
}

/* obj[key], or NULL with -1 in *rc when required and missing (0 when not). */
static const json_t *member(const json_t *obj, const char *key, int required, const char *file,
                            const char *where, int *rc, struct ac_error *err)
{
    const json_t *v = json_object_get(obj, key);

    *rc = 0;
    if (!v && required)
        *rc = td_fail(err, file, where, key, "missing");
    return v;
}

int td_string(const json_t *obj, const char *key, int required, const char *file, const char *where,
              const char **out, struct ac_error *err)
{
    int rc;
    const json_t *v = member(obj, key, required, file, where, &rc, err);

    *out = NULL;
    if (!v)
        return rc;
    if (!json_is_string(v))
        return td_fail(err, file, where, key, "expected a string, got %s", ac_json_type_name(v));
    *out = json_string_value(v);
    return 0;
}

int td_bool(const json_t *obj, const char *key, int required, const char *file, const char *where,
            int *out, struct ac_error *err)
{
    int rc;
    const json_t *v = member(obj, key, required, file, where, &rc, err);

    *out = 0;
    if (!v)
        return rc;
    if (!json_is_boolean(v))
        return td_fail(err, file, where, key, "expected true or false, got %s",
                       ac_json_type_name(v));
    *out = json_is_true(v);
    return 0;
}

int td_int(const json_t *obj, const char *key, int required, const char *file, const char *where,
           long long *out, struct ac_error *err)
{
    int rc;
    const json_t *v = member(obj, key, required, file, where, &rc, err);

    if (!v)
        return rc;
    if (!json_is_integer(v))
        return td_fail(err, file, where, key, "expected an integer, got %s", ac_json_type_name(v));
    *out = (long long)json_integer_value(v);
    return 0;
}

int td_strings(const json_t *obj, const char *key, int required, int allow_empty, const char *file,
               const char *where, const json_t **out, struct ac_error *err)
{
    int rc;
    const json_t *v = member(obj, key, required, file, where, &rc, err), *s;
    size_t i;

    *out = NULL;
    if (!v)
        return rc;
    if (!json_is_array(v))
        return td_fail(err, file, where, key, "expected an array of strings, got %s",
                       ac_json_type_name(v));
    if (!allow_empty && json_array_size(v) == 0)
        return td_fail(err, file, where, key, "expected at least one string, got []");
    json_array_foreach (v, i, s) {
        if (!json_is_string(s)) {
            char at[64];
            snprintf(at, sizeof at, "%s[%zu]", key, i);
            return td_fail(err, file, where, at, "expected a string, got %s", ac_json_type_name(s));
        }
    }
    *out = v;
    return 0;
}
