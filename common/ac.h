/* common/ac.h -- the few things every module shares: a caller-owned error
 * struct, a growable byte buffer, UTF-8 validation and whole-file reading.
 * Depends on libc only. Keep it tiny: anything that knows about catalogs,
 * scenarios or HTTP belongs in its own module. */
#ifndef AC_H
#define AC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* The exit statuses of DESIGN.md, the one definition: apiconform's
 * subcommands return them and results_exit_status computes them. Where
 * several apply, the highest wins. */
enum ac_exit {
    AC_EXIT_OK = 0,    /* every scenario that ran passed (known failures included) */
    AC_EXIT_FAIL = 1,  /* at least one contract failure */
    AC_EXIT_USAGE = 2, /* usage or input error: bad flag, catalog or scenario file */
    AC_EXIT_ERROR = 3, /* the target could not be judged, or the tool failed */
};

/* Error kinds. AC_ERR_NONE (0) means no error is set. */
enum {
    AC_ERR_NONE = 0,
    AC_ERR_IO,        /* a file could not be opened, read or written */
    AC_ERR_PARSE,     /* input is not well-formed (JSON, Markdown table) */
    AC_ERR_INVALID,   /* well-formed input that breaks a rule (duplicate code) */
    AC_ERR_USAGE,     /* bad command line */
    AC_ERR_NOMEM,     /* an allocation failed */
    AC_ERR_TRANSPORT, /* the network could not be used (not a contract failure) */
};

/* What went wrong, filled by the first failing function; callers own it,
 * usually on the stack, and initialise it with AC_ERROR_INIT. */
struct ac_error {
    int code;        /* AC_ERR_*, AC_ERR_NONE while nothing failed */
    char where[256]; /* "catalog/nce-errors.json: entry 12" or "" */
    char text[256];  /* one line, no trailing newline */
};

/* The initializers stay on one line (clang-format would make blocks). */
/* clang-format off */
#define AC_ERROR_INIT {AC_ERR_NONE, "", ""}
/* clang-format on */

/* Sets the error unless one is already set (the first error wins, so an
 * outer function cannot hide the precise cause). Always returns -1 so that
 * `return ac_error_set(...)` reads naturally. `where` may be NULL. */
