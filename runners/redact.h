/* runners/redact.h -- the one place secrets are taken out of text.
 *
 * Every string that leaves the runner (console lines, report fields, curl
 * reproducers, transcripts) passes through redact_text first. A secret is
 * registered once (tokens, app keys and secrets, captured tokens) and then
 * matched in its raw, base64, URL-encoded and JSON-escaped forms; each match
 * becomes "***". Header values of Authorization-like headers are masked by
 * name as well, keeping the scheme ("Token ***") for debugging. */
#ifndef REDACT_H
#define REDACT_H

#include <stddef.h>

#include "../common/ac.h"

struct redactor; /* opaque */

struct redactor *redact_new(void);
void redact_free(struct redactor *r);

/* Registers a secret (copied). Empty strings and strings shorter than 4
 * bytes are ignored: masking them would shred ordinary text. 0 or -1. */
int redact_add(struct redactor *r, const char *secret);

/* Appends text[0..len) to out with every registered form of every secret
 * replaced by "***". 0 or -1 on no memory. */
int redact_append(const struct redactor *r, const char *text, size_t len, struct ac_buf *out);

/* Returns a heap copy of s with secrets replaced (caller frees); NULL on no
 * memory. s may be NULL (returns NULL). */
char *redact_dup(const struct redactor *r, const char *s);

/* 1 when a header of this name carries credentials by its nature
 * (Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key, and
 * any name containing "token", "secret" or "key" but not "Request-Id"). */
int redact_header_is_sensitive(const char *name, size_t len);

/* 1 when a JSON member of this name holds a credential ("token",
 * "app_secret", "password", ...): its string value should be registered. */
int redact_member_is_sensitive(const char *name);

#endif
