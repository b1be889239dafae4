/* tests/tdata.h -- reading the tests' own JSON data files (the reference
 * server's code rows in tests/reference-codes/, the mutation table
 * tests/mutations.json) with the project's exact errors: every error names
 * the file, the member and what was expected, so a bad row is found from
 * the message alone. A test binary that cannot read its data says so and
 * exits 2, as the programs do with bad input.
 *
 * `file` is the name shown in messages (a path relative to the project
 * root); `where` is the member's place in the file, "codes[3]" or
 * "codes[3] (code 4000403)", or "" for the top level. Errors go into err
 * as "FILE: WHERE.KEY" / "expected ..., got ...". */
#ifndef TDATA_H
#define TDATA_H

#include <jansson.h>

#include "../common/ac.h"

/* Parses path (read from disk) and checks that its top level is an object
 * with "format": format. Returns the root (caller decrefs), or NULL with
 * err set ("FILE: cannot read: No such file or directory", "FILE:12:7: ..."
 * for a JSON syntax error). */
json_t *td_load(const char *path, const char *file, const char *format, struct ac_error *err);

/* 0 when every member of obj is one of allowed (NULL-ended); else -1 with
 * 'unknown member "x" (allowed: a, b, c)'. */
int td_members(const json_t *obj, const char *const *allowed, const char *file, const char *where,
               struct ac_error *err);

/* Reads obj[key] into *out (borrowed from obj). Absent: *out is NULL and
 * the result 0, unless required (then -1, "missing"). Of another type: -1,
 * "expected a string, got an integer". */
int td_string(const json_t *obj, const char *key, int required, const char *file, const char *where,
              const char **out, struct ac_error *err);

/* As td_string for true/false; absent is 0 (false) unless required. */
int td_bool(const json_t *obj, const char *key, int required, const char *file, const char *where,
            int *out, struct ac_error *err);

/* As td_string for an integer; absent leaves *out alone. */
int td_int(const json_t *obj, const char *key, int required, const char *file, const char *where,
           long long *out, struct ac_error *err);

/* obj[key] as an array of strings; absent: *out NULL, 0 unless required.
 * An empty array is accepted only when allow_empty. *out is borrowed. */
int td_strings(const json_t *obj, const char *key, int required, int allow_empty, const char *file,
               const char *where, const json_t **out, struct ac_error *err);

/* Sets err to "FILE: WHERE.KEY" and the formatted text; returns -1. For
 * rules the helpers above do not know (a value out of range, a duplicate). */
int td_fail(struct ac_error *err, const char *file, const char *where, const char *key,
            const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
