/* common/ac_json.c -- see ac_json.h. */
#include "ac_json.h"

#include <stdio.h>

json_t *ac_json_parse(const char *name, const char *data, size_t len, const char *what,
                      struct ac_error *err)
{
    json_error_t je;
    json_t *root;
    char where[sizeof err->where], *p;

    root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (root)
        return root;
    if (json_error_code(&je) == json_error_out_of_memory) {
        ac_error_nomem(err, name);
        return NULL;
    }
    for (p = je.text; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    if (je.line > 0) {
        if (snprintf(where, sizeof where, "%s:%d:%d", name, je.line, je.column) >=
            (int)sizeof where)
            where[sizeof where - 1] = '\0';
    } else {
        snprintf(where, sizeof where, "%s", name);
    }
    if (json_error_code(&je) == json_error_invalid_utf8)
        ac_error_set(err, AC_ERR_PARSE, where, "not valid UTF-8 (%s); expected UTF-8 text",
                     je.text);
    else
        ac_error_set(err, AC_ERR_PARSE, where, "%s: %s", what, je.text);
    return NULL;
}

const char *ac_json_type_name(const json_t *j)
{
    if (!j)
        return "nothing";
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}
