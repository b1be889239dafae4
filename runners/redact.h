/* runners/redact.h -- the one place secrets are taken out of text.
 *
 * Every string that leaves the runner (console lines, report fields, curl
 * reproducers, transcripts, header values) passes through redact_append
 * (or redact_append_cut, redact_dup) before it is kept. A secret is
 * registered once (tokens, app keys and secrets, credential values the
 * target hands out) and is then found in every view of the text a reader
 * could decode, not in a list of spellings: the text itself, its percent-
 * decoding (any case, any mix of encoded and plain bytes), its JSON string
 * unescaping (\uXXXX with surrogate pairs, \/, \" ...), its XML/HTML
 * character references, and the percent-decoding of the JSON unescaping
 * and the other way round. In each view the secret is matched raw, as hex
 * (either case), and as base64 at each of the three byte alignments in the
 * standard and the URL-safe alphabet (so base64("user:" + token) is found);
 * every match masks the source bytes it came from, a base64 match its whole
 * run of base64 characters. Each maximal masked run becomes "***".
 *
 * A text may start or end inside a secret because someone cut it: a prefix
 * of a secret of REDACT_MIN_SECRET bytes or more that ends the text (or the
 * shown part, see redact_append_cut) and such a suffix that starts it are
 * masked too. Shorter fragments cannot be told from ordinary text.
 *
 * The work is linear in the text for a given set of secrets. Masking by
 * header name is the caller's (see redact_header_is_sensitive). */
#ifndef REDACT_H
#define REDACT_H

#include <stddef.h>

#include "../common/ac.h"

struct redactor; /* opaque */

struct redactor *redact_new(void);
void redact_free(struct redactor *r);

/* The shortest secret masked in every view. A user-supplied secret
 * shorter than this is refused before anything is sent (cli_run.c,
 * cli_sweep.c), and so is a token the target hands out (session.c). */
#define REDACT_MIN_SECRET 8

/* Registers a secret (copied). Empty strings are ignored. A value shorter
 * than REDACT_MIN_SECRET (only the target hands such values out, in a
 * credential-like JSON member) is masked raw only and only where it stands
 * as a word, not inside a longer run of letters and digits: masking two
 * letters everywhere would shred every report. Of a secret longer than
 * 4096 bytes the first 4096 are matched. 0 or -1 on no memory. */
int redact_add(struct redactor *r, const char *secret);

/* Appends text[0..len) to out with every secret masked (see above): each
 * masked run becomes "***". r may be NULL (text is copied). 0 or -1 on no
 * memory. */
int redact_append(const struct redactor *r, const char *text, size_t len, struct ac_buf *out);

/* Like redact_append for a text of which only the first cap bytes are
 * shown (cap 0: all): masks first, then cuts. A secret that straddles the
 * cut is found whole (the text past the cut is read as far as the longest
 * encoded secret reaches) and shows as "***"; a prefix of a secret of
 * REDACT_MIN_SECRET bytes or more that ends at the cut is masked too. The
 * caller appends its own truncation marker. Returns 1 when the text was
 * cut, 0 when not, -1 on no memory. */
int redact_append_cut(const struct redactor *r, const char *text, size_t len, size_t cap,
                      struct ac_buf *out);

/* Returns a heap copy of s with secrets replaced (caller frees); NULL on no
 * memory. s may be NULL (returns NULL). */
char *redact_dup(const struct redactor *r, const char *s);

/* 1 when a header of this name carries credentials by its nature
 * (Authorization, Proxy-Authorization, WWW-Authenticate, Cookie,
 * Set-Cookie, X-Api-Key, and any name containing "token", "secret", "key",
 * "session" or "password" but not "Request-Id"). The engine masks the
 * values of such response headers in what it keeps, keeping the scheme. */
int redact_header_is_sensitive(const char *name, size_t len);

/* 1 when a JSON member of this name holds a credential ("token",
 * "app_secret", "password", ...): its string value should be registered. */
int redact_member_is_sensitive(const char *name);

#endif
