/* suite/suite_impl.h -- what the loader (suite.c) and the template code
 * (template.c) share inside the module. Not part of the contract: nothing
 * outside suite/ includes it. */
#ifndef SUITE_IMPL_H
#define SUITE_IMPL_H

#include <stddef.h>

/* Called once per ${name} reference of a template, in order, with the name
 * (not NUL-terminated) and its length. Returning -1 stops the scan. */
typedef int (*tmpl_var_fn)(void *ud, const char *name, size_t len);

/* Scans a template. Returns 0; -1 when fn returned -1; -2 when the template
 * is malformed (a "${" not followed by a name and '}'), with *bad_at set to
 * the byte offset of that "${". fn may be NULL (syntax check only). */
int suite_tmpl_scan(const char *tmpl, tmpl_var_fn fn, void *ud, size_t *bad_at);

/* 1 when s[0..len) is a variable name: a letter or '_', then letters,
 * digits and '_'. */
int suite_var_name_valid(const char *s, size_t len);

/* 1 when p is a syntactically valid JSON Pointer: "" or '/'-separated
 * tokens in which '~' is only followed by '0' or '1'. */
int suite_pointer_valid(const char *p);

/* When the whole string s is one ${name} reference, stores the name's
 * offset and length and returns 1; else 0. */
int suite_tmpl_whole_var(const char *s, size_t *off, size_t *len);

#endif
