/* common/ac_json.h -- the one place JSON values are named in messages about
 * input ("expected an integer, got a string"). jansson-dependent, so kept
 * out of ac.h, which stays libc-only; json_typeof is a macro, so this needs
 * jansson's header but not its library. */
#ifndef AC_JSON_H
#define AC_JSON_H

#include <jansson.h>

/* "an object", "an array", "a string", "an integer", "a real number",
 * "a boolean", "null"; "nothing" for NULL. Static strings. */
const char *ac_json_type_name(const json_t *j);

#endif
