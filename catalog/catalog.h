/* catalog/catalog.h -- the error contract: codes, statuses, messages.
 *
 * A catalog is loaded once from its JSON data file (catalog/nce-errors.json
 * for the shipped NetEase Cloud contract), validated, and read-only after
 * that. It answers lookups by code, with status, service and detail as
 * the code scheme (catalog/code.h) reads them from the code. It also
 * imports the Markdown table the contract is published as, and lints a
 * catalog for suspicious messages. It knows nothing of HTTP requests,
 * scenarios or reports and must not: the reference server and the runner
 * both link it, and it is the only thing they share. */
#ifndef CATALOG_H
#define CATALOG_H

#include <stddef.h>

#include "../common/ac.h"
#include "code.h" /* the code scheme: whoever holds a catalog reads codes by it */
#include "contract.h"

/* Limits that bound what a catalog file may hold. */
#define CATALOG_MAX_FILE_BYTES (16u * 1024u * 1024u)

/* The catalog file format this module reads and the importer writes; a
 * file whose "format" says anything else is refused. */
#define CATALOG_FORMAT "apiconform-catalog/1"
#define CATALOG_MAX_MESSAGE_BYTES 4096u

struct catalog; /* opaque */

/* One code of the contract. All strings are owned by the catalog. */
struct catalog_entry {
    long code;               /* 4000001: exactly the contract's digits (7 for NetEase) */
    int status;              /* 400: contract_code_status(), a 4xx or 5xx HTTP status */
    int service;             /* 0: contract_code_service() */
    int detail;              /* 1: contract_code_detail() */
    const char *message;     /* exact bytes, typos and missing periods included */
    const char *description; /* free text for users, "" when not given */
    const char *solution;    /* free text for users, "" when not given */
    size_t index;            /* position in the file (0-based), the seed's order */
};

/* Loads and validates the catalog at path. Returns the catalog (caller frees
 * with catalog_free) or NULL with err set; every validation error names the
 * file, the entry index and the field, and what was expected. Codes are
 * read by the active contract's scheme (contract_active(): the NetEase one
 * unless the program set another), as by every loader below that takes no
 * contract. */
struct catalog *catalog_load(const char *path, struct ac_error *err);

/* Same, codes read by contract k (borrowed: it must outlive the catalog;
 * NULL: the built-in NetEase contract). */
struct catalog *catalog_load_contract(const char *path, const struct contract *k,
                                      struct ac_error *err);

/* The contract the catalog's codes were read by (NULL: the built-in one);
 * for c NULL, the active contract. Borrowed. */
const struct contract *catalog_contract(const struct catalog *c);

/* Checks the catalog at path as catalog_load does, but hands every error to
 * each_error instead of stopping at the first: each bad entry and each
 * duplicate code, or the one error of a file that cannot be read as a
 * catalog at all. Returns the number of errors (0: valid, and *out is the
 * loaded catalog, which the caller frees; otherwise *out is NULL). */
int catalog_check_file(const char *path, void (*each_error)(void *ud, const struct ac_error *e),
                       void *ud, struct catalog **out);

/* Same, from a buffer; name is used in error messages in place of a path. */
struct catalog *catalog_load_buffer(const char *name, const char *data, size_t len,
                                    struct ac_error *err);

/* Where the shipped catalog is found when no --catalog is given: $AC_CATALOG,
 * else ./catalog/nce-errors.json when it exists (a source checkout), else the
 * installed copy (ac_data_path). Borrowed static string. */
const char *catalog_default_path(void);

/* Frees the catalog; NULL is a no-op. */
void catalog_free(struct catalog *c);

/* Number of entries. */
size_t catalog_count(const struct catalog *c);

/* Entry i in file order (0 <= i < count). Borrowed: valid until catalog_free. */
const struct catalog_entry *catalog_at(const struct catalog *c, size_t i);

/* The entry for code, or NULL when the code is not in the catalog.
 * Borrowed: valid until catalog_free. O(log n). */
const struct catalog_entry *catalog_find(const struct catalog *c, long code);

/* The path or name the catalog was loaded from. Borrowed. */
const char *catalog_source(const struct catalog *c);

/* SHA-256 of the catalog file's bytes, 64 lower-case hex digits. Borrowed. */
const char *catalog_sha256(const struct catalog *c);

/* A readable name for a service code: "platform", "microservices", ...
 * Names come from the catalog's optional "services" object, else the
 * built-in names of the NetEase Cloud contract, else "service NN".
 * Borrowed: valid until catalog_free. */
const char *catalog_service_name(const struct catalog *c, int service);

/* 1 when status is an HTTP status that an error code may carry: a
 * registered 4xx or 5xx status (RFC 9110 and friends), else 0. */
int catalog_status_is_error(int status);

/* Lint findings: not errors, but worth a look before publishing a contract. */
enum catalog_lint_kind {
    CATALOG_LINT_SAME_MESSAGE = 1, /* two codes, byte-identical messages */
    CATALOG_LINT_NEAR_MESSAGE,     /* differ only by a trailing period or case */
};

/* Called once per finding, in file order of the first code, with a one-line
 * text such as "4000111 and 4000511 have the same message \"fail.\"". */
typedef void (*catalog_lint_fn)(void *ud, enum catalog_lint_kind kind, long code_a, long code_b,
                                const char *text);

/* Runs the lint checks and returns the number of findings. */
size_t catalog_lint(const struct catalog *c, catalog_lint_fn fn, void *ud);

/* Imports a Markdown table of codes into catalog JSON. The first table
 * whose header row names a code column ("code", "错误码") and a message
 * column ("message", "错误信息") is read; "description"/"错误描述" and
 * "solution"/"解决方案" columns are kept when present. Message bytes are the
 * cell's text minus the table padding. The JSON is appended to out (one
 * entry per line, file order kept). name is used in error messages
 * ("seed.md:23: ..."). 0, or -1 with err set (AC_ERR_PARSE for a table
 * that cannot be read, AC_ERR_INVALID for entries that fail validation). */
int catalog_import_markdown(const char *name, const char *md, size_t len, struct ac_buf *out,
                            struct ac_error *err);

#endif
