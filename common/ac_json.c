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

/* Each JSON type's name, bare and with its article. */
static const struct {
    const char *word, *name;
} json_kinds[] = {
    [JSON_OBJECT] = {"object", "an object"},        [JSON_ARRAY] = {"array", "an array"},
    [JSON_STRING] = {"string", "a string"},         [JSON_INTEGER] = {"integer", "an integer"},
    [JSON_REAL] = {"real number", "a real number"}, [JSON_TRUE] = {"boolean", "a boolean"},
    [JSON_FALSE] = {"boolean", "a boolean"},        [JSON_NULL] = {"null", "null"},
};

static int json_kind(const json_t *j)
{
    int t = (int)json_typeof(j);

    return t >= 0 && (size_t)t < sizeof json_kinds / sizeof json_kinds[0] ? t : -1;
}

const char *ac_json_type_word(const json_t *j)
{
    int k = j ? json_kind(j) : -1;

    return !j ? "nothing" : k < 0 ? "value" : json_kinds[k].word;
}

const char *ac_json_type_name(const json_t *j)
{
    int k = j ? json_kind(j) : -1;

    return !j ? "nothing" : k < 0 ? "a value" : json_kinds[k].name;
}
