/* common/ac_json.h -- JSON input as every loader of the project reads it:
 * the one parser call with its error message ("FILE:LINE:COLUMN: not valid
 * JSON: ..."), and the one way values are named in messages about input
 * ("expected an integer, got a string"). jansson-dependent, so kept out
 * of ac.h, which stays libc-only. */
#ifndef AC_JSON_H
#define AC_JSON_H

#include <jansson.h>

#include "ac.h"

/* What a file that is not JSON is said to be, and the suite loader's
 * older words for it, which suite/README.md documents. */
#define AC_JSON_NOT_VALID "not valid JSON"
#define AC_JSON_INVALID "invalid JSON"

/* Parses data[0..len) as one JSON object or array, refusing duplicate
 * keys (a key given twice means two things). Returns a new reference, or
 * NULL with err set: AC_ERR_NOMEM (AC_NOMEM_TEXT, where name) when jansson
 * ran out of memory; else AC_ERR_PARSE with where "NAME:LINE:COLUMN" (just
 * NAME when jansson names no position) and text "WHAT: <jansson's words>",
 * or "not valid UTF-8 (<jansson's words>); expected UTF-8 text" for bytes
 * that are not UTF-8. what is AC_JSON_NOT_VALID or AC_JSON_INVALID.
 * jansson's words may quote input: control bytes become '?', so the
 * message stays on one line. */
json_t *ac_json_parse(const char *name, const char *data, size_t len, const char *what,
                      struct ac_error *err);

/* "an object", "an array", "a string", "an integer", "a real number",
 * "a boolean", "null"; "nothing" for NULL. Static strings. */
const char *ac_json_type_name(const json_t *j);

/* The same names without their article ("object", "real number",
 * "null"), for messages that say "got integer". Static strings. */
const char *ac_json_type_word(const json_t *j);

#endif
