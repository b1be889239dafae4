/* runners/har.h -- reading HTTP Archive (HAR 1.2) files into answers.
 *
 * Accepts what Chromium and Firefox devtools, Playwright, mitmproxy,
 * Charles, k6 and Newman write: log.entries[] with request {method, url,
 * headers[], postData.text} and response {status, headers[], content
 * {size, mimeType, text, encoding}}. Bodies with encoding "base64" are
 * decoded. An answer whose content has no "text" is not captured (unless
 * its size is 0: then the body was empty); one whose content.size exceeds
 * the decoded text's length is truncated; Playwright's content._file
 * (body stored beside the archive) is not captured; an encoding other than
 * base64, or bad base64, is undecodable. Those answers are handed over with
 * the reason and judged by nobody.
 *
 * Structure is checked strictly: a file that is not JSON, has no
 * log.entries array, or has an entry whose request or response is missing,
 * whose method, url, status or headers are missing or of the wrong type,
 * or whose content members have the wrong type, is an input error naming
 * the file, the entry and the field ("a.har: log.entries[3].response.status:
 * expected an integer, got a string"). Files are read whole, so they are
 * bounded: larger than the caller's limit is an error before any parsing.
 * Nothing here judges: each entry goes to the caller's function. */
#ifndef HAR_H
#define HAR_H

#include <stddef.h>

#include "../common/ac.h"
#include "passive.h"

/* The default size limit of one HAR file (apiconform check --max-har-size). */
#define HAR_MAX_BYTES (256u * 1024u * 1024u)

/* Headers of one message kept at most; further headers are ignored. */
#define HAR_MAX_HEADERS 256

/* Called once per entry in file order. Returns 0 to go on, -1 to stop
 * (har_read_* then fails with AC_ERR_NOMEM unless fn set err). */
typedef int (*har_entry_fn)(void *ud, const struct passive_answer *a, struct ac_error *err);

/* Parses a HAR document held in memory; name is used in messages and in
 * each answer's source ("name entry 12", counted from 0). Returns the
 * number of entries, or -1 with err set (AC_ERR_PARSE, AC_ERR_INVALID:
 * bad input; AC_ERR_NOMEM). Entries before a structural error have already
 * been passed to fn. */
long har_read_buffer(const char *name, const char *data, size_t len, har_entry_fn fn, void *ud,
                     struct ac_error *err);

/* Reads path (at most max_bytes; 0: HAR_MAX_BYTES) and parses it as above.
 * A larger file is AC_ERR_INVALID: "a.har: 1073741824 bytes, more than the
 * limit of 268435456 (--max-har-size)". */
long har_read_file(const char *path, size_t max_bytes, har_entry_fn fn, void *ud,
                   struct ac_error *err);

/* Decodes standard base64 (padding optional, ASCII white space skipped)
 * into out. 0, or -1 when s holds anything else. */
int har_base64_decode(const char *s, size_t n, struct ac_buf *out);

#endif