int ac_error_set(struct ac_error *e, int code, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Same, with a va_list. */
int ac_error_setv(struct ac_error *e, int code, const char *where, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* The one wording of a failed allocation, wherever it is reported. */
#define AC_NOMEM_TEXT "out of memory"

/* ac_error_set(e, AC_ERR_NOMEM, where, AC_NOMEM_TEXT): what names the
 * file or the thing being built goes in where, not in other words. -1. */
int ac_error_nomem(struct ac_error *e, const char *where);

/* Clears the error so that the struct can be reused. */
void ac_error_clear(struct ac_error *e);

/* Formats "where: text" (or just "text") into out; returns out. */
const char *ac_error_str(const struct ac_error *e, char *out, size_t size);

/* A growable byte buffer. Invariant: data is NULL while cap is 0; otherwise
 * data[len] == '\0', so the content is always a C string as well (it may also
 * hold NUL bytes: len is the truth). Embedded: use _init/_release. */
struct ac_buf {
    char *data; /* owned; NULL until the first append */
    size_t len; /* bytes in use, excluding the terminating NUL */
    size_t cap; /* bytes allocated */
};

/* clang-format off */
#define AC_BUF_INIT {NULL, 0, 0}
/* clang-format on */

void ac_buf_init(struct ac_buf *b);
/* Frees the content; the buffer is empty and reusable afterwards. */
void ac_buf_release(struct ac_buf *b);
/* Empties the buffer, keeping its allocation. */
void ac_buf_reset(struct ac_buf *b);
/* Makes room for `more` bytes beyond len. 0 or -1 when out of memory. */
int ac_buf_grow(struct ac_buf *b, size_t more);
/* Appends n bytes. 0, or -1 when out of memory (the buffer is unchanged). */
int ac_buf_add(struct ac_buf *b, const void *p, size_t n);
/* Appends a C string. 0 or -1. */
int ac_buf_adds(struct ac_buf *b, const char *s);
/* Appends one byte. 0 or -1. */
int ac_buf_addc(struct ac_buf *b, char c);
/* Appends printf-formatted text. 0 or -1. */
int ac_buf_addf(struct ac_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the content to the caller (who frees it) and empties the buffer.
 * Returns an empty heap string when nothing was added; NULL on no memory. */
char *ac_buf_take(struct ac_buf *b);

/* 1 when s[0..n) is valid UTF-8 (no overlongs, no surrogates, nothing above
 * U+10FFFF), else 0. When it is not and bad_at is not NULL, *bad_at receives
 * the offset of the first invalid byte. */
int ac_utf8_valid(const char *s, size_t n, size_t *bad_at);

/* Decodes one UTF-8 sequence at s (n bytes available). Returns its length and
 * stores the code point in *cp, or returns 0 when the sequence is invalid. */
size_t ac_utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/* Reads a whole file into out (appending). 0, or -1 with err set to
 * AC_ERR_IO naming the file and strerror. A file larger than max_bytes is
 * an error too (max_bytes 0: no limit). */
int ac_file_read(const char *path, size_t max_bytes, struct ac_buf *out, struct ac_error *err);

/* The value of a hexadecimal digit (either case), or -1. */
int ac_hex_value(int c);

/* Levenshtein distance of a and b (insertions, deletions, substitutions),
 * for "did you mean" suggestions; strings over 64 bytes: (size_t)-1. */
size_t ac_edit_distance(const char *a, const char *b);

/* Writes data where path points. A regular file (or a new one) is
 * replaced atomically: a temporary file beside it, fsync, then rename, so a
 * killed process leaves the old file or the complete new one. A symbolic
 * link is kept and the file it names is replaced that way, in the target's
 * directory. A device or FIFO (/dev/stdout, a named pipe) is written into,
 * never replaced; "-" is stdout. 0 or -1 with err set. */
int ac_file_write_atomic(const char *path, const void *data, size_t len, struct ac_error *err);

/* Checks, before any work, that ac_file_write_atomic(path) can succeed: "-",
 * a writable device or FIFO, or a file (new or not) whose directory exists
 * and is writable. 0, or -1 with err (AC_ERR_USAGE) naming the path and
 * what is wrong ("directory 'x' does not exist"). */
int ac_file_check_writable(const char *path, struct ac_error *err);

/* Where shipped data lives, found from the program's own location, never
 * from the working directory (a ./catalog there is somebody else's): in a
 * source checkout, the program is <root>/build/[<sub>/]NAME and the data
 * <root>/<dev_path> ("catalog/nce-errors.json"; the tree is known by its
 * catalog/module.mk); in an install under any PREFIX,
 * <directory of the program>/../share/apiconform/<installed>; else
 * AC_DATADIR/<installed>. The path is returned without "." or ".."
 * components when it exists. Returns a static buffer, valid until the
 * next call. */
const char *ac_data_path(const char *dev_path, const char *installed);

/* Appends s[0..n) made safe for a terminal: control bytes (C0, DEL) and
 * bytes that are not UTF-8 as \xNN, C1 controls and the bidi overrides
 * (U+202A-202E, U+2066-2069) as \uNNNN, so text a server sent cannot move
 * the cursor, change colours, ring bells or reorder the line. 0 or -1. */
int ac_buf_add_terminal_safe(struct ac_buf *out, const char *s, size_t n);

/* Writes s to f made safe as ac_buf_add_terminal_safe does. NULL writes
 * nothing. */
void ac_fput_safe(FILE *f, const char *s);

/* strdup that reports no-memory as NULL (like strdup) but accepts NULL. */
char *ac_strdup(const char *s);

#endif
